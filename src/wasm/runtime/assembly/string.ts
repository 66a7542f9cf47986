// Byte-string helpers over UTF-8: equality, ordering (bytewise = code point order), hashing,
// validation and code point counting. Exported for builtins.

export function bytesEqual(a: usize, b: usize, n: usize): bool {
  if (a == b) return true;
  let i: usize = 0;
  while (i + 8 <= n) {
    if (load<u64>(a + i) != load<u64>(b + i)) return false;
    i += 8;
  }
  while (i < n) {
    if (load<u8>(a + i) != load<u8>(b + i)) return false;
    i++;
  }
  return true;
}

/** Bytewise order, then length; -1, 0 or 1. */
export function bytesCompare(a: usize, an: usize, b: usize, bn: usize): i32 {
  const n = an < bn ? an : bn;
  for (let i: usize = 0; i < n; i++) {
    const x = load<u8>(a + i);
    const y = load<u8>(b + i);
    if (x != y) return x < y ? -1 : 1;
  }
  return an == bn ? 0 : an < bn ? -1 : 1;
}

/** FNV-1a over the bytes, never 0 (0 marks "not computed" in string headers). */
export function hashBytes(p: usize, n: usize): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i: usize = 0; i < n; i++) h = (h ^ load<u8>(p + i)) * 0x01000193;
  return h == 0 ? 1 : h;
}

/** Number of code points (the string is assumed valid UTF-8). */
export function utf8Count(p: usize, n: usize): u32 {
  let c: u32 = 0;
  for (let i: usize = 0; i < n; i++) if ((load<u8>(p + i) & 0xc0) != 0x80) c++;
  return c;
}

/** Length of the valid UTF-8 sequence at p (at most n bytes left), or 0 when invalid. */
export function utf8SeqLen(p: usize, n: usize): u32 {
  const b0 = <u32>load<u8>(p);
  if (b0 < 0x80) return 1;
  let len: u32, min: u32, cp: u32;
  if ((b0 & 0xe0) == 0xc0) { len = 2; min = 0x80; cp = b0 & 0x1f; }
  else if ((b0 & 0xf0) == 0xe0) { len = 3; min = 0x800; cp = b0 & 0x0f; }
  else if ((b0 & 0xf8) == 0xf0) { len = 4; min = 0x10000; cp = b0 & 0x07; }
  else return 0;
  if (<usize>len > n) return 0;
  for (let i: u32 = 1; i < len; i++) {
    const b = <u32>load<u8>(p + i);
    if ((b & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

export function utf8Valid(p: usize, n: usize): bool {
  let i: usize = 0;
  while (i < n) {
    if (load<u8>(p + i) < 0x80) { i++; continue; }
    const l = utf8SeqLen(p + i, n - i);
    if (l == 0) return false;
    i += l;
  }
  return true;
}

/** Writes code point cp as UTF-8 at p; returns the byte count. */
export function utf8Encode(p: usize, cp: u32): u32 {
  if (cp < 0x80) { store<u8>(p, <u8>cp); return 1; }
  if (cp < 0x800) {
    store<u8>(p, <u8>(0xc0 | (cp >> 6)));
    store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 1);
    return 2;
  }
  if (cp < 0x10000) {
    store<u8>(p, <u8>(0xe0 | (cp >> 12)));
    store<u8>(p, <u8>(0x80 | ((cp >> 6) & 0x3f)), 1);
    store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 2);
    return 3;
  }
  store<u8>(p, <u8>(0xf0 | (cp >> 18)));
  store<u8>(p, <u8>(0x80 | ((cp >> 12) & 0x3f)), 1);
  store<u8>(p, <u8>(0x80 | ((cp >> 6) & 0x3f)), 2);
  store<u8>(p, <u8>(0x80 | (cp & 0x3f)), 3);
  return 4;
}

// SWAR scans, 8 bytes at a time: find the first byte that needs attention in a JSON string.
const ONES: u64 = 0x0101010101010101;
const HIGH: u64 = 0x8080808080808080;

@inline function hasByte(w: u64, b: u64): u64 {
  const x = w ^ (ONES * b);
  return (x - ONES) & ~x & HIGH;
}

/** Offset of the first byte in [p, p+n) that is < 0x20, '"', '\\' or (when stopHigh) >= 0x80; n if none. */
export function scanPlain(p: usize, n: usize, stopHigh: bool): usize {
  let i: usize = 0;
  while (i + 8 <= n) {
    const w = load<u64>(p + i);
    let m = ((w - ONES * 0x20) & ~w & HIGH) | hasByte(w, 0x22) | hasByte(w, 0x5c);
    if (stopHigh) m |= w & HIGH;
    if (m != 0) break;
    i += 8;
  }
  while (i < n) {
    const c = load<u8>(p + i);
    if (c < 0x20 || c == 0x22 || c == 0x5c || (stopHigh && c >= 0x80)) return i;
    i++;
  }
  return n;
}
