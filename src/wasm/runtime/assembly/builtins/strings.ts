// String builtins over UTF-8 values. Positions and lengths seen by policies are in code points,
// as in OPA; searching works on bytes, which is equivalent for valid UTF-8.
import { T_SET, T_NUMBER, T_OBJECT, typeOf, newBoolean, newInt, newString, newArray, arrLen, arrGet } from "../value";
import { arrayAppend } from "../ops";
import { mapLen, entryAt, entryKey, entryValue } from "../map";
import { sortMap } from "../sort";
import { bufBytes, bufReserve, bufAdvance } from "../buffer";
import { utf8Count, utf8Encode, bytesEqual } from "../string";
import { numberFitsI64, fitI64 } from "../number";
import { alloc } from "../heap";
import {
  isType, isString, isArrayOrSet, collLen, bufString, newBuf, emptyString,
  decodeAt, cpWidth, prevStart, indexOfBytes, sPtr, sLen, valuesOf,
} from "./util";

/** concat(delimiter, array or set of strings); set elements in sorted order. */
export function builtin_concat(delim: usize, coll: usize): usize {
  if (!isString(delim) || !isArrayOrSet(coll)) return 0;
  const n = collLen(coll);
  const items = valuesOf(coll, typeOf(coll) == T_SET);
  const b = newBuf();
  for (let i: u32 = 0; i < n; i++) {
    const s = load<u32>(items + (<usize>i << 2));
    if (!isString(s)) return 0;
    if (i > 0) bufBytes(b, sPtr(delim), sLen(delim));
    bufBytes(b, sPtr(s), sLen(s));
  }
  return bufString(b);
}

export function builtin_contains(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  return newBoolean(indexOfBytes(sPtr(s), sLen(s), sPtr(sub), sLen(sub), 0) >= 0);
}

export function builtin_startswith(s: usize, pre: usize): usize {
  if (!isString(s) || !isString(pre)) return 0;
  const n = sLen(pre);
  return newBoolean(n <= sLen(s) && bytesEqual(sPtr(s), sPtr(pre), n));
}

export function builtin_endswith(s: usize, suf: usize): usize {
  if (!isString(s) || !isString(suf)) return 0;
  const n = sLen(suf);
  return newBoolean(n <= sLen(s) && bytesEqual(sPtr(s) + sLen(s) - n, sPtr(suf), n));
}

// ---- case mapping: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic (simple mappings).

function toUpperCp(c: u32): u32 {
  if (c < 0x80) return c >= 97 && c <= 122 ? c - 32 : c;
  if (c >= 0xe0 && c <= 0xfe && c != 0xf7) return c - 32;
  if (c == 0xff) return 0x178;
  if (c == 0xb5) return 0x39c;
  if (c >= 0x100 && c <= 0x137) return c & ~1;
  if (c >= 0x139 && c <= 0x148) return (c & 1) == 0 ? c - 1 : c;
  if (c >= 0x14a && c <= 0x177) return c & ~1;
  if (c >= 0x179 && c <= 0x17e) return (c & 1) == 0 ? c - 1 : c;
  if (c == 0x17f) return 0x53;
  if (c >= 0x3b1 && c <= 0x3c9 && c != 0x3c2) return c - 32;
  if (c == 0x3c2) return 0x3a3;
  if (c >= 0x3ac && c <= 0x3af) return c == 0x3ac ? 0x386 : c - 37;
  if (c == 0x3cc) return 0x38c;
  if (c == 0x3cd || c == 0x3ce) return c - 63;
  if (c >= 0x430 && c <= 0x44f) return c - 32;
  if (c >= 0x450 && c <= 0x45f) return c - 80;
  if (c >= 0x460 && c <= 0x4ff && c != 0x482 && !(c >= 0x483 && c <= 0x489)) {
    if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) || (c >= 0x4d0 && c <= 0x4ff)) return c & ~1;
  }
  return c;
}

function toLowerCp(c: u32): u32 {
  if (c < 0x80) return c >= 65 && c <= 90 ? c + 32 : c;
  if (c >= 0xc0 && c <= 0xde && c != 0xd7) return c + 32;
  if (c == 0x178) return 0xff;
  if (c >= 0x100 && c <= 0x137) return c == 0x130 ? 0x69 : c | 1;
  if (c >= 0x139 && c <= 0x148) return (c & 1) == 1 ? c + 1 : c;
  if (c >= 0x14a && c <= 0x177) return c | 1;
  if (c >= 0x179 && c <= 0x17e) return (c & 1) == 1 ? c + 1 : c;
  if (c >= 0x391 && c <= 0x3a9 && c != 0x3a2) return c + 32;
  if (c == 0x386) return 0x3ac;
  if (c >= 0x388 && c <= 0x38a) return c + 37;
  if (c == 0x38c) return 0x3cc;
  if (c == 0x38e || c == 0x38f) return c + 63;
  if (c >= 0x410 && c <= 0x42f) return c + 32;
  if (c >= 0x400 && c <= 0x40f) return c + 80;
  if ((c >= 0x460 && c <= 0x481) || (c >= 0x48a && c <= 0x4bf) || (c >= 0x4d0 && c <= 0x4ff)) return c | 1;
  return c;
}

