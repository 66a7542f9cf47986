// Parsers for JSON (opa_json_parse) and Rego value syntax (opa_value_parse: JSON plus sets,
// `{1, 2}` and `set()`). Strict: invalid UTF-8, control characters in strings, trailing bytes
// or nesting deeper than MAX_DEPTH give 0.
import { alloc } from "./heap";
import { T_STRING, T_OBJECT, T_SET, newNull, newBoolean, newString, newArray } from "./value";
import { newMap, mapPut, setAdd } from "./map";
import { arrayAppend } from "./ops";
import { parseNumber } from "./number";
import { utf8SeqLen, utf8Encode, scanPlain } from "./string";

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

function parseString(): usize {
  pos++; // opening quote
  const start = pos;
  // Fast scan: no escapes means the bytes are copied as they are.
  while (pos < end) {
    pos += scanPlain(pos, end - pos, true);
    if (pos >= end) break;
    const c = <u32>load<u8>(pos);
    if (c == 34 || c == 92 || c < 0x20) break;
    const l = utf8SeqLen(pos, end - pos);
    if (l == 0) return 0;
    pos += l;
  }
  if (pos >= end) return 0;
  if (load<u8>(pos) == 34) {
    // Header and bytes in one allocation.
    const n = pos - start;
    const v = alloc(16 + n);
    store<u32>(v, T_STRING);
    store<u32>(v, <u32>n, 4);
    store<u32>(v, <u32>(v + 16), 8);
    store<u32>(v, 0, 12);
    memory.copy(v + 16, start, n);
    pos++;
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
  return parseNumber(start, pos - start, true, true);
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
  return parseDocument(p, n, false);
}

export function opa_value_parse(p: usize, n: usize): usize {
  return parseDocument(p, n, true);
}
