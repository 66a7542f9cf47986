// Entry of the runtime module: everything exported here is a wasm export. The OPA ABI names are
// fixed by the SDK; the value API and builtins are listed in ../exports.ts and ../builtins.ts.
import { opa_println, opa_builtin0, opa_builtin1, opa_builtin2, opa_builtin3, opa_builtin4 } from "./env";

export const opa_wasm_abi_version: i32 = 1;
export const opa_wasm_abi_minor_version: i32 = 2;

export { portcullis_heap_base, opa_malloc, opa_free, opa_heap_ptr_get, opa_heap_ptr_set } from "./heap";
export { opa_json_parse, opa_value_parse } from "./json";
export { portcullis_interned } from "./intern";
export { portcullis_keep_begin, portcullis_keep_end, portcullis_kept, portcullis_keeping } from "./keep";
export { opa_json_dump, opa_value_dump } from "./dump";
export {
  opa_eval, opa_eval_ctx_new, opa_eval_ctx_set_input, opa_eval_ctx_set_data,
  opa_eval_ctx_set_entrypoint, opa_eval_ctx_get_result, evalContext as eval,
} from "./eval";
export * from "./api";
export {
  opa_arith_plus, opa_arith_minus, opa_arith_multiply, opa_arith_divide, opa_arith_rem,
  opa_arith_abs, opa_arith_round, opa_arith_ceil, opa_arith_floor,
  opa_number_f64, opa_number_to_f64,
} from "./arith";
export * from "./builtins/index";

// asc drops imports nothing calls; re-exporting keeps the full ABI import set in the module so
// generated code can call them. The linker may drop these exports.
export {
  opa_println as portcullis_import_opa_println,
  opa_builtin0 as portcullis_import_opa_builtin0,
  opa_builtin1 as portcullis_import_opa_builtin1,
  opa_builtin2 as portcullis_import_opa_builtin2,
  opa_builtin3 as portcullis_import_opa_builtin3,
  opa_builtin4 as portcullis_import_opa_builtin4,
};
