// Parsers for JSON (opa_json_parse) and Rego value syntax (opa_value_parse: JSON plus sets,
// `{1, 2}` and `set()`). Strict: invalid UTF-8, control characters in strings, trailing bytes
// or nesting deeper than MAX_DEPTH give 0.
// Parsed values may point into the input bytes (strings without escapes, number literals), so
// callers keep those bytes unchanged while the values live: the SDK writes input and data below
// the heap pointer, and string values are immutable.
import { alloc, allocInline } from "./heap";
import { T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, newNull, newBoolean, newString, newArray } from "./value";
import { newMap, mapPut, setAdd, mapBuild } from "./map";
import { arrayAppend } from "./ops";
import { parseNumber } from "./number";
import { utf8SeqLen, utf8Encode, hashBytes } from "./string";
import { internedString } from "./intern";

const MAX_DEPTH: u32 = 1000;

let src: usize = 0;
let pos: usize = 0;
let end: usize = 0;
let sets = false;

@inline function peek(): u32 { return pos < end ? <u32>load<u8>(pos) : 0xffffffff; }

function skipWs(): void {
  while (pos < end) {
    const c = load<u8>(pos);
    if (c != 32 && c != 10 && c != 13 && c != 9) return;
    pos++;
  }
}

function literal(word: string): bool {
  const n = <usize>word.length;
  if (end - pos < n) return false;
  const w = changetype<usize>(word);
  for (let i: usize = 0; i < n; i++) if (<u16>load<u8>(pos + i) != load<u16>(w + (i << 1))) return false;
  pos += n;
  return true;
}

function hex4(): i32 {
  if (end - pos < 4) return -1;
  let x: i32 = 0;
  for (let i = 0; i < 4; i++) {
    const c = <i32>load<u8>(pos + i);
    let d: i32;
    if (c >= 48 && c <= 57) d = c - 48;
    else if ((c | 32) >= 97 && (c | 32) <= 102) d = (c | 32) - 87;
    else return -1;
    x = (x << 4) | d;
  }
  pos += 4;
  return x;
}

// SWAR constants: a word with a flag in the high bit of each byte that needs attention.
const ONES: u64 = 0x0101010101010101;
const HIGH: u64 = 0x8080808080808080;

@inline function hasByte(w: u64, b: u64): u64 {
  const x = w ^ (ONES * b);
  return (x - ONES) & ~x & HIGH;
}

/** A string at pos (the opening quote). Without escapes the value points into the input. */
function parseString(): usize {
  const start = pos + 1;
  let p = start;
  const e = end;
  while (true) {
    // 8 bytes at a time up to the first byte < 0x20, '"', '\\' or >= 0x80; the lowest flag is exact.
    while (p + 8 <= e) {
      const w = load<u64>(p);
      const m = ((w - ONES * 0x20) & ~w & HIGH) | hasByte(w, 0x22) | hasByte(w, 0x5c) | (w & HIGH);
      if (m != 0) { p += <usize>(ctz(m) >> 3); break; }
      p += 8;
    }
    if (p >= e) return 0;
    const c = <u32>load<u8>(p);
    if (c == 34) break;
    if (c == 92) break;
    if (c < 0x20) return 0;
    if (c >= 0x80) {
      const l = utf8SeqLen(p, e - p);
      if (l == 0) return 0;
      p += l;
    } else p++;
  }
  pos = p;
  if (load<u8>(p) == 34) {
    pos++;
    const v = allocInline(16);
    store<u32>(v, T_STRING);
    store<u32>(v, <u32>(p - start), 4);
    store<u32>(v, <u32>start, 8);
    store<u32>(v, 0, 12);
    return v;
  }
  // Escapes: the decoded string is never longer than the encoded one.
  let close = pos;
  while (close < end && load<u8>(close) != 34) close += load<u8>(close) == 92 ? 2 : 1;
  if (close >= end) return 0;
  const out = alloc(close - start);
  let q = out;
  memory.copy(q, start, pos - start);
  q += pos - start;
  while (pos < end) {
    const c = <u32>load<u8>(pos);
    if (c == 34) {
      pos++;
      return newString(out, <u32>(q - out));
    }
    if (c < 0x20) return 0;
    if (c != 92) {
      if (c < 0x80) { store<u8>(q, <u8>c); q++; pos++; continue; }
      const l = utf8SeqLen(pos, end - pos);
      if (l == 0) return 0;
      memory.copy(q, pos, l);
      q += l;
      pos += l;
      continue;
    }
    pos++;
    if (pos >= end) return 0;
    const e = <u32>load<u8>(pos);
    pos++;
    let b: u32 = 0;
    if (e == 34) b = 34; else if (e == 92) b = 92; else if (e == 47) b = 47;
    else if (e == 98) b = 8; else if (e == 102) b = 12; else if (e == 110) b = 10;
    else if (e == 114) b = 13; else if (e == 116) b = 9;
    else if (e == 117) {
      let cp = hex4();
      if (cp < 0) return 0;
      if (cp >= 0xd800 && cp < 0xdc00) {
        // A high surrogate pairs with a following \uDC00-\uDFFF; alone it becomes U+FFFD.
        const save = pos;
        if (end - pos >= 6 && load<u8>(pos) == 92 && load<u8>(pos + 1) == 117) {
          pos += 2;
          const lo = hex4();
          if (lo >= 0xdc00 && lo < 0xe000) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
          else { pos = save; cp = 0xfffd; }
        } else cp = 0xfffd;
      } else if (cp >= 0xdc00 && cp < 0xe000) cp = 0xfffd;
      q += utf8Encode(q, <u32>cp);
      continue;
    } else return 0;
    store<u8>(q, <u8>b);
    q++;
  }
  return 0;
}

