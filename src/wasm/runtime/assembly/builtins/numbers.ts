// Number builtins: to_number, numbers.range, numbers.range_step, format_int.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, typeOf, newInt, newArray, booleanValue, strPtr, strLen } from "../value";
import { arrayAppend } from "../ops";
import { makeNumber, numberFitsI64, fitI64, viewOf, VIEW_A, vNeg, vDigits, vNd, vExp } from "../number";
import { opa_arith_floor, opa_arith_abs } from "../arith";
import { alloc } from "../heap";
import { newBuffer, bufByte, bufBytes } from "../buffer";
import { isType, bufString, decimalToRadix, radixLen } from "./util";

@inline function isDigit(c: u32): bool { return c - 48 < 10; }

/**
 * to_number: null → 0, booleans → 0/1, numbers as they are, strings in decimal notation
 * (sign, digits, fraction, exponent; what Go's ParseFloat takes, without hex, inf or nan).
 */
export function builtin_to_number(v: usize): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  if (t == T_NUMBER) return v;
  if (t == T_NULL) return newInt(0);
  if (t == T_BOOLEAN) return newInt(booleanValue(v) ? 1 : 0);
  if (t != T_STRING) return 0;
  const p = strPtr(v), n = strLen(v);
  let i: u32 = 0;
  let neg = false;
  if (i < n && (load<u8>(p) == 43 || load<u8>(p) == 45)) { neg = load<u8>(p) == 45; i++; }
  const digits = alloc(n + 1);
  let nd: u32 = 0;
  let seen = false;
  let frac: i64 = 0;
  while (i < n && isDigit(load<u8>(p + i))) { store<u8>(digits + nd, load<u8>(p + i)); nd++; i++; seen = true; }
  if (i < n && load<u8>(p + i) == 46) {
    i++;
    while (i < n && isDigit(load<u8>(p + i))) { store<u8>(digits + nd, load<u8>(p + i)); nd++; i++; frac++; seen = true; }
  }
  if (!seen) return 0;
  let e: i64 = 0;
  if (i < n && (load<u8>(p + i) | 32) == 101) {
    i++;
    let eneg = false;
    if (i < n && (load<u8>(p + i) == 43 || load<u8>(p + i) == 45)) { eneg = load<u8>(p + i) == 45; i++; }
    const es = i;
    while (i < n && isDigit(load<u8>(p + i))) {
      if (e < 100000000) e = e * 10 + <i64>(load<u8>(p + i) - 48);
      i++;
    }
    if (i == es || e >= 100000000) return 0;
    if (eneg) e = -e;
  }
  if (i != n) return 0;
  return makeNumber(neg, digits, nd, <i32>(e - frac));
}

/** Ranges longer than this are refused (undefined) rather than exhausting memory. */
const MAX_RANGE: i64 = 10000000;

function range(a: usize, b: usize, step: i64): usize {
  if (!isType(a, T_NUMBER) || !isType(b, T_NUMBER) || step <= 0) return 0;
  if (!numberFitsI64(a)) return 0;
  const x = fitI64;
  if (!numberFitsI64(b)) return 0;
  const y = fitI64;
  const span = x <= y ? y - x : x - y;
  if (span < 0 || span / step > MAX_RANGE) return 0; // span < 0: the difference overflowed
  const n = <u32>(span / step + 1);
  const out = newArray(n);
  for (let i: u32 = 0; i < n; i++) arrayAppend(out, newInt(x <= y ? x + <i64>i * step : x - <i64>i * step));
  return out;
}

/** numbers.range(a, b): integers from a to b inclusive, descending when a > b. */
export function builtin_numbers_range(a: usize, b: usize): usize {
  return range(a, b, 1);
}

/** numbers.range_step(a, b, step): like range but every step-th value; step must be > 0. */
export function builtin_numbers_range_step(a: usize, b: usize, step: usize): usize {
  if (!isType(step, T_NUMBER)) return 0;
  if (numberFitsI64(step)) return range(a, b, fitI64);
  // A positive integer step past int64 is longer than any range: only the start remains.
  viewOf(step, VIEW_A);
  if (vNeg(VIEW_A) || vExp(VIEW_A) < 0) return 0;
  return range(a, b, i64.MAX_VALUE);
}


/**
 * format_int(x, base): x truncated toward zero (OPA floors the magnitude), in base 2, 8, 10
 * or 16, exact for integers of any size.
 */
export function builtin_format_int(x: usize, base: usize): usize {
  if (!isType(x, T_NUMBER) || !isType(base, T_NUMBER) || !numberFitsI64(base)) return 0;
  const radix = fitI64;
  if (radix != 2 && radix != 8 && radix != 10 && radix != 16) return 0;
  viewOf(x, VIEW_A);
  const neg = vNeg(VIEW_A);
  // The integral magnitude's decimal digits.
  const mag = opa_arith_floor(opa_arith_abs(x));
  viewOf(mag, VIEW_A);
  const nd = vNd(VIEW_A), exp = vExp(VIEW_A);
  const len = nd + <u32>(exp > 0 ? exp : 0);
  const b = newBuffer(len + 2);
  if (len == 0 || nd == 0) { bufByte(b, 48); return bufString(b); }
  if (neg) bufByte(b, 45);
  if (radix == 10) {
    bufBytes(b, vDigits(VIEW_A), nd);
    for (let i: i32 = 0; i < exp; i++) bufByte(b, 48);
    return bufString(b);
  }
  // The magnitude's decimal text (digits, then exp zeros) converted exactly.
  const text = alloc(len);
  memory.copy(text, vDigits(VIEW_A), nd);
  memory.fill(text + nd, 48, len - nd);
  const digits = decimalToRadix(text, len, <u32>radix, false);
  bufBytes(b, digits, radixLen);
  return bufString(b);
}

