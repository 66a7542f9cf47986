// json.marshal / json.unmarshal / json.is_valid on top of the runtime's JSON parser and printer.
import { T_STRING, T_OBJECT, T_ARRAY, typeOf, newBoolean, strPtr, strLen, newString, arrLen, arrGet } from "../value";
import { mapLen, entryAt, entryKey, entryValue } from "../map";
import { newBuffer, bufPtr, bufLen, bufAscii, bufByte } from "../buffer";
import { writeValue } from "../dump";
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

/** json.marshal(x): compact JSON, object keys sorted, sets as sorted arrays. */
export function builtin_json_marshal(v: usize): usize {
  if (v == 0 || !depthOk(v, 0)) return 0;
  const b = newBuffer(64);
  writeValue(b, v, true, 0);
  // Go's encoder also escapes <, > and & (they occur only inside strings) and U+2028/U+2029.
  const p = bufPtr(b), n = bufLen(b);
  let extra: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const c = load<u8>(p + i);
    if (c == 60 || c == 62 || c == 38) extra += 5;
    else if (c == 0xe2 && i + 2 < n && load<u8>(p + i + 1) == 0x80 && (load<u8>(p + i + 2) == 0xa8 || load<u8>(p + i + 2) == 0xa9)) extra += 3;
  }
  if (extra == 0) return newString(p, n);
  const o = newBuffer(n + extra);
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
  return newString(bufPtr(o), bufLen(o));
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

