// Value layout. Every value is an address; 0 means undefined. The first byte is the type
// (1..7, also the Rego sort order), the second a subtype. See docs/runtime.md.
import { alloc } from "./heap";

export const T_NULL: u32 = 1;
export const T_BOOLEAN: u32 = 2;
export const T_NUMBER: u32 = 3;
export const T_STRING: u32 = 4;
export const T_ARRAY: u32 = 5;
export const T_OBJECT: u32 = 6;
export const T_SET: u32 = 7;

/** Number subtypes. */
export const N_INT: u32 = 0;
export const N_DEC: u32 = 1;

// Immutable singletons in the data segment: never written.
const NULL_V: usize = memory.data<u32>([T_NULL, 0]);
const FALSE_V: usize = memory.data<u32>([T_BOOLEAN, 0]);
const TRUE_V: usize = memory.data<u32>([T_BOOLEAN, 1]);

@inline export function typeOf(v: usize): u32 {
  return load<u8>(v);
}

@inline export function subtypeOf(v: usize): u32 {
  return load<u8>(v, 1);
}

export function newNull(): usize {
  return NULL_V;
}

export function newBoolean(b: bool): usize {
  return b ? TRUE_V : FALSE_V;
}

@inline export function booleanValue(v: usize): bool {
  return load<u32>(v, 4) != 0;
}

// ---- numbers: INT  [hdr][pad][i64]
//               DEC  [hdr][neg u32][digits][nd][exp i32][text][textLen]  value = ±digits × 10^exp
export function newInt(x: i64): usize {
  const p = alloc(16);
  store<u32>(p, T_NUMBER | (N_INT << 8));
  store<i64>(p, x, 8);
  return p;
}

@inline export function intValue(v: usize): i64 {
  return load<i64>(v, 8);
}

export function newDec(neg: bool, digits: usize, nd: u32, exp: i32, text: usize, textLen: u32): usize {
  const p = alloc(28);
  store<u32>(p, T_NUMBER | (N_DEC << 8));
  store<u32>(p, neg ? 1 : 0, 4);
  store<u32>(p, <u32>digits, 8);
  store<u32>(p, nd, 12);
  store<i32>(p, exp, 16);
  store<u32>(p, <u32>text, 20);
  store<u32>(p, textLen, 24);
  return p;
}

@inline export function decNeg(v: usize): bool { return load<u32>(v, 4) != 0; }
@inline export function decDigits(v: usize): usize { return load<u32>(v, 8); }
@inline export function decNd(v: usize): u32 { return load<u32>(v, 12); }
@inline export function decExp(v: usize): i32 { return load<i32>(v, 16); }
@inline export function decText(v: usize): usize { return load<u32>(v, 20); }
@inline export function decTextLen(v: usize): u32 { return load<u32>(v, 24); }

// ---- strings: [hdr][len][ptr][hash cache, 0 = not computed]; bytes are UTF-8, may be static.
export function newString(ptr: usize, len: u32): usize {
  const p = alloc(16);
  store<u32>(p, T_STRING);
  store<u32>(p, len, 4);
  store<u32>(p, <u32>ptr, 8);
  store<u32>(p, 0, 12);
  return p;
}

@inline export function strLen(v: usize): u32 { return load<u32>(v, 4); }
@inline export function strPtr(v: usize): usize { return load<u32>(v, 8); }

// ---- arrays: [hdr][len][cap][elems: u32 value addresses]
export function newArray(cap: u32): usize {
  const p = alloc(16);
  store<u32>(p, T_ARRAY);
  store<u32>(p, 0, 4);
  store<u32>(p, cap, 8);
  store<u32>(p, cap != 0 ? <u32>alloc(<usize>cap << 2) : 0, 12);
  return p;
}

@inline export function arrLen(v: usize): u32 { return load<u32>(v, 4); }
@inline export function arrCap(v: usize): u32 { return load<u32>(v, 8); }
@inline export function arrElems(v: usize): usize { return load<u32>(v, 12); }
@inline export function arrGet(v: usize, i: u32): usize { return load<u32>(arrElems(v) + (<usize>i << 2)); }
