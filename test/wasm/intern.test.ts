// The intern table (src/wasm/intern.ts, runtime intern.ts): the linker's string hash must be the
// runtime's, object keys the policy names parse to its constants, and everything else — escaped
// spellings, unknown keys, repeated keys, data — still reads the same.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { compile } from '../../src/compile.ts';
import { stringHash } from '../../src/wasm/intern.ts';
import type { WasmInstance, WasmMemory } from '../../src/policy/wasm-global.ts';

const require = createRequire(import.meta.url);
const sdk = require('@open-policy-agent/opa-wasm') as { loadPolicySync(wasm: Uint8Array, mem: object, builtins: object): Loaded };

interface Loaded {
  mem: WasmMemory;
  wasmInstance: WasmInstance;
  baseHeapPtr: number;
  setData(data: unknown): void;
  evaluate(input: unknown, entrypoint: string): Array<{ result: unknown }>;
}

const POLICY = `package t
import rego.v1

kind := input.action.kind
name := input["héllo wörld"]
cfg := data.cfg.level
both := [input.action.kind, input.other]
`;

async function load(): Promise<Loaded> {
  const { wasm } = await compile({ modules: { 't.rego': POLICY }, entrypoints: ['t/kind', 't/name', 't/cfg', 't/both'] });
  return sdk.loadPolicySync(wasm, {}, {});
}

const enc = new TextEncoder();

/** Parses `json` with the module's opa_json_parse; returns the value's address. */
function parse(p: Loaded, json: string): number {
  const ex = p.wasmInstance.exports as Record<string, (...a: number[]) => number>;
  const bytes = enc.encode(json);
  const at = ex['opa_malloc']!(bytes.length);
  new Uint8Array(p.mem.buffer).set(bytes, at);
  const v = ex['opa_json_parse']!(at, bytes.length);
  assert.ok(v !== 0, `parses ${json}`);
  return v;
}

/** Key address and cached hash of the first entry of the object at `obj` (docs/runtime.md layouts). */
function firstKey(p: Loaded, obj: number): { addr: number; hash: number } {
  const u32 = new Uint32Array(p.mem.buffer);
  const entries = u32[(obj + 12) >>> 2]!;
  const key = u32[entries >>> 2]!;
  return { addr: key, hash: u32[(key + 12) >>> 2]! };
}

test('the linker computes string hashes exactly as the runtime does', async () => {
  const p = await load();
  for (const s of ['', 'a', 'kind', 'action', 'héllo wörld', '日本語のキー', 'x'.repeat(1000), '\u0001 tab\t']) {
    const obj = parse(p, JSON.stringify({ [s]: 1 }));
    const { hash } = firstKey(p, obj);
    assert.is(hash, stringHash(enc.encode(s)), `hash of ${JSON.stringify(s).slice(0, 20)}`);
  }
});

test('a key the policy names parses to its constant; other keys are new strings on the heap', async () => {
  const p = await load();
  const a = firstKey(p, parse(p, '{"kind":1}'));
  const b = firstKey(p, parse(p, '{"kind":2}'));
  assert.is(a.addr, b.addr, 'both parses share the constant');
  assert.ok(a.addr < p.baseHeapPtr, 'the constant lies in static data');
  const c = firstKey(p, parse(p, '{"kinds":1}'));
  assert.ok(c.addr >= p.baseHeapPtr, 'an unknown key is allocated');
});

test('lookups read the same whether or not a key was interned', async () => {
  const p = await load();
  p.setData({ cfg: { level: 'full' } });
  assert.equal(p.evaluate({ action: { kind: 'sql' } }, 't/kind'), [{ result: 'sql' }]);
  // An escaped spelling of a named key is not interned, and still matches by its bytes.
  const escaped = JSON.parse('{"action":{"kin\\u0064":"shell"}}') as unknown;
  assert.equal(p.evaluate(escaped, 't/kind'), [{ result: 'shell' }]);
  assert.equal(p.evaluate({ 'héllo wörld': 7 }, 't/name'), [{ result: 7 }]);
  assert.equal(p.evaluate({}, 't/cfg'), [{ result: 'full' }], 'keys of data are interned too');
  assert.equal(p.evaluate({ action: { kind: 'http' }, other: [1] }, 't/both'), [{ result: ['http', [1]] }]);
  // A repeated key: the last value wins, as JSON.parse does.
  const ex = p.wasmInstance.exports as Record<string, (...a: number[]) => number>;
  const obj = parse(p, '{"kind":1,"kind":2}');
  const out = ex['opa_json_dump']!(obj);
  const mem = new Uint8Array(p.mem.buffer);
  assert.is(new TextDecoder().decode(mem.subarray(out, mem.indexOf(0, out))), '{"kind":2}');
});

test.run();
