// Semantics of generated code over a stand-in runtime (values in JS), so control flow is tested
// independently of the real runtime.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { link } from '../../src/wasm/link.ts';
import { CodegenError } from '../../src/wasm/codegen.ts';
import type { Policy } from '../../src/rego/ir.ts';
import { L, PolicyBuilder } from './ir-build.ts';
import { WA } from './wasm-api.ts';
import { cases, type HostBuiltins } from './cases.ts';
import { MOCK_NATIVES, MockInstance, mockRuntime } from './mock-runtime.ts';

function load(p: Policy, host: HostBuiltins = {}, optimize = false): MockInstance {
  // The stand-in's values are JS handles: constants must come from its constructors.
  const { wasm } = link(p, MOCK_NATIVES, { runtime: mockRuntime(), optimize, staticConstants: false });
  return new MockInstance(wasm, host);
}

for (const c of cases()) {
  for (const optimize of [false, true]) {
    test(`${c.name}${optimize ? ' (-O2)' : ''}`, () => {
      const m = load(c.policy, c.host, optimize);
      const names = Object.keys(m.entrypoints());
      assert.equal(names, c.policy.plans.map((p) => p.name));
      for (const k of c.checks) {
        const what = `ep ${k.ep} input ${JSON.stringify(k.input)}${k.note ? ` (${k.note})` : ''}`;
        if (k.expect instanceof RegExp) {
          assert.throws(() => m.eval(k.ep, k.input, k.data ?? {}), k.expect, what);
        } else {
          assert.equal(m.eval(k.ep, k.input, k.data ?? {}) ?? [], k.expect, what);
        }
      }
    });
  }
}

test('the dispatcher aborts on unknown entrypoint ids', () => {
  const b = new PolicyBuilder();
  b.plan('a', []).plan('b', []);
  const m = load(b.build());
  assert.equal(m.eval(1, {}), []);
  assert.throws(() => m.eval(2, {}), /invalid entrypoint id/);
  assert.throws(() => m.eval(-1, {}), /invalid entrypoint id/);
  const none = load(new PolicyBuilder().build());
  assert.equal(none.entrypoints(), {});
  assert.throws(() => none.eval(0, {}), /invalid entrypoint id/);
});

test('Scan over a set: key and value are the element', () => {
  const b = new PolicyBuilder();
  b.plan('t', [
    { type: 'MakeArray', capacity: 2, target: 2 },
    { type: 'Scan', source: 0, key: 3, value: 4, block: { stmts: [
      { type: 'ArrayAppend', array: 2, value: L(3) },
      { type: 'ArrayAppend', array: 2, value: L(4) },
    ] } },
    { type: 'ResultSetAdd', value: 2 },
  ]);
  assert.equal(load(b.build()).eval(0, new Set([3])), [[3, 3]]);
});

test('strings live below the heap base', () => {
  const b = new PolicyBuilder();
  b.plan('t/s', [{ type: 'AssignVar', source: b.s('a fairly unique string ✓'), target: 2 }, ...b.result(2, 3)]);
  const m = load(b.build());
  assert.equal(m.eval(0, {}), [{ result: 'a fairly unique string ✓' }]);
  const heap = m.heapBase();
  const mem = new Uint8Array(m.memory.buffer, 0, heap);
  const needle = new TextEncoder().encode('a fairly unique string ✓');
  const at = Buffer.from(mem).indexOf(Buffer.from(needle));
  assert.ok(at >= 1024 + 'runtime data'.length, `string at ${at} is after the runtime data`);
  assert.ok(at + needle.length <= heap, 'string ends before the heap base');
  assert.is(m.bytes(1024, 12), 'runtime data', 'runtime data kept');
  assert.is(heap % 16, 0);
});

test('compile errors carry a code and position', () => {
  const cases: Array<[(b: PolicyBuilder) => void, string]> = [
    [(b) => b.plan('e', [{ type: 'Call', func: 'nope', args: [], result: 2 }]), 'wasm_unknown_function'],
    [(b) => b.builtin('five', 5).plan('e', [{ type: 'Call', func: 'five', args: [L(0), L(0), L(0), L(0), L(0)], result: 2 }]), 'wasm_builtin_arity'],
    [(b) => b.builtin('one', 1).plan('e', [{ type: 'Call', func: 'one', args: [], result: 2 }]), 'wasm_call_arity'],
    [(b) => b.plan('e', [{ type: 'Break', index: 1 }]), 'wasm_bad_break'],
    [(b) => b.plan('e', [{ type: 'AssignVar', source: { type: 'string', index: 99 }, target: 2 }]), 'wasm_bad_string'],
    [(b) => b.plan('e', [{ type: 'ReturnLocal', source: 0 }]), 'wasm_bad_stmt'],
    [(b) => b.plan('e', [{ type: 'MakeNumberRef', index: b.si('1.'), target: 2 }]), 'wasm_bad_number'],
    [(b) => b.plan('e', [{ type: 'MakeNumberInt', value: 2 ** 60, target: 2 }]), 'wasm_bad_number'],
    [(b) => b.func('f', [0, 1], 2, []).func('f', [0, 1], 2, []), 'wasm_duplicate_function'],
    [(b) => b.func('f', [0, 1], 2, []).plan('e', [{ type: 'Call', func: 'f', args: [L(0)], result: 2 }]), 'wasm_call_arity'],
    [(b) => b.plan('e', []).plan('e', []), 'wasm_duplicate_entrypoint'],
  ];
  for (const [make, code] of cases) {
    const b = new PolicyBuilder();
    make(b);
    try {
      link(b.build(), MOCK_NATIVES, { runtime: mockRuntime(), staticConstants: false });
      assert.unreachable(`expected ${code}`);
    } catch (e) {
      assert.instance(e, CodegenError);
      assert.is((e as CodegenError).code, code);
      assert.ok((e as CodegenError).position.length > 0);
    }
  }
});

test('imports and exports of the linked module', () => {
  const b = new PolicyBuilder();
  b.builtin('h.x', 1).plan('t/a', [{ type: 'Call', func: 'h.x', args: [L(0)], result: 2 }, { type: 'ResultSetAdd', value: 2 }]);
  const { wasm } = link(b.build(), MOCK_NATIVES, { runtime: mockRuntime(), staticConstants: false });
  const mod = new WA.Module(wasm);
  const env = WA.Module.imports(mod).filter((i) => i.module === 'env').map((i) => i.name).sort();
  const allowed = ['memory', 'opa_abort', 'opa_println', 'opa_builtin0', 'opa_builtin1', 'opa_builtin2', 'opa_builtin3', 'opa_builtin4'];
  for (const i of env) assert.ok(allowed.includes(i), `unexpected import ${i}`);
  assert.ok(env.includes('opa_builtin1'));
  const ex = WA.Module.exports(mod).map((e) => e.name).sort();
  assert.ok(ex.includes('builtins') && ex.includes('entrypoints') && ex.includes('eval'));
  assert.not.ok(ex.includes('opa_value_get'), 'non-ABI runtime exports are stripped');
  assert.not.ok(ex.includes('memory'));
});

test.run();
