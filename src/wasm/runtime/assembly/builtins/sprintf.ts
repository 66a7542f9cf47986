// sprintf(format, args) with Go's fmt semantics as OPA applies them: integral numbers format as
// Go integers (exact at any size), other numbers as float64, strings as strings, and every other
// value as its Rego text (so `%v` and `%s` print it; `%d` of it reports a bad verb like Go).
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, typeOf, booleanValue, strPtr, strLen, arrLen, arrGet } from "../value";
import { mapLen, entryAt, entryKey, entryValue } from "../map";
import { sortMap } from "../sort";
import { newBuffer, bufByte, bufBytes, bufAscii, bufPtr, bufLen, bufReserve, bufAdvance } from "../buffer";
import { writeNumber } from "../dump";
import { viewOf, VIEW_A, vNeg, vDigits, vNd, vExp, numberFitsI64, numberText, numberTextLen } from "../number";
import { opa_number_to_f64, opa_number_f64, binaryToDecimal, decimalLen } from "../arith";
import { alloc } from "../heap";
import { utf8Encode, utf8Count } from "../string";
import { isType, bufString, decodeAt, cpWidth, decimalToRadix, radixLen, HEX_LOWER, HEX_UPPER } from "./util";

// Argument kinds, after OPA's conversion to Go values.
const K_INT: u32 = 0; // int (fits int64)
const K_BIG: u32 = 1; // *big.Int
const K_FLOAT: u32 = 2; // float64
const K_STR: u32 = 3; // string (Rego strings, and the text of any other value)


// ---- the current directive
let fMinus = false, fPlus = false, fSharp = false, fSpace = false, fZero = false;
let wid: i32 = -1, prec: i32 = -1;

// ---- Rego value text (OPA's Value.String()), strings quoted Go-style.

function writeGoQuoted(b: usize, p: usize, n: u32): void {
  bufByte(b, 34);
  let i: u32 = 0;
  while (i < n) {
    const c = decodeAt(p, n, i);
    const w = cpWidth;
    const invalid = c == 0xfffd && w == 1 && load<u8>(p + i) != 0xef;
    if (invalid) {
      bufAscii(b, "\\x");
      const x = <u32>load<u8>(p + i);
      bufByte(b, load<u8>(HEX_LOWER + (x >> 4)));
      bufByte(b, load<u8>(HEX_LOWER + (x & 15)));
    } else if (c == 34) bufAscii(b, "\\\"");
    else if (c == 92) bufAscii(b, "\\\\");
    else if (c == 7) bufAscii(b, "\\a");
    else if (c == 8) bufAscii(b, "\\b");
    else if (c == 12) bufAscii(b, "\\f");
    else if (c == 10) bufAscii(b, "\\n");
    else if (c == 13) bufAscii(b, "\\r");
    else if (c == 9) bufAscii(b, "\\t");
    else if (c == 11) bufAscii(b, "\\v");
    else if (c < 0x20 || c == 0x7f) {
      bufAscii(b, "\\x");
      bufByte(b, load<u8>(HEX_LOWER + (c >> 4)));
      bufByte(b, load<u8>(HEX_LOWER + (c & 15)));
    } else if ((c >= 0x80 && c < 0xa0) || c == 0xad || (c >= 0x2028 && c <= 0x202e) || (c >= 0xfff9 && c <= 0xfffb) || c == 0xfeff) {
      bufAscii(b, "\\u");
      for (let s: i32 = 12; s >= 0; s -= 4) bufByte(b, load<u8>(HEX_LOWER + ((c >> <u32>s) & 15)));
    } else bufBytes(b, p + i, w);
    i += w;
  }
  bufByte(b, 34);
}

