// Serialisation: JSON (sets as sorted arrays, non-string object keys as strings) and Rego value
// syntax (sets as {…}, the empty set as set()). Object keys are always written in sorted order.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, N_INT, typeOf, subtypeOf, booleanValue, intValue, strLen, strPtr, arrLen, arrGet } from "./value";
import { mapLen, entryAt, entryKey, entryValue } from "./map";
import { sortMap } from "./sort";
import { newBuffer, bufReserve, bufAdvance, bufByte, bufBytes, bufAscii, bufPtr, bufLen } from "./buffer";
import { u64Digits, numberText, numberTextLen, viewOf, viewPrintSize, printView, VIEW_A } from "./number";
import { fail } from "./abort";
import { scanPlain } from "./string";

const HEX: usize = memory.data<u8>([48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]);

/** Writes bytes [p, p+n) as a JSON string literal. */
export function writeJsonString(b: usize, p: usize, n: u32): void {
  bufByte(b, 34);
  let start: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    i += <u32>scanPlain(p + i, n - i, false);
    if (i >= n) break;
    const c = <u32>load<u8>(p + i);
    if (i > start) bufBytes(b, p + start, i - start);
    start = i + 1;
    if (c == 34) bufAscii(b, "\\\"");
    else if (c == 92) bufAscii(b, "\\\\");
    else if (c == 10) bufAscii(b, "\\n");
    else if (c == 13) bufAscii(b, "\\r");
    else if (c == 9) bufAscii(b, "\\t");
    else if (c == 8) bufAscii(b, "\\b");
    else if (c == 12) bufAscii(b, "\\f");
    else {
      bufAscii(b, "\\u00");
      bufByte(b, load<u8>(HEX + (c >> 4)));
      bufByte(b, load<u8>(HEX + (c & 15)));
    }
  }
  if (n > start) bufBytes(b, p + start, n - start);
  bufByte(b, 34);
}

export function writeNumber(b: usize, v: usize): void {
  if (subtypeOf(v) == N_INT) {
    const x = intValue(v);
    const q = bufReserve(b, 20);
    let mag: u64 = x < 0 ? <u64>(-x) : <u64>x;
    const tmp = q + 20;
    let first = u64Digits(mag, tmp);
    if (x < 0) { first--; store<u8>(first, 45); }
    const len = <u32>(tmp - first);
    memory.copy(q, first, len);
    bufAdvance(b, len);
    return;
  }
  const text = numberText(v);
  if (text != 0) { bufBytes(b, text, numberTextLen(v)); return; }
  viewOf(v, VIEW_A);
  const q = bufReserve(b, <u32>viewPrintSize(VIEW_A));
  bufAdvance(b, <u32>printView(VIEW_A, q));
}

/** Nesting limit for dumping, matching the parser's: deeper values abort rather than overflow. */
const MAX_DEPTH: u32 = 1000;

export function writeValue(b: usize, v: usize, json: bool, depth: u32): void {
  if (depth > MAX_DEPTH) fail("value nested too deeply");
  const t = typeOf(v);
  if (t == T_STRING) { writeJsonString(b, strPtr(v), strLen(v)); return; }
  if (t == T_NUMBER) { writeNumber(b, v); return; }
  if (t == T_BOOLEAN) { bufAscii(b, booleanValue(v) ? "true" : "false"); return; }
  if (t == T_NULL) { bufAscii(b, "null"); return; }
  if (t == T_ARRAY) {
    bufByte(b, 91);
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) {
      if (i > 0) bufByte(b, 44);
      writeValue(b, arrGet(v, i), json, depth + 1);
    }
    bufByte(b, 93);
    return;
  }
  const n = mapLen(v);
  if (t != T_OBJECT && n == 0) { bufAscii(b, json ? "[]" : "set()"); return; }
  sortMap(v);
  bufByte(b, t == T_OBJECT ? 123 : json ? 91 : 123);
  for (let i: u32 = 0; i < n; i++) {
    if (i > 0) bufByte(b, 44);
    const e = entryAt(v, i);
    const k = entryKey(e);
    if (t == T_OBJECT) {
      if (json && typeOf(k) != T_STRING) {
        const kb = newBuffer(32);
        writeValue(kb, k, true, depth + 1);
        writeJsonString(b, bufPtr(kb), bufLen(kb));
      } else {
        writeValue(b, k, json, depth + 1);
      }
      bufByte(b, 58);
      writeValue(b, entryValue(e), json, depth + 1);
    } else {
      writeValue(b, k, json, depth + 1);
    }
  }
  bufByte(b, t == T_OBJECT ? 125 : json ? 93 : 125);
}

/** NUL-terminated serialisation of v; undefined (0) dumps as an empty string. */
export function dumpValue(v: usize, json: bool): usize {
  const b = newBuffer(64);
  if (v != 0) writeValue(b, v, json, 0);
  bufByte(b, 0);
  return bufPtr(b);
}

export function opa_json_dump(v: usize): usize {
  return dumpValue(v, true);
}

export function opa_value_dump(v: usize): usize {
  return dumpValue(v, false);
}
