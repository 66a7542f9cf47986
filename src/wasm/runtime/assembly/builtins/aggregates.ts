// Aggregates over arrays and sets (sum, product, max, min, sort, any, all). count lives in count.ts.
import { T_NUMBER, T_BOOLEAN, typeOf, newInt, newBoolean, booleanValue, newArray } from "../value";
import { arrayAppend } from "../ops";
import { valueCompare } from "../compare";
import { opa_arith_plus, opa_arith_multiply } from "../arith";
import { isArrayOrSet, collLen, collValueAt, valuesOf } from "./util";

function fold(v: usize, start: i64, mul: bool): usize {
  if (!isArrayOrSet(v)) return 0;
  let acc = newInt(start);
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = collValueAt(v, i);
    if (typeOf(x) != T_NUMBER) return 0;
    acc = mul ? opa_arith_multiply(acc, x) : opa_arith_plus(acc, x);
    if (acc == 0) return 0;
  }
  return acc;
}

export function builtin_sum(v: usize): usize { return fold(v, 0, false); }
export function builtin_product(v: usize): usize { return fold(v, 1, true); }

function extreme(v: usize, sign: i32): usize {
  if (!isArrayOrSet(v)) return 0;
  const n = collLen(v);
  if (n == 0) return 0;
  let best = collValueAt(v, 0);
  for (let i: u32 = 1; i < n; i++) {
    const x = collValueAt(v, i);
    if (valueCompare(x, best) * sign > 0) best = x;
  }
  return best;
}

export function builtin_max(v: usize): usize { return extreme(v, 1); }
export function builtin_min(v: usize): usize { return extreme(v, -1); }

export function builtin_sort(v: usize): usize {
  if (!isArrayOrSet(v)) return 0;
  const n = collLen(v);
  const p = valuesOf(v, true);
  const out = newArray(n);
  for (let i: u32 = 0; i < n; i++) arrayAppend(out, load<u32>(p + (<usize>i << 2)));
  return out;
}

/** any(xs): true when some element is `true` (deprecated in OPA, kept for old policies). */
export function builtin_any(v: usize): usize {
  if (!isArrayOrSet(v)) return 0;
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = collValueAt(v, i);
    if (typeOf(x) == T_BOOLEAN && booleanValue(x)) return newBoolean(true);
  }
  return newBoolean(false);
}

/** all(xs): true when every element is `true`; true for an empty collection. */
export function builtin_all(v: usize): usize {
  if (!isArrayOrSet(v)) return 0;
  const n = collLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const x = collValueAt(v, i);
    if (typeOf(x) != T_BOOLEAN || !booleanValue(x)) return newBoolean(false);
  }
  return newBoolean(true);
}

