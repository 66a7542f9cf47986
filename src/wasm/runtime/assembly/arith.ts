// Arithmetic on numbers. Integers are exact at any size (i64 fast path, decimal digits past it);
// +, - and * are exact on decimals too; / is exact when the quotient terminates within
// DIV_DIGITS significant digits (and always for its integer part), otherwise rounded half-even
// to DIV_DIGITS. Division or remainder by zero, and non-numbers, give undefined (0).
import { alloc, allocZeroed } from "./heap";
import { T_NUMBER, N_INT, typeOf, subtypeOf, intValue, newInt } from "./value";
import { VIEW_A, VIEW_B, viewOf, vNeg, vDigits, vNd, vExp, setView, viewMagCompare, makeNumber, numberFitsI64, fitI64 } from "./number";

/** Significant digits of an inexact quotient (big.Float's 64-bit mantissa holds ~19). */
const DIV_DIGITS: u32 = 19;
/** Results needing more digits than this are refused (undefined) instead of exhausting memory. */
const MAX_DIGITS: i64 = 20000;

@inline function isNum(v: usize): bool { return v != 0 && typeOf(v) == T_NUMBER; }
@inline function bothInt(a: usize, b: usize): bool { return subtypeOf(a) == N_INT && subtypeOf(b) == N_INT; }

/** Digit value of view w at power 10^(e + k). */
@inline function digitAt(w: usize, e: i32, k: i64): u32 {
  const pos = k - (<i64>vExp(w) - <i64>e);
  const nd = <i64>vNd(w);
  if (pos < 0 || pos >= nd) return 0;
  return <u32>load<u8>(vDigits(w) + <usize>(nd - 1 - pos)) - 48;
}

/** a + b, or a - b when negateB; on views VIEW_A and VIEW_B. */
function addViews(negateB: bool): usize {
  const A = VIEW_A, B = VIEW_B;
  const na = vNeg(A);
  const nb = vNeg(B) != negateB;
  if (vNd(B) == 0) return makeNumber(na, vDigits(A), vNd(A), vExp(A));
  if (vNd(A) == 0) return makeNumber(nb, vDigits(B), vNd(B), vExp(B));
  const e = vExp(A) < vExp(B) ? vExp(A) : vExp(B);
  const la = <i64>vNd(A) + <i64>vExp(A) - <i64>e;
  const lb = <i64>vNd(B) + <i64>vExp(B) - <i64>e;
  const n = (la > lb ? la : lb) + 1;
  if (n > MAX_DIGITS) return 0;
  const out = alloc(<usize>n);
  if (na == nb) {
    let carry: u32 = 0;
    for (let k: i64 = 0; k < n; k++) {
      const s = digitAt(A, e, k) + digitAt(B, e, k) + carry;
      carry = s >= 10 ? 1 : 0;
      store<u8>(out + <usize>(n - 1 - k), <u8>(48 + s - carry * 10));
    }
    return makeNumber(na, out, <u32>n, e);
  }
  const c = viewMagCompare(A, B);
  if (c == 0) return newInt(0);
  const big = c > 0 ? A : B, small = c > 0 ? B : A;
  let borrow: i32 = 0;
  for (let k: i64 = 0; k < n; k++) {
    let s = <i32>digitAt(big, e, k) - <i32>digitAt(small, e, k) - borrow;
    borrow = s < 0 ? 1 : 0;
    s += borrow * 10;
    store<u8>(out + <usize>(n - 1 - k), <u8>(48 + s));
  }
  return makeNumber(c > 0 ? na : nb, out, <u32>n, e);
}

function addSub(a: usize, b: usize, sub: bool): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const x = intValue(a), y = intValue(b);
    const r = sub ? x - y : x + y;
    const overflow = sub ? ((x ^ y) & (x ^ r)) < 0 : ((x ^ r) & (y ^ r)) < 0;
    if (!overflow) return newInt(r);
  }
  viewOf(a, VIEW_A);
  viewOf(b, VIEW_B);
  return addViews(sub);
}

export function opa_arith_plus(a: usize, b: usize): usize { return addSub(a, b, false); }
export function opa_arith_minus(a: usize, b: usize): usize { return addSub(a, b, true); }

