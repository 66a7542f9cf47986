// Generated code linked with the real runtime (build/runtime.wasm), loaded by the unmodified OPA
// SDK, through both the ABI 1.2 fast path (opa_eval) and the context path (minor version 1).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { emitWasm, emitWasmSync } from '../../src/wasm/index.ts';
import { defaultRuntimePath, link } from '../../src/wasm/link.ts';
import { NATIVE_BUILTINS } from '../../src/wasm/runtime/builtins.ts';
import { CodegenError } from '../../src/wasm/codegen.ts';
import type { Stmt } from '../../src/rego/ir.ts';
import { L, PolicyBuilder } from './ir-build.ts';
import { cases } from './cases.ts';
import { WA } from './wasm-api.ts';

const haveRuntime = existsSync(defaultRuntimePath());
if (!haveRuntime) console.log('codegen-sdk: skipped, build/runtime.wasm is absent (npm run build:runtime)');

/** Unsigned LEB128 at p: [value, next offset]. */
function leb(b: Uint8Array, p: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (;;) {
    const byte = b[p++]!;
    v |= (byte & 0x7f) << shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [v, p];
  }
}

/** Sections of a wasm binary: id, start of contents, end. */
function sections(wasm: Uint8Array): Array<{ id: number; start: number; end: number }> {
  const out: Array<{ id: number; start: number; end: number }> = [];
  let p = 8;
  while (p < wasm.length) {
    const id = wasm[p++]!;
    const [size, q] = leb(wasm, p);
    out.push({ id, start: q, end: q + size });
    p = q + size;
  }
  return out;
}

/**
 * A copy of the module declaring ABI minor version 1, so the SDK takes the context path: the
 * exported global's initializer `i32.const 2` becomes `i32.const 1` (same length).
 */
function withMinor1(wasm: Uint8Array): Uint8Array {
  const out = wasm.slice();
  const secs = sections(out);
  const dec = new TextDecoder();
  let importedGlobals = 0;
  const imp = secs.find((x) => x.id === 2);
  if (imp !== undefined) {
    let [n, p] = leb(out, imp.start);
    for (; n > 0; n--) {
      for (let k = 0; k < 2; k++) {
        const [len, q] = leb(out, p);
        p = q + len;
      }
      const kind = out[p++]!;
      if (kind === 0) p = leb(out, p)[1];
      else if (kind === 1) throw new Error('table imports not handled');
      else if (kind === 2) {
        const flags = out[p++]!;
        p = leb(out, p)[1];
        if (flags & 1) p = leb(out, p)[1];
      } else if (kind === 3) {
        p += 2;
        importedGlobals++;
      }
    }
  }
  const ex = secs.find((x) => x.id === 7)!;
  let [n, p] = leb(out, ex.start);
  let index = -1;
  for (; n > 0; n--) {
    const [len, q] = leb(out, p);
    const name = dec.decode(out.subarray(q, q + len));
    const kind = out[q + len]!;
    const [idx, r] = leb(out, q + len + 1);
    p = r;
    if (kind === 3 && name === 'opa_wasm_abi_minor_version') index = idx - importedGlobals;
  }
  assert.ok(index >= 0, 'minor version global is exported');
  const gl = secs.find((x) => x.id === 6)!;
  let [count, g] = leb(out, gl.start);
  for (let i = 0; i < count; i++) {
    g += 2; // value type, mutability
    if (i === index) {
      assert.is(out[g], 0x41, 'i32.const');
      assert.is(out[g + 1], 2, 'minor version 2');
      out[g + 1] = 1;
      return out;
    }
    while (out[g] !== 0x0b) g = out[g] === 0x41 || out[g] === 0x23 ? leb(out, g + 1)[1] : g + 1;
    g++;
  }
  throw new Error('minor version global not found');
}

/** Evaluates and returns the result set, or the thrown message. */
function run(p: { evaluate(input: unknown, ep: number | string): unknown }, input: unknown, ep: number): unknown {
  try {
    return p.evaluate(input, ep);
  } catch (e) {
    return typeof e === 'string' ? new Error(e) : e;
  }
}

