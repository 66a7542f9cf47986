// Rego equality and ordering: null < boolean < number < string < array < object < set;
// numbers by value; arrays lexicographically; objects by sorted keys then values; sets by
// sorted elements.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, typeOf, booleanValue, strLen, strPtr, arrLen, arrGet } from "./value";
import { bytesEqual, bytesCompare } from "./string";
import { numberCompare, numberEqual } from "./number";
import { mapLen, mapFind, entryAt, entryKey, entryValue } from "./map";
import { sortMap } from "./sort";

export function valueEqual(a: usize, b: usize): bool {
  if (a == b) return true;
  if (a == 0 || b == 0) return false;
  const t = typeOf(a);
  if (t != typeOf(b)) return false;
  if (t == T_STRING) {
    const n = strLen(a);
    if (n != strLen(b)) return false;
    const ha = load<u32>(a, 12), hb = load<u32>(b, 12);
    if (ha != 0 && hb != 0 && ha != hb) return false;
    return bytesEqual(strPtr(a), strPtr(b), n);
  }
  if (t == T_NUMBER) return numberEqual(a, b);
  if (t == T_BOOLEAN) return booleanValue(a) == booleanValue(b);
  if (t == T_NULL) return true;
  if (t == T_ARRAY) {
    const n = arrLen(a);
    if (n != arrLen(b)) return false;
    for (let i: u32 = 0; i < n; i++) if (!valueEqual(arrGet(a, i), arrGet(b, i))) return false;
    return true;
  }
  const n = mapLen(a);
  if (n != mapLen(b)) return false;
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(a, i);
    const j = mapFind(b, entryKey(e));
    if (j < 0) return false;
    if (t == T_OBJECT && !valueEqual(entryValue(e), entryValue(entryAt(b, <u32>j)))) return false;
  }
  return true;
}

export function valueCompare(a: usize, b: usize): i32 {
  if (a == b) return 0;
  if (a == 0 || b == 0) return a == 0 ? -1 : 1;
  const t = typeOf(a), u = typeOf(b);
  if (t != u) return t < u ? -1 : 1;
  if (t == T_STRING) return bytesCompare(strPtr(a), strLen(a), strPtr(b), strLen(b));
  if (t == T_NUMBER) return numberCompare(a, b);
  if (t == T_BOOLEAN) {
    const x = booleanValue(a), y = booleanValue(b);
    return x == y ? 0 : !x ? -1 : 1;
  }
  if (t == T_NULL) return 0;
  if (t == T_ARRAY) {
    const an = arrLen(a), bn = arrLen(b);
    const n = an < bn ? an : bn;
    for (let i: u32 = 0; i < n; i++) {
      const c = valueCompare(arrGet(a, i), arrGet(b, i));
      if (c != 0) return c;
    }
    return an == bn ? 0 : an < bn ? -1 : 1;
  }
  // Objects and sets: walk both in key order.
  sortMap(a);
  sortMap(b);
  const an = mapLen(a), bn = mapLen(b);
  const n = an < bn ? an : bn;
  let c: i32 = 0;
  for (let i: u32 = 0; i < n && c == 0; i++) {
    const ea = entryAt(a, i), eb = entryAt(b, i);
    c = valueCompare(entryKey(ea), entryKey(eb));
    if (c == 0 && t == T_OBJECT) c = valueCompare(entryValue(ea), entryValue(eb));
  }
  if (c != 0) return c;
  return an == bn ? 0 : an < bn ? -1 : 1;
}
