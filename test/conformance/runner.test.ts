import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildReport, formatReport, reasonGroup } from '../../src/conformance/report.ts';
import { runSuite } from '../../src/conformance/runner.ts';
import type { ConformanceCase, Suite } from '../../src/conformance/cases.ts';

const STUB = new URL('./fixtures/stub-deps.ts', import.meta.url).href;

const mk = (topic: string, note: string, stub: string, over: Partial<ConformanceCase> = {}): ConformanceCase => ({
  file: `${topic}/f.yaml`, topic, index: 0, note, query: 'data.test.p = x',
  modules: [`package test\n# stub: ${stub}\n`], sortBindings: false, strictError: false, wantResult: [{ x: 1n }], ...over,
});

test('runs cases in a child process: pass, fail, skip, timeout, crash, with restarts', async () => {
  const suite: Suite = {
    dir: 'mem',
    cases: [
      mk('sets', 'a', 'result [{"x": 1}]'),
      mk('sets', 'b', 'hang'),
      mk('sets', 'c', 'result [{"x": 1}]', { wantResult: [{ x: 18446744073709551614n }] }),
      mk('sets', 'skipme', 'hang'),
      mk('other', 'd', 'exit'),
      mk('other', 'e', 'result [{"x": 1}]'),
    ],
    excluded: new Map([['sets/f.yaml\tskipme', 'needs a clock']]),
  };
  const r = await runSuite(suite, { timeoutMs: 1500, depsModule: STUB, jobs: 1 });
  assert.equal(
    r.cases.map((c) => [c.note, c.status]),
    [['a', 'passed'], ['b', 'failed'], ['c', 'failed'], ['skipme', 'skipped'], ['d', 'failed'], ['e', 'passed']],
  );
  assert.match(r.cases[1]!.reason, /^timeout/);
  assert.match(r.cases[2]!.reason, /^wrong result/);
  assert.is(r.cases[3]!.reason, 'needs a clock');
  assert.match(r.cases[4]!.reason, /^crash: case process exited \(3\)/);
  assert.equal(r.topics.sets, { passed: 1, failed: 2, skipped: 1 });
  assert.equal([r.total, r.passed, r.failed, r.skipped], [6, 2, 3, 1]);
});

test('report: percentages over non-excluded cases, overall and core topics', () => {
  const r = buildReport([
    { file: 'sets/a.yaml', note: '1', status: 'passed', reason: '' },
    { file: 'sets/a.yaml', note: '2', status: 'failed', reason: 'wrong result: got [], want [1]' },
    { file: 'sets/a.yaml', note: '3', status: 'skipped', reason: 'clock' },
    { file: 'jwtbuiltins/a.yaml', note: '4', status: 'passed', reason: '' },
  ]);
  assert.equal(r.percent, { overall: 66.7, core: 50 });
  const text = formatReport(r);
  assert.match(text, /total: 4 cases, 2 passed, 1 failed, 1 skipped/);
  assert.match(text, /66\.7% overall, 50% in the core-language topics/);
  assert.match(text, /1 {2}wrong result/);
  assert.match(text, /1 {2}clock/);
});

test('reasonGroup strips positions, literals and numbers', () => {
  assert.is(
    reasonGroup('compile error: test-0.rego:3:7: rego_type_error: undefined function "foo.bar" (2 args)'),
    reasonGroup('compile error: test-1.rego:9:1: rego_type_error: undefined function "x" (3 args)'),
  );
  assert.is(reasonGroup('wrong result: got 1, want 2'), 'wrong result');
  assert.is(reasonGroup('missing builtin: 7: foo'), 'missing builtin: foo');
  assert.is(
    reasonGroup('wrong error: want eval_type_error, got compile error: test-0.rego:3:6: rego_type_error: undefined function array.flatten'),
    'wrong error: want eval_type_error, got compile error: rego_type_error: undefined function array.flatten',
  );
  assert.is(reasonGroup('expected eval_conflict_error, got [{"x":1}]'), 'expected eval_conflict_error, got a result');
});

test.run();
