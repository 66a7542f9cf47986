// Evaluation entry points: opa_eval with a JS plan, the context API, heap reset, and loading
// through the unmodified @open-policy-agent/opa-wasm SDK after a test-only link step.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { loadRuntime, runtimeBytes, type Runtime } from './runtime-harness.ts';
import { linkEchoPolicy } from './runtime-link.ts';

interface LoadedPolicy {
  evaluate(input: unknown, entrypoint?: number | string): unknown;
  setData(data: unknown): void;
  entrypoints: Record<string, number>;
}
const require = createRequire(import.meta.url);
const { loadPolicy } = require('@open-policy-agent/opa-wasm') as { loadPolicy(wasm: Uint8Array): Promise<LoadedPolicy> };

let rt: Runtime;
test.before(async () => {
  rt = await loadRuntime();
});

/** A plan like generated code's: {{"result": input.x}} when input.x is defined. */
const echoX = (_e: number, input: number): number => {
  const set = rt.fn('opa_set')();
  const x = input === 0 ? 0 : rt.fn('opa_value_get')(input, rt.str('x'));
  if (x === 0) return set;
  const o = rt.fn('opa_object')();
  rt.fn('opa_object_insert')(o, rt.str('result'), x);
  rt.fn('opa_set_add')(set, o);
  return set;
};

const evalJson = (input: string | null, format = 0, data = 0): string => {
  const base = rt.heapGet();
  let ptr = 0;
  let len = 0;
  if (input !== null) [ptr, len] = rt.put(input);
  const out = rt.fn('opa_eval')(0, 0, data, ptr, len, ptr + len, format);
  const text = rt.cstring(out);
  rt.heapSet(base);
  return text;
};

test('opa_eval: parses input, runs the plan, dumps the result set', () => {
  rt.plan = echoX;
  assert.is(evalJson('{"x":{"b":[1,2.0],"a":"é"}}'), '[{"result":{"a":"é","b":[1,2.0]}}]');
  assert.is(evalJson('{"y":1}'), '[]');
  assert.is(evalJson(null), '[]', 'input_len 0 means undefined input');
  rt.plan = () => 0;
  assert.is(evalJson('{}'), '[]', 'a plan returning 0 is the empty result set');
});

test('opa_eval: format 1 dumps Rego values', () => {
  rt.plan = (e, input) => {
    const set = rt.fn('opa_set')();
    const o = rt.fn('opa_object')();
    rt.fn('opa_object_insert')(o, rt.str('result'), rt.vparse('{3,1,{2}}'));
    rt.fn('opa_set_add')(set, o);
    return set;
  };
  assert.is(evalJson('{}', 1), '{{"result":{1,3,{2}}}}');
  assert.is(evalJson('{}', 0), '[{"result":[1,3,[2]]}]');
});

test('opa_eval: passes entrypoint and data through; invalid input aborts', () => {
  const seen: number[] = [];
  rt.plan = (e, input, data) => {
    seen.push(e);
    const set = rt.fn('opa_set')();
    const o = rt.fn('opa_object')();
    rt.fn('opa_object_insert')(o, rt.str('result'), data);
    rt.fn('opa_set_add')(set, o);
    return set;
  };
  const data = rt.parse('{"d":1}');
  const base = rt.heapGet();
  const [p, n] = rt.put('{}');
  const out = rt.fn('opa_eval')(0, 3, data, p, n, p + n, 0);
  assert.is(rt.cstring(out), '[{"result":{"d":1}}]');
  assert.equal(seen, [3]);
  rt.heapSet(base);
  assert.throws(() => evalJson('{"x":'), /opa_abort: opa_eval: invalid input JSON/);
  rt.heapSet(base);
});

test('context API: eval returns 0 and stores the result set', () => {
  rt.plan = echoX;
  const ctx = rt.fn('opa_eval_ctx_new')();
  rt.fn('opa_eval_ctx_set_input')(ctx, rt.parse('{"x":[true]}'));
  rt.fn('opa_eval_ctx_set_data')(ctx, rt.parse('{}'));
  rt.fn('opa_eval_ctx_set_entrypoint')(ctx, 0);
  assert.is(rt.fn('eval')(ctx), 0);
  assert.is(rt.dump(rt.fn('opa_eval_ctx_get_result')(ctx)), '[{"result":[true]}]');
  const empty = rt.fn('opa_eval_ctx_new')();
  assert.is(rt.fn('eval')(empty), 0);
  assert.is(rt.dump(rt.fn('opa_eval_ctx_get_result')(empty)), '[]', 'no input: undefined');
});

