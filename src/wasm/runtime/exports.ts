// The runtime module's contract, as data: what it imports, what the OPA SDK calls, and the value
// API that generated code calls by export name. build.ts checks the built module against it.
//
// Values are i32 addresses into linear memory; 0 means undefined. See docs/runtime.md.
//
// Ownership decisions:
// - `builtins` and `entrypoints` exports are produced by the code generator, not the runtime.
// - `env.portcullis_eval_plan` is a placeholder import: the linker replaces it with a defined
//   function (same name and type) that runs plan `entrypoint` and returns the result set
//   (a set of {"result": v} objects) or 0 (treated as the empty set). An unknown entrypoint id
//   must abort through opa_abort.
// - The heap starts at the exported mutable global `portcullis_heap_base` when it is non-zero,
//   else at the runtime's own data end. A linker that appends data segments sets it (8-aligned)
//   past them, since asc folds `__heap_base` into constants.

export type WasmType = 'i32' | 'i64' | 'f64';

export interface RuntimeFunction {
  params: readonly WasmType[];
  result: WasmType | 'none';
  doc: string;
}

/** Function imports (module `env`), besides `env.memory`. */
export const RUNTIME_IMPORTS = [
  'opa_abort', 'opa_println',
  'opa_builtin0', 'opa_builtin1', 'opa_builtin2', 'opa_builtin3', 'opa_builtin4',
  'portcullis_eval_plan',
] as const;

/** The placeholder import the linker replaces: (entrypoint, input, data) → result set | 0. */
export const EVAL_PLAN_IMPORT = { module: 'env', base: 'portcullis_eval_plan', params: ['i32', 'i32', 'i32'], result: 'i32' } as const;

/** Exports that keep otherwise-unused imports alive; the linker may drop them. */
export const IMPORT_KEEPALIVE_EXPORTS = [
  'portcullis_import_opa_println',
  'portcullis_import_opa_builtin0', 'portcullis_import_opa_builtin1', 'portcullis_import_opa_builtin2',
  'portcullis_import_opa_builtin3', 'portcullis_import_opa_builtin4',
] as const;

/** Exports the OPA SDK (ABI 1.2) uses, except `builtins`/`entrypoints` (code generator's). */
export const ABI_EXPORTS = [
  'opa_malloc', 'opa_free', 'opa_json_parse', 'opa_value_parse', 'opa_json_dump', 'opa_value_dump',
  'opa_heap_ptr_get', 'opa_heap_ptr_set', 'opa_eval',
  'opa_eval_ctx_new', 'opa_eval_ctx_set_input', 'opa_eval_ctx_set_data', 'opa_eval_ctx_set_entrypoint',
  'opa_eval_ctx_get_result', 'eval', 'memory', 'opa_value_add_path', 'opa_value_remove_path',
] as const;

/** Exported globals: the ABI version pair and the heap base the linker sets. */
export const RUNTIME_GLOBALS = ['opa_wasm_abi_version', 'opa_wasm_abi_minor_version', 'portcullis_heap_base'] as const;

export const HEAP_BASE_GLOBAL = 'portcullis_heap_base';

const v = (params: readonly WasmType[], result: WasmType | 'none', doc: string): RuntimeFunction => ({ params, result, doc });

