// Data-only rules kept across evaluations: which rules qualify (planner/data-only.ts), that kept
// values are read, and that anything which could make them stale — `with`, new data, an SDK that
// writes its input below the floor, a rule that fails — leads to computing the rule again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { compile, compileIR } from '../../src/compile.ts';
import { compileModule, createEvaluator, describeThrown } from '../../src/policy/evaluator.ts';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import type { WasmInstance, WasmMemory } from '../../src/policy/wasm-global.ts';

const require = createRequire(import.meta.url);
const sdk = require('@open-policy-agent/opa-wasm') as { loadPolicySync(wasm: Uint8Array, mem: object, builtins: object): Loaded };

interface Loaded {
  mem: WasmMemory;
  wasmInstance: WasmInstance;
  baseHeapPtr: number;
  dataAddr: number;
  dataHeapPtr: number;
  entrypoints: Record<string, number>;
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint: string): Array<{ result: unknown }>;
}

const POLICY = `package t
import rego.v1

# Data-only: lowercased once per data document.
prefixes := {lower(p) | some p in data.cfg.prefixes}

admin if {
	some p in prefixes
	startswith(lower(input.path), p)
}

# The same rule with the configuration replaced: must not read the kept value.
admin_other if admin with data.cfg.prefixes as ["/other"]
`;

const DATA = { cfg: { prefixes: ['/ADMIN', '/Internal'] } };

test('the planner marks exactly the rules that depend on data alone', () => {
  const ir = compileIR({
    modules: {
      'm.rego': `package t
import rego.v1
cfg := data.cfg
prefixes := {lower(p) | some p in cfg.prefixes}
reads_input if input.x in prefixes
now := time.now_ns()
via_input := count([1 | reads_input])
f(x) := lower(x)
via_fn := f(data.cfg.name)
g(x) := concat("", [x, input.y])
via_input_fn := g(data.cfg.name)
uses_prefixes if prefixes["/admin"]
mocked if uses_prefixes with data.t.prefixes as {"/x"}
`,
    },
    entrypoints: ['t/reads_input', 't/now', 't/via_input', 't/via_fn', 't/via_input_fn', 't/uses_prefixes', 't/mocked'],
  });
  const marked = ir.funcs.filter((f) => f.dataOnly).map((f) => f.path.join('.')).sort();
  assert.equal(marked, ['t.cfg', 't.prefixes', 't.uses_prefixes', 't.via_fn']);
  // The copy of uses_prefixes planned under `with` reads the replaced rule from patched data.
  assert.is(ir.funcs.filter((f) => f.path.join('.') === 't.uses_prefixes').length, 2);
});

test('kept values give the answers computing the rules gives, input after input', async () => {
  const { wasm } = await compile({ modules: { 'p.rego': POLICY }, entrypoints: ['t/admin', 't/admin_other'] });
  const module = compileModule(wasm);
  const kept = createEvaluator(module, { dataJson: JSON.stringify(DATA), builtins: hostBuiltins });
  const plain = createEvaluator(module, { dataJson: JSON.stringify(DATA), builtins: hostBuiltins, keep: false });
  const big = `/v1/${'x'.repeat(100_000)}`; // an input far larger than the kept values
  const paths = ['/admin/users', '/v1/orders', '/INTERNAL', big, '/other/1', '/admin', big, '/internal/x'];
  for (let round = 0; round < 3; round++) {
    for (const path of paths) {
      const input = JSON.stringify({ path });
      for (const ep of ['t/admin', 't/admin_other']) {
        const id = kept.entrypoints[ep] as number;
        assert.is(kept.evaluate(input, id).text, plain.evaluate(input, id).text, `${ep} ${path.slice(0, 20)}`);
      }
    }
  }
  const admin = (path: string): string | undefined => kept.evaluate(JSON.stringify({ path }), kept.entrypoints['t/admin'] as number).text;
  assert.is(admin('/admin/users'), '[{"result":true}]');
  assert.is(admin('/v1/orders'), '[]');
  const other = (path: string): string | undefined => kept.evaluate(JSON.stringify({ path }), kept.entrypoints['t/admin_other'] as number).text;
  assert.is(other('/other/1'), '[{"result":true}]');
  assert.is(other('/admin/users'), '[]', 'with data.cfg.prefixes replaces what the kept rule would answer');
});

