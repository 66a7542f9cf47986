// What an engine loads: from a bundle or a .wasm file never the compiler (nor binaryen, ~77 MB
// resident); from Rego, by default, the compiler runs in a child process and still stays out of
// the engine's process. Each case runs in a fresh process that records every module it loaded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../../src/compile.ts';
import { writeBundle } from '../../src/policy/bundle.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const REGO = 'package portcullis\n\ndecision := {"allow": input.action.kind == "shell"}\n';
const tmp = mkdtempSync(join(tmpdir(), 'portcullis-loading-'));

interface Report {
  loaded: string[];
  required: string[];
  revision: string;
  allow: boolean;
}

function inChild(spec: object): Report {
  const r = spawnSync(process.execPath, ['--import', join(root, 'scripts', 'register-ts.mjs'), join(here, 'graph-child.ts'), JSON.stringify(spec)], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(r.status, 0, `child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Report;
}

// src/rego/ast.ts is allowed: it holds the error types that compile errors are rebuilt as.
const compilerIn = (r: Report): string[] =>
  r.loaded.filter((u) => /\/node_modules\/binaryen\/|\/src\/compile\.ts$|\/src\/rego\/(?!ast\.ts$)|\/src\/wasm\//.test(u));

// graphql-js, yaml and re2js serve a few host builtins and load on the first call of one.
const lazyIn = (r: Report): string[] =>
  [...r.loaded, ...r.required].filter((u) => /\/node_modules\/(graphql|yaml|re2js)\//.test(u) && !u.includes('/opa-wasm/'));

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('an engine from a bundle or a .wasm file loads neither the compiler nor binaryen', async () => {
  const wasm = (await compile({ modules: { 'p.rego': REGO }, entrypoints: ['portcullis/decision'] })).wasm;
  const bundle = join(tmp, 'bundle.tar.gz');
  writeFileSync(bundle, writeBundle({ wasm, entrypoints: ['portcullis/decision'], revision: 'b1', roots: ['portcullis'] }));
  const file = join(tmp, 'policy.wasm');
  writeFileSync(file, wasm);
  for (const policy of [bundle, file]) {
    const r = inChild({ policy });
    assert.is(r.allow, true);
    assert.ok(r.loaded.some((u) => u.endsWith('/src/engine/engine.ts')), 'the recorder saw the engine load');
    assert.equal(compilerIn(r), [], `${policy}: compiler modules loaded`);
    assert.equal(lazyIn(r), [], `${policy}: libraries of builtins the policy never called were loaded`);
  }
});

test('Rego compiled in a child process (the default) keeps the compiler out, from any cwd', () => {
  const dir = join(tmp, 'policy');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'p.rego'), REGO);
  const r = inChild({ policy: dir, chdir: tmpdir() });
  assert.is(r.allow, true);
  assert.equal(compilerIn(r), []);
});

test("compile: 'inline' does load the compiler (the recorder can see it)", () => {
  const r = inChild({ policy: { modules: { 'p.rego': REGO } }, compile: 'inline' });
  assert.is(r.allow, true);
  assert.ok(compilerIn(r).some((u) => u.includes('/node_modules/binaryen/')), 'binaryen was loaded');
});

test.run();
