// The Rego test runner on small module sets: verdicts (true, non-false values, false, undefined,
// errors), todo_ rules, --run filtering, data, coverage, and compile errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RegoErrors } from '../../src/rego/ast.ts';
import { findTests, runTests, verdict } from '../../src/policy/test-runner.ts';
import { parseModules } from '../../src/compile.ts';

const POLICY = `package app
import rego.v1

allow if input.user == "admin"

limit := data.limits.max

unused := 1
`;

const TESTS = `package app_test
import data.app
import rego.v1

test_admin_allowed if app.allow with input as {"user": "admin"}

test_guest_denied if not app.allow with input as {"user": "guest"}

test_false_fails if app.allow with input as {"user": "guest"}

test_undefined_fails if app.nothing

test_value_passes := 7

test_value_false := false

test_data_seen if app.limit == 3

test_conflict_errors := x if {
	x := {"a": 1}[k]
	k := ["a", "b"][_]
}

test_conflict_errors := 2

test_after_error if app.allow with input as {"user": "admin"}

todo_later if false
`;

const modules = [
  { file: 'app.rego', text: POLICY },
  { file: 'app_test.rego', text: TESTS },
];

test('verdict: defined and not false passes', () => {
  assert.equal(verdict([{ result: true }]), { ok: true });
  assert.equal(verdict([{ result: 0 }]), { ok: true });
  assert.equal(verdict([{ result: false }]), { ok: false, message: 'false' });
  assert.equal(verdict([]), { ok: false, message: 'undefined' });
  assert.equal(verdict(undefined), { ok: false, message: 'undefined' });
});

test('findTests lists test_ and todo_ rules once each, with locations', () => {
  const { tests, todos } = findTests(parseModules(modules));
  assert.equal(tests.map((t) => t.name), [
    'data.app_test.test_admin_allowed', 'data.app_test.test_guest_denied', 'data.app_test.test_false_fails',
    'data.app_test.test_undefined_fails', 'data.app_test.test_value_passes', 'data.app_test.test_value_false',
    'data.app_test.test_data_seen', 'data.app_test.test_conflict_errors', 'data.app_test.test_after_error',
  ]);
  assert.equal(tests[0], { name: 'data.app_test.test_admin_allowed', entrypoint: 'app_test/test_admin_allowed', file: 'app_test.rego', row: 5 });
  assert.equal(todos.map((t) => t.name), ['data.app_test.todo_later']);
});

test('runTests: pass, fail, undefined, error and skip', async () => {
  const r = await runTests({ modules, data: { limits: { max: 3 } } }, { coverage: true });
  const by = Object.fromEntries(r.results.map((x) => [x.name.replace('data.app_test.', ''), x]));
  assert.is(by['test_admin_allowed']!.status, 'pass');
  assert.is(by['test_guest_denied']!.status, 'pass');
  assert.is(by['test_value_passes']!.status, 'pass');
  assert.is(by['test_data_seen']!.status, 'pass');
  assert.is(by['test_false_fails']!.status, 'fail');
  assert.is(by['test_false_fails']!.message, 'undefined'); // a false body makes the rule undefined
  assert.is(by['test_value_false']!.status, 'fail');
  assert.is(by['test_value_false']!.message, 'false');
  assert.is(by['test_undefined_fails']!.status, 'fail');
  assert.is(by['test_conflict_errors']!.status, 'error');
  assert.match(by['test_conflict_errors']!.message ?? '', /conflict|multiple|complete/i);
  assert.is(by['test_after_error']!.status, 'pass', 'an error does not break the tests after it');
  assert.is(by['todo_later']!.status, 'skip');
  assert.is(r.passed, 5);
  assert.is(r.failed, 4);
  assert.is(r.skipped, 1);
  const cov = r.coverage!;
  const rule = (n: string) => cov.rules.find((x) => x.rule === n)!;
  assert.ok(rule('data.app.allow').covered);
  assert.ok(rule('data.app.limit').covered);
  assert.not.ok(rule('data.app.unused').covered);
  assert.is(rule('data.app.allow').rows[0], 4);
  assert.not.ok(cov.rules.some((x) => x.file === 'app_test.rego'), 'test files are not counted');
});

test('runTests: without the data the data test fails', async () => {
  const r = await runTests({ modules }, { run: /test_data_seen/ });
  assert.is(r.results.length, 1);
  assert.is(r.results[0]!.status, 'fail');
});

test('runTests: --run selects by full name and compiles only those', async () => {
  const r = await runTests({ modules }, { run: /admin|guest/ });
  assert.equal(r.results.map((x) => x.status), ['pass', 'pass']);
  const none = await runTests({ modules }, { run: /^nothing$/ });
  assert.is(none.results.length, 0);
  assert.is(none.passed + none.failed, 0);
});

test('runTests: a module that does not compile throws RegoErrors with a location', async () => {
  const bad = [...modules, { file: 'bad_test.rego', text: 'package bad_test\nimport rego.v1\n\ntest_x if { y }\n' }];
  try {
    await runTests({ modules: bad });
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.instance(e, RegoErrors);
    assert.match((e as RegoErrors).message, /bad_test\.rego:4/);
  }
});

test.run();
