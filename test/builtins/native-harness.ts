// Calls native builtins of build/runtime.wasm directly: arguments are made with opa_json_parse
// (or opa_value_parse for Rego syntax such as sets) and results dumped with opa_json_dump.
import { readFileSync } from 'node:fs';
import { buildRuntime } from '../../src/wasm/runtime/build.ts';
import { NATIVE_BUILTINS } from '../../src/wasm/runtime/builtins.ts';

type Fn = (...args: number[]) => number;

// The WebAssembly global, typed with just what these tests use (no DOM lib in this project).
interface WasmApi {
  Memory: new (d: { initial: number }) => { readonly buffer: ArrayBuffer };
  Module: {
    new (bytes: Uint8Array): object;
    exports(m: object): Array<{ name: string; kind: string }>;
  };
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => { readonly exports: Record<string, unknown> };
}
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface NativeHarness {
  /** Calls builtin `name` on JSON argument texts; returns the JSON text of the result or undefined. */
  call(name: string, ...args: string[]): string | undefined;
  /** Same with arguments in Rego value syntax (`{1, 2}` is a set); result in value syntax. */
  callValue(name: string, ...args: string[]): string | undefined;
  /** Heap pointer, to check that calls do not leak across resets. */
  heap(): number;
}

export async function loadNative(wasmPath?: string): Promise<NativeHarness> {
  const path = wasmPath ?? process.env.PORTCULLIS_RUNTIME_WASM ?? (await buildRuntime()).path;
  const memory = new WA.Memory({ initial: 5 });
  const text = (addr: number): string => {
    const bytes = new Uint8Array(memory.buffer);
    let end = addr;
    while (bytes[end] !== 0) end++;
    return new TextDecoder().decode(bytes.subarray(addr, end));
  };
  const fail = (): never => {
    throw new Error('unexpected host call');
  };
  const instance = new WA.Instance(new WA.Module(readFileSync(path)), {
    env: {
      memory,
      opa_abort: (addr: number) => {
        throw new Error(`opa_abort: ${text(addr)}`);
      },
      opa_println: (addr: number) => console.log(text(addr)),
      opa_builtin0: fail, opa_builtin1: fail, opa_builtin2: fail, opa_builtin3: fail, opa_builtin4: fail,
      portcullis_eval_plan: () => 0,
    },
  });
  const ex = instance.exports as Record<string, Fn>;
  const put = (s: string, parser: string): number => {
    const bytes = new TextEncoder().encode(s);
    const p = ex.opa_malloc!(bytes.length);
    new Uint8Array(memory.buffer).set(bytes, p);
    const v = ex[parser]!(p, bytes.length);
    if (v === 0) throw new Error(`cannot parse argument ${s}`);
    return v;
  };
  const invoke = (name: string, args: string[], parser: string, dumper: string): string | undefined => {
    const entry = NATIVE_BUILTINS[name];
    if (entry === undefined) throw new Error(`no native builtin ${name}`);
    if (entry.arity !== args.length) throw new Error(`${name} takes ${entry.arity} arguments`);
    const fn = ex[entry.export];
    if (fn === undefined) throw new Error(`runtime lacks export ${entry.export}`);
    const mark = ex.opa_heap_ptr_get!();
    try {
      const r = fn(...args.map((a) => put(a, parser)));
      return r === 0 ? undefined : text(ex[dumper]!(r));
    } finally {
      ex.opa_heap_ptr_set!(mark);
    }
  };
  return {
    call: (name, ...args) => invoke(name, args, 'opa_json_parse', 'opa_json_dump'),
    callValue: (name, ...args) => invoke(name, args, 'opa_value_parse', 'opa_value_dump'),
    heap: () => ex.opa_heap_ptr_get!(),
  };
}
