// Operators: arithmetic (numbers exact, `-` also set difference), comparisons over any values
// in Rego order, `&`/`|` on sets, and membership (`x in xs`, `k, v in xs`).
import { T_NUMBER, T_ARRAY, T_OBJECT, T_SET, typeOf, newBoolean, arrLen, arrGet } from "../value";
import { newMap, mapLen, mapFind, mapGet, entryAt, entryKey, setAdd } from "../map";
import { valueCompare, valueEqual } from "../compare";
import { numberFitsI64, fitI64 } from "../number";
import { opa_arith_minus } from "../arith";
import { isType } from "./util";


export function builtin_minus(a: usize, b: usize): usize {
  if (isType(a, T_NUMBER) && isType(b, T_NUMBER)) return opa_arith_minus(a, b);
  if (!isType(a, T_SET) || !isType(b, T_SET)) return 0;
  const out = newMap(T_SET);
  const n = mapLen(a);
  for (let i: u32 = 0; i < n; i++) {
    const x = entryKey(entryAt(a, i));
    if (mapFind(b, x) < 0) setAdd(out, x);
  }
  return out;
}

export function builtin_and(a: usize, b: usize): usize {
  if (!isType(a, T_SET) || !isType(b, T_SET)) return 0;
  // Walk the smaller set, probe the larger.
  const small = mapLen(a) <= mapLen(b) ? a : b;
  const large = small == a ? b : a;
  const out = newMap(T_SET);
  const n = mapLen(small);
  for (let i: u32 = 0; i < n; i++) {
    const x = entryKey(entryAt(small, i));
    if (mapFind(large, x) >= 0) setAdd(out, x);
  }
  return out;
}

export function builtin_or(a: usize, b: usize): usize {
  if (!isType(a, T_SET) || !isType(b, T_SET)) return 0;
  const out = newMap(T_SET);
  let n = mapLen(a);
  for (let i: u32 = 0; i < n; i++) setAdd(out, entryKey(entryAt(a, i)));
  n = mapLen(b);
  for (let i: u32 = 0; i < n; i++) setAdd(out, entryKey(entryAt(b, i)));
  return out;
}

export function builtin_equal(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return newBoolean(valueEqual(a, b));
}

export function builtin_neq(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return newBoolean(!valueEqual(a, b));
}

export function builtin_lt(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return newBoolean(valueCompare(a, b) < 0);
}

export function builtin_lte(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return newBoolean(valueCompare(a, b) <= 0);
}

export function builtin_gt(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return newBoolean(valueCompare(a, b) > 0);
}

export function builtin_gte(a: usize, b: usize): usize {
  if (a == 0 || b == 0) return 0;
  return newBoolean(valueCompare(a, b) >= 0);
}

/** x in xs: an array element, a set element or an object value equal to x. */
export function builtin_internal_member_2(x: usize, xs: usize): usize {
  if (x == 0 || xs == 0) return 0;
  const t = typeOf(xs);
  if (t == T_SET) return newBoolean(mapFind(xs, x) >= 0);
  if (t == T_ARRAY) {
    const n = arrLen(xs);
    for (let i: u32 = 0; i < n; i++) if (valueEqual(arrGet(xs, i), x)) return newBoolean(true);
    return newBoolean(false);
  }
  if (t == T_OBJECT) {
    const n = mapLen(xs);
    for (let i: u32 = 0; i < n; i++) if (valueEqual(load<u32>(entryAt(xs, i), 4), x)) return newBoolean(true);
  }
  return newBoolean(false);
}

/** k, v in xs: xs[k] == v for arrays (k an index) and objects; k == v for set elements. */
export function builtin_internal_member_3(k: usize, v: usize, xs: usize): usize {
  if (k == 0 || v == 0 || xs == 0) return 0;
  const t = typeOf(xs);
  if (t == T_OBJECT) {
    const got = mapGet(xs, k);
    return newBoolean(got != 0 && valueEqual(got, v));
  }
  if (t == T_ARRAY) {
    if (!isType(k, T_NUMBER) || !numberFitsI64(k)) return newBoolean(false);
    const i = fitI64;
    return newBoolean(i >= 0 && i < <i64>arrLen(xs) && valueEqual(arrGet(xs, <u32>i), v));
  }
  if (t == T_SET) return newBoolean(valueEqual(k, v) && mapFind(xs, k) >= 0);
  return newBoolean(false);
}
