// count(collection or string): number of elements, or of code points of a string.
import { T_STRING, T_ARRAY, T_OBJECT, T_SET, typeOf, newInt } from "../value";
import { valueLength } from "../ops";

export function builtin_count(v: usize): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  if (t != T_STRING && t != T_ARRAY && t != T_OBJECT && t != T_SET) return 0;
  return newInt(<i64>valueLength(v));
}
