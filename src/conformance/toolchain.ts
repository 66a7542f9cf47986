// Binds the runner (and the CLI) to the real toolchain: the compiler entry point, the query
// parser, and the host builtins the SDK needs for builtins the wasm runtime leaves to TypeScript.
import { compile } from '../compile.ts';
import { hostBuiltins } from '../policy/builtins/index.ts';
import type { Policy } from '../rego/ir.ts';
import { parseQuery } from '../rego/parser.ts';
import type { CaseDeps, SourceFile } from './run-case.ts';
import { loadEvaluator, type HostBuiltins } from './sdk.ts';

export interface Toolchain {
  compile(req: { modules: SourceFile[]; entrypoints: string[]; optimize?: boolean }): Promise<{ wasm: Uint8Array; entrypoints: string[]; ir: Policy }>;
  parseQuery(text: string): unknown;
  hostBuiltins: HostBuiltins;
}

export function loadToolchain(): Promise<Toolchain> {
  return Promise.resolve({ compile, parseQuery: (text: string) => parseQuery(text), hostBuiltins });
}

export function caseDeps(t: Toolchain, opts: { optimize?: boolean } = {}): CaseDeps {
  return {
    compile: (req) => t.compile({ ...req, optimize: opts.optimize ?? true }),
    parseQuery: (text) => t.parseQuery(text),
    load: (wasm) => loadEvaluator(wasm, t.hostBuiltins),
  };
}
