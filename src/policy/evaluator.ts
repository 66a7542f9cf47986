// Two ways to evaluate one loaded policy module, both loading it through the unmodified SDK
// (`@open-policy-agent/opa-wasm`), which also wires host builtins:
// - 'sdk':    LoadedPolicy.evaluate, which copies the input and JSON.parses the whole result set;
// - 'direct': encodes the input JSON straight into wasm memory and calls the module's `opa_eval`
//             export as ABI 1.2 defines it, returning the result text undecoded, so callers can
//             reuse work for results they have seen before.
// The heap is reset on every evaluation: `opa_eval` starts allocating at the heap pointer we pass,
// right after the input, which itself sits right after the data — or, in direct mode, after the
// values of data-only rules that our modules compute once when the data is loaded
// (`portcullis_keep`; see src/rego/planner/data-only.ts).
import { Buffer } from 'node:buffer';
import { createRequire } from 'node:module';
import { Wasm, type WasmInstance, type WasmMemory, type WasmModule } from './wasm-global.ts';

export type EvaluatorMode = 'sdk' | 'direct';

/** A result set as text (direct mode) or as a parsed value (SDK mode). */
export type EvalResult = { text: string; value?: undefined } | { value: unknown; text?: undefined };

export interface PolicyEvaluator {
  readonly mode: EvaluatorMode;
  readonly entrypoints: Readonly<Record<string, number>>;
  /** Evaluates `entrypoint` for an input given as JSON text. Throws what the module throws. */
  evaluate(inputJson: string, entrypoint: number): EvalResult;
  /** Bytes of wasm memory in use (grows only; it never shrinks). */
  memoryBytes(): number;
}

export type HostBuiltins = Record<string, (...args: never[]) => unknown>;

export interface EvaluatorOptions {
  mode?: EvaluatorMode;
  builtins?: HostBuiltins;
  /** The data document as JSON text (default `{}`). */
  dataJson?: string;
  /** Initial memory in 64 KiB pages (default: the SDK's 5). */
  initialPages?: number;
  /** Direct mode: compute data-only rules once, when the data is loaded (default true). */
  keep?: boolean;
}

/** The public fields of the SDK's LoadedPolicy that this file reads (see opa.js). */
interface LoadedPolicy {
  minorVersion: number;
  mem: WasmMemory;
  wasmInstance: WasmInstance;
  dataAddr: number;
  dataHeapPtr: number;
  entrypoints: Record<string, number>;
  evaluate(input: ArrayBuffer | undefined, entrypoint: number): unknown;
  setData(data: ArrayBuffer): void;
}

export class EvaluatorError extends Error {
  constructor(readonly code: 'policy_load_error' | 'policy_abi_error', message: string) {
    super(`${code}: ${message}`);
    this.name = 'EvaluatorError';
  }
}

// The SDK's ESM entry exports only loadPolicy; loadPolicySync lives on its CommonJS entry.
const sdk = createRequire(import.meta.url)('@open-policy-agent/opa-wasm') as typeof import('@open-policy-agent/opa-wasm');

const enc = new TextEncoder();
const dec = new TextDecoder();
const PAGE = 65536;
/** Results longer than this are not remembered for the next evaluation. */
const MAX_REMEMBERED = 16384;