export function opa_arith_multiply(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const x = intValue(a), y = intValue(b);
    if (x == 0 || y == 0) return newInt(0);
    const r = x * y;
    if (r / y == x && r / x == y && !(x == -1 && y == i64.MIN_VALUE) && !(y == -1 && x == i64.MIN_VALUE)) return newInt(r);
  }
  viewOf(a, VIEW_A);
  viewOf(b, VIEW_B);
  const la = vNd(VIEW_A), lb = vNd(VIEW_B);
  if (la == 0 || lb == 0) return newInt(0);
  const n = la + lb;
  if (<i64>n > MAX_DIGITS) return 0;
  const acc = allocZeroed(<usize>n << 2); // little-endian digit sums
  const da = vDigits(VIEW_A), db = vDigits(VIEW_B);
  for (let i: u32 = 0; i < la; i++) {
    const x = <u32>load<u8>(da + la - 1 - i) - 48;
    if (x == 0) continue;
    for (let j: u32 = 0; j < lb; j++) {
      const p = acc + (<usize>(i + j) << 2);
      store<u32>(p, load<u32>(p) + x * (<u32>load<u8>(db + lb - 1 - j) - 48));
    }
  }
  const out = alloc(n);
  let carry: u32 = 0;
  for (let k: u32 = 0; k < n; k++) {
    const s = load<u32>(acc + (<usize>k << 2)) + carry;
    store<u8>(out + n - 1 - k, <u8>(48 + s % 10));
    carry = s / 10;
  }
  return makeNumber(vNeg(VIEW_A) != vNeg(VIEW_B), out, n, vExp(VIEW_A) + vExp(VIEW_B));
}

