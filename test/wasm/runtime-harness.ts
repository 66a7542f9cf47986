// Loads build/runtime.wasm directly, with a JS function standing in for the policy's plan
// (the runtime imports it as env.portcullis_eval_plan), plus helpers to move text in and out.
import { readFileSync } from 'node:fs';
import { buildRuntime } from '../../src/wasm/runtime/build.ts';

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (m: object, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}
export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export type Plan = (entrypoint: number, input: number, data: number) => number;
type Fn = (...args: Array<number | bigint>) => number;

export interface Runtime {
  memory: WasmMemory;
  fn(name: string): Fn;
  /** The JS plan called by opa_eval / eval; replace freely. */
  plan: Plan;
  /** Copies text (UTF-8) or bytes into fresh heap memory: [ptr, len]. */
  put(text: string | Uint8Array): [number, number];
  /** NUL-terminated UTF-8 at ptr. */
  cstring(ptr: number): string;
  parse(json: string | Uint8Array): number;
  vparse(text: string): number;
  dump(v: number): string;
  vdump(v: number): string;
  /** Heap size in bytes of the memory buffer. */
  memBytes(): number;
  heapGet(): number;
  heapSet(p: number): void;
  num(n: number | bigint): number;
  str(s: string): number;
}

let cached: Uint8Array | undefined;

export async function runtimeBytes(): Promise<Uint8Array> {
  if (!cached) cached = readFileSync((await buildRuntime()).path);
  return cached;
}

export async function loadRuntime(): Promise<Runtime> {
  const bytes = await runtimeBytes();
  const memory = new WA.Memory({ initial: 5 });
  const dec = new TextDecoder();
  const cstring = (ptr: number): string => {
    const u8 = new Uint8Array(memory.buffer);
    let end = ptr;
    while (u8[end] !== 0) end++;
    return dec.decode(u8.subarray(ptr, end));
  };
  const rt: Runtime = {
    memory,
    plan: () => 0,
    fn(name) {
      const f = inst.exports[name];
      if (typeof f !== 'function') throw new Error(`runtime has no export ${name}`);
      return f as Fn;
    },
    put(text) {
      const b = typeof text === 'string' ? new TextEncoder().encode(text) : text;
      const p = rt.fn('opa_malloc')(b.length);
      new Uint8Array(memory.buffer).set(b, p);
      return [p, b.length];
    },
    cstring,
    parse(json) {
      const [p, n] = rt.put(json);
      return rt.fn('opa_json_parse')(p, n);
    },
    vparse(text) {
      const [p, n] = rt.put(text);
      return rt.fn('opa_value_parse')(p, n);
    },
    dump: (v) => cstring(rt.fn('opa_json_dump')(v)),
    vdump: (v) => cstring(rt.fn('opa_value_dump')(v)),
    memBytes: () => memory.buffer.byteLength,
    heapGet: () => rt.fn('opa_heap_ptr_get')(),
    heapSet: (p) => void rt.fn('opa_heap_ptr_set')(p),
    num: (n) => rt.fn('opa_number_int')(BigInt(n)),
    str(s) {
      const [p, n] = rt.put(s);
      return rt.fn('opa_string')(p, n);
    },
  };
  const fail = (what: string) => () => {
    throw new Error(`unexpected call to ${what}`);
  };
  const inst = new WA.Instance(new WA.Module(bytes), {
    env: {
      memory,
      opa_abort: (addr: number) => {
        throw new Error(`opa_abort: ${cstring(addr)}`);
      },
      opa_println: (addr: number) => console.log(cstring(addr)),
      opa_builtin0: fail('opa_builtin0'),
      opa_builtin1: fail('opa_builtin1'),
      opa_builtin2: fail('opa_builtin2'),
      opa_builtin3: fail('opa_builtin3'),
      opa_builtin4: fail('opa_builtin4'),
      portcullis_eval_plan: (e: number, i: number, d: number) => rt.plan(e, i, d),
    },
  });
  return rt;
}
