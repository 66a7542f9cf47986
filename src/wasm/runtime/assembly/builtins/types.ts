// Type predicates and type_name. Predicates are true or false for any defined value.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, typeOf, newBoolean, newString } from "../value";

@inline function is(v: usize, t: u32): usize {
  return v == 0 ? 0 : newBoolean(typeOf(v) == t);
}

export function builtin_is_null(v: usize): usize { return is(v, T_NULL); }
export function builtin_is_boolean(v: usize): usize { return is(v, T_BOOLEAN); }
export function builtin_is_number(v: usize): usize { return is(v, T_NUMBER); }
export function builtin_is_string(v: usize): usize { return is(v, T_STRING); }
export function builtin_is_array(v: usize): usize { return is(v, T_ARRAY); }
export function builtin_is_object(v: usize): usize { return is(v, T_OBJECT); }
export function builtin_is_set(v: usize): usize { return is(v, T_SET); }

// "null" "boolean" "number" "string" "array" "object" "set", packed; offsets/lengths by type.
const NAMES: usize = memory.data<u8>([
  110, 117, 108, 108,
  98, 111, 111, 108, 101, 97, 110,
  110, 117, 109, 98, 101, 114,
  115, 116, 114, 105, 110, 103,
  97, 114, 114, 97, 121,
  111, 98, 106, 101, 99, 116,
  115, 101, 116,
]);
const OFFSETS: usize = memory.data<u8>([0, 0, 4, 11, 17, 23, 28, 34]);
const LENGTHS: usize = memory.data<u8>([0, 4, 7, 6, 6, 5, 6, 3]);

export function builtin_type_name(v: usize): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  return newString(NAMES + <usize>load<u8>(OFFSETS + t), load<u8>(LENGTHS + t));
}
