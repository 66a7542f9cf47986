// The WebAssembly global with just the types these tests use (the project's lib settings have no
// DOM types, and @types/node 20 does not declare it).
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
export interface WasmModule {
  readonly __brand?: 'module';
}
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
export interface WasmGlobal {
  value: number;
}
interface WasmApi {
  Memory: new (d: { initial: number; maximum?: number }) => WasmMemory;
  Module: {
    new (bytes: Uint8Array): WasmModule;
    imports(m: WasmModule): Array<{ module: string; name: string; kind: string }>;
    exports(m: WasmModule): Array<{ name: string; kind: string }>;
  };
  Instance: new (m: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
}

export const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
