import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSuite, parseCaseFile, parseExcludes, SuiteError } from '../../src/conformance/cases.ts';

const YAML = `---
cases:
  - note: t/one
    query: data.test.p = x
    modules:
      - |
        package test
        p := 18446744073709551614
    data:
      a: 1
    want_result:
      - x: 18446744073709551614
    sort_bindings: true
  - note: t/two
    query: data.test.q = x
    input_term: '{1, 2}'
    want_error_code: eval_conflict_error
    want_error: object keys must be unique
    strict_error: true
`;

test('parseCaseFile reads every field, integers as bigint', () => {
  const [a, b] = parseCaseFile(YAML, 'topic/f.yaml');
  assert.is(a!.topic, 'topic');
  assert.is(a!.index, 0);
  assert.equal(a!.wantResult, [{ x: 18446744073709551614n }]);
  assert.equal(a!.data, { a: 1n });
  assert.ok(a!.sortBindings);
  assert.is(a!.modules.length, 1);
  assert.is(b!.inputTerm, '{1, 2}');
  assert.is(b!.wantErrorCode, 'eval_conflict_error');
  assert.ok(b!.strictError);
  assert.is(b!.wantResult, undefined);
});

test('parseCaseFile rejects malformed files with the file name', () => {
  assert.throws(() => parseCaseFile('cases: 3', 'x/y.yaml'), (e: Error) => e instanceof SuiteError && e.message.startsWith('x/y.yaml'));
  assert.throws(() => parseCaseFile('cases:\n  - note: a\n', 'x/y.yaml'), /query must be a string/);
  assert.throws(() => parseCaseFile('cases: [', 'x/y.yaml'), /bad YAML/);
});

test('parseExcludes: header, tabs, reason', () => {
  const m = parseExcludes('file\tnote\treason\na/b.yaml\ta/n 1\tneeds network\n\n');
  assert.is(m.get('a/b.yaml\ta/n 1'), 'needs network');
  assert.is(m.size, 1);
  assert.throws(() => parseExcludes('file\tnote\treason\nonly-one-col\n'), /3 tab-separated/);
});

test('loadSuite walks topics in order, with or without a wrapping folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-suite-'));
  try {
    mkdirSync(join(dir, 'v1', 'zeta'), { recursive: true });
    mkdirSync(join(dir, 'v1', 'alpha'), { recursive: true });
    writeFileSync(join(dir, 'v1', 'zeta', 'a.yaml'), YAML);
    writeFileSync(join(dir, 'v1', 'alpha', 'b.yaml'), YAML);
    writeFileSync(join(dir, 'EXCLUDE.tsv'), 'file\tnote\treason\nzeta/a.yaml\tt/two\tclock\n');
    const s = loadSuite(dir);
    assert.equal(s.cases.map((c) => c.file), ['alpha/b.yaml', 'alpha/b.yaml', 'zeta/a.yaml', 'zeta/a.yaml']);
    assert.is(s.excluded.get('zeta/a.yaml\tt/two'), 'clock');
    const inner = loadSuite(join(dir, 'v1'));
    assert.is(inner.cases.length, 4);
    assert.is(inner.excluded.size, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadSuite: missing directory', () => {
  assert.throws(() => loadSuite('/nonexistent-dir-for-test'), /not a directory/);
});

test.run();
