// json.marshal / json.unmarshal / json.is_valid on top of the runtime's JSON parser and printer.
import { T_STRING, T_OBJECT, T_ARRAY, T_SET, T_BOOLEAN, typeOf, newBoolean, booleanValue, strPtr, strLen, newString, arrLen, arrGet } from "../value";
import { sortMap } from "../sort";
import { mapLen, entryAt, entryKey, entryValue } from "../map";
import { newBuffer, bufPtr, bufLen, bufAscii, bufByte, bufBytes } from "../buffer";
import { writeValue, writeJsonString } from "../dump";
import { opa_json_parse } from "../json";
import { heapTop, opa_heap_ptr_set } from "../heap";
import { utf8Valid } from "../string";
import { isType } from "./util";

/** Values nested deeper than this are refused (the printer aborts past its own limit). */
const MAX_DEPTH: u32 = 900;

function depthOk(v: usize, d: u32): bool {
  if (d > MAX_DEPTH) return false;
  const t = typeOf(v);
  if (t < T_ARRAY) return true;
  return depthWalk(v, d);
}

function depthWalk(v: usize, d: u32): bool {
  const t = typeOf(v);
  if (t == T_ARRAY) {
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) if (!depthOk(arrGet(v, i), d + 1)) return false;
    return true;
  }
  const n = mapLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(v, i);
    if (!depthOk(entryKey(e), d + 1)) return false;
    if (t == T_OBJECT && !depthOk(entryValue(e), d + 1)) return false;
  }
  return true;
}

/**
 * Appends JSON text [p, p+n) to o with Go's extra escapes: <, > and & (which occur only inside
 * strings in JSON text) and U+2028/U+2029.
 */
function appendGoEscaped(o: usize, p: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 60) bufAscii(o, "\\u003c");
    else if (c == 62) bufAscii(o, "\\u003e");
    else if (c == 38) bufAscii(o, "\\u0026");
    else if (c == 0xe2 && i + 2 < n && load<u8>(p + i + 1) == 0x80 && (load<u8>(p + i + 2) == 0xa8 || load<u8>(p + i + 2) == 0xa9)) {
      bufAscii(o, load<u8>(p + i + 2) == 0xa8 ? "\\u2028" : "\\u2029");
      i += 2;
    } else bufByte(o, c);
  }
}

function goEscaped(b: usize): usize {
  const o = newBuffer(bufLen(b) + 16);
  appendGoEscaped(o, bufPtr(b), bufLen(b));
  return newString(bufPtr(o), bufLen(o));
}

/** Writes a value as compact JSON with Go's escapes. */
function writeEscaped(b: usize, v: usize): void {
  const t = newBuffer(32);
  writeValue(t, v, true, 0);
  appendGoEscaped(b, bufPtr(t), bufLen(t));
}

/** json.marshal(x): compact JSON, object keys sorted, sets as sorted arrays. */
export function builtin_json_marshal(v: usize): usize {
  if (v == 0 || !depthOk(v, 0)) return 0;
  const b = newBuffer(64);
  writeValue(b, v, true, 0);
  return goEscaped(b);
}

function newline(b: usize, prefix: usize, indent: usize, depth: u32): void {
  bufByte(b, 10);
  bufBytes(b, strPtr(prefix), strLen(prefix));
  for (let i: u32 = 0; i < depth; i++) bufBytes(b, strPtr(indent), strLen(indent));
}

