// The compile step the commands share: sources in, wasm (and IR) out, through the toolchain.
// Imported lazily, so `--help` and usage errors answer without loading the compiler.
import type { Toolchain } from '../conformance/toolchain.ts';
import type { RegoSource } from './sources.ts';

export async function toolchain(): Promise<Toolchain> {
  const { loadToolchain } = await import('../conformance/toolchain.ts');
  return loadToolchain();
}

export async function compileSources(sources: RegoSource[], entrypoints: string[]) {
  const t = await toolchain();
  return t.compile({ modules: sources.map((s) => ({ file: s.file, text: s.text })), entrypoints });
}
