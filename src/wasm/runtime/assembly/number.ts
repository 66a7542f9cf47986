// Numbers: INT (i64) on the fast path, DEC (sign, ASCII digits without leading or trailing
// zeros, base-10 exponent) for everything else, exact at any size. A number parsed from text
// keeps that text and prints it back verbatim. See arith.ts for arithmetic.
import { alloc } from "./heap";
import { N_INT, newInt, newDec, subtypeOf, intValue, decNeg, decDigits, decNd, decExp, decText, decTextLen } from "./value";
import { hashI64, mix32 } from "./hash";
import { bytesEqual } from "./string";

/** Largest exponent magnitude accepted from text; beyond it the literal is rejected. */
const MAX_EXP: i64 = 100000000;

// A decimal view: [neg u32][digits u32][nd u32][exp i32] in static scratch, so comparing
// never allocates. An INT is rendered into the slot's own digit buffer.
export const VIEW_A: usize = memory.data(16);
export const VIEW_B: usize = memory.data(16);
const DIG_A: usize = memory.data(24);
const DIG_B: usize = memory.data(24);

@inline export function vNeg(w: usize): bool { return load<u32>(w) != 0; }
@inline export function vDigits(w: usize): usize { return load<u32>(w, 4); }
@inline export function vNd(w: usize): u32 { return load<u32>(w, 8); }
@inline export function vExp(w: usize): i32 { return load<i32>(w, 12); }

export function setView(w: usize, neg: bool, digits: usize, nd: u32, exp: i32): void {
  store<u32>(w, neg ? 1 : 0);
  store<u32>(w, <u32>digits, 4);
  store<u32>(w, nd, 8);
  store<i32>(w, exp, 12);
}

/** Writes |x| as ASCII digits ending at `end` (exclusive); returns the first digit's address. */
export function u64Digits(x: u64, end: usize): usize {
  let p = end;
  do {
    p--;
    store<u8>(p, <u8>(48 + x % 10));
    x /= 10;
  } while (x != 0);
  return p;
}

/** Loads number v into view w (w is VIEW_A or VIEW_B), normalised (no trailing zeros). */
export function viewOf(v: usize, w: usize): void {
  if (subtypeOf(v) == N_INT) {
    const x = intValue(v);
    if (x == 0) { setView(w, false, 0, 0, 0); return; }
    const neg = x < 0;
    const mag: u64 = neg ? <u64>(-x) : <u64>x; // i64.MIN wraps to 2^63 as u64: correct
    const buf = w == VIEW_A ? DIG_A : DIG_B;
    const first = u64Digits(mag, buf + 20);
    let nd = <u32>(buf + 20 - first);
    let exp: i32 = 0;
    while (load<u8>(first + nd - 1) == 48) { nd--; exp++; }
    setView(w, neg, first, nd, exp);
    return;
  }
  setView(w, decNeg(v), decDigits(v), decNd(v), decExp(v));
}

// Result of the *FitsI64 checks.
export let fitI64: i64 = 0;

/** True (and sets fitI64) when the view is an integer within i64. */
export function viewFitsI64(neg: bool, digits: usize, nd: u32, exp: i32): bool {
  if (nd == 0) { fitI64 = 0; return true; }
  if (exp < 0 || <i64>nd + <i64>exp > 19) return false;
  let m: u64 = 0;
  for (let i: u32 = 0; i < nd; i++) m = m * 10 + <u64>(load<u8>(digits + i) - 48);
  for (let i: i32 = 0; i < exp; i++) {
    if (m > 1844674407370955161) return false;
    m *= 10;
  }
  if (neg) {
    if (m > 9223372036854775808) return false;
    fitI64 = -(<i64>m);
  } else {
    if (m > 9223372036854775807) return false;
    fitI64 = <i64>m;
  }
  return true;
}

/** True (and sets fitI64) when number v is an integer within i64. */
export function numberFitsI64(v: usize): bool {
  if (subtypeOf(v) == N_INT) { fitI64 = intValue(v); return true; }
  return viewFitsI64(decNeg(v), decDigits(v), decNd(v), decExp(v));
}

/**
 * A number from sign, digits (ASCII, may have leading/trailing zeros) and exponent: INT when
 * it is an integer within i64, DEC otherwise.
 */