export function writeRegoText(b: usize, v: usize): void {
  const t = typeOf(v);
  if (t == T_NULL) { bufAscii(b, "null"); return; }
  if (t == T_BOOLEAN) { bufAscii(b, booleanValue(v) ? "true" : "false"); return; }
  if (t == T_NUMBER) { writeNumber(b, v); return; }
  if (t == T_STRING) { writeGoQuoted(b, strPtr(v), strLen(v)); return; }
  if (t == T_ARRAY) {
    bufByte(b, 91);
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) bufAscii(b, ", ");
      writeRegoText(b, arrGet(v, i));
    }
    bufByte(b, 93);
    return;
  }
  const n = mapLen(v);
  if (t != T_OBJECT && n == 0) { bufAscii(b, "set()"); return; }
  sortMap(v);
  bufByte(b, 123);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) bufAscii(b, ", ");
    const e = entryAt(v, i);
    writeRegoText(b, entryKey(e));
    if (t == T_OBJECT) {
      bufAscii(b, ": ");
      writeRegoText(b, entryValue(e));
    }
  }
  bufByte(b, 125);
}

// ---- padding

function padding(b: usize, n: i32, zero: bool): void {
  for (let i: i32 = 0; i < n; i++) bufByte(b, zero ? 48 : 32);
}

/** Writes [p, p+n) padded to the width (counted in code points). */
function padded(b: usize, p: usize, n: u32): void {
  const w = <i32>utf8Count(p, n);
  if (wid <= w) { bufBytes(b, p, n); return; }
  if (fMinus) { bufBytes(b, p, n); padding(b, wid - w, false); return; }
  padding(b, wid - w, fZero);
  bufBytes(b, p, n);
}

// ---- integers: sign and magnitude digits (ASCII decimal) of an integral number

let intNeg = false;
let intDec: usize = 0;
let intDecLen: u32 = 0;

function loadInt(v: usize): void {
  viewOf(v, VIEW_A);
  intNeg = vNeg(VIEW_A);
  const nd = vNd(VIEW_A), exp = vExp(VIEW_A);
  if (nd == 0) { intDec = alloc(1); store<u8>(intDec, 48); intDecLen = 1; intNeg = false; return; }
  intDecLen = nd + <u32>exp;
  intDec = alloc(intDecLen);
  memory.copy(intDec, vDigits(VIEW_A), nd);
  memory.fill(intDec + nd, 48, <usize>exp);
}

/** Magnitude digits in radix r (2, 8, 16) from intDec; returns length, digits at radixOut. */
let radixOut: usize = 0;
function toRadix(r: u32, upper: bool): u32 {
  radixOut = decimalToRadix(intDec, intDecLen, r, upper);
  return radixLen;
}

/** Go's fmtInteger for the loaded integer. */
function fmtInteger(b: usize, verb: u32): void {
  let digits = intDec;
  let nd = intDecLen;
  if (verb == 120 || verb == 88) { nd = toRadix(16, verb == 88); digits = radixOut; }
  else if (verb == 111 || verb == 79) { nd = toRadix(8, false); digits = radixOut; }
  else if (verb == 98) { nd = toRadix(2, false); digits = radixOut; }
  const tmp = newBuffer(nd + 8);
  // Precision is a minimum digit count; the zero flag pads to the width when there is none.
  let minDigits: i32 = prec;
  if (prec < 0 && fZero && wid > 0 && !fMinus) {
    minDigits = wid;
    if (intNeg || fPlus || fSpace) minDigits--;
  }
  if (intNeg) bufByte(tmp, 45);
  else if (fPlus) bufByte(tmp, 43);
  else if (fSpace) bufByte(tmp, 32);
  if (verb == 79) bufAscii(tmp, "0o");
  else if (fSharp) {
    if (verb == 120) bufAscii(tmp, "0x");
    else if (verb == 88) bufAscii(tmp, "0X");
    else if (verb == 98) bufAscii(tmp, "0b");
    else if (verb == 111 && load<u8>(digits) != 48) bufByte(tmp, 48);
  }
  // Precision 0 with value 0 prints no digits.
  const zeroValue = nd == 1 && load<u8>(digits) == 48;
  if (!(prec == 0 && zeroValue)) {
    for (let i = <i32>nd; i < minDigits; i++) bufByte(tmp, 48);
    bufBytes(tmp, digits, nd);
  }
  const saveZero = fZero;
  fZero = false;
  padded(b, bufPtr(tmp), bufLen(tmp));
  fZero = saveZero;
}