test('heap: resets to its base and memory does not grow across 100k evaluations', () => {
  rt.plan = echoX;
  const input = JSON.stringify({ x: { user: 'alice', groups: ['a', 'b', 'c'], n: 12345678901234567890n.toString(), f: 1.5 }, pad: 'p'.repeat(300) });
  const bytes = new TextEncoder().encode(input);
  const base = rt.heapGet();
  const evalFn = rt.fn('opa_eval');
  const u8 = () => new Uint8Array(rt.memory.buffer);
  u8().set(bytes, base);
  const first = rt.cstring(evalFn(0, 0, 0, base, bytes.length, base + bytes.length, 0));
  const size = rt.memBytes();
  const top = rt.heapGet();
  for (let i = 0; i < 100_000; i++) evalFn(0, 0, 0, base, bytes.length, base + bytes.length, 0);
  assert.is(rt.memBytes(), size, 'memory did not grow');
  assert.is(rt.heapGet(), top, 'each evaluation ends at the same heap top');
  assert.is(rt.cstring(evalFn(0, 0, 0, base, bytes.length, base + bytes.length, 0)), first);
  rt.heapSet(base);
  assert.is(rt.heapGet(), base);
});

test('malloc grows memory on demand and stays 8-byte aligned', () => {
  const before = rt.memBytes();
  const base = rt.heapGet();
  const p = rt.fn('opa_malloc')(before * 2);
  assert.ok(rt.memBytes() >= p + before * 2);
  assert.is(p % 8, 0);
  assert.is(rt.fn('opa_malloc')(3) % 8, 0);
  rt.fn('opa_free')(p);
  rt.heapSet(base);
});

test('the unmodified SDK loads a linked module and evaluates through opa_eval', async () => {
  const policy = await loadPolicy(linkEchoPolicy(await runtimeBytes()));
  assert.equal(policy.entrypoints, { main: 0 });
  assert.equal(policy.evaluate({ a: [1, 'x'] }), [{ result: { input: { a: [1, 'x'] }, data: {} } }]);
  policy.setData({ roles: { admin: ['alice'] }, big: 1 });
  assert.equal(policy.evaluate({ q: true }, 'main'), [{ result: { input: { q: true }, data: { big: 1, roles: { admin: ['alice'] } } } }]);
  assert.equal(policy.evaluate(undefined), []);
  // The SDK rethrows opa_abort messages as plain strings.
  let thrown: unknown;
  try {
    policy.evaluate({}, 1);
  } catch (e) {
    thrown = e;
  }
  assert.match(String(thrown), /unknown entrypoint/);
  // Many evaluations with a sizeable input: results stay correct (heap is reset each time).
  const input = { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: `n${i}` })) };
  for (let i = 0; i < 2000; i++) policy.evaluate(input);
  assert.equal(policy.evaluate({ k: 'v' }), [{ result: { input: { k: 'v' }, data: { big: 1, roles: { admin: ['alice'] } } } }]);
});

test('measure: runtime size, JSON parse + dump of a 700-byte document', async () => {
  const doc = JSON.stringify({
    action: { kind: 'sql', dialect: 'postgresql', statements: [{ type: 'select', tables: [{ schema: 'public', name: 'users', quoted: false }], columns: ['id', 'email', 'name'], functions: ['lower'], flags: { copy_program: false, dynamic_sql: false } }] },
    identity: { sub: 'agent-42', groups: ['engineering', 'oncall', 'readers'], claims: { iss: 'https://idp.example.com', aud: 'gateway', exp: 1735689600 } },
    connection: { name: 'prod-db', kind: 'postgres', target: 'db.internal:5432' },
    context: { time: '2025-01-01T00:00:00Z', session: 'sess-0123456789abcdef', approvals: [{ by: 'bob', until: 1735693200, scope: 'read' }] },
    pad: 'x'.repeat(79),
  });
  const bytes = new TextEncoder().encode(doc);
  assert.ok(bytes.length >= 650 && bytes.length <= 760, `document is ${bytes.length} bytes`);
  const base = rt.heapGet();
  const parse = rt.fn('opa_json_parse');
  const dump = rt.fn('opa_json_dump');
  const u8 = new Uint8Array(rt.memory.buffer);
  u8.set(bytes, base);
  const after = base + bytes.length;
  const once = () => {
    rt.heapSet(after);
    return dump(parse(base, bytes.length));
  };
  assert.equal(JSON.parse(rt.cstring(once())), JSON.parse(doc));
  for (let i = 0; i < 5000; i++) once();
  const N = 20000;
  const t0 = performance.now();
  for (let i = 0; i < N; i++) once();
  const us = ((performance.now() - t0) * 1000) / N;
  rt.heapSet(base);
  const size = (await runtimeBytes()).length;
  console.log(`  runtime.wasm ${size} bytes; JSON parse+dump of ${bytes.length} B: ${us.toFixed(2)} µs`);
  assert.ok(us < 1000, 'parse+dump well under a millisecond');
});

test.run();
