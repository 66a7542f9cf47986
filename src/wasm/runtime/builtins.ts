// Builtins implemented natively in the runtime: Rego name → runtime export and arity.
// Each export takes `arity` value handles and returns a value handle; 0 means undefined
// (including type errors). Builtins absent here go to the host through opa_builtinN.
export interface NativeBuiltin {
  export: string;
  arity: number;
}

const b = (exportName: string, arity: number): NativeBuiltin => ({ export: exportName, arity });

export const NATIVE_BUILTINS: Readonly<Record<string, NativeBuiltin>> = {
  // Operators.
  plus: b('opa_arith_plus', 2),
  minus: b('builtin_minus', 2),
  mul: b('opa_arith_multiply', 2),
  div: b('opa_arith_divide', 2),
  rem: b('opa_arith_rem', 2),
  equal: b('builtin_equal', 2),
  neq: b('builtin_neq', 2),
  lt: b('builtin_lt', 2),
  lte: b('builtin_lte', 2),
  gt: b('builtin_gt', 2),
  gte: b('builtin_gte', 2),
  and: b('builtin_and', 2),
  or: b('builtin_or', 2),
  'internal.member_2': b('builtin_internal_member_2', 2),
  'internal.member_3': b('builtin_internal_member_3', 3),

  // Aggregates.
  count: b('builtin_count', 1),
  sum: b('builtin_sum', 1),
  product: b('builtin_product', 1),
  max: b('builtin_max', 1),
  min: b('builtin_min', 1),
  sort: b('builtin_sort', 1),
  any: b('builtin_any', 1),
  all: b('builtin_all', 1),

  // Types.
  is_null: b('builtin_is_null', 1),
  is_boolean: b('builtin_is_boolean', 1),
  is_number: b('builtin_is_number', 1),
  is_string: b('builtin_is_string', 1),
  is_array: b('builtin_is_array', 1),
  is_object: b('builtin_is_object', 1),
  is_set: b('builtin_is_set', 1),
  type_name: b('builtin_type_name', 1),

  // Numbers.
  abs: b('opa_arith_abs', 1),
  round: b('opa_arith_round', 1),
  ceil: b('opa_arith_ceil', 1),
  floor: b('opa_arith_floor', 1),

  to_number: b('builtin_to_number', 1),
  'numbers.range': b('builtin_numbers_range', 2),
  'numbers.range_step': b('builtin_numbers_range_step', 3),
  format_int: b('builtin_format_int', 2),
  'bits.and': b('builtin_bits_and', 2),
  'bits.or': b('builtin_bits_or', 2),
  'bits.xor': b('builtin_bits_xor', 2),
  'bits.negate': b('builtin_bits_negate', 1),
  'bits.lsh': b('builtin_bits_lsh', 2),
  'bits.rsh': b('builtin_bits_rsh', 2),

  // Strings.
  concat: b('builtin_concat', 2),
  contains: b('builtin_contains', 2),
  startswith: b('builtin_startswith', 2),
  endswith: b('builtin_endswith', 2),
  lower: b('builtin_lower', 1),
  upper: b('builtin_upper', 1),
  split: b('builtin_split', 2),
  replace: b('builtin_replace', 3),
  trim: b('builtin_trim', 2),
  trim_left: b('builtin_trim_left', 2),
  trim_right: b('builtin_trim_right', 2),
  trim_prefix: b('builtin_trim_prefix', 2),
  trim_suffix: b('builtin_trim_suffix', 2),
  trim_space: b('builtin_trim_space', 1),
  indexof: b('builtin_indexof', 2),
  indexof_n: b('builtin_indexof_n', 2),
  substring: b('builtin_substring', 3),
  sprintf: b('builtin_sprintf', 2),
  'internal.template_string': b('builtin_internal_template_string', 1),
  'strings.replace_n': b('builtin_strings_replace_n', 2),
  'strings.reverse': b('builtin_strings_reverse', 1),
  'strings.count': b('builtin_strings_count', 2),
  'strings.any_prefix_match': b('builtin_strings_any_prefix_match', 2),
  'strings.any_suffix_match': b('builtin_strings_any_suffix_match', 2),
  'strings.split_n': b('builtin_strings_split_n', 3),

  // Arrays, objects, sets.
  'array.concat': b('builtin_array_concat', 2),
  'array.slice': b('builtin_array_slice', 3),
  'array.reverse': b('builtin_array_reverse', 1),
  'array.flatten': b('builtin_array_flatten', 1),
  'object.get': b('builtin_object_get', 3),
  'object.keys': b('builtin_object_keys', 1),
  'object.remove': b('builtin_object_remove', 2),
  'object.filter': b('builtin_object_filter', 2),
  'object.union': b('builtin_object_union', 2),
  'object.union_n': b('builtin_object_union_n', 1),
  'object.subset': b('builtin_object_subset', 2),
  union: b('builtin_union', 1),
  intersection: b('builtin_intersection', 1),
  'json.filter': b('builtin_json_filter', 2),
  'json.remove': b('builtin_json_remove', 2),
  walk: b('builtin_walk', 1),

  // Encoding.
  'json.marshal': b('builtin_json_marshal', 1),
  'json.marshal_with_options': b('builtin_json_marshal_with_options', 2),
  'json.unmarshal': b('builtin_json_unmarshal', 1),
  'json.is_valid': b('builtin_json_is_valid', 1),
};
