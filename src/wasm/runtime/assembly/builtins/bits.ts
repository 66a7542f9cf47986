// bits.* on integers: and/or/xor/negate/rsh within int64, lsh exact at any size.
import { T_NUMBER, newInt } from "../value";
import { numberFitsI64, fitI64 } from "../number";
import { opa_arith_multiply } from "../arith";
import { isType } from "./util";

let a64: i64 = 0;
let b64: i64 = 0;

function ints(a: usize, b: usize): bool {
  if (!isType(a, T_NUMBER) || !isType(b, T_NUMBER) || !numberFitsI64(a)) return false;
  a64 = fitI64;
  if (!numberFitsI64(b)) return false;
  b64 = fitI64;
  return true;
}

export function builtin_bits_and(a: usize, b: usize): usize { return ints(a, b) ? newInt(a64 & b64) : 0; }
export function builtin_bits_or(a: usize, b: usize): usize { return ints(a, b) ? newInt(a64 | b64) : 0; }
export function builtin_bits_xor(a: usize, b: usize): usize { return ints(a, b) ? newInt(a64 ^ b64) : 0; }

export function builtin_bits_negate(a: usize): usize {
  if (!isType(a, T_NUMBER) || !numberFitsI64(a)) return 0;
  return newInt(~fitI64);
}

/** Shift counts past this are refused rather than building enormous numbers. */
const MAX_SHIFT: i64 = 4096;

export function builtin_bits_lsh(a: usize, s: usize): usize {
  if (!ints(a, s) || b64 < 0 || b64 > MAX_SHIFT) return 0;
  let r = a;
  let left = b64;
  while (left > 0) {
    const step = left > 62 ? 62 : left;
    r = opa_arith_multiply(r, newInt(<i64>1 << step));
    if (r == 0) return 0;
    left -= step;
  }
  return r;
}

/** Arithmetic shift: rounds toward negative infinity, like Go's big.Int Rsh. */
export function builtin_bits_rsh(a: usize, s: usize): usize {
  if (!ints(a, s) || b64 < 0) return 0;
  return newInt(b64 >= 63 ? (a64 < 0 ? -1 : 0) : a64 >> b64);
}
