// Loads a compiled module with the unmodified @open-policy-agent/opa-wasm SDK and evaluates it.
// Values cross as JSON text (ArrayBuffer), so integers past 2^53 reach the module exact. The SDK
// reads results with JSON.parse, which rounds such integers; when a case needs them exact we
// read the result text ourselves, calling the module's opa_eval export the same way the SDK does.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { keepDataOnly } from '../policy/evaluator.ts';
import { asValue, parseJson, type Value } from './values.ts';
import type { CaseEvaluator } from './run-case.ts';

export type HostBuiltins = Record<string, (...args: never[]) => unknown>;

/** The parts of the SDK's LoadedPolicy that the exact path reads (public fields in opa.js). */
interface PolicyInternals {
  minorVersion: number;
  mem: { buffer: ArrayBuffer; grow(pages: number): number };
  wasmInstance: { exports: Record<string, unknown> } | { instance: { exports: Record<string, unknown> } };
  dataAddr: number;
  dataHeapPtr: number;
  entrypoints: Record<string, number>;
  evaluate(input: ArrayBuffer | undefined, entrypoint: string): unknown;
  setData(data: ArrayBuffer): void;
}

export function textBuffer(text: string): ArrayBuffer {
  const u8 = new TextEncoder().encode(text);
  return u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength) as ArrayBuffer;
}

function evaluateExact(p: PolicyInternals, input: string | undefined, entrypoint: string): Value {
  const exportsOf = 'instance' in p.wasmInstance ? p.wasmInstance.instance.exports : p.wasmInstance.exports;
  const opaEval = exportsOf.opa_eval as ((...a: number[]) => number) | undefined;
  const id = p.entrypoints[entrypoint];
  if (opaEval === undefined || p.minorVersion < 2 || id === undefined) {
    return asValue(p.evaluate(input === undefined ? undefined : textBuffer(input), entrypoint));
  }
  const bytes = input === undefined ? new Uint8Array(0) : new TextEncoder().encode(input);
  const inputAddr = input === undefined ? 0 : p.dataHeapPtr;
  const over = p.dataHeapPtr + bytes.length - p.mem.buffer.byteLength;
  if (over > 0) p.mem.grow(Math.ceil(over / 65536));
  new Uint8Array(p.mem.buffer).set(bytes, p.dataHeapPtr);
  const ret = opaEval(0, id, p.dataAddr, inputAddr, bytes.length, p.dataHeapPtr + bytes.length, 0);
  const mem = new Uint8Array(p.mem.buffer);
  let end = ret;
  while (end < mem.length && mem[end] !== 0) end++;
  return parseJson(new TextDecoder().decode(mem.subarray(ret, end)));
}

/**
 * Computes the module's data-only rules once for the loaded data, as the engine does, and moves
 * the SDK's input address past them: every case then also checks that kept values answer what
 * computing the rules would.
 */
function keep(p: PolicyInternals): void {
  const exportsOf = 'instance' in p.wasmInstance ? p.wasmInstance.instance.exports : p.wasmInstance.exports;
  p.dataHeapPtr = keepDataOnly(exportsOf, p.dataAddr, p.dataHeapPtr);
}

/** Loads `wasm` through the SDK with a fresh memory (the SDK makes one per load). */
export async function loadEvaluator(wasm: Uint8Array, builtins: HostBuiltins): Promise<CaseEvaluator> {
  const loaded = (await loadPolicy(wasm as unknown as ArrayBuffer, undefined, builtins)) as unknown as PolicyInternals;
  keep(loaded);
  return {
    setData(json) {
      loaded.setData(textBuffer(json));
      keep(loaded);
    },
    evaluate(input, entrypoint, exact) {
      if (exact) return evaluateExact(loaded, input, entrypoint);
      return asValue(loaded.evaluate(input === undefined ? undefined : textBuffer(input), entrypoint));
    },
  };
}