function mapCase(s: usize, upper: bool): usize {
  if (!isString(s)) return 0;
  const p = sPtr(s), n = sLen(s);
  // ASCII fast path: the string itself when no letter changes, else one copy mapped bytewise.
  const from: u32 = upper ? 97 : 65; // the first letter of the case that changes
  let change = false;
  let ascii = true;
  for (let i: u32 = 0; i < n; i++) {
    const c = <u32>load<u8>(p + i);
    if (c >= 0x80) { ascii = false; break; }
    if (c - from < 26) change = true;
  }
  if (ascii) {
    if (!change) return s;
    const q = alloc(n);
    for (let i: u32 = 0; i < n; i++) {
      const c = <u32>load<u8>(p + i);
      store<u8>(q + i, <u8>(c - from < 26 ? c ^ 32 : c));
    }
    return newString(q, n);
  }
  const b = newBuf();
  let i: u32 = 0;
  while (i < n) {
    const c = decodeAt(p, n, i);
    const w = cpWidth;
    const m = upper ? toUpperCp(c) : toLowerCp(c);
    if (m == c) bufBytes(b, p + i, w);
    else bufAdvance(b, utf8Encode(bufReserve(b, 4), m));
    i += w;
  }
  return bufString(b);
}

export function builtin_upper(s: usize): usize { return mapCase(s, true); }
export function builtin_lower(s: usize): usize { return mapCase(s, false); }

/** split(s, delim): an empty delimiter splits into code points. */
export function builtin_split(s: usize, delim: usize): usize {
  if (!isString(s) || !isString(delim)) return 0;
  const p = sPtr(s), n = sLen(s), q = sPtr(delim), m = sLen(delim);
  const out = newArray(4);
  if (m == 0) {
    let i: u32 = 0;
    while (i < n) {
      decodeAt(p, n, i);
      arrayAppend(out, newString(p + i, cpWidth));
      i += cpWidth;
    }
    return out;
  }
  let start: u32 = 0;
  while (true) {
    const at = indexOfBytes(p, n, q, m, start);
    if (at < 0) break;
    arrayAppend(out, newString(p + start, <u32>at - start));
    start = <u32>at + m;
  }
  arrayAppend(out, newString(p + start, n - start));
  return out;
}

/** Writes s with every occurrence of old replaced by new, at most `limit` times (-1: all). */
function replaceInto(b: usize, p: usize, n: u32, q: usize, m: u32, r: usize, rn: u32, limit: i64): void {
  let done: i64 = 0;
  if (m == 0) {
    // An empty pattern matches before every code point and at the end.
    let i: u32 = 0;
    while (true) {
      if (limit < 0 || done < limit) { bufBytes(b, r, rn); done++; }
      if (i >= n) break;
      decodeAt(p, n, i);
      bufBytes(b, p + i, cpWidth);
      i += cpWidth;
    }
    return;
  }
  let start: u32 = 0;
  while (limit < 0 || done < limit) {
    const at = indexOfBytes(p, n, q, m, start);
    if (at < 0) break;
    bufBytes(b, p + start, <u32>at - start);
    bufBytes(b, r, rn);
    start = <u32>at + m;
    done++;
  }
  bufBytes(b, p + start, n - start);
}

export function builtin_replace(s: usize, old: usize, nw: usize): usize {
  if (!isString(s) || !isString(old) || !isString(nw)) return 0;
  const b = newBuf();
  replaceInto(b, sPtr(s), sLen(s), sPtr(old), sLen(old), sPtr(nw), sLen(nw), -1);
  return bufString(b);
}

/**
 * strings.replace_n(patterns, s): like Go's strings.NewReplacer with the keys in sorted order:
 * at each position the first key (in that order) that matches wins.
 */
