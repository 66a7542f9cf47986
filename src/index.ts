// Public entry of the library.
export { compile, compileIR, type CompileRequest, type CompileResult, type SourceModule } from './compile.ts';
export { RegoError, RegoErrors, type Location, type RegoErrorCode } from './rego/ast.ts';
export type { Policy } from './rego/ir.ts';
export { printPolicy } from './rego/ir-print.ts';