// ---- floats: a decimal digit string d (ASCII, no leading zeros), value 0.d × 10^dp

let fdig: usize = 0;
let fnd: u32 = 0;
let fdp: i32 = 0;
let fneg = false;

/** Shortest digits that read back as the same float64. */
function loadShortest(v: usize): void {
  const f = opa_number_to_f64(v);
  fneg = f < 0 || (f == 0 && 1 / f < 0);
  const w = opa_number_f64(Math.abs(f));
  viewOf(w, VIEW_A);
  fnd = vNd(VIEW_A);
  fdig = vDigits(VIEW_A);
  fdp = <i32>fnd + vExp(VIEW_A);
  if (fnd == 0) { fdp = 0; }
}

/** Exact decimal expansion of |f| (every float64 is a finite decimal). */
function loadExact(v: usize): void {
  const f = opa_number_to_f64(v);
  fneg = f < 0 || (f == 0 && 1 / f < 0);
  const bits = reinterpret<u64>(f);
  const be = <i32>((bits >> 52) & 0x7ff);
  let m: u64 = bits & 0xfffffffffffff;
  let e2: i32;
  if (be == 0) e2 = -1074; else { m |= 0x10000000000000; e2 = be - 1075; }
  if (m == 0) { fnd = 0; fdp = 0; fdig = alloc(1); return; }
  const big = binaryToDecimal(m, e2, 1200);
  const len = decimalLen;
  fdig = alloc(len);
  for (let k: u32 = 0; k < len; k++) store<u8>(fdig + k, <u8>(48 + load<u8>(big + len - 1 - k)));
  fnd = len;
  fdp = <i32>len + (e2 < 0 ? e2 : 0);
  while (fnd > 0 && load<u8>(fdig + fnd - 1) == 48) fnd--;
}

/** Rounds the digits to n significant digits, half to even on exact ties. */
function roundTo(n: i32): void {
  if (n < 0) { fnd = 0; return; }
  if (<u32>n >= fnd) return;
  const next = <u32>load<u8>(fdig + n) - 48;
  let up = next > 5;
  if (next == 5) {
    let rest = false;
    for (let k = <u32>n + 1; k < fnd && !rest; k++) rest = load<u8>(fdig + k) != 48;
    up = rest || (n > 0 && ((<u32>load<u8>(fdig + n - 1) - 48) & 1) == 1);
  }
  fnd = <u32>n;
  if (!up) return;
  let k = n - 1;
  while (k >= 0) {
    const c = <u32>load<u8>(fdig + k) + 1;
    if (c <= 57) { store<u8>(fdig + k, <u8>c); fnd = <u32>k + 1; return; }
    k--;
  }
  // All nines: 0.999 → 1.0 with one more integer digit.
  const d = alloc(1);
  store<u8>(d, 49);
  fdig = d;
  fnd = 1;
  fdp++;
}

@inline function digitAt(i: i32): u32 {
  return i >= 0 && <u32>i < fnd ? <u32>load<u8>(fdig + i) : 48;
}

function writeE(tmp: usize, p: i32, upper: bool): void {
  bufByte(tmp, digitAt(0));
  if (p > 0) {
    bufByte(tmp, 46);
    for (let i: i32 = 1; i <= p; i++) bufByte(tmp, digitAt(i));
  }
  bufByte(tmp, upper ? 69 : 101);
  let x = fnd == 0 ? 0 : fdp - 1;
  bufByte(tmp, x < 0 ? 45 : 43);
  if (x < 0) x = -x;
  if (x < 10) bufByte(tmp, 48);
  const q = bufReserve(tmp, 8);
  let len: u32 = 0;
  const digits = alloc(8);
  do { store<u8>(digits + len, <u8>(48 + x % 10)); x /= 10; len++; } while (x > 0);
  for (let i: u32 = 0; i < len; i++) store<u8>(q + i, load<u8>(digits + len - 1 - i));
  bufAdvance(tmp, len);
}

