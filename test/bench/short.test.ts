// The benches run in CI in their short form so they never rot: every bench file runs to the end
// and prints its figures. No timing is asserted here (speed is read from the printed figures).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

test('npm run bench -- --short: every bench runs and prints its figures', () => {
  const r = spawnSync(process.execPath, ['--import', join(root, 'scripts', 'register-ts.mjs'), join(root, 'bench', 'run.ts'), '--short'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 240_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  assert.is(r.status, 0, `bench exited ${r.status ?? r.signal}:\n${out.slice(-3000)}`);
  const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts'));
  assert.ok(files.length >= 8, `bench files: ${files.join(', ')}`);
  for (const f of files) {
    const section = out.split(`# ${f}`)[1]?.split('\n# ')[0];
    assert.ok(section !== undefined, `${f} did not run:\n${out.slice(-2000)}`);
    // A bench prints figures, or says why it skipped (fixtures from ../shared absent).
    assert.ok(/\d+(\.\d+)? ?(µs|ms|MB|%|\/s)/.test(section) || /skip/.test(section), `${f} printed no figure:\n${section}`);
  }
});

test.run();
