// The wasm backend's entry: IR policy → a module following OPA's WASM ABI (1.2).
import type { Policy } from '../rego/ir.ts';
import { link, type LinkOptions } from './link.ts';
import { NATIVE_BUILTINS } from './runtime/builtins.ts';

export { CodegenError } from './codegen.ts';
export { clearRuntimeCache, link, type Linked, type LinkOptions } from './link.ts';

export type NativeTable = Readonly<Record<string, { export: string; arity: number }>>;

export interface EmitOptions extends LinkOptions {
  /** Native builtins (Rego name → runtime export and arity); default: runtime/builtins.ts. */
  natives?: NativeTable;
}

/** Compiles a planned policy to a wasm module; throws CodegenError (code + position). */
export async function emitWasm(policy: Policy, opts: EmitOptions = {}): Promise<Uint8Array> {
  return emitWasmSync(policy, opts);
}

/** The same, synchronously (binaryen is ready once this module has been imported). */
export function emitWasmSync(policy: Policy, opts: EmitOptions = {}): Uint8Array {
  return link(policy, opts.natives ?? NATIVE_BUILTINS, opts).wasm;
}
