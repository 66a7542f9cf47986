// The wasm runtime's own costs on the input of one SQL decision (the 685-byte action input of
// engine.bench.ts): JSON parse into the bump heap, parse + dump, and opa_eval of a trivial
// policy with that input against input `{}` (the difference is what the input costs one eval).
// Run: node --import ./scripts/register-ts.mjs bench/runtime.bench.ts   (or npm run bench -- runtime)
// Set RUNTIME_WASM=<file> to time the parse lines against another build of the runtime.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/compile.ts';
import { hostBuiltins } from '../src/policy/builtins/index.ts';
import { compileModule, createEvaluator } from '../src/policy/evaluator.ts';
import { normalize } from '../src/actions/index.ts';
import { initSql } from '../src/actions/sql/index.ts';
import type { PolicyInput } from '../src/engine/index.ts';
import { buildRuntime } from '../src/wasm/runtime/build.ts';

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmApi {
  Memory: new (d: { initial: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
type Fn = (...args: number[]) => number;

const SQL = 'SELECT id, email FROM public.users WHERE id = $1';

/** The input document engine.bench.ts sends for its SQL decision. */
function sqlInput(): string {
  const input: PolicyInput = {
    version: 1,
    action: normalize('sql', SQL, { dialect: 'pg' }),
    identity: { sub: 'agent-7', groups: ['dev'], claims: { iss: 'https://idp.example.com' } },
    connection: { name: 'orders-db', kind: 'postgres', target: 'prod' },
    context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
  };
  return JSON.stringify(input);
}

/** Median and p99 in µs of `fn`, each sample timing `batch` calls (hrtime costs ~50 ns itself). */
function measure(fn: () => unknown, n: number, batch: number): { median: number; p99: number } {
  for (let i = 0; i < Math.min(n, 2000); i++) fn();
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = process.hrtime.bigint();
    for (let j = 0; j < batch; j++) fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000 / batch;
  }
  t.sort();
  return { median: t[n >> 1]!, p99: t[Math.min(n - 1, Math.floor(n * 0.99))]! };
}

function line(what: string, s: { median: number; p99: number }, ref = ''): void {
  console.log(`${what.padEnd(48)} median ${s.median.toFixed(2).padStart(6)} µs  p99 ${s.p99.toFixed(1).padStart(6)} µs${ref}`);
}

/** The runtime alone, with no plan: parse and dump through the ABI exports. */
function loadRuntime(bytes: Uint8Array): { fn: (name: string) => Fn; memory: WasmMemory } {
  const memory = new WA.Memory({ initial: 5 });
  const none = (): number => {
    throw new Error('runtime bench: unexpected import call');
  };
  const inst = new WA.Instance(new WA.Module(bytes), {
    env: { memory, opa_abort: none, opa_println: none, opa_builtin0: none, opa_builtin1: none, opa_builtin2: none, opa_builtin3: none, opa_builtin4: none, portcullis_eval_plan: none },
  });
  const fn = (name: string): Fn => {
    const f = inst.exports[name];
    if (typeof f !== 'function') throw new Error(`runtime bench: no export ${name}`);
    return f as Fn;
  };
  return { fn, memory };
}

export default async function run(opts: { short: boolean }): Promise<void> {
  const n = opts.short ? 3000 : 30000;
  await initSql();
  const json = sqlInput();
  if (!json.includes('"statements":[{')) throw new Error('runtime bench: the SQL input did not normalize');
  const bytes = new TextEncoder().encode(json);
  const wasmPath = process.env['RUNTIME_WASM'] ?? (await buildRuntime()).path;
  const rt = loadRuntime(readFileSync(wasmPath));
  const at = rt.fn('opa_malloc')(bytes.length);
  new Uint8Array(rt.memory.buffer).set(bytes, at);
  const base = rt.fn('opa_heap_ptr_get')();
  const parse = rt.fn('opa_json_parse');
  const dump = rt.fn('opa_json_dump');
  const heapSet = rt.fn('opa_heap_ptr_set');

  // The dump must read back as the same document (keys sorted, so compare parsed).
  heapSet(base);
  const v = parse(at, bytes.length);
  if (v === 0) throw new Error('runtime bench: the runtime rejected the input');
  const out = dump(v);
  const u8 = new Uint8Array(rt.memory.buffer);
  const text = new TextDecoder().decode(u8.subarray(out, u8.indexOf(0, out)));
  if (JSON.stringify(sortKeys(JSON.parse(text))) !== JSON.stringify(sortKeys(JSON.parse(json)))) throw new Error('runtime bench: parse + dump changed the document');

  console.log(`runtime on the SQL decision input (${bytes.length} B):`);
  line('  JSON.parse in V8 (reference)', measure(() => JSON.parse(json), n, 10));
  line('  opa_json_parse', measure(() => (heapSet(base), parse(at, bytes.length)), n, 10));
  line('  opa_json_parse + opa_json_dump', measure(() => (heapSet(base), dump(parse(at, bytes.length))), n, 10));

  // Through the evaluator as the engine calls it (input encoded into memory, result decoded).
  const trivial = createEvaluator(
    compileModule((await compile({ modules: { 'p.rego': 'package portcullis\n\ndecision := {"allow": true}\n' }, entrypoints: ['portcullis/decision'] })).wasm),
    { builtins: hostBuiltins },
  );
  const empty = measure(() => trivial.evaluate('{}', 0), n, 4);
  const full = measure(() => trivial.evaluate(json, 0), n, 4);
  line('  opa_eval, trivial policy, input {}', empty);
  line('  opa_eval, trivial policy, SQL input', full, `  (input costs ${(full.median - empty.median).toFixed(2)} µs)`);
}

function sortKeys(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(sortKeys);
  if (x !== null && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k])]));
  }
  return x;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run({ short: process.argv.includes('--short') });