// Little-endian digit-value big naturals for long division: [digits u8...], length tracked.
function bigCmp(r: usize, rl: u32, b: usize, bl: u32): i32 {
  if (rl != bl) return rl < bl ? -1 : 1;
  for (let i = <i32>rl - 1; i >= 0; i--) {
    const x = load<u8>(r + i), y = load<u8>(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** r -= b (r >= b); returns the new length of r. */
function bigSub(r: usize, rl: u32, b: usize, bl: u32): u32 {
  let borrow: i32 = 0;
  for (let i: u32 = 0; i < rl; i++) {
    let s = <i32>load<u8>(r + i) - (i < bl ? <i32>load<u8>(b + i) : 0) - borrow;
    borrow = s < 0 ? 1 : 0;
    store<u8>(r + i, <u8>(s + borrow * 10));
  }
  while (rl > 0 && load<u8>(r + rl - 1) == 0) rl--;
  return rl;
}

/** r = r * 10 + d; returns the new length. */
function bigShiftIn(r: usize, rl: u32, d: u32): u32 {
  if (rl == 0) {
    if (d == 0) return 0;
    store<u8>(r, <u8>d);
    return 1;
  }
  memory.copy(r + 1, r, rl);
  store<u8>(r, <u8>d);
  return rl + 1;
}

/** The divisor view's digits as a little-endian big natural (exponent ignored). */
function bigFromView(w: usize): usize {
  const n = vNd(w);
  const b = alloc(n);
  const d = vDigits(w);
  for (let i: u32 = 0; i < n; i++) store<u8>(b + i, <u8>(load<u8>(d + n - 1 - i) - 48));
  return b;
}

let remLen: u32 = 0;

/** One quotient digit: subtracts b from r while r >= b. Updates remLen. */
@inline function quotientDigit(r: usize, b: usize, bl: u32): u32 {
  let q: u32 = 0;
  while (bigCmp(r, remLen, b, bl) >= 0) {
    remLen = bigSub(r, remLen, b, bl);
    q++;
  }
  return q;
}

export function opa_arith_divide(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const x = intValue(a), y = intValue(b);
    if (y == 0) return 0;
    if (!(x == i64.MIN_VALUE && y == -1) && x % y == 0) return newInt(x / y);
  }
  viewOf(a, VIEW_A);
  viewOf(b, VIEW_B);
  const na = vNd(VIEW_A), nb = vNd(VIEW_B);
  if (nb == 0) return 0;
  if (na == 0) return newInt(0);
  const bd = bigFromView(VIEW_B);
  const r = allocZeroed(<usize>nb + 2);
  remLen = 0;
  const cap = na + DIV_DIGITS + 2;
  const q = alloc(cap + 1);
  store<u8>(q, 48); // room for a rounding carry
  let qn: u32 = 0, sig: u32 = 0, extra: i32 = 0;
  const da = vDigits(VIEW_A);
  let i: u32 = 0;
  while (true) {
    let d: u32 = 0;
    if (i < na) { d = <u32>load<u8>(da + i) - 48; i++; }
    else if (remLen == 0 || sig >= DIV_DIGITS) break;
    else extra++;
    remLen = bigShiftIn(r, remLen, d);
    const qd = quotientDigit(r, bd, nb);
    store<u8>(q + 1 + qn, <u8>(48 + qd));
    qn++;
    if (sig > 0 || qd != 0) sig++;
  }
  if (remLen != 0) {
    remLen = bigShiftIn(r, remLen, 0);
    const next = quotientDigit(r, bd, nb);
    const last = <u32>load<u8>(q + qn) - 48;
    if (next > 5 || (next == 5 && (remLen != 0 || (last & 1) == 1))) {
      let k = qn;
      while (true) {
        const c = <u32>load<u8>(q + k) + 1;
        if (c <= 57) { store<u8>(q + k, <u8>c); break; }
        store<u8>(q + k, 48);
        k--;
      }
    }
  }
  return makeNumber(vNeg(VIEW_A) != vNeg(VIEW_B), q, qn + 1, vExp(VIEW_A) - vExp(VIEW_B) - extra);
}

/** Remainder of integers (integral decimals allowed), with the sign of the dividend. */
export function opa_arith_rem(a: usize, b: usize): usize {
  if (!isNum(a) || !isNum(b)) return 0;
  if (bothInt(a, b)) {
    const y = intValue(b);
    if (y == 0) return 0;
    return newInt(intValue(a) % y);
  }
  viewOf(a, VIEW_A);
  viewOf(b, VIEW_B);
  if (vExp(VIEW_A) < 0 || vExp(VIEW_B) < 0) return 0;
  const nb = vNd(VIEW_B);
  if (nb == 0) return 0;
  if (vNd(VIEW_A) == 0) return newInt(0);
  const la = <i64>vNd(VIEW_A) + <i64>vExp(VIEW_A);
  const lb = <i64>nb + <i64>vExp(VIEW_B);
  if (la > MAX_DIGITS || lb > MAX_DIGITS) return 0;
  const bl = <u32>lb;
  const bd = allocZeroed(bl);
  const dbv = vDigits(VIEW_B);
  for (let k: u32 = 0; k < nb; k++) store<u8>(bd + bl - 1 - k, <u8>(load<u8>(dbv + k) - 48));
  const r = allocZeroed(bl + 2);
  remLen = 0;
  const da = vDigits(VIEW_A);
  const na = vNd(VIEW_A);
  for (let k: i64 = 0; k < la; k++) {
    const d: u32 = k < <i64>na ? <u32>load<u8>(da + <usize>k) - 48 : 0;
    remLen = bigShiftIn(r, remLen, d);
    quotientDigit(r, bd, bl);
  }
  const out = alloc(remLen + 1);
  for (let k: u32 = 0; k < remLen; k++) store<u8>(out + k, <u8>(48 + load<u8>(r + remLen - 1 - k)));
  return makeNumber(vNeg(VIEW_A), out, remLen, 0);
}

export function opa_arith_abs(a: usize): usize {
  if (!isNum(a)) return 0;
  if (subtypeOf(a) == N_INT) {
    const x = intValue(a);
    if (x >= 0) return a;
    if (x != i64.MIN_VALUE) return newInt(-x);
  }
  viewOf(a, VIEW_A);
  return makeNumber(false, vDigits(VIEW_A), vNd(VIEW_A), vExp(VIEW_A));
}

const ROUND: i32 = 0;
const CEIL: i32 = 1;
const FLOOR: i32 = 2;

function toIntegral(a: usize, mode: i32): usize {
  if (!isNum(a)) return 0;
  if (subtypeOf(a) == N_INT) return a;
  viewOf(a, VIEW_A);
  const neg = vNeg(VIEW_A);
  const nd = vNd(VIEW_A), exp = vExp(VIEW_A);
  const d = vDigits(VIEW_A);
  if (exp >= 0) return makeNumber(neg, d, nd, exp);
  // Normalised, so a negative exponent means a non-zero fraction.
  const adj = <i64>nd + <i64>exp;
  const ip = makeNumber(neg, d, adj > 0 ? <u32>adj : 0, 0);
  let up: bool; // away from zero by one
  if (mode == ROUND) up = adj >= 0 && load<u8>(d + <usize>adj) >= 53;
  else if (mode == CEIL) up = !neg;
  else up = neg;
  if (!up) return neg && numberIsZero(ip) ? newInt(0) : ip;
  viewOf(ip, VIEW_A);
  setView(VIEW_B, neg, ONE, 1, 0);
  return addViews(false);
}

const ONE: usize = memory.data<u8>([49]);

function numberIsZero(v: usize): bool {
  return subtypeOf(v) == N_INT && intValue(v) == 0;
}

/** Half away from zero. */
export function opa_arith_round(a: usize): usize { return toIntegral(a, ROUND); }
export function opa_arith_ceil(a: usize): usize { return toIntegral(a, CEIL); }
export function opa_arith_floor(a: usize): usize { return toIntegral(a, FLOOR); }

// ---- conversions to and from f64, for builtins that compute in floating point.

function pow10(k: i32): f64 {
  let r: f64 = 1;
  for (let i = 0; i < k; i++) r *= 10;
  return r;
}

/** Value of a view as f64: exact (correctly rounded) up to 15 digits and |exp| <= 22. */
function viewToF64(w: usize): f64 {
  const nd = vNd(w);
  if (nd == 0) return 0;
  const d = vDigits(w);
  const take = nd < 19 ? nd : 19;
  let m: u64 = 0;
  for (let i: u32 = 0; i < take; i++) m = m * 10 + <u64>(load<u8>(d + i) - 48);
  const e = <i64>vExp(w) + <i64>(nd - take);
  let r: f64;
  if (e >= 0 && e <= 22) r = <f64>m * pow10(<i32>e);
  else if (e < 0 && e >= -22) r = <f64>m / pow10(<i32>-e);
  else r = <f64>m * Math.pow(10, <f64>e);
  return vNeg(w) ? -r : r;
}

export function opa_number_to_f64(v: usize): f64 {
  if (!isNum(v)) return NaN;
  if (subtypeOf(v) == N_INT) return <f64>intValue(v);
  viewOf(v, VIEW_A);
  return viewToF64(VIEW_A);
}

/** Digits written by the last binaryToDecimal. */
export let decimalLen: u32 = 0;

/**
 * The exact decimal digits of m * 2^e2 (every float64 is a finite decimal: m * 5^-e2 * 10^e2),
 * little-endian digit values in a zeroed buffer of `cap` bytes; their count is in decimalLen.
 */
export function binaryToDecimal(m: u64, e2: i32, cap: u32): usize {
  const big = allocZeroed(cap);
  let len: u32 = 0;
  let t = m;
  while (t != 0) { store<u8>(big + len, <u8>(t % 10)); t /= 10; len++; }
  const factor: u32 = e2 < 0 ? 5 : 2;
  const times = e2 < 0 ? -e2 : e2;
  for (let i = 0; i < times; i++) {
    let carry: u32 = 0;
    for (let k: u32 = 0; k < len; k++) {
      const s = <u32>load<u8>(big + k) * factor + carry;
      store<u8>(big + k, <u8>(s % 10));
      carry = s / 10;
    }
    while (carry != 0) { store<u8>(big + len, <u8>(carry % 10)); carry /= 10; len++; }
  }
  decimalLen = len;
  return big;
}

/**
 * A number equal to x (shortest digits that read back as x where that can be checked exactly,
 * else 17 significant digits). NaN and infinities give 0.
 */
export function opa_number_f64(x: f64): usize {
  if (!isFinite(x)) return 0;
  if (x == Math.trunc(x) && Math.abs(x) < 9.2e18) return newInt(<i64>x);
  const bits = reinterpret<u64>(x);
  const neg = (bits >> 63) != 0;
  const be = <i32>((bits >> 52) & 0x7ff);
  let m: u64 = bits & 0xfffffffffffff;
  let e2: i32;
  if (be == 0) e2 = -1074; else { m |= 0x10000000000000; e2 = be - 1075; }
  // Exact decimal: m * 2^e2 = m * 5^-e2 * 10^e2 (e2 < 0 here, or x is a huge integer).
  const big = binaryToDecimal(m, e2, 800);
  const len = decimalLen;
  const exp10 = e2 < 0 ? e2 : 0;
  const ascii = alloc(len + 1);
  store<u8>(ascii, 48);
  for (let k: u32 = 0; k < len; k++) store<u8>(ascii + 1 + k, <u8>(48 + load<u8>(big + len - 1 - k)));
  // Try n significant digits, shortest first; accept when the exact fast path reads back x.
  for (let n: u32 = 1; n <= 17; n++) {
    if (n >= len) return makeNumber(neg, ascii + 1, len, exp10);
    const cand = alloc(n + 1);
    memory.copy(cand, ascii, n + 1);
    const next = <u32>load<u8>(ascii + 1 + n) - 48;
    let rest = false;
    for (let k = n + 1; k < len && !rest; k++) rest = load<u8>(ascii + 1 + k) != 48;
    if (next > 5 || (next == 5 && (rest || ((<u32>load<u8>(cand + n) - 48) & 1) == 1))) {
      let k = n;
      while (true) {
        const c = <u32>load<u8>(cand + k) + 1;
        if (c <= 57) { store<u8>(cand + k, <u8>c); break; }
        store<u8>(cand + k, 48);
        k--;
      }
    }
    const e = exp10 + <i32>(len - n);
    if (n == 17) return makeNumber(neg, cand, n + 1, e);
    setView(VIEW_A, false, cand, n + 1, e);
    let coef: u64 = 0;
    for (let k: u32 = 0; k <= n; k++) coef = coef * 10 + <u64>(load<u8>(cand + k) - 48);
    if (coef <= 9007199254740992 && e >= -22 && e <= 22) {
      const back = e >= 0 ? <f64>coef * pow10(e) : <f64>coef / pow10(-e);
      if (back == Math.abs(x)) return makeNumber(neg, cand, n + 1, e);
    }
  }
  return 0;
}

/** i64 value of an integral number (for builtins); sets ok via numberFitsI64. */
export function numberToI64(v: usize): bool {
  return isNum(v) && numberFitsI64(v);
}

export { fitI64 };
