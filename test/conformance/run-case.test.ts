import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ConformanceCase } from '../../src/conformance/cases.ts';
import { classifyEvalError, expectedCode, runCase } from '../../src/conformance/run-case.ts';
import { deps, seen } from './fixtures/stub-deps.ts';

const mk = (stub: string, over: Partial<ConformanceCase> = {}): ConformanceCase => ({
  file: 't/f.yaml', topic: 't', index: 0, note: 'n', query: 'data.test.p = x',
  modules: [`package test\n# stub: ${stub}\n`], sortBindings: false, strictError: false, ...over,
});

test('matching bindings pass; numbers compare numerically', async () => {
  const o = await runCase(mk('result [{"x": 3.0}]', { wantResult: [{ x: 3n }] }), deps);
  assert.equal(o, { status: 'passed', reason: '' });
});

test('the wrapper names the wanted vars and the case modules come first', async () => {
  await runCase(mk('result [{"x": 1}]', { wantResult: [{ x: 1n }], data: { a: 2n ** 60n }, input: { b: true } }), deps);
  const last = seen[seen.length - 1]!;
  assert.equal(last.modules.map((m) => m.file), ['test-0.rego', '__conformance__.rego']);
  assert.match(last.modules[1]!.text, /rows__ := \[\{"x": x\} \|\ndata\.test\.p = x\n\]/);
  assert.is(last.data, '{"a":1152921504606846976}');
  assert.is(last.input, '{"b":true}');
});

test('input_term is applied in the wrapper, not passed as input', async () => {
  await runCase(mk('result [{"x": 1}]', { wantResult: [{ x: 1n }], inputTerm: '{"a": {1}}', input: { no: 1n } }), deps);
  const last = seen[seen.length - 1]!;
  assert.is(last.input, undefined);
  assert.match(last.modules[1]!.text, /with input as \{"a": \{1\}\}/);
});

test('order matters unless sort_bindings; sort_bindings sorts rows and array values', async () => {
  const rows = 'result [{"x": [2, 1]}, {"x": [0]}]';
  const want = [{ x: [0n] }, { x: [1n, 2n] }];
  const o1 = await runCase(mk(rows, { wantResult: want }), deps);
  assert.is(o1.status, 'failed');
  assert.match(o1.reason, /^wrong result: got/);
  const o2 = await runCase(mk(rows, { wantResult: want, sortBindings: true }), deps);
  assert.is(o2.status, 'passed');
});

test('want_result [] means undefined', async () => {
  assert.is((await runCase(mk('result []', { wantResult: [] }), deps)).status, 'passed');
  const o = await runCase(mk('result [{"x": 1}]', { wantResult: [] }), deps);
  assert.match(o.reason, /want undefined/);
  const u = await runCase(mk('result []', { wantResult: [{ x: 1n }] }), deps);
  assert.match(u.reason, /got undefined/);
});

test('expected eval errors match on the code from the abort message', async () => {
  const ok = await runCase(mk('abort eval_conflict_error: complete rules must not produce multiple outputs', { wantErrorCode: 'eval_conflict_error' }), deps);
  assert.is(ok.status, 'passed');
  const wrong = await runCase(mk('abort eval_type_error: x', { wantErrorCode: 'eval_conflict_error' }), deps);
  assert.match(wrong.reason, /^wrong error: want eval_conflict_error, got eval error: eval_type_error/);
  const none = await runCase(mk('result [{}]', { wantErrorCode: 'eval_conflict_error' }), deps);
  assert.match(none.reason, /^expected eval_conflict_error, got \[\{\}\]/);
});

test('strict_error cases accept undefined (the non-strict answer)', async () => {
  assert.is((await runCase(mk('result []', { wantErrorCode: 'eval_type_error', strictError: true }), deps)).status, 'passed');
  assert.is((await runCase(mk('result []', { wantErrorCode: 'eval_type_error' }), deps)).status, 'failed');
});

test('want_error without a code takes the code named in the message', () => {
  assert.is(expectedCode(mk('', { wantError: 'test-0.rego:4: eval_type_error: strings.any_prefix_match: x' })), 'eval_type_error');
  assert.is(expectedCode(mk('', { wantError: 'something went wrong' })), null);
});

test('compile diagnostics, compiler crashes and query parse errors', async () => {
  const diag = await runCase(mk('rego rego_type_error bad args', { wantResult: [{ x: 1n }] }), deps);
  assert.match(diag.reason, /^compile error: test-0\.rego:3:2: rego_type_error: bad args/);
  const crash = await runCase(mk('crash boom', { wantResult: [{ x: 1n }] }), deps);
  assert.match(crash.reason, /^crash: boom/);
  const crashErr = await runCase(mk('crash boom', { wantErrorCode: 'eval_type_error' }), deps);
  assert.match(crashErr.reason, /^crash: boom/, 'a crash never counts as the expected error');
  const q = await runCase(mk('result []', { query: 'x = @@', wantResult: [{ x: 1n }] }), deps);
  assert.match(q.reason, /^compile error: .*rego_parse_error/);
});

test('want_result wins when a case also names an error', async () => {
  const o = await runCase(mk('result [{"x": 1}]', { wantResult: [{ x: 1n }], wantErrorCode: 'eval_builtin_error' }), deps);
  assert.is(o.status, 'passed');
});

test('classifyEvalError: missing builtins, traps, JS exceptions', () => {
  assert.is(classifyEvalError({ message: 'not implemented: built-in function 3: foo.bar' }, 'eval').kind, 'missing-builtin');
  const trap = new Error('unreachable');
  trap.name = 'RuntimeError';
  assert.is(classifyEvalError(trap, 'eval').kind, 'trap');
  assert.is(classifyEvalError(new TypeError('x'), 'eval').kind, 'exception');
  assert.is(classifyEvalError('var assignment conflict', 'eval').kind, 'diagnostic');
  assert.is(classifyEvalError('eval_conflict_error: x', 'eval').code, 'eval_conflict_error');
  assert.is(classifyEvalError(new Error('bad magic'), 'load').kind, 'sdk-load');
});

test.run();
