// `portcullis conformance --cases <dir> --json <file>` end to end, with the real toolchain.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conformanceCommand } from '../../src/cli/conformance.ts';

const CASES = `cases:
  - note: sets/union
    query: data.test.p = x
    modules:
      - |
        package test
        p := {1, 2} | {3}
    want_result:
      - x: [1, 2, 3]
  - note: sets/input term
    query: x = input.s
    modules:
      - |
        package test
    input_term: '{"s": {3, 1}}'
    want_result:
      - x: [1, 3]
  - note: sets/conflict
    query: data.test.q = x
    modules:
      - |
        package test
        q := 1 if input.a
        q := 2 if input.a
    input:
      a: true
    want_error_code: eval_conflict_error
  - note: sets/excluded
    query: data.test.r = x
    modules:
      - |
        package test
        r := time.now_ns()
    want_result:
      - x: 0
`;

test('--cases and --json: counts, topics, reasons; excluded cases are skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-conf-'));
  try {
    mkdirSync(join(dir, 'sets'));
    writeFileSync(join(dir, 'sets', 'a.yaml'), CASES);
    writeFileSync(join(dir, 'EXCLUDE.tsv'), 'file\tnote\treason\nsets/a.yaml\tsets/excluded\tclock\n');
    const out = join(dir, 'report.json');
    const writes: string[] = [];
    const w = process.stdout.write;
    process.stdout.write = ((s: string) => writes.push(String(s)) > 0) as typeof process.stdout.write;
    let code: number;
    try {
      code = await conformanceCommand(['--cases', dir, '--json', out, '--jobs', '1']);
    } finally {
      process.stdout.write = w;
    }
    assert.is(code, 0);
    const r = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(
      r.cases.map((c: { note: string; status: string }) => [c.note, c.status]),
      [['sets/union', 'passed'], ['sets/input term', 'passed'], ['sets/conflict', 'passed'], ['sets/excluded', 'skipped']],
      JSON.stringify(r.cases),
    );
    assert.equal([r.total, r.passed, r.failed, r.skipped], [4, 3, 0, 1]);
    assert.equal(r.topics, { sets: { passed: 3, failed: 0, skipped: 1 } });
    assert.is(r.cases[3].reason, 'clock');
    assert.match(writes.join(''), /total: 4 cases, 3 passed, 0 failed, 1 skipped/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
