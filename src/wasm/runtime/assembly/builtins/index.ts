// Native builtins exported from the runtime. Each export is listed in ../../builtins.ts.
export { builtin_count } from "./count";
export {
  builtin_minus, builtin_and, builtin_or,
  builtin_equal, builtin_neq, builtin_lt, builtin_lte, builtin_gt, builtin_gte,
  builtin_internal_member_2, builtin_internal_member_3,
} from "./operators";
export { builtin_sum, builtin_product, builtin_max, builtin_min, builtin_sort, builtin_any, builtin_all } from "./aggregates";
export {
  builtin_is_null, builtin_is_boolean, builtin_is_number, builtin_is_string, builtin_is_array,
  builtin_is_object, builtin_is_set, builtin_type_name,
} from "./types";
export {
  builtin_concat, builtin_contains, builtin_startswith, builtin_endswith, builtin_upper, builtin_lower,
  builtin_split, builtin_replace, builtin_strings_replace_n, builtin_trim, builtin_trim_left,
  builtin_trim_right, builtin_trim_prefix, builtin_trim_suffix, builtin_trim_space, builtin_indexof,
  builtin_indexof_n, builtin_strings_count, builtin_substring, builtin_strings_reverse,
  builtin_strings_any_prefix_match, builtin_strings_any_suffix_match, builtin_strings_split_n,
} from "./strings";
export { builtin_to_number, builtin_numbers_range, builtin_numbers_range_step, builtin_format_int } from "./numbers";
export { builtin_sprintf } from "./sprintf";
export {
  builtin_array_concat, builtin_array_slice, builtin_array_reverse, builtin_object_get, builtin_object_keys,
  builtin_object_remove, builtin_object_filter, builtin_object_union, builtin_object_union_n,
  builtin_object_subset, builtin_union, builtin_intersection, builtin_json_filter, builtin_json_remove,
  builtin_array_flatten,
} from "./collections";
export { builtin_json_marshal, builtin_json_marshal_with_options, builtin_json_unmarshal, builtin_json_is_valid } from "./json";
export { builtin_bits_and, builtin_bits_or, builtin_bits_xor, builtin_bits_negate, builtin_bits_lsh, builtin_bits_rsh } from "./bits";
export { builtin_internal_template_string } from "./template";
export { builtin_walk } from "./documents";
