// End to end: Rego source → our compiler → wasm → the unmodified OPA SDK. These run without
// ../shared, so a fresh clone still checks the compiler's semantics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile } from '../../src/compile.ts';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';

async function evalRego(text: string, entrypoint: string, input?: unknown, data?: unknown): Promise<unknown> {
  const { wasm } = await compile({ modules: [{ file: 'p.rego', text }], entrypoints: [entrypoint] });
  const policy = await loadPolicy(wasm, undefined, hostBuiltins);
  if (data !== undefined) policy.setData(data as object);
  const rs = policy.evaluate(input, entrypoint) as Array<{ result: unknown }>;
  return rs.length === 0 ? undefined : rs[0]?.result;
}

const policy = `package authz
import rego.v1

default allow := false

allow if {
  input.user in data.admins
  not blocked
}

blocked if input.flags.blocked == true

reasons contains sprintf("%s may not %s", [input.user, input.action]) if not allow

grants[user] := count(roles) if {
  some user, roles in data.roles
}

level := "high" if { count(input.items) > 2 } else := "low"

every_positive if { every x in input.items { x > 0 } }

double(x) := x * 2

doubled := [double(x) | some x in input.items]

mocked := x if { x := double(2) with double as triple }
triple(x) := x * 3

big := 12345678901234567890 + 1

msg := $"user {input.user} has {count(input.items)} items"
`;
const data = { admins: ['alice'], roles: { alice: ['a', 'b'], bob: ['c'] } };

test('complete rules, default, negation and data', async () => {
  assert.is(await evalRego(policy, 'authz/allow', { user: 'alice', items: [] }, data), true);
  assert.is(await evalRego(policy, 'authz/allow', { user: 'alice', items: [], flags: { blocked: true } }, data), false);
  assert.is(await evalRego(policy, 'authz/allow', { user: 'eve', items: [] }, data), false);
});

test('partial set and object rules', async () => {
  assert.equal(await evalRego(policy, 'authz/reasons', { user: 'eve', action: 'drop', items: [] }, data), ['eve may not drop']);
  assert.equal(await evalRego(policy, 'authz/grants', {}, data), { alice: 2, bob: 1 });
});

test('else, every, functions, comprehensions and with on functions', async () => {
  assert.is(await evalRego(policy, 'authz/level', { items: [1, 2, 3] }, data), 'high');
  assert.is(await evalRego(policy, 'authz/level', { items: [1] }, data), 'low');
  assert.is(await evalRego(policy, 'authz/every_positive', { items: [1, 2] }, data), true);
  assert.is(await evalRego(policy, 'authz/every_positive', { items: [1, -2] }, data), undefined);
  assert.equal(await evalRego(policy, 'authz/doubled', { items: [1, 2] }, data), [2, 4]);
  assert.is(await evalRego(policy, 'authz/mocked', {}, data), 6);
});

test('numbers past 2^53 stay exact; template strings', async () => {
  const { wasm } = await compile({ modules: [{ file: 'p.rego', text: policy }], entrypoints: ['authz/big'] });
  const p = await loadPolicy(wasm, undefined, hostBuiltins);
  // Read the raw JSON: JSON.parse would round the integer.
  const inst = p as unknown as { wasmInstance: { exports: Record<string, (...a: number[]) => number> }; mem: { buffer: ArrayBuffer }; dataAddr: number };
  const ex = inst.wasmInstance.exports;
  const addr = ex['opa_eval']!(0, 0, inst.dataAddr, 0, 0, ex['opa_heap_ptr_get']!(), 0);
  const bytes = new Uint8Array(inst.mem.buffer, addr);
  const text = new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0)));
  assert.is(text, '[{"result":12345678901234567891}]');
  assert.is(await evalRego(policy, 'authz/msg', { user: 'alice', items: [1] }, data), 'user alice has 1 items');
});

test('conflicting complete rules abort with eval_conflict_error', async () => {
  const text = 'package c\nimport rego.v1\nx := 1 if input.a\nx := 2 if input.b\n';
  try {
    await evalRego(text, 'c/x', { a: true, b: true });
    assert.unreachable('expected a conflict');
  } catch (e) {
    assert.match(String((e as { message?: string }).message ?? e), /eval_conflict_error/);
  }
});

test('sets iterate in sorted order, as in OPA', async () => {
  const text = 'package s\nimport rego.v1\nset := {"b", "a", "c"}\nx := [k | some k in set]\ny := [k | set[k]]\n';
  assert.equal(await evalRego(text, 's/x'), ['a', 'b', 'c']);
  assert.equal(await evalRego(text, 's/y'), ['a', 'b', 'c']);
});

test.run();