export function builtin_strings_replace_n(patterns: usize, s: usize): usize {
  if (!isType(patterns, T_OBJECT) || !isString(s)) return 0;
  const k = mapLen(patterns);
  sortMap(patterns);
  for (let j: u32 = 0; j < k; j++) {
    const e = entryAt(patterns, j);
    if (!isString(entryKey(e)) || !isString(entryValue(e))) return 0;
  }
  // The empty key sorts first, so it has the highest priority: it fires at every position,
  // except right after it fired (Go ignores an empty match following an empty match).
  let emptyVal: usize = 0;
  if (k > 0) {
    const e0 = entryAt(patterns, 0);
    if (sLen(entryKey(e0)) == 0) emptyVal = entryValue(e0);
  }
  const p = sPtr(s), n = sLen(s);
  const b = newBuf();
  let i: u32 = 0;
  let prevEmpty = false;
  while (true) {
    if (emptyVal != 0 && !prevEmpty) {
      bufBytes(b, sPtr(emptyVal), sLen(emptyVal));
      prevEmpty = true;
      continue;
    }
    let matched = false;
    for (let j: u32 = 0; j < k; j++) {
      const e = entryAt(patterns, j);
      const key = entryKey(e);
      const m = sLen(key);
      if (m == 0) continue;
      if (i + m <= n && bytesEqual(p + i, sPtr(key), m)) {
        const v = entryValue(e);
        bufBytes(b, sPtr(v), sLen(v));
        i += m;
        matched = true;
        break;
      }
    }
    prevEmpty = false;
    if (matched) continue;
    if (i >= n) break;
    decodeAt(p, n, i);
    bufBytes(b, p + i, cpWidth);
    i += cpWidth;
  }
  return bufString(b);
}

// ---- trimming

function inCutset(c: u32, cs: usize, cn: u32): bool {
  let i: u32 = 0;
  while (i < cn) {
    const x = decodeAt(cs, cn, i);
    if (x == c) return true;
    i += cpWidth;
  }
  return false;
}

function trimBy(s: usize, cutset: usize, left: bool, right: bool): usize {
  if (!isString(s) || !isString(cutset)) return 0;
  const p = sPtr(s), n = sLen(s), cs = sPtr(cutset), cn = sLen(cutset);
  let start: u32 = 0, end = n;
  if (left) {
    while (start < end) {
      const c = decodeAt(p, end, start);
      const w = cpWidth;
      if (!inCutset(c, cs, cn)) break;
      start += w;
    }
  }
  if (right) {
    while (end > start) {
      const at = prevStart(p + start, end - start) + start;
      const c = decodeAt(p, end, at);
      if (!inCutset(c, cs, cn)) break;
      end = at;
    }
  }
  return newString(p + start, end - start);
}

export function builtin_trim(s: usize, cutset: usize): usize { return trimBy(s, cutset, true, true); }
export function builtin_trim_left(s: usize, cutset: usize): usize { return trimBy(s, cutset, true, false); }
export function builtin_trim_right(s: usize, cutset: usize): usize { return trimBy(s, cutset, false, true); }

export function builtin_trim_prefix(s: usize, pre: usize): usize {
  if (!isString(s) || !isString(pre)) return 0;
  const n = sLen(pre);
  if (n <= sLen(s) && bytesEqual(sPtr(s), sPtr(pre), n)) return newString(sPtr(s) + n, sLen(s) - n);
  return s;
}

export function builtin_trim_suffix(s: usize, suf: usize): usize {
  if (!isString(s) || !isString(suf)) return 0;
  const n = sLen(suf), sn = sLen(s);
  if (n <= sn && bytesEqual(sPtr(s) + sn - n, sPtr(suf), n)) return newString(sPtr(s), sn - n);
  return s;
}