/** Overwrites the first occurrence of `from` between `start` and `end` with `to` (same length). */
function patchBytes(mem: WasmMemory, start: number, end: number, from: string, to: string): void {
  const bytes = new Uint8Array(mem.buffer);
  const needle = new TextEncoder().encode(from);
  for (let i = start; i + needle.length <= end; i++) {
    if (needle.every((b, j) => bytes[i + j] === b)) {
      bytes.set(new TextEncoder().encode(to), i);
      return;
    }
  }
  throw new Error(`${from} not found in the data`);
}

test('a kept value is read, and dropped when the heap moves below its floor or the data changes', async () => {
  const { wasm } = await compile({ modules: { 'p.rego': POLICY }, entrypoints: ['t/admin'] });
  const p = sdk.loadPolicySync(wasm, {}, hostBuiltins);
  p.setData(DATA);
  const exports = p.wasmInstance.exports as Record<string, (...a: number[]) => number>;
  const floor = (exports.portcullis_keep as (d: number, h: number) => number)(p.dataAddr, p.dataHeapPtr);
  assert.ok(floor > p.dataHeapPtr, 'the kept set lies above the data');
  const evalAt = (at: number, path: string): string => {
    const bytes = new TextEncoder().encode(JSON.stringify({ path }));
    new Uint8Array(p.mem.buffer).set(bytes, at);
    const out = (exports.opa_eval as (...a: number[]) => number)(0, 0, p.dataAddr, at, bytes.length, at + bytes.length, 0);
    const mem = new Uint8Array(p.mem.buffer);
    return new TextDecoder().decode(mem.subarray(out, mem.indexOf(0, out)));
  };
  // Change the data under the kept value: only a kept value still knows "/admin".
  patchBytes(p.mem, p.baseHeapPtr, p.dataHeapPtr, '/ADMIN', '/XDMIN');
  assert.is(evalAt(floor, '/admin/a'), '[{"result":true}]', 'the kept value answers');
  assert.is(evalAt(floor, '/xdmin/a'), '[]');
  // The SDK writes its input at dataHeapPtr, below the floor: the kept value is forgotten.
  assert.equal(p.evaluate({ path: '/xdmin/a' }, 't/admin'), [{ result: true }]);
  assert.is(evalAt(floor, '/admin/a'), '[]', 'computed again from the (patched) data');
  assert.is(evalAt(floor, '/xdmin/a'), '[{"result":true}]');
  // Keep again, then load new data through the SDK: the old values must not answer.
  const floor2 = (exports.portcullis_keep as (d: number, h: number) => number)(p.dataAddr, p.dataHeapPtr);
  assert.is(evalAt(floor2, '/xdmin/a'), '[{"result":true}]');
  p.setData({ cfg: { prefixes: ['/NEW'] } });
  assert.equal(p.evaluate({ path: '/new/a' }, 't/admin'), [{ result: true }]);
  assert.equal(p.evaluate({ path: '/xdmin/a' }, 't/admin'), []);
});

test('a data-only rule that fails keeps nothing and still fails each evaluation', async () => {
  const { wasm } = await compile({
    modules: { 'p.rego': 'package t\nimport rego.v1\nx := 1 if data.on\nx := 2 if data.on\nok if input.y\nout := [x, ok]\n' },
    entrypoints: ['t/out', 't/ok'],
  });
  const ev = createEvaluator(compileModule(wasm), { dataJson: '{"on": true}', builtins: hostBuiltins });
  assert.is(ev.evaluate('{"y": true}', ev.entrypoints['t/ok'] as number).text, '[{"result":true}]');
  // The module throws what opa_abort received (not always an Error).
  const conflict = (e: unknown): boolean => /eval_conflict_error/.test(describeThrown(e));
  assert.throws(() => ev.evaluate('{"y": true}', ev.entrypoints['t/out'] as number), conflict);
  assert.throws(() => ev.evaluate('{"y": true}', ev.entrypoints['t/out'] as number), conflict);
});

test.run();