function parseNumberToken(): usize {
  const start = pos;
  while (pos < end) {
    const c = load<u8>(pos);
    if ((c >= 48 && c <= 57) || c == 45 || c == 43 || c == 46 || c == 101 || c == 69) pos++;
    else break;
  }
  return parseNumber(start, pos - start, true, false);
}

function parseValue(depth: u32): usize {
  if (depth > MAX_DEPTH) return 0;
  skipWs();
  const c = peek();
  if (c == 34) return parseString();
  if (c == 123) return parseBrace(depth);
  if (c == 91) {
    pos++;
    const a = newArray(0);
    skipWs();
    if (peek() == 93) { pos++; return a; }
    while (true) {
      const v = parseValue(depth + 1);
      if (v == 0) return 0;
      arrayAppend(a, v);
      skipWs();
      const d = peek();
      pos++;
      if (d == 93) return a;
      if (d != 44) return 0;
    }
  }
  if (c == 116) return literal("true") ? newBoolean(true) : 0;
  if (c == 102) return literal("false") ? newBoolean(false) : 0;
  if (c == 110) return literal("null") ? newNull() : 0;
  if (sets && c == 115) {
    if (!literal("set(")) return 0;
    skipWs();
    if (peek() != 41) return 0;
    pos++;
    return newMap(T_SET);
  }
  if (c == 45 || (c >= 48 && c <= 57)) return parseNumberToken();
  return 0;
}

/** `{` starts an object, or (value syntax) a set when the first element has no `:`. */
function parseBrace(depth: u32): usize {
  pos++;
  skipWs();
  if (peek() == 125) { pos++; return newMap(T_OBJECT); }
  const first = sets ? parseValue(depth + 1) : (peek() == 34 ? parseString() : 0);
  if (first == 0) return 0;
  skipWs();
  if (sets && peek() != 58) {
    const s = newMap(T_SET);
    setAdd(s, first);
    while (true) {
      skipWs();
      const d = peek();
      pos++;
      if (d == 125) return s;
      if (d != 44) return 0;
      const v = parseValue(depth + 1);
      if (v == 0) return 0;
      setAdd(s, v);
    }
  }
  const o = newMap(T_OBJECT);
  let k = first;
  while (true) {
    skipWs();
    if (peek() != 58) return 0;
    pos++;
    const v = parseValue(depth + 1);
    if (v == 0) return 0;
    mapPut(o, k, v);
    skipWs();
    const d = peek();
    pos++;
    if (d == 125) return o;
    if (d != 44) return 0;
    skipWs();
    k = sets ? parseValue(depth + 1) : (peek() == 34 ? parseString() : 0);
    if (k == 0) return 0;
  }
  return 0;
}

// ---- JSON (opa_json_parse): one loop over local cursors, no recursion. Open containers and
// their members live on a scratch stack; a container is built at its exact size, in one
// allocation, when it closes.
//   frame   [kind][mark of the enclosing container]   kind 1 array, 2 object
//   members array: [value]; object: [key][key hash][value]

