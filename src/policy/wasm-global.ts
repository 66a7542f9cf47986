// The few WebAssembly host types the policy loaders use. The project compiles without the DOM lib,
// which is where TypeScript declares them, so they are spelled out here.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** A compiled module (opaque: it is only handed back to the SDK). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
}

export const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
