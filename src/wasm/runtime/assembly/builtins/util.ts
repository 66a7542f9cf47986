// Helpers shared by the native builtins: type checks, collection access, UTF-8 decoding and
// string results. Raw memory only (no AssemblyScript-managed objects).
import { T_STRING, T_ARRAY, T_OBJECT, T_SET, typeOf, newString, arrLen, arrGet, strLen, strPtr } from "../value";
import { mapLen, entryAt, entryKey, entryValue } from "../map";
import { alloc } from "../heap";
import { newBuffer, bufPtr, bufLen } from "../buffer";
import { sortHandles, sortMap } from "../sort";

@inline export function isType(v: usize, t: u32): bool {
  return v != 0 && typeOf(v) == t;
}

/** Arrays and sets: the collections whose elements are their values. */
@inline export function isArrayOrSet(v: usize): bool {
  return v != 0 && (typeOf(v) == T_ARRAY || typeOf(v) == T_SET);
}

@inline export function isCollection(v: usize): bool {
  if (v == 0) return false;
  const t = typeOf(v);
  return t == T_ARRAY || t == T_OBJECT || t == T_SET;
}

/** Number of elements of an array, object or set. */
export function collLen(v: usize): u32 {
  return typeOf(v) == T_ARRAY ? arrLen(v) : mapLen(v);
}

/** The i-th value: array element, set element, or object value (insertion order). */
export function collValueAt(v: usize, i: u32): usize {
  const t = typeOf(v);
  if (t == T_ARRAY) return arrGet(v, i);
  const e = entryAt(v, i);
  return t == T_SET ? entryKey(e) : entryValue(e);
}

/** A string value over a fresh copy of [p, p+n). */
export function copyString(p: usize, n: u32): usize {
  const q = alloc(n);
  memory.copy(q, p, n);
  return newString(q, n);
}

/** A string value over the bytes of buffer b (the buffer's memory becomes the string's). */
export function bufString(b: usize): usize {
  return newString(bufPtr(b), bufLen(b));
}

export function newBuf(): usize {
  return newBuffer(32);
}

/** The empty string, shared: strings are immutable. */
const EMPTY: usize = memory.data(4);

export function emptyString(): usize {
  return newString(EMPTY, 0);
}

// ---- UTF-8 decoding. Invalid bytes decode as U+FFFD of width 1, as Go's range loop does.

/** Width of the code point decoded by the last decodeAt. */
export let cpWidth: u32 = 0;

export function decodeAt(p: usize, n: u32, i: u32): u32 {
  const b0 = <u32>load<u8>(p + i);
  if (b0 < 0x80) { cpWidth = 1; return b0; }
  let len: u32, min: u32, cp: u32;
  if ((b0 & 0xe0) == 0xc0) { len = 2; min = 0x80; cp = b0 & 0x1f; }
  else if ((b0 & 0xf0) == 0xe0) { len = 3; min = 0x800; cp = b0 & 0x0f; }
  else if ((b0 & 0xf8) == 0xf0) { len = 4; min = 0x10000; cp = b0 & 0x07; }
  else { cpWidth = 1; return 0xfffd; }
  if (i + len > n) { cpWidth = 1; return 0xfffd; }
  for (let k: u32 = 1; k < len; k++) {
    const b = <u32>load<u8>(p + i + k);
    if ((b & 0xc0) != 0x80) { cpWidth = 1; return 0xfffd; }
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) { cpWidth = 1; return 0xfffd; }
  cpWidth = len;
  return cp;
}

/** Start of the code point that ends at byte `end` (exclusive). */
export function prevStart(p: usize, end: u32): u32 {
  let i = end - 1;
  let k: u32 = 0;
  while (i > 0 && k < 3 && (load<u8>(p + i) & 0xc0) == 0x80) { i--; k++; }
  decodeAt(p, end, i);
  // A malformed tail decodes byte by byte.
  return i + cpWidth == end ? i : end - 1;
}

/** Byte offset of the first occurrence of [q, q+m) in [p, p+n) at or after `from`, or -1. */
export function indexOfBytes(p: usize, n: u32, q: usize, m: u32, from: u32): i64 {
  if (m == 0) return from <= n ? <i64>from : -1;
  if (m > n) return -1;
  const first = load<u8>(q);
  for (let i = from; i + m <= n; i++) {
    if (load<u8>(p + i) != first) continue;
    let k: u32 = 1;
    while (k < m && load<u8>(p + i + k) == load<u8>(q + k)) k++;
    if (k == m) return <i64>i;
  }
  return -1;
}

@inline export function sPtr(v: usize): usize { return strPtr(v); }
@inline export function sLen(v: usize): u32 { return strLen(v); }
@inline export function isString(v: usize): bool { return isType(v, T_STRING); }

/** The values of an array or set as a fresh handle list, in Rego order when `sorted`. */
export function valuesOf(v: usize, sorted: bool): usize {
  const n = collLen(v);
  const isSet = typeOf(v) == T_SET;
  // A set sorts in place (once); its elements are distinct, so that is the order to copy.
  if (sorted && isSet) sortMap(v);
  const p = alloc(<usize>(n == 0 ? 1 : n) << 2);
  for (let i: u32 = 0; i < n; i++) store<u32>(p + (<usize>i << 2), <u32>collValueAt(v, i));
  if (sorted && !isSet) sortHandles(p, n);
  return p;
}

export const HEX_LOWER: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);
export const HEX_UPPER: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 65, 66, 67, 68, 69, 70]);

/** Length of the digits the last decimalToRadix wrote. */
export let radixLen: u32 = 0;

/**
 * The non-negative integer whose ASCII decimal digits are [p, p+len), in radix r (2..16), most
 * significant digit first; exact at any size (repeated division, remainders are the digits).
 * Zero gives "0". The count is left in radixLen.
 */
export function decimalToRadix(p: usize, len: u32, r: u32, upper: bool): usize {
  const work = alloc(len);
  for (let i: u32 = 0; i < len; i++) store<u8>(work + i, load<u8>(p + i) - 48);
  const out = alloc(len * 4 + 1);
  let on: u32 = 0;
  let start: u32 = 0;
  while (start < len && load<u8>(work + start) == 0) start++;
  if (start == len) { store<u8>(out, 48); on = 1; }
  const digits = upper ? HEX_UPPER : HEX_LOWER;
  while (start < len) {
    let rem: u32 = 0;
    for (let i = start; i < len; i++) {
      const cur = rem * 10 + <u32>load<u8>(work + i);
      store<u8>(work + i, <u8>(cur / r));
      rem = cur % r;
    }
    store<u8>(out + on, load<u8>(digits + rem));
    on++;
    while (start < len && load<u8>(work + start) == 0) start++;
  }
  const res = alloc(on);
  for (let i: u32 = 0; i < on; i++) store<u8>(res + i, load<u8>(out + on - 1 - i));
  radixLen = on;
  return res;
}