function writeF(tmp: usize, p: i32): void {
  if (fdp > 0) for (let i: i32 = 0; i < fdp; i++) bufByte(tmp, digitAt(i));
  else bufByte(tmp, 48);
  if (p > 0) {
    bufByte(tmp, 46);
    for (let i: i32 = 0; i < p; i++) bufByte(tmp, digitAt(fdp + i));
  }
}

function fmtFloat(b: usize, v: usize, verb: u32): void {
  const tmp = newBuffer(32);
  let shortest = false;
  let p = prec;
  if (verb == 118) verb = 103;
  if ((verb == 103 || verb == 71) && p < 0) shortest = true;
  if (shortest) loadShortest(v); else loadExact(v);
  if (fneg) bufByte(tmp, 45);
  else if (fPlus) bufByte(tmp, 43);
  else if (fSpace) bufByte(tmp, 32);
  if (verb == 101 || verb == 69) {
    if (p < 0) p = 6;
    if (fnd > 0) roundTo(p + 1);
    writeE(tmp, p, verb == 69);
  } else if (verb == 102 || verb == 70) {
    if (p < 0) p = 6;
    if (fnd > 0) roundTo(fdp + p);
    writeF(tmp, p);
  } else {
    // %g: shortest digits, or `p` significant digits.
    let eprec: i32;
    if (shortest) { eprec = 6; p = <i32>fnd; }
    else {
      if (p == 0) p = 1;
      if (fnd > 0) roundTo(p);
      eprec = p;
      if (eprec > <i32>fnd && <i32>fnd >= fdp) eprec = <i32>fnd;
    }
    const x = fnd == 0 ? 0 : fdp - 1;
    if (x < -4 || x >= eprec) {
      const ep = (shortest ? <i32>fnd : (p < <i32>fnd ? p : <i32>fnd)) - 1;
      writeE(tmp, ep < 0 ? 0 : ep, verb == 71);
    } else {
      const digits = shortest ? <i32>fnd : (p < <i32>fnd ? p : <i32>fnd);
      const fp = digits - fdp;
      writeF(tmp, fp > 0 ? fp : 0);
    }
  }
  // Zero padding goes after the sign.
  if (fZero && !fMinus && wid > <i32>bufLen(tmp)) {
    const sign = fneg || fPlus || fSpace;
    if (sign) bufByte(b, load<u8>(bufPtr(tmp)));
    padding(b, wid - <i32>bufLen(tmp), true);
    bufBytes(b, bufPtr(tmp) + (sign ? 1 : 0), bufLen(tmp) - (sign ? 1 : 0));
    return;
  }
  const saveZero = fZero;
  fZero = false;
  padded(b, bufPtr(tmp), bufLen(tmp));
  fZero = saveZero;
}

// ---- strings

function fmtString(b: usize, p: usize, n: u32, verb: u32): void {
  if (verb == 115 || verb == 118) {
    // Precision truncates to that many code points.
    if (prec >= 0) {
      let i: u32 = 0, k: i32 = 0;
      while (i < n && k < prec) { decodeAt(p, n, i); i += cpWidth; k++; }
      n = i;
    }
    padded(b, p, n);
    return;
  }
  const tmp = newBuffer(n + 8);
  if (verb == 113) writeGoQuoted(tmp, p, n);
  else {
    const hex = verb == 88 ? HEX_UPPER : HEX_LOWER;
    for (let i: u32 = 0; i < n; i++) {
      if (fSpace && i > 0) bufByte(tmp, 32);
      if (fSharp && (i == 0 || fSpace)) bufAscii(tmp, verb == 88 ? "0X" : "0x");
      const c = <u32>load<u8>(p + i);
      bufByte(tmp, load<u8>(hex + (c >> 4)));
      bufByte(tmp, load<u8>(hex + (c & 15)));
    }
  }
  padded(b, bufPtr(tmp), bufLen(tmp));
}

