// The value API the generated code (and hosts) call, by stable export name. Handles are
// addresses; 0 is undefined. Signatures are mirrored in ../exports.ts.
import { T_OBJECT, T_SET, newNull, newBoolean, newInt, newString, newArray, typeOf } from "./value";
import { newMap, mapPut, mapPutOnce, setAdd } from "./map";
import { parseNumber } from "./number";
import { arrayAppend, valueGet, valueIter, valueLength, shallowCopy, valueMerge, valuePatch, valueAddPath, valueRemovePath } from "./ops";
import { valueCompare, valueEqual } from "./compare";
import { hashValue } from "./hash";
import { entryAt, entryKey, entryValue, mapLen, isMap } from "./map";
import { sortMap } from "./sort";
import { arrLen, arrGet, T_ARRAY } from "./value";
import { fail } from "./abort";

export function opa_null(): usize { return newNull(); }
export function opa_boolean(b: i32): usize { return newBoolean(b != 0); }
export function opa_number_int(x: i64): usize { return newInt(x); }
/** A number from its literal text (not copied: it must stay in place, e.g. a data segment). */
export function opa_number_ref(p: usize, n: usize): usize { return parseNumber(p, n, true, false); }
/** A string over UTF-8 bytes (not copied). */
export function opa_string(p: usize, n: usize): usize { return newString(p, <u32>n); }
export function opa_array_with_cap(n: u32): usize { return newArray(n); }
export function opa_object(): usize { return newMap(T_OBJECT); }
export function opa_set(): usize { return newMap(T_SET); }

// Mutators check their arguments: writing through a wrong handle would corrupt memory silently.
function expect(c: usize, type: u32, v: usize, k: usize): void {
  if (c == 0 || typeOf(c) != type) fail("runtime: wrong container type");
  if (v == 0 || k == 0) fail("runtime: undefined value stored");
}

export function opa_array_append(a: usize, v: usize): void { expect(a, T_ARRAY, v, 1); arrayAppend(a, v); }
export function opa_object_insert(o: usize, k: usize, v: usize): void { expect(o, T_OBJECT, v, k); mapPut(o, k, v); }
/** 0 when inserted (or the same value was there), 1 on a conflicting value. */
export function opa_object_insert_once(o: usize, k: usize, v: usize): u32 { expect(o, T_OBJECT, v, k); return mapPutOnce(o, k, v); }
export function opa_set_add(s: usize, v: usize): void { expect(s, T_SET, v, 1); setAdd(s, v); }

/** 1 null, 2 boolean, 3 number, 4 string, 5 array, 6 object, 7 set; 0 for undefined. */
export function opa_value_type(v: usize): u32 { return v == 0 ? 0 : typeOf(v); }
export function opa_value_get(v: usize, key: usize): usize { return valueGet(v, key); }
export function opa_value_iter(v: usize, prev: usize): usize { return valueIter(v, prev); }
export function opa_value_length(v: usize): u32 { return valueLength(v); }
/**
 * v, with an object's or set's entries put in key order first: iteration by position then visits
 * them in Rego order (as OPA does), and no comparison or dump inside the loop can move them.
 */
export function portcullis_value_sorted(v: usize): usize {
  if (v != 0 && isMap(v)) sortMap(v);
  return v;
}
export function opa_value_compare(a: usize, b: usize): i32 { return valueCompare(a, b); }
export function opa_value_equal(a: usize, b: usize): u32 { return valueEqual(a, b) ? 1 : 0; }
export function opa_value_hash(v: usize): u32 { return v == 0 ? 0 : hashValue(v); }
export function opa_value_merge(a: usize, b: usize): usize { return valueMerge(a, b); }
export function opa_value_shallow_copy(v: usize): usize { return shallowCopy(v); }
export function opa_value_patch(root: usize, path: usize, value: usize): usize { return valuePatch(root, path, value); }

/**
 * Positional access for scans without per-step lookups: the i-th key (arrays: none, 0) and
 * value of an array, object or set in iteration order; 0 past the end.
 */
export function opa_value_key_at(v: usize, i: u32): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  if ((t == T_OBJECT || t == T_SET) && i < mapLen(v)) return entryKey(entryAt(v, i));
  if (t == T_ARRAY && i < arrLen(v)) return newInt(<i64>i);
  return 0;
}

export function opa_value_value_at(v: usize, i: u32): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  if ((t == T_OBJECT || t == T_SET) && i < mapLen(v)) return entryValue(entryAt(v, i));
  if (t == T_ARRAY && i < arrLen(v)) return arrGet(v, i);
  return 0;
}

/** OPA ABI: in-place upsert at path (an array of keys) in object base; 0 ok, 2 invalid type, 3 invalid path. */
export function opa_value_add_path(base: usize, path: usize, value: usize): u32 { return valueAddPath(base, path, value); }
/** OPA ABI: in-place removal at path in object base; 0 ok, 2 invalid type, 3 invalid path. */
export function opa_value_remove_path(base: usize, path: usize): u32 { return valueRemovePath(base, path); }