const STACK0_SIZE: usize = 2048;
const STACK0: usize = memory.data(<i32>STACK0_SIZE);
let stk: usize = 0; // base (moves to the heap when the stack outgrows its block)
let stkEnd: usize = 0;

/** Moves the stack to a heap block twice as large (dropped with the heap); returns the new top. */
function stackGrow(top: usize): usize {
  const used = top - stk;
  const size = (stkEnd - stk) << 1;
  const b = alloc(size);
  memory.copy(b, stk, used);
  stk = b;
  stkEnd = b + size;
  return b + used;
}

const K_ARRAY: u32 = 1;
const K_OBJECT: u32 = 2;

/**
 * Address of the closing quote of the string whose bytes start at q, when every byte before it
 * is printable ASCII other than '\\' (the common case); 0 sends the string to parseString.
 */
@inline function plainEnd(q: usize, e: usize): usize {
  while (q + 8 <= e) {
    const w = load<u64>(q);
    const m = ((w - ONES * 0x20) & ~w & HIGH) | hasByte(w, 0x22) | hasByte(w, 0x5c) | (w & HIGH);
    if (m != 0) {
      q += <usize>(ctz(m) >> 3);
      return load<u8>(q) == 34 ? q : 0;
    }
    q += 8;
  }
  while (q < e) {
    const c = <u32>load<u8>(q);
    if (c == 34) return q;
    if (c < 0x20 || c == 92 || c >= 0x80) return 0;
    q++;
  }
  return 0;
}

/** A string value over the input bytes [p, q). */
@inline function plainString(p: usize, q: usize): usize {
  const v = allocInline(16);
  store<u32>(v, T_STRING);
  store<u32>(v, <u32>(q - p), 4);
  store<u32>(v, <u32>p, 8);
  store<u32>(v, 0, 12);
  return v;
}

/** The string whose opening quote is at p (keys and values alike): 0 when invalid, else the value, with pos after it. */
@inline function stringAt(p: usize, e: usize): usize {
  const q = plainEnd(p + 1, e);
  if (q != 0) {
    pos = q + 1;
    return plainString(p + 1, q);
  }
  pos = p;
  return parseString();
}