// ---- argument classification

function kindOf(v: usize): u32 {
  const t = typeOf(v);
  if (t == T_STRING) return K_STR;
  if (t != T_NUMBER) return K_STR;
  // OPA keeps number literals as text and takes the integer path only for plain digit
  // strings: 1e3 and 1.0 format as floats, as they do there.
  const text = numberText(v);
  if (text != 0) {
    const tn = numberTextLen(v);
    for (let i: u32 = 0; i < tn; i++) {
      const c = <u32>load<u8>(text + i);
      if (c == 46 || c == 101 || c == 69) return K_FLOAT;
    }
  }
  viewOf(v, VIEW_A);
  if (vExp(VIEW_A) >= 0) return numberFitsI64(v) ? K_INT : K_BIG;
  return K_FLOAT;
}

/** The text of a K_STR argument: the string itself, or the value's Rego text. */
let textPtr: usize = 0;
let textLen: u32 = 0;
function loadText(v: usize): void {
  if (typeOf(v) == T_STRING) { textPtr = strPtr(v); textLen = strLen(v); return; }
  const t = newBuffer(32);
  writeRegoText(t, v);
  textPtr = bufPtr(t);
  textLen = bufLen(t);
}

function typeName(b: usize, k: u32): void {
  if (k == K_INT) bufAscii(b, "int");
  else if (k == K_BIG) bufAscii(b, "*big.Int");
  else if (k == K_FLOAT) bufAscii(b, "float64");
  else bufAscii(b, "string");
}

/** The value as %v would print it, flags cleared (for error notes). */
function plainValue(b: usize, v: usize, k: u32): void {
  const sm = fMinus, sp = fPlus, ss = fSharp, ssp = fSpace, sz = fZero, sw = wid, spr = prec;
  fMinus = fPlus = fSharp = fSpace = fZero = false;
  wid = -1; prec = -1;
  if (k == K_INT || k == K_BIG) { loadInt(v); fmtInteger(b, 100); }
  else if (k == K_FLOAT) fmtFloat(b, v, 103);
  else { loadText(v); bufBytes(b, textPtr, textLen); }
  fMinus = sm; fPlus = sp; fSharp = ss; fSpace = ssp; fZero = sz; wid = sw; prec = spr;
}

function badVerb(b: usize, verb: u32, v: usize, k: u32): void {
  bufAscii(b, "%!");
  bufAdvance(b, utf8Encode(bufReserve(b, 4), verb));
  bufByte(b, 40);
  typeName(b, k);
  bufByte(b, 61);
  plainValue(b, v, k);
  bufByte(b, 41);
}

