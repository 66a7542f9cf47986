// Links generated policy code into the runtime module: reads build/runtime.wasm (bytes cached per
// process), adds the generated functions, the string data, the plan dispatcher and the
// `builtins`/`entrypoints` exports, strips runtime exports that are not part of OPA's ABI, and
// emits the module.
//
// Memory layout: [runtime data segments][policy data][heap →]. The runtime takes its heap start
// from a global (an `env.__heap_base` import, or the exported `portcullis_heap_base`); the linker
// sets it just past the policy data, so the allocator never hands out bytes that hold strings.
import binaryen from 'binaryen';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Policy } from '../rego/ir.ts';
import { internTableBytes, stringHash, stringValueBytes } from './intern.ts';
import { CodegenError, generate, RUNTIME_API, type Generated, type RuntimeBinding, type RuntimeFn, type StaticData } from './codegen.ts';

export interface LinkOptions {
  optimize?: boolean;
  /** Runtime module bytes; defaults to build/runtime.wasm. */
  runtime?: Uint8Array;
  /** Run binaryen's validator (the engine validates on load anyway). */
  validate?: boolean;
  /** Constants as static values in the data segment (default); false: constructor calls. */
  staticConstants?: boolean;
  /** Compute each rule without arguments once per evaluation (default true). */
  memoize?: boolean;
  /** Keep data-only rule values across evaluations, computed by `portcullis_keep` (default true; needs memoize). */
  keep?: boolean;
}

/**
 * The export that computes the kept values of data-only rules: `(data, heap) → floor`. It is not
 * part of OPA's ABI (the SDK never calls it); a host that does evaluates from `floor` on.
 */
export const KEEP_EXPORT = 'portcullis_keep';

/** The exports OPA's ABI defines; everything else the runtime exports is removed. */
const ABI_EXPORTS = new Set([
  'opa_eval', 'opa_malloc', 'opa_free', 'opa_json_parse', 'opa_json_dump', 'opa_value_parse',
  'opa_value_dump', 'opa_heap_ptr_get', 'opa_heap_ptr_set', 'opa_eval_ctx_new',
  'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data', 'opa_eval_ctx_set_entrypoint',
  'opa_eval_ctx_get_result', 'eval', 'builtins', 'entrypoints', 'opa_wasm_abi_version',
  'opa_wasm_abi_minor_version', 'opa_value_add_path', 'opa_value_remove_path',
]);

const DISPATCH_IMPORT = 'portcullis_eval_plan';
const UNKNOWN_ENTRYPOINT = 'invalid entrypoint id';
const HEAP_BASE_IMPORT = '__heap_base';
const HEAP_BASE_EXPORT = 'portcullis_heap_base';
/** The runtime global that holds the intern table's address (see intern.ts); optional. */
const INTERN_EXPORT = 'portcullis_interned';
const PAGE = 65536;

const FEATURES = binaryen.Features.SignExt | binaryen.Features.MutableGlobals
  | binaryen.Features.NontrappingFPToInt | binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt;

let runtimeCache: Uint8Array | undefined;

export function defaultRuntimePath(): string {
  return fileURLToPath(new URL('../../build/runtime.wasm', import.meta.url));
}

function runtimeBytes(): Uint8Array {
  if (runtimeCache === undefined) {
    const path = defaultRuntimePath();
    try {
      runtimeCache = new Uint8Array(readFileSync(path));
    } catch {
      throw new CodegenError('wasm_runtime_missing', 'build/runtime.wasm not found; run `npm run build:runtime`', path);
    }
  }
  return runtimeCache;
}

/** Forgets the runtime read from disk (after `npm run build:runtime` in a long-lived process). */
export function clearRuntimeCache(): void {
  runtimeCache = undefined;
  if (prepared !== undefined) {
    prepared.mod.dispose();
    prepared = undefined;
  }
}

class DataBuilder implements StaticData {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private readonly strings = new Map<string, { ptr: number; len: number; bytes: Uint8Array }>();
  private readonly cstrings = new Map<string, number>();
  private readonly values = new Map<string, number>();
  private readonly stringValues = new Map<string, { addr: number; hash: number }>();
  private readonly enc = new TextEncoder();

  constructor(readonly base: number) {}

  private add(bytes: Uint8Array): number {
    const ptr = this.base + this.size;
    this.chunks.push(bytes);
    this.size += bytes.length;
    return ptr;
  }

  utf8(s: string): { ptr: number; len: number; bytes: Uint8Array } {
    let r = this.strings.get(s);
    if (r === undefined) {
      const bytes = this.enc.encode(s);
      r = { ptr: this.add(bytes), len: bytes.length, bytes };
      this.strings.set(s, r);
    }
    return r;
  }