if (haveRuntime) {
  for (const c of cases()) {
    for (const minor of [2, 1]) {
      test(`${c.name} (ABI 1.${minor})`, async () => {
        const wasm = await emitWasm(c.policy);
        const p = await loadPolicy(minor === 2 ? wasm : withMinor1(wasm), undefined, c.host ?? {});
        assert.is(p.minorVersion, minor);
        assert.equal(p.entrypoints, Object.fromEntries(c.policy.plans.map((x, i) => [x.name, i])));
        let data: unknown = {};
        for (const k of c.checks) {
          const want = k.data ?? {};
          if (JSON.stringify(want) !== JSON.stringify(data)) {
            p.setData(want);
            data = want;
          }
          const what = `ep ${k.ep} input ${JSON.stringify(k.input)}${k.note ? ` (${k.note})` : ''}`;
          const got = run(p, k.input, k.ep);
          if (k.expect instanceof RegExp) {
            assert.instance(got, Error, `${what}: expected an error, got ${JSON.stringify(got)}`);
            assert.match((got as Error).message, k.expect, what);
          } else {
            assert.equal(got, k.expect, what);
          }
        }
      });
    }
  }

  test('entrypoints by name, repeated evaluations reuse the heap', async () => {
    const c = cases()[0]!;
    const p = await loadPolicy(await emitWasm(c.policy));
    const heap = (p as unknown as { wasmInstance: { exports: Record<string, () => number> } }).wasmInstance.exports;
    p.evaluate({ x: 1 }, 't/eq');
    const after1 = heap['opa_heap_ptr_get']!();
    for (let i = 0; i < 1000; i++) assert.equal(p.evaluate({ x: 1 }, 't/eq'), [{ result: true }]);
    assert.is(heap['opa_heap_ptr_get']!(), after1, 'the heap does not grow across evaluations');
  });

  test('the context API called directly', async () => {
    const c = cases()[0]!;
    const p = await loadPolicy(await emitWasm(c.policy));
    const x = (p as unknown as { wasmInstance: { exports: Record<string, (...a: number[]) => number> } }).wasmInstance.exports;
    const json = (s: string): number => {
      const bytes = new TextEncoder().encode(s);
      const addr = x['opa_malloc']!(bytes.length);
      new Uint8Array((p as unknown as { mem: { buffer: ArrayBuffer } }).mem.buffer).set(bytes, addr);
      return x['opa_json_parse']!(addr, bytes.length);
    };
    const dump = (v: number): unknown => {
      const addr = x['opa_json_dump']!(v);
      const mem = new Uint8Array((p as unknown as { mem: { buffer: ArrayBuffer } }).mem.buffer);
      let end = addr;
      while (mem[end] !== 0) end++;
      return JSON.parse(new TextDecoder().decode(mem.subarray(addr, end)));
    };
    const ctx = x['opa_eval_ctx_new']!();
    x['opa_eval_ctx_set_input']!(ctx, json('{"x":1}'));
    x['opa_eval_ctx_set_data']!(ctx, json('{}'));
    x['opa_eval_ctx_set_entrypoint']!(ctx, 0);
    x['eval']!(ctx);
    assert.equal(dump(x['opa_eval_ctx_get_result']!(ctx)), [{ result: true }]);
    assert.equal(dump(x['builtins']!()), {});
    assert.equal(dump(x['entrypoints']!()), { 't/eq': 0 });
  });

  test('module shape: imports, exports, no start function, small memory', async () => {
    const b = new PolicyBuilder();
    b.builtin('custom.f', 2).plan('p', [{ type: 'Call', func: 'custom.f', args: [L(0), L(1)], result: 2 }, { type: 'ResultSetAdd', value: 2 }]);
    const wasm = emitWasmSync(b.build());
    const mod = new WA.Module(wasm);
    const allowed = new Set(['memory', 'opa_abort', 'opa_println', 'opa_builtin0', 'opa_builtin1', 'opa_builtin2', 'opa_builtin3', 'opa_builtin4']);
    for (const i of WA.Module.imports(mod)) {
      assert.is(i.module, 'env');
      assert.ok(allowed.has(i.name), `unexpected import ${i.name}`);
    }
    assert.ok(WA.Module.imports(mod).some((i) => i.name === 'opa_builtin2'));
    const exports = WA.Module.exports(mod).map((e) => e.name).sort();
    for (const e of ['opa_eval', 'opa_malloc', 'opa_json_parse', 'opa_json_dump', 'opa_heap_ptr_get', 'opa_heap_ptr_set',
      'builtins', 'entrypoints', 'opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'eval', 'opa_eval_ctx_new']) {
      assert.ok(exports.includes(e), `missing export ${e}`);
    }
    // One extension the SDK never calls: portcullis_keep computes data-only rules once per data.
    for (const e of exports) assert.not.ok((e.startsWith('portcullis_') && e !== 'portcullis_keep') || e.startsWith('builtin_'), `non-ABI export ${e}`);
    assert.not.ok(sections(wasm).some((x) => x.id === 8), 'no start section');
    const p = await loadPolicy(wasm, undefined, { 'custom.f': (a: unknown, d: unknown) => ({ a, d }) });
    assert.equal(p.evaluate({ q: 1 }, 'p'), [{ a: { q: 1 }, d: {} }]);
  });

  test('optimized modules, and constants built by constructor calls, behave the same', async () => {
    for (const c of cases()) {
      const plain = await emitWasm(c.policy);
      const opt = await emitWasm(c.policy, { optimize: true });
      assert.ok(opt.length <= plain.length, `${c.name}: ${opt.length} > ${plain.length}`);
      for (const wasm of [opt, await emitWasm(c.policy, { staticConstants: false })]) {
        const p = await loadPolicy(wasm, undefined, c.host ?? {});
        for (const k of c.checks) {
          if (k.data !== undefined) p.setData(k.data);
          const got = run(p, k.input, k.ep);
          if (k.expect instanceof RegExp) assert.match((got as Error).message, k.expect);
          else assert.equal(got, k.expect);
          if (k.data !== undefined) p.setData({});
        }
      }
    }
  });

  test('rules without arguments run once per evaluation (memoized), and again in the next one', async () => {
    const b = new PolicyBuilder();
    b.builtin('custom.tick', 0);
    b.func('g0.data.t.c', [0, 1], 2, [{ type: 'Call', func: 'custom.tick', args: [], result: 2 }]);
    const call = (into: number): Stmt[] => [
      { type: 'Call', func: 'g0.data.t.c', args: [L(0), L(1)], result: into },
      { type: 'ArrayAppend', array: 2, value: L(into) },
    ];
    b.plan('p', [{ type: 'MakeArray', capacity: 3, target: 2 }, ...call(3), ...call(4), ...call(5), { type: 'ResultSetAdd', value: 2 }]);
    for (const memoize of [true, false]) {
      let n = 0;
      const p = await loadPolicy(emitWasmSync(b.build(), { memoize }), undefined, { 'custom.tick': () => ++n });
      if (memoize) {
        assert.equal(p.evaluate({}, 'p'), [[1, 1, 1]]);
        assert.equal(p.evaluate({}, 'p'), [[2, 2, 2]], 'memo cleared between evaluations');
      } else {
        assert.equal(p.evaluate({}, 'p'), [[1, 2, 3]]);
      }
    }
  });

  test('large string tables raise the initial memory; the SDK then needs a memory descriptor', async () => {
    const big = 'x'.repeat(400_000);
    const b = new PolicyBuilder();
    b.plan('p', [{ type: 'AssignVar', source: b.s(big), target: 2 }, { type: 'Len', source: L(2), target: 3 }, { type: 'ResultSetAdd', value: 3 }]);
    const { wasm, pages } = link(b.build(), NATIVE_BUILTINS);
    assert.ok(pages > 5, `pages ${pages}`);
    const p = await loadPolicy(wasm, { initial: pages });
    assert.equal(p.evaluate({}, 'p'), [400_000]);
  });

  test('a native builtin the runtime lacks is a compile error only when called', () => {
    const b = new PolicyBuilder();
    b.builtin('ghost', 1).plan('p', [{ type: 'Call', func: 'ghost', args: [L(0)], result: 2 }]);
    const natives = { ghost: { export: 'builtin_ghost', arity: 1 }, count: { export: 'builtin_count', arity: 1 } };
    try {
      emitWasmSync(b.build(), { natives });
      assert.unreachable('expected an error');
    } catch (e) {
      assert.instance(e, CodegenError);
      assert.is((e as CodegenError).code, 'wasm_runtime_api');
    }
    const ok = new PolicyBuilder();
    ok.plan('p', []);
    emitWasmSync(ok.build(), { natives });
  });
}

test.run();