function toArrayBuffer(u8: Uint8Array): ArrayBuffer {
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

/** Compiles a module once; instantiate it as often as needed (each instance has its own memory). */
export function compileModule(wasm: Uint8Array): WasmModule {
  try {
    return new Wasm.Module(wasm);
  } catch (e) {
    throw new EvaluatorError('policy_load_error', `not a loadable wasm module: ${(e as Error).message}`);
  }
}

function load(module: WasmModule, o: EvaluatorOptions): LoadedPolicy {
  let p: LoadedPolicy;
  try {
    const mem = o.initialPages === undefined ? {} : { initial: o.initialPages };
    p = sdk.loadPolicySync(module as unknown as ArrayBuffer, mem, (o.builtins ?? {}) as never) as unknown as LoadedPolicy;
    if (o.dataJson !== undefined && o.dataJson !== '{}') p.setData(toArrayBuffer(enc.encode(o.dataJson)));
  } catch (e) {
    throw new EvaluatorError('policy_load_error', describeThrown(e));
  }
  return p;
}

/** The SDK throws strings, `{ message }` objects and Errors; this makes one line of any of them. */
export function describeThrown(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  if (typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string') return (e as { message: string }).message;
  return String(e);
}

class SdkEvaluator implements PolicyEvaluator {
  readonly mode = 'sdk' as const;
  readonly entrypoints: Readonly<Record<string, number>>;
  constructor(private readonly p: LoadedPolicy) {
    this.entrypoints = { ...p.entrypoints };
  }
  evaluate(inputJson: string, entrypoint: number): EvalResult {
    return { value: this.p.evaluate(toArrayBuffer(enc.encode(inputJson)), entrypoint) };
  }
  memoryBytes(): number {
    return this.p.mem.buffer.byteLength;
  }
}

class DirectEvaluator implements PolicyEvaluator {
  readonly mode = 'direct' as const;
  readonly entrypoints: Readonly<Record<string, number>>;
  private readonly opaEval: (ctx: number, ep: number, data: number, input: number, len: number, heap: number, fmt: number) => number;
  private view: Uint8Array;
  /** Where each input is written: after the data and any kept values. */
  private readonly base: number;
  /**
   * The last result's bytes and text. Decisions repeat, and handing back the very same string
   * saves decoding it and lets the caller's Map find it by its already computed hash.
   */
  private lastBytes = new Uint8Array(0);
  private lastText = '';

  constructor(private readonly p: LoadedPolicy, keep: boolean) {
    this.entrypoints = { ...p.entrypoints };
    const f = p.wasmInstance.exports['opa_eval'];
    if (typeof f !== 'function' || p.minorVersion < 2) throw new EvaluatorError('policy_abi_error', 'direct evaluation needs ABI 1.2 (opa_eval)');
    this.opaEval = f as DirectEvaluator['opaEval'];
    this.view = new Uint8Array(p.mem.buffer);
    this.base = keep ? keepDataOnly(p.wasmInstance.exports, p.dataAddr, p.dataHeapPtr) : p.dataHeapPtr;
  }

  private refresh(): Uint8Array {
    // Growing memory detaches the old buffer; a detached view has length 0.
    if (this.view.byteLength === 0 || this.view.buffer !== this.p.mem.buffer) this.view = new Uint8Array(this.p.mem.buffer);
    return this.view;
  }

  evaluate(inputJson: string, entrypoint: number): EvalResult {
    const at = this.base;
    let view = this.refresh();
    let r = enc.encodeInto(inputJson, view.subarray(at));
    if (r.read < inputJson.length) {
      // Not enough room: grow for the worst case (3 bytes per UTF-16 unit) and write again.
      const need = at + inputJson.length * 3 - view.byteLength;
      this.p.mem.grow(Math.ceil(need / PAGE));
      view = this.refresh();
      r = enc.encodeInto(inputJson, view.subarray(at));
    }
    const ret = this.opaEval(0, entrypoint, this.p.dataAddr, at, r.written, at + r.written, 0);
    view = this.refresh();
    const end = view.indexOf(0, ret);
    if (end < 0) throw new EvaluatorError('policy_abi_error', 'result text is not NUL-terminated');
    const bytes = view.subarray(ret, end);
    if (bytes.length === this.lastBytes.length && Buffer.compare(bytes, this.lastBytes) === 0) return { text: this.lastText };
    const text = dec.decode(bytes);
    if (bytes.length <= MAX_REMEMBERED) {
      this.lastBytes = bytes.slice();
      this.lastText = text;
    }
    return { text };
  }

  memoryBytes(): number {
    return this.p.mem.buffer.byteLength;
  }
}

/**
 * Calls a module's `portcullis_keep`: its data-only rules are computed for the loaded data, and
 * the returned floor is where inputs go from then on. Modules from other compilers have no such
 * export; a rule that fails here (a conflict, a trap) keeps nothing, and every evaluation computes
 * it again and reports its error as before. Either way the answer is `dataHeapPtr`.
 */
export function keepDataOnly(exports: Record<string, unknown>, dataAddr: number, dataHeapPtr: number): number {
  const keep = exports['portcullis_keep'];
  if (typeof keep !== 'function') return dataHeapPtr;
  try {
    const floor = (keep as (data: number, heap: number) => number)(dataAddr, dataHeapPtr);
    return floor >= dataHeapPtr ? floor : dataHeapPtr;
  } catch {
    return dataHeapPtr;
  }
}

/** Instantiates `module` and returns an evaluator; 'direct' falls back to 'sdk' for ABI < 1.2. */
export function createEvaluator(module: WasmModule, o: EvaluatorOptions = {}): PolicyEvaluator {
  const p = load(module, o);
  if ((o.mode ?? 'direct') === 'sdk' || p.minorVersion < 2 || typeof p.wasmInstance.exports['opa_eval'] !== 'function') return new SdkEvaluator(p);
  return new DirectEvaluator(p, o.keep !== false);
}