/** The value API, by export name. */
export const VALUE_API = {
  opa_null: v([], 'i32', 'the null value (static, immutable)'),
  opa_boolean: v(['i32'], 'i32', 'true when the argument is non-zero (static, immutable)'),
  opa_number_int: v(['i64'], 'i32', 'an integer number'),
  opa_number_ref: v(['i32', 'i32'], 'i32', 'a number from literal text (ptr, len), kept for printing and not copied; 0 if not a JSON number'),
  opa_number_f64: v(['f64'], 'i32', 'a number equal to a finite f64 (shortest digits where checkable); 0 for NaN/±Inf'),
  opa_number_to_f64: v(['i32'], 'f64', 'nearest f64 of a number (NaN for non-numbers)'),
  opa_string: v(['i32', 'i32'], 'i32', 'a string over UTF-8 bytes (ptr, len), not copied'),
  opa_array_with_cap: v(['i32'], 'i32', 'an empty array with room for n elements (grows on append)'),
  opa_object: v([], 'i32', 'an empty object'),
  opa_set: v([], 'i32', 'an empty set'),
  opa_array_append: v(['i32', 'i32'], 'none', 'append a value to an array'),
  opa_object_insert: v(['i32', 'i32', 'i32'], 'none', 'insert or replace key → value'),
  opa_object_insert_once: v(['i32', 'i32', 'i32'], 'i32', '0 when inserted or the key already holds an equal value; 1 on a conflicting value (object unchanged)'),
  opa_set_add: v(['i32', 'i32'], 'none', 'add an element (no-op when an equal one is present)'),
  opa_value_type: v(['i32'], 'i32', '1 null, 2 boolean, 3 number, 4 string, 5 array, 6 object, 7 set; 0 for undefined'),
  opa_value_get: v(['i32', 'i32'], 'i32', 'array element by integer number key, object value by key, set element equal to key; 0 when absent or not a collection'),
  opa_value_iter: v(['i32', 'i32'], 'i32', 'key after prev (0 = first): array indexes as numbers, object keys, set elements in insertion order; 0 at the end'),
  opa_value_key_at: v(['i32', 'i32'], 'i32', 'i-th key in iteration order (arrays: the index as a number); 0 past the end'),
  opa_value_value_at: v(['i32', 'i32'], 'i32', 'i-th value in iteration order (sets: the element); 0 past the end'),
  opa_value_length: v(['i32'], 'i32', 'elements of an array/object/set, code points of a string; 0 otherwise'),
  portcullis_value_sorted: v(['i32'], 'i32', 'v itself, an object or set with its entries put in key order first (in place, kept while insertions come in order)'),
  opa_value_compare: v(['i32', 'i32'], 'i32', 'Rego ordering: -1, 0 or 1'),
  opa_value_equal: v(['i32', 'i32'], 'i32', '1 when equal (1 == 1.0), else 0'),
  opa_value_hash: v(['i32'], 'i32', 'hash consistent with opa_value_equal'),
  opa_value_merge: v(['i32', 'i32'], 'i32', 'deep merge of two objects, a wins on leaf conflicts; 0 unless both are objects'),
  opa_value_shallow_copy: v(['i32'], 'i32', 'new array/object/set with the same elements; scalars returned as is'),
  opa_value_patch: v(['i32', 'i32', 'i32'], 'i32', 'copy-on-write upsert of value at path (an array of keys) in root, creating objects along the path; empty path returns value'),
  opa_arith_plus: v(['i32', 'i32'], 'i32', 'a + b (exact); 0 unless both are numbers'),
  opa_arith_minus: v(['i32', 'i32'], 'i32', 'a - b (exact)'),
  opa_arith_multiply: v(['i32', 'i32'], 'i32', 'a * b (exact)'),
  opa_arith_divide: v(['i32', 'i32'], 'i32', 'a / b: exact when it terminates within 19 significant digits, else rounded half-even to 19; 0 on division by zero'),
  opa_arith_rem: v(['i32', 'i32'], 'i32', 'a % b for integers (sign of a); 0 on zero divisor or non-integers'),
  opa_arith_abs: v(['i32'], 'i32', '|a|'),
  opa_arith_round: v(['i32'], 'i32', 'nearest integer, halves away from zero'),
  opa_arith_ceil: v(['i32'], 'i32', 'smallest integer ≥ a'),
  opa_arith_floor: v(['i32'], 'i32', 'largest integer ≤ a'),
} as const satisfies Record<string, RuntimeFunction>;

export type ValueApiName = keyof typeof VALUE_API;

/** Kept values of data-only rules (assembly/keep.ts), called by generated code and `portcullis_keep`. */
export const KEEP_API = {
  portcullis_keep_begin: v(['i32', 'i32'], 'none', '(data, heap): start computing kept values for data with the heap at heap; forget earlier ones'),
  portcullis_keep_end: v([], 'i32', 'the values computed since portcullis_keep_begin are kept; returns the heap floor evaluations start from'),
  portcullis_kept: v(['i32'], 'i32', '1 when values kept for this data document may be read (same document, floor intact)'),
  portcullis_keeping: v(['i32'], 'i32', '1 while kept values are being computed for this data document'),
} as const satisfies Record<string, RuntimeFunction>;

/** Value type codes returned by opa_value_type (also the Rego sort order). */
export const VALUE_TYPE = { null: 1, boolean: 2, number: 3, string: 4, array: 5, object: 6, set: 7 } as const;