  value(key: string, bytes: Uint8Array, alignTo: number): number {
    let p = this.values.get(key);
    if (p === undefined) {
      const pad = align(this.end, alignTo) - this.end;
      if (pad > 0) this.add(new Uint8Array(pad));
      p = this.add(bytes);
      this.values.set(key, p);
    }
    return p;
  }

  stringValue(text: string): number {
    let v = this.stringValues.get(text);
    if (v === undefined) {
      const { ptr, len, bytes } = this.utf8(text);
      const hash = stringHash(bytes);
      v = { addr: this.value(`s:${text}`, stringValueBytes(ptr, len, hash), 4), hash };
      this.stringValues.set(text, v);
    }
    return v.addr;
  }

  /** Lays out the intern table of every string value so far; 0 when there is none. */
  internTable(): number {
    if (this.stringValues.size === 0) return 0;
    const pad = align(this.end, 4) - this.end;
    if (pad > 0) this.add(new Uint8Array(pad));
    return this.add(internTableBytes([...this.stringValues.values()]));
  }

  cstring(s: string): number {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      const bytes = this.enc.encode(s);
      const z = new Uint8Array(bytes.length + 1);
      z.set(bytes);
      p = this.add(z);
      this.cstrings.set(s, p);
    }
    return p;
  }

  get end(): number {
    return this.base + this.size;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** binaryen.js has these methods; its type declarations lack them. */
type ModuleWithData = binaryen.Module & {
  getNumDataSegments(): number;
  getDataSegmentInfo(ref: number): { name: string; offset: number | null; data: ArrayBuffer; passive: boolean };
};

interface Segment {
  name: string;
  offset: number;
  data: Uint8Array;
}

export interface Linked {
  wasm: Uint8Array;
  /** Initial memory pages the module declares; above 5 the SDK needs a memory descriptor. */
  pages: number;
}

type NativeTable = Readonly<Record<string, { export: string; arity: number }>>;

/**
 * The runtime, parsed and prepared once: unused code removed, non-ABI exports stripped, the
 * dispatcher import removed. Each link adds the policy's functions, emits, and removes them again,
 * so the runtime is not re-parsed per policy (parsing is most of a link's cost).
 */
interface Prepared {
  mod: binaryen.Module;
  bytes: Uint8Array;
  natives: NativeTable;
  binding: RuntimeBinding;
  opaJsonParse: string;
  dispatch: string;
  heapBase: { name: string; mutable: boolean };
  /** The runtime's intern table global, when it has one (older runtimes do not). */
  interned: string | undefined;
  segments: Segment[];
  runtimeEnd: number;
  memName: string;
  memInitial: number;
  /** Links done on this module: its arena keeps every expression ever built, so it is renewed. */
  uses: number;
}

const MAX_USES = 100;
let prepared: Prepared | undefined;

function prepare(bytes: Uint8Array, natives: NativeTable): Prepared {
  if (prepared !== undefined) {
    if (prepared.bytes === bytes && prepared.natives === natives && prepared.uses < MAX_USES) return prepared;
    prepared.mod.dispose();
    prepared = undefined;
  }
  binaryen.setDebugInfo(true);
  const mod = binaryen.readBinary(bytes);
  try {
    prepared = prepareModule(mod, bytes, natives);
    return prepared;
  } catch (e) {
    mod.dispose();
    throw e;
  }
}

function prepareModule(mod: binaryen.Module, bytes: Uint8Array, natives: NativeTable): Prepared {
  mod.setFeatures(FEATURES);
  const where = 'runtime.wasm';
  if (mod.getStart() !== 0) throw new CodegenError('wasm_runtime_start', 'the runtime has a start function', where);

  const exports = new Map<string, { kind: number; value: string }>();
  for (let i = 0; i < mod.getNumExports(); i++) {
    const e = binaryen.getExportInfo(mod.getExportByIndex(i));
    exports.set(e.name, { kind: e.kind, value: e.value });
  }
  // Drop runtime code that neither the ABI, the value API nor a native builtin reaches; the
  // exports that are not ABI go later. Unused imports go too: they are added back on demand.
  const keep = new Set<string>([...ABI_EXPORTS, ...RUNTIME_API, ...Object.values(natives).map((n) => n.export),
    'opa_json_parse', HEAP_BASE_EXPORT, INTERN_EXPORT]);
  for (const name of exports.keys()) if (!keep.has(name)) mod.removeExport(name);
  mod.runPasses(['remove-unused-module-elements']);

  // Imports, found by module and field: binaryen renames them on read.
  const funcImports = new Map<string, { name: string; results: binaryen.Type; params: binaryen.Type }>();
  for (let i = 0; i < mod.getNumFunctions(); i++) {
    const f = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
    if (f.module !== null && f.module !== '') funcImports.set(`${f.module}.${f.base}`, { name: f.name, results: f.results, params: f.params });
  }
  // The heap start: an imported constant, or an exported global the runtime reads (0 = its own end).
  let heapBase: { name: string; mutable: boolean } | undefined;
  for (let i = 0; i < mod.getNumGlobals(); i++) {
    const g = binaryen.getGlobalInfo(mod.getGlobalByIndex(i));
    if (g.module === 'env' && g.base === HEAP_BASE_IMPORT) heapBase = { name: g.name, mutable: false };
  }
  const hbExport = exports.get(HEAP_BASE_EXPORT);
  if (heapBase === undefined && hbExport !== undefined && hbExport.kind === binaryen.ExternalGlobal) {
    heapBase = { name: hbExport.value, mutable: binaryen.getGlobalInfo(mod.getGlobal(hbExport.value)).mutable };
  }
  const internExport = exports.get(INTERN_EXPORT);
  const interned = internExport?.kind === binaryen.ExternalGlobal && binaryen.getGlobalInfo(mod.getGlobal(internExport.value)).mutable
    ? internExport.value : undefined;
  if (heapBase === undefined) {
    throw new CodegenError('wasm_runtime_heap_base', `the runtime neither imports env.${HEAP_BASE_IMPORT} nor exports ${HEAP_BASE_EXPORT}`, where);
  }
  const dispatch = funcImports.get(`env.${DISPATCH_IMPORT}`);
  if (dispatch === undefined) throw new CodegenError('wasm_runtime_api', `the runtime does not import env.${DISPATCH_IMPORT}`, where);

  const exportedFn = (name: string): { name: string; results: binaryen.Type; params: binaryen.Type } => {
    const e = exports.get(name);
    if (e === undefined || e.kind !== binaryen.ExternalFunction) {
      throw new CodegenError('wasm_runtime_api', `the runtime does not export function ${name}`, where);
    }
    const f = binaryen.getFunctionInfo(mod.getFunction(e.value));
    return { name: f.name, results: f.results, params: f.params };
  };
  const api = {} as Record<RuntimeFn, { name: string; results: binaryen.Type }>;
  for (const n of RUNTIME_API) api[n] = exportedFn(n);
  const opaJsonParse = exportedFn('opa_json_parse').name;
  // A native the runtime does not (correctly) export is an error only for policies that call it.
  const nativeMap = new Map<string, { name: string; arity: number } | { error: string }>();
  for (const [rego, n] of Object.entries(natives)) {
    const e = exports.get(n.export);
    if (e === undefined || e.kind !== binaryen.ExternalFunction) {
      nativeMap.set(rego, { error: `the runtime does not export ${n.export}` });
      continue;
    }
    const f = binaryen.getFunctionInfo(mod.getFunction(e.value));
    if (binaryen.expandType(f.params).length !== n.arity || f.results !== binaryen.i32) {
      nativeMap.set(rego, { error: `${n.export} does not take ${n.arity} i32 arguments` });
      continue;
    }
    nativeMap.set(rego, { name: f.name, arity: n.arity });
  }
  const i32s = (n: number): binaryen.Type => binaryen.createType(new Array<binaryen.Type>(n).fill(binaryen.i32));
  const importFn = (field: string, params: binaryen.Type, results: binaryen.Type): string => {
    const have = funcImports.get(`env.${field}`);
    if (have !== undefined) return have.name;
    const name = `pc:import:${field}`;
    mod.addFunctionImport(name, 'env', field, params, results);
    return name;
  };
  const binding: RuntimeBinding = {
    api,
    natives: nativeMap,
    abort: importFn('opa_abort', binaryen.i32, binaryen.none),
    hostBuiltin: [0, 1, 2, 3, 4].map((n) => importFn(`opa_builtin${n}`, i32s(n + 2), binaryen.i32)),
    staticValues: true,
  };
  for (const [name, value] of [['opa_wasm_abi_version', 1], ['opa_wasm_abi_minor_version', 2]] as const) {
    if (exports.has(name)) continue;
    mod.addGlobal(`pc:${name}`, binaryen.i32, false, mod.i32.const(value));
    mod.addGlobalExport(`pc:${name}`, name);
  }
  const memName = memoryName(mod, exports);
  const memInitial = mod.getMemoryInfo(memName).initial;

  for (const name of exports.keys()) {
    if (keep.has(name) && (!ABI_EXPORTS.has(name) || name === 'builtins' || name === 'entrypoints')) mod.removeExport(name);
  }
  // From here calls to the dispatcher dangle until a link adds it.
  mod.removeFunction(dispatch.name);

  // Existing data, and where ours starts.
  const segments: Segment[] = [];
  let runtimeEnd = 0;
  const dmod = mod as ModuleWithData;
  for (let i = 0; i < dmod.getNumDataSegments(); i++) {
    const s = dmod.getDataSegmentInfo(dmod.getDataSegmentByIndex(i));
    if (s.passive || s.offset === null) throw new CodegenError('wasm_runtime_data', `passive data segment ${s.name}`, where);
    const data = new Uint8Array(s.data);
    segments.push({ name: s.name, offset: s.offset, data });
    runtimeEnd = Math.max(runtimeEnd, s.offset + data.length);
  }
  return {
    mod, bytes, natives, binding, opaJsonParse, dispatch: dispatch.name, heapBase, interned, segments, runtimeEnd,
    memName, memInitial, uses: 0,
  };
}

export function link(policy: Policy, natives: NativeTable, opts: LinkOptions = {}): Linked {
  const p = prepare(opts.runtime ?? runtimeBytes(), natives);
  p.uses++;
  const added: string[] = [];
  const exported: string[] = [];
  const addedGlobals: string[] = [];
  let ok = false;
  try {
    const out = linkInto(p, policy, opts, added, exported, addedGlobals);
    ok = true;
    return out;
  } finally {
    if (ok) {
      for (const e of exported) p.mod.removeExport(e);
      for (const f of added) p.mod.removeFunction(f);
      for (const g of addedGlobals) p.mod.removeGlobal(g);
    } else {
      // A failed link may have left anything behind: start from a fresh parse next time.
      p.mod.dispose();
      prepared = undefined;
    }
  }
}

function linkInto(p: Prepared, policy: Policy, opts: LinkOptions, added: string[], exported: string[], addedGlobals: string[]): Linked {
  const mod = p.mod;
  const data = new DataBuilder(align(Math.max(p.runtimeEnd, 8), 16));
  // (A failed generate leaves partial additions: link() then discards the whole module.)
  const memoize = opts.memoize !== false;
  const gen = generate(mod, policy, { ...p.binding, staticValues: opts.staticConstants !== false }, data, { memoize, keep: memoize && opts.keep !== false });
  added.push(...gen.functions);
  addedGlobals.push(...gen.globals);
  addKeeper(mod, p.binding.api, gen.kept, gen.memoStates);
  added.push(KEEP_FUNC);
  mod.addFunctionExport(KEEP_FUNC, KEEP_EXPORT);
  exported.push(KEEP_EXPORT);

  // The dispatcher takes the place of the runtime's placeholder import; calls bind by name.
  addDispatcher(mod, p.dispatch, gen.plans, gen.memoStates, p.binding.abort, data.cstring(UNKNOWN_ENTRYPOINT));
  added.push(p.dispatch);

  const json = (name: string, value: Record<string, number>): void => {
    const { ptr, len } = data.utf8(JSON.stringify(value));
    mod.addFunction(name, binaryen.none, binaryen.i32, [], mod.call(p.opaJsonParse, [mod.i32.const(ptr), mod.i32.const(len)], binaryen.i32));
    added.push(name);
  };
  const entrypoints: Record<string, number> = {};
  policy.plans.forEach((plan, i) => {
    if (Object.prototype.hasOwnProperty.call(entrypoints, plan.name)) {
      throw new CodegenError('wasm_duplicate_entrypoint', `entrypoint ${plan.name} is planned twice`, `plan ${i}`);
    }
    entrypoints[plan.name] = i;
  });
  const builtins: Record<string, number> = {};
  gen.hostBuiltins.forEach((b, i) => {
    builtins[b] = i;
  });
  json('pc:builtins', builtins);
  json('pc:entrypoints', entrypoints);
  mod.addFunctionExport('pc:builtins', 'builtins');
  mod.addFunctionExport('pc:entrypoints', 'entrypoints');
  exported.push('builtins', 'entrypoints');

  if (p.interned !== undefined) {
    const table = data.internTable();
    mod.removeGlobal(p.interned);
    mod.addGlobal(p.interned, binaryen.i32, true, mod.i32.const(table));
  }

  // Heap starts after our data.
  const heapStart = align(data.end, 16);
  mod.removeGlobal(p.heapBase.name);
  mod.addGlobal(p.heapBase.name, binaryen.i32, p.heapBase.mutable, mod.i32.const(heapStart));

  const segments = [...p.segments];
  const ours = data.bytes();
  if (ours.length > 0) segments.push({ name: 'pc:data', offset: data.base, data: ours });
  const pages = Math.max(p.memInitial, Math.ceil(heapStart / PAGE) + 1);
  mod.setMemory(pages, -1, null, segments.map((s) => ({ name: s.name, offset: mod.i32.const(s.offset), data: s.data, passive: false })), false, false, p.memName);
  mod.addMemoryImport(p.memName, 'env', 'memory');

  if (opts.optimize === true) {
    // Only the generated code: the runtime was optimized when it was built.
    binaryen.setOptimizeLevel(2);
    binaryen.setShrinkLevel(0);
    for (const f of added) mod.optimizeFunction(f);
  }
  if (opts.validate === true && !mod.validate()) throw new CodegenError('wasm_invalid', 'the linked module does not validate', 'link');
  binaryen.setDebugInfo(true);
  return { wasm: mod.emitBinary(), pages };
}

function align(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Internal name of the memory: loads and stores refer to it, so it must be kept. */
function memoryName(mod: binaryen.Module, exports: Map<string, { kind: number; value: string }>): string {
  for (const e of exports.values()) if (e.kind === binaryen.ExternalMemory) return e.value;
  // Names binaryen gives an imported or a defined first memory when the binary names none.
  for (const guess of ['mimport$0', '0']) {
    try {
      mod.getMemoryInfo(guess);
      return guess;
    } catch {
      // try the next name
    }
  }
  throw new CodegenError('wasm_runtime_memory', 'cannot find the runtime memory', 'runtime.wasm');
}

const KEEP_FUNC = 'pc:keep';

/** `portcullis_keep(data, heap) → floor`: computes every data-only rule for `data` with no input. */
function addKeeper(mod: binaryen.Module, api: RuntimeBinding['api'], kept: Generated['kept'], memoStates: string[]): void {
  const data = (): binaryen.ExpressionRef => mod.local.get(0, binaryen.i32);
  const body: binaryen.ExpressionRef[] = [
    mod.call(api.portcullis_keep_begin.name, [data(), mod.local.get(1, binaryen.i32)], binaryen.none),
    // Memos of the last evaluation point into a heap that is gone; slots of the last keep too.
    ...memoStates.map((g) => mod.global.set(g, mod.i32.const(0))),
    ...kept.map((k) => mod.global.set(k.slot, mod.i32.const(0))),
    ...kept.map((k) => mod.drop(mod.call(k.func, [mod.i32.const(0), data()], binaryen.i32))),
    mod.call(api.portcullis_keep_end.name, [], binaryen.i32),
  ];
  mod.addFunction(KEEP_FUNC, binaryen.createType([binaryen.i32, binaryen.i32]), binaryen.i32, [], mod.block(null, body, binaryen.i32));
}

/** `portcullis_eval_plan(ep, input, data)`: runs plan `ep`; an unknown id aborts. */
function addDispatcher(mod: binaryen.Module, name: string, plans: string[], memoStates: string[], abort: string, message: number): void {
  const ep = mod.local.get(0, binaryen.i32);
  const args = (): binaryen.ExpressionRef[] => [mod.local.get(1, binaryen.i32), mod.local.get(2, binaryen.i32)];
  const fail = mod.block(null, [mod.call(abort, [mod.i32.const(message)], binaryen.none), mod.unreachable()]);
  let body: binaryen.ExpressionRef;
  if (plans.length === 0) {
    body = fail;
  } else {
    // block $dflt (block $c{n-1} … (block $c0 (br_table $c0 … $c{n-1} $dflt ep)) return plan0 …) abort
    const labels = plans.map((_, i) => `c${i}`);
    let cur = mod.block('c0', [mod.switch(labels, 'dflt', ep)]);
    for (let i = 1; i < plans.length; i++) {
      cur = mod.block(labels[i]!, [cur, mod.return(mod.call(plans[i - 1]!, args(), binaryen.i32))]);
    }
    cur = mod.block('dflt', [cur, mod.return(mod.call(plans[plans.length - 1]!, args(), binaryen.i32))]);
    body = mod.block(null, [cur, fail]);
  }
  // Memoized rule results belong to the previous evaluation (its heap is gone).
  const resets = memoStates.map((g) => mod.global.set(g, mod.i32.const(0)));
  if (resets.length > 0) body = mod.block(null, [...resets, body], binaryen.i32);
  mod.addFunction(name, binaryen.createType([binaryen.i32, binaryen.i32, binaryen.i32]), binaryen.i32, [], body);
}