/** Go's unicode.IsSpace. */
function isSpace(c: u32): bool {
  if (c <= 0xff) return c == 32 || (c >= 9 && c <= 13) || c == 0x85 || c == 0xa0;
  return c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

export function builtin_trim_space(s: usize): usize {
  if (!isString(s)) return 0;
  const p = sPtr(s), n = sLen(s);
  let start: u32 = 0, end = n;
  while (start < end) {
    const c = decodeAt(p, end, start);
    if (!isSpace(c)) break;
    start += cpWidth;
  }
  while (end > start) {
    const at = prevStart(p + start, end - start) + start;
    if (!isSpace(decodeAt(p, end, at))) break;
    end = at;
  }
  return newString(p + start, end - start);
}

// ---- searching by code point

export function builtin_indexof(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  const at = indexOfBytes(sPtr(s), sLen(s), sPtr(sub), sLen(sub), 0);
  return newInt(at < 0 ? -1 : <i64>utf8Count(sPtr(s), <usize>at));
}

/** All (overlapping) code point positions of sub in s. */
export function builtin_indexof_n(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  const p = sPtr(s), n = sLen(s), m = sLen(sub);
  const out = newArray(4);
  if (m == 0) return out;
  let from: u32 = 0;
  let cps: u32 = 0;
  let counted: u32 = 0;
  while (true) {
    const at = indexOfBytes(p, n, sPtr(sub), m, from);
    if (at < 0) break;
    cps += utf8Count(p + counted, <usize>(<u32>at - counted));
    counted = <u32>at;
    arrayAppend(out, newInt(<i64>cps));
    decodeAt(p, n, <u32>at);
    from = <u32>at + cpWidth;
  }
  return out;
}

/** Go's strings.Count: non-overlapping occurrences; an empty sub counts code points + 1. */
export function builtin_strings_count(s: usize, sub: usize): usize {
  if (!isString(s) || !isString(sub)) return 0;
  const p = sPtr(s), n = sLen(s), m = sLen(sub);
  if (m == 0) return newInt(<i64>utf8Count(p, n) + 1);
  let c: i64 = 0;
  let from: u32 = 0;
  while (true) {
    const at = indexOfBytes(p, n, sPtr(sub), m, from);
    if (at < 0) break;
    c++;
    from = <u32>at + m;
  }
  return newInt(c);
}

/** Byte offset of code point index k (clamped to the end). */
function byteOffset(p: usize, n: u32, k: i64): u32 {
  let i: u32 = 0;
  while (k > 0 && i < n) {
    decodeAt(p, n, i);
    i += cpWidth;
    k--;
  }
  return i;
}

/** substring(s, offset, length): code points; a negative length means to the end. */
export function builtin_substring(s: usize, off: usize, len: usize): usize {
  if (!isString(s) || !isType(off, T_NUMBER) || !isType(len, T_NUMBER)) return 0;
  if (!numberFitsI64(off)) return 0;
  const o = fitI64;
  if (!numberFitsI64(len)) return 0;
  const l = fitI64;
  if (o < 0) return 0;
  const p = sPtr(s), n = sLen(s);
  const start = byteOffset(p, n, o);
  if (start >= n) return emptyString();
  const end = l < 0 ? n : byteOffset(p + start, n - start, l) + start;
  return newString(p + start, end - start);
}

export function builtin_strings_reverse(s: usize): usize {
  if (!isString(s)) return 0;
  const p = sPtr(s), n = sLen(s);
  const b = newBuf();
  let end = n;
  while (end > 0) {
    const at = prevStart(p, end);
    bufBytes(b, p + at, end - at);
    end = at;
  }
  return bufString(b);
}

/** A string, or an array/set of strings, as a handle list; count in listLen. 0 on type errors. */
let listLen: u32 = 0;
function stringList(v: usize): usize {
  if (isString(v)) {
    const p = valuesOfOne(v);
    listLen = 1;
    return p;
  }
  if (!isArrayOrSet(v)) return 0;
  listLen = collLen(v);
  const p = valuesOf(v, false);
  for (let i: u32 = 0; i < listLen; i++) if (!isString(load<u32>(p + (<usize>i << 2)))) return 0;
  return p;
}

function valuesOfOne(v: usize): usize {
  const p = alloc(4);
  store<u32>(p, <u32>v);
  return p;
}

function anyAffix(search: usize, base: usize, suffix: bool): usize {
  const a = stringList(search);
  if (a == 0) return 0;
  const an = listLen;
  const b = stringList(base);
  if (b == 0) return 0;
  const bn = listLen;
  for (let i: u32 = 0; i < an; i++) {
    const s = load<u32>(a + (<usize>i << 2));
    for (let j: u32 = 0; j < bn; j++) {
      const x = load<u32>(b + (<usize>j << 2));
      const m = sLen(x);
      if (m > sLen(s)) continue;
      const at = suffix ? sPtr(s) + sLen(s) - m : sPtr(s);
      if (bytesEqual(at, sPtr(x), m)) return newBoolean(true);
    }
  }
  return newBoolean(false);
}

export function builtin_strings_any_prefix_match(search: usize, base: usize): usize { return anyAffix(search, base, false); }
export function builtin_strings_any_suffix_match(search: usize, base: usize): usize { return anyAffix(search, base, true); }

/** strings.split_n(s, delim, n): the first n parts of split(s, delim), or the last -n; 0 gives []. */
export function builtin_strings_split_n(s: usize, delim: usize, n: usize): usize {
  if (!isType(n, T_NUMBER) || !numberFitsI64(n)) return 0;
  const k = fitI64;
  const parts = builtin_split(s, delim);
  if (parts == 0) return 0;
  const len = <i64>arrLen(parts);
  const take = k < 0 ? (-k < len ? -k : len) : (k < len ? k : len);
  const from = k < 0 ? len - take : 0;
  const out = newArray(<u32>take);
  for (let i = from; i < from + take; i++) arrayAppend(out, arrGet(parts, <u32>i));
  return out;
}
