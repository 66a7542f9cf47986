// The compiler's public entry (`portcullis/compiler`); the engine's is src/engine/index.ts (`portcullis`).
export { compile, compileIR, type CompileRequest, type CompileResult, type SourceModule } from './compile.ts';
export { RegoError, RegoErrors, type Location, type RegoErrorCode } from './rego/ast.ts';
export type { Policy } from './rego/ir.ts';
export { printPolicy } from './rego/ir-print.ts';
// Implementations of the builtins that compiled modules import from their host (pass to the SDK).
export { hostBuiltins } from './policy/builtins/index.ts';