function parseJson(start: usize, n: usize): usize {
  let p = start;
  const e = start + n;
  end = e;
  stk = STACK0;
  stkEnd = STACK0 + STACK0_SIZE;
  let base = stk;
  let top = base;
  let lim = stkEnd;
  let kind: u32 = 0; // of the innermost open container; 0 = none
  let mark: usize = 0; // offset of its first member
  let depth: u32 = 0;
  let wantKey = false;
  while (true) {
    // Whitespace (rare: JSON.stringify writes none).
    while (p < e && load<u8>(p) <= 32) {
      const w = load<u8>(p);
      if (w != 32 && w != 10 && w != 13 && w != 9) return 0;
      p++;
    }
    if (wantKey) {
      if (p >= e || load<u8>(p) != 34) return 0;
      // A key the policy also names is its constant (intern.ts); others are new strings.
      let k: usize;
      let h: u32;
      const q = plainEnd(p + 1, e);
      if (q != 0) {
        const n = <u32>(q - p - 1);
        h = hashBytes(p + 1, n);
        k = internedString(p + 1, n, h);
        if (k == 0) {
          k = plainString(p + 1, q);
          store<u32>(k, h, 12);
        }
        p = q + 1;
      } else {
        pos = p;
        k = parseString();
        if (k == 0) return 0;
        p = pos;
        h = hashBytes(load<u32>(k, 8), load<u32>(k, 4));
        store<u32>(k, h, 12);
      }
      while (p < e && load<u8>(p) <= 32) {
        const w = load<u8>(p);
        if (w != 32 && w != 10 && w != 13 && w != 9) return 0;
        p++;
      }
      if (p >= e || load<u8>(p) != 58) return 0;
      p++;
      if (top + 12 > lim) { top = stackGrow(top); base = stk; lim = stkEnd; }
      store<u32>(top, <u32>k);
      store<u32>(top, h, 4);
      top += 8;
      wantKey = false;
      continue;
    }
    if (depth > MAX_DEPTH || p >= e) return 0;
    const c = <u32>load<u8>(p);
    let v: usize = 0;
    if (c == 34) {
      v = stringAt(p, e);
      if (v == 0) return 0;
      p = pos;
    } else if (c == 123 || c == 91) {
      p++;
      while (p < e && load<u8>(p) <= 32) {
        const w = load<u8>(p);
        if (w != 32 && w != 10 && w != 13 && w != 9) return 0;
        p++;
      }
      if (p < e && <u32>load<u8>(p) == c + 2) { // "{}" or "[]"
        p++;
        v = c == 123 ? newMap(T_OBJECT) : newArray(0);
      } else {
        if (top + 12 > lim) { top = stackGrow(top); base = stk; lim = stkEnd; }
        store<u32>(top, kind);
        store<u32>(top, <u32>mark, 4);
        top += 8;
        kind = c == 123 ? K_OBJECT : K_ARRAY;
        mark = top - base;
        depth++;
        wantKey = kind == K_OBJECT;
        continue;
      }
    } else if (c - 48 <= 9 || c == 45) {
      // Integers of at most 18 digits without a leading zero, and not "-0" (its text is kept).
      const neg = c == 45;
      let q = neg ? p + 1 : p;
      const ds = q;
      let m: u64 = 0;
      while (q < e) {
        const d = <u32>load<u8>(q) - 48;
        if (d > 9) break;
        m = m * 10 + <u64>d;
        q++;
      }
      const nd = q - ds;
      const next: u32 = q < e ? (<u32>load<u8>(q) | 32) : 0;
      if (nd != 0 && nd <= 18 && next != 46 && next != 101 && (load<u8>(ds) != 48 || (nd == 1 && !neg))) {
        v = allocInline(16);
        store<u32>(v, T_NUMBER); // subtype INT
        store<i64>(v, neg ? -(<i64>m) : <i64>m, 8);
        p = q;
      } else {
        pos = p;
        v = parseNumberToken();
        if (v == 0) return 0;
        p = pos;
      }
    } else if (e - p >= 4 && load<u32>(p) == 0x65757274) { // "true"
      v = newBoolean(true);
      p += 4;
    } else if (e - p >= 4 && load<u32>(p) == 0x6c6c756e) { // "null"
      v = newNull();
      p += 4;
    } else if (e - p >= 5 && load<u32>(p) == 0x736c6166 && load<u8>(p, 4) == 101) { // "false"
      v = newBoolean(false);
      p += 5;
    } else return 0;

    // Hand v to the enclosing containers, closing those that end here.
    while (true) {
      if (kind == 0) {
        while (p < e && load<u8>(p) <= 32) {
          const w = load<u8>(p);
          if (w != 32 && w != 10 && w != 13 && w != 9) return 0;
          p++;
        }
        return p == e ? v : 0;
      }
      if (top + 12 > lim) { top = stackGrow(top); base = stk; lim = stkEnd; }
      store<u32>(top, <u32>v);
      top += 4;
      while (p < e && load<u8>(p) <= 32) {
        const w = load<u8>(p);
        if (w != 32 && w != 10 && w != 13 && w != 9) return 0;
        p++;
      }
      if (p >= e) return 0;
      const d = <u32>load<u8>(p);
      p++;
      if (d == 44) { wantKey = kind == K_OBJECT; break; } // ','
      const from = base + mark;
      const bytes = top - from;
      if (kind == K_ARRAY) {
        if (d != 93) return 0;
        const a = allocInline(16 + bytes);
        store<u32>(a, T_ARRAY);
        store<u32>(a, <u32>(bytes >> 2), 4);
        store<u32>(a, <u32>(bytes >> 2), 8);
        store<u32>(a, <u32>(a + 16), 12);
        for (let i: usize = 0; i < bytes; i += 4) store<u32>(a + 16 + i, load<u32>(from + i));
        v = a;
      } else {
        if (d != 125) return 0;
        v = mapBuild(T_OBJECT, from, <u32>(bytes / 12));
      }
      top = from - 8;
      kind = load<u32>(top);
      mark = load<u32>(top, 4);
      depth--;
    }
  }
  return 0;
}

function parseDocument(p: usize, n: usize, allowSets: bool): usize {
  src = p;
  pos = p;
  end = p + n;
  sets = allowSets;
  const v = parseValue(0);
  if (v == 0) return 0;
  skipWs();
  return pos == end ? v : 0;
}

export function opa_json_parse(p: usize, n: usize): usize {
  return parseJson(p, n);
}

export function opa_value_parse(p: usize, n: usize): usize {
  return parseDocument(p, n, true);
}