/** Go's json.MarshalIndent layout: one element per line, empty containers stay `[]` / `{}`. */
function writePretty(b: usize, v: usize, prefix: usize, indent: usize, depth: u32): void {
  const t = typeOf(v);
  if (t < T_ARRAY) { writeEscaped(b, v); return; }
  const n = t == T_ARRAY ? arrLen(v) : mapLen(v);
  const open: u32 = t == T_OBJECT ? 123 : 91;
  if (n == 0) { bufByte(b, open); bufByte(b, open + 2); return; }
  bufByte(b, open);
  if (t != T_ARRAY) sortMap(v);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) bufByte(b, 44);
    newline(b, prefix, indent, depth + 1);
    if (t == T_ARRAY) { writePretty(b, arrGet(v, i), prefix, indent, depth + 1); continue; }
    const e = entryAt(v, i);
    if (t == T_SET) { writePretty(b, entryKey(e), prefix, indent, depth + 1); continue; }
    const k = entryKey(e);
    if (typeOf(k) == T_STRING) writeEscaped(b, k);
    else {
      const kb = newBuffer(32);
      writeValue(kb, k, true, 0);
      const kq = newBuffer(32);
      writeJsonString(kq, bufPtr(kb), bufLen(kb));
      appendGoEscaped(b, bufPtr(kq), bufLen(kq));
    }
    bufAscii(b, ": ");
    writePretty(b, entryValue(e), prefix, indent, depth + 1);
  }
  newline(b, prefix, indent, depth);
  bufByte(b, open + 2);
}

const TAB: usize = memory.data<u8>([9]);

/**
 * json.marshal_with_options(x, {pretty, indent, prefix}): pretty when `pretty` is true or an
 * indent or prefix is given (unless pretty is false); default indent a tab. Unknown keys are errors.
 */
export function builtin_json_marshal_with_options(v: usize, opts: usize): usize {
  if (v == 0 || !isType(opts, T_OBJECT) || !depthOk(v, 0)) return 0;
  let pretty: i32 = -1; // unset
  let indent: usize = 0, prefix: usize = 0;
  const n = mapLen(opts);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(opts, i);
    const k = entryKey(e), x = entryValue(e);
    if (!isType(k, T_STRING)) return 0;
    if (keyIs(k, OPT_PRETTY, 6)) { if (!isType(x, T_BOOLEAN)) return 0; pretty = booleanValue(x) ? 1 : 0; }
    else if (keyIs(k, OPT_INDENT, 6)) { if (!isType(x, T_STRING)) return 0; indent = x; }
    else if (keyIs(k, OPT_PREFIX, 6)) { if (!isType(x, T_STRING)) return 0; prefix = x; }
    else return 0;
  }
  if (pretty == 0 || (pretty == -1 && indent == 0 && prefix == 0)) return builtin_json_marshal(v);
  if (indent == 0) indent = newString(TAB, 1);
  if (prefix == 0) prefix = newString(TAB, 0);
  const b = newBuffer(128);
  bufBytes(b, strPtr(prefix), strLen(prefix));
  writePretty(b, v, prefix, indent, 0);
  return newString(bufPtr(b), bufLen(b));
}

const OPT_PRETTY: usize = memory.data<u8>([112, 114, 101, 116, 116, 121]);
const OPT_INDENT: usize = memory.data<u8>([105, 110, 100, 101, 110, 116]);
const OPT_PREFIX: usize = memory.data<u8>([112, 114, 101, 102, 105, 120]);

function keyIs(k: usize, lit: usize, n: u32): bool {
  if (strLen(k) != n) return false;
  for (let i: u32 = 0; i < n; i++) if (load<u8>(strPtr(k) + i) != load<u8>(lit + i)) return false;
  return true;
}

export function builtin_json_unmarshal(s: usize): usize {
  if (!isType(s, T_STRING)) return 0;
  if (!utf8Valid(strPtr(s), strLen(s))) return 0;
  return opa_json_parse(strPtr(s), strLen(s));
}

/** json.is_valid(s): parses and throws the value away (the heap is rewound). */
export function builtin_json_is_valid(s: usize): usize {
  if (!isType(s, T_STRING)) return newBoolean(false);
  const mark = heapTop();
  const ok = utf8Valid(strPtr(s), strLen(s)) && opa_json_parse(strPtr(s), strLen(s)) != 0;
  opa_heap_ptr_set(mark);
  return newBoolean(ok);
}