function formatArg(b: usize, verb: u32, v: usize): void {
  const k = kindOf(v);
  if (verb == 84) { // %T
    const t = newBuffer(16);
    typeName(t, k);
    padded(b, bufPtr(t), bufLen(t));
    return;
  }
  if (k == K_INT || k == K_BIG) {
    if (verb == 100 || verb == 118 || verb == 120 || verb == 88 || verb == 111 || verb == 79 || verb == 98) {
      loadInt(v);
      fmtInteger(b, verb == 118 ? 100 : verb);
      return;
    }
    if (k == K_BIG && verb == 115) { loadInt(v); fmtInteger(b, 100); return; }
    if (k == K_INT && (verb == 99 || verb == 113 || verb == 85) && numberFitsI64(v)) {
      loadInt(v);
      let cp: u32 = 0;
      for (let i: u32 = 0; i < intDecLen && cp <= 0x10ffff; i++) cp = cp * 10 + <u32>load<u8>(intDec + i) - 48;
      if (intNeg || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
      const t = newBuffer(16);
      if (verb == 85) {
        bufAscii(t, "U+");
        let started = false;
        for (let s: i32 = 20; s >= 0; s -= 4) {
          const d = (cp >> <u32>s) & 15;
          if (d != 0 || started || s <= 12) { bufByte(t, load<u8>(HEX_UPPER + d)); started = true; }
        }
      } else {
        if (verb == 113) bufByte(t, 39);
        bufAdvance(t, utf8Encode(bufReserve(t, 4), cp));
        if (verb == 113) bufByte(t, 39);
      }
      padded(b, bufPtr(t), bufLen(t));
      return;
    }
    badVerb(b, verb, v, k);
    return;
  }
  if (k == K_FLOAT) {
    if (verb == 118 || verb == 101 || verb == 69 || verb == 102 || verb == 70 || verb == 103 || verb == 71) {
      fmtFloat(b, v, verb);
      return;
    }
    badVerb(b, verb, v, k);
    return;
  }
  if (verb == 115 || verb == 118 || verb == 113 || verb == 120 || verb == 88) {
    loadText(v);
    fmtString(b, textPtr, textLen, verb);
    return;
  }
  badVerb(b, verb, v, k);
}

@inline function isDigitByte(c: u32): bool { return c - 48 < 10; }

export function builtin_sprintf(format: usize, args: usize): usize {
  if (!isType(format, T_STRING) || !isType(args, T_ARRAY)) return 0;
  const p = strPtr(format), n = strLen(format);
  const nargs = arrLen(args);
  const b = newBuffer(n + 16);
  let argi: u32 = 0;
  let i: u32 = 0;
  while (i < n) {
    const c = <u32>load<u8>(p + i);
    if (c != 37) {
      const start = i;
      while (i < n && load<u8>(p + i) != 37) i++;
      bufBytes(b, p + start, i - start);
      continue;
    }
    i++;
    fMinus = fPlus = fSharp = fSpace = fZero = false;
    wid = -1; prec = -1;
    while (i < n) {
      const f = <u32>load<u8>(p + i);
      if (f == 45) { fMinus = true; fZero = false; }
      else if (f == 43) fPlus = true;
      else if (f == 35) fSharp = true;
      else if (f == 32) fSpace = true;
      else if (f == 48) fZero = !fMinus;
      else break;
      i++;
    }
    if (i < n && isDigitByte(load<u8>(p + i))) {
      wid = 0;
      while (i < n && isDigitByte(load<u8>(p + i))) { if (wid < 1000000) wid = wid * 10 + <i32>(load<u8>(p + i) - 48); i++; }
    }
    if (i < n && load<u8>(p + i) == 46) {
      i++;
      prec = 0;
      while (i < n && isDigitByte(load<u8>(p + i))) { if (prec < 1000000) prec = prec * 10 + <i32>(load<u8>(p + i) - 48); i++; }
    }
    if (wid > 100000 || prec > 100000) return 0; // a pathological width would exhaust memory
    if (i >= n) { bufAscii(b, "%!(NOVERB)"); break; }
    const verb = decodeAt(p, n, i);
    i += cpWidth;
    if (verb == 37) { bufByte(b, 37); continue; }
    if (argi >= nargs) {
      bufAscii(b, "%!");
      bufAdvance(b, utf8Encode(bufReserve(b, 4), verb));
      bufAscii(b, "(MISSING)");
      continue;
    }
    formatArg(b, verb, arrGet(args, argi));
    argi++;
  }
  if (argi < nargs) {
    bufAscii(b, "%!(EXTRA ");
    for (let k = argi; k < nargs; k++) {
      if (k > argi) bufAscii(b, ", ");
      const v = arrGet(args, k);
      const kind = kindOf(v);
      typeName(b, kind);
      bufByte(b, 61);
      plainValue(b, v, kind);
    }
    bufByte(b, 41);
  }
  return bufString(b);
}