export function makeNumber(neg: bool, digits: usize, nd: u32, exp: i32): usize {
  while (nd > 0 && load<u8>(digits) == 48) { digits++; nd--; }
  while (nd > 0 && load<u8>(digits + nd - 1) == 48) { nd--; exp++; }
  if (nd == 0) return newInt(0);
  if (viewFitsI64(neg, digits, nd, exp)) return newInt(fitI64);
  return newDec(neg, digits, nd, exp, 0, 0);
}

export function numberHash(v: usize): u32 {
  if (numberFitsI64(v)) return hashI64(fitI64);
  let h: u32 = 0x2f1b3c5d ^ <u32>decExp(v) * 0x9e3779b1;
  const d = decDigits(v);
  const n = decNd(v);
  for (let i: u32 = 0; i < n; i++) h = (h ^ load<u8>(d + i)) * 0x01000193;
  return mix32(h ^ (decNeg(v) ? 0x55555555 : 0));
}

/** Compares the magnitudes of two views; -1, 0 or 1. */
export function viewMagCompare(a: usize, b: usize): i32 {
  const an = vNd(a), bn = vNd(b);
  if (an == 0 || bn == 0) return an == bn ? 0 : an == 0 ? -1 : 1;
  const aa = <i64>an + <i64>vExp(a), ba = <i64>bn + <i64>vExp(b);
  if (aa != ba) return aa < ba ? -1 : 1;
  const n = an < bn ? an : bn;
  const ad = vDigits(a), bd = vDigits(b);
  for (let i: u32 = 0; i < n; i++) {
    const x = load<u8>(ad + i), y = load<u8>(bd + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return an == bn ? 0 : an < bn ? -1 : 1;
}

@inline function viewSign(w: usize): i32 {
  return vNd(w) == 0 ? 0 : vNeg(w) ? -1 : 1;
}

export function viewCompare(a: usize, b: usize): i32 {
  const sa = viewSign(a), sb = viewSign(b);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  const m = viewMagCompare(a, b);
  return sa > 0 ? m : -m;
}

export function numberCompare(a: usize, b: usize): i32 {
  if (subtypeOf(a) == N_INT && subtypeOf(b) == N_INT) {
    const x = intValue(a), y = intValue(b);
    return x == y ? 0 : x < y ? -1 : 1;
  }
  viewOf(a, VIEW_A);
  viewOf(b, VIEW_B);
  return viewCompare(VIEW_A, VIEW_B);
}

export function numberEqual(a: usize, b: usize): bool {
  if (subtypeOf(a) == N_INT && subtypeOf(b) == N_INT) return intValue(a) == intValue(b);
  if (subtypeOf(a) != N_INT && subtypeOf(b) != N_INT) {
    const n = decNd(a);
    return decNeg(a) == decNeg(b) && n == decNd(b) && decExp(a) == decExp(b) && bytesEqual(decDigits(a), decDigits(b), n);
  }
  return numberCompare(a, b) == 0;
}

@inline function isDigit(c: u32): bool { return c - 48 < 10; }

/**
 * Parses a JSON number literal at [p, p+n). Returns 0 when the text is not exactly one number.
 * When keepText is set the literal is remembered for printing (copied when copyText is set).
 */
export function parseNumber(p: usize, n: usize, keepText: bool, copyText: bool): usize {
  let i: usize = 0;
  let neg = false;
  if (i < n && load<u8>(p) == 45) { neg = true; i++; }
  const intStart = i;
  if (i >= n || !isDigit(load<u8>(p + i))) return 0;
  if (load<u8>(p + i) == 48) i++;
  else while (i < n && isDigit(load<u8>(p + i))) i++;
  const intEnd = i;
  let fracStart = i, fracEnd = i;
  if (i < n && load<u8>(p + i) == 46) {
    i++;
    fracStart = i;
    while (i < n && isDigit(load<u8>(p + i))) i++;
    fracEnd = i;
    if (fracEnd == fracStart) return 0;
  }
  let e: i64 = 0;
  let hasExp = false;
  if (i < n && (load<u8>(p + i) | 32) == 101) {
    hasExp = true;
    i++;
    let eneg = false;
    if (i < n && (load<u8>(p + i) == 43 || load<u8>(p + i) == 45)) { eneg = load<u8>(p + i) == 45; i++; }
    const es = i;
    while (i < n && isDigit(load<u8>(p + i))) {
      if (e < MAX_EXP) e = e * 10 + <i64>(load<u8>(p + i) - 48);
      i++;
    }
    if (i == es || e >= MAX_EXP) return 0;
    if (eneg) e = -e;
  }
  if (i != n) return 0;
  const intLen = intEnd - intStart;
  // Plain integers become INT, except "-0", whose text is kept like any other literal.
  if (!hasExp && fracEnd == fracStart && intLen <= 18 && !(neg && load<u8>(p + intStart) == 48 && keepText)) {
    let m: i64 = 0;
    for (let k = intStart; k < intEnd; k++) m = m * 10 + <i64>(load<u8>(p + k) - 48);
    return newInt(neg ? -m : m);
  }
  // Significant digits: integer part then fraction, contiguous in a fresh buffer.
  const fracLen = fracEnd - fracStart;
  const digits = alloc(intLen + fracLen);
  memory.copy(digits, p + intStart, intLen);
  memory.copy(digits + intLen, p + fracStart, fracLen);
  let d = digits;
  let nd = <u32>(intLen + fracLen);
  let exp = <i64>e - <i64>fracLen;
  while (nd > 0 && load<u8>(d) == 48) { d++; nd--; }
  while (nd > 0 && load<u8>(d + nd - 1) == 48) { nd--; exp++; }
  if (nd == 0) { exp = 0; neg = false; } // zero has no sign; "-0" keeps only its text
  if (!keepText) return makeNumber(neg, d, nd, <i32>exp);
  let text = p;
  if (copyText) {
    text = alloc(n);
    memory.copy(text, p, n);
  }
  return newDec(neg, d, nd, <i32>exp, text, <u32>n);
}

/** Bytes needed to print the view canonically (upper bound). */
export function viewPrintSize(w: usize): usize {
  const nd = <usize>vNd(w);
  const exp = vExp(w);
  const mag: usize = exp < 0 ? <usize>(-exp) : <usize>exp;
  return nd + (mag < 64 ? mag : 24) + 8;
}

/**
 * Prints a view canonically at p: plain digits for integers and moderate fractions,
 * exponent notation (d.ddde±x) for very large or very small magnitudes. Returns bytes written.
 */
export function printView(w: usize, p: usize): usize {
  const nd = vNd(w);
  const d = vDigits(w);
  const exp = vExp(w);
  let q = p;
  if (nd == 0) { store<u8>(q, 48); return 1; }
  if (vNeg(w)) { store<u8>(q, 45); q++; }
  const adj = <i64>nd + <i64>exp; // digits before the decimal point
  if (exp >= 0 && exp < 64) {
    memory.copy(q, d, nd);
    q += nd;
    memory.fill(q, 48, <usize>exp);
    return q + <usize>exp - p;
  }
  if (exp < 0 && adj > -6) {
    if (adj > 0) {
      memory.copy(q, d, <usize>adj);
      q += <usize>adj;
      store<u8>(q, 46);
      q++;
      memory.copy(q, d + <usize>adj, <usize>nd - <usize>adj);
      return q + nd - <usize>adj - p;
    }
    store<u8>(q, 48); store<u8>(q, 46, 1);
    q += 2;
    memory.fill(q, 48, <usize>(-adj));
    q += <usize>(-adj);
    memory.copy(q, d, nd);
    return q + nd - p;
  }
  store<u8>(q, load<u8>(d));
  q++;
  if (nd > 1) {
    store<u8>(q, 46);
    q++;
    memory.copy(q, d + 1, nd - 1);
    q += nd - 1;
  }
  store<u8>(q, 101);
  q++;
  let x = adj - 1;
  if (x < 0) { store<u8>(q, 45); q++; x = -x; } else { store<u8>(q, 43); q++; }
  const tmp = alloc(24);
  const first = u64Digits(<u64>x, tmp + 24);
  const len = tmp + 24 - first;
  memory.copy(q, first, len);
  return q + len - p;
}

/** Literal text of a DEC number parsed from text, or 0. */
export function numberText(v: usize): usize {
  return subtypeOf(v) == N_INT ? 0 : decText(v);
}

export function numberTextLen(v: usize): u32 {
  return subtypeOf(v) == N_INT ? 0 : decTextLen(v);
}
