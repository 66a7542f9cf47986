// Template strings (`$"user {input.name}"`). The parser turns each template into
// internal.template_string([parts…]): literal text parts are strings, and each `{expr}` part is
// the array of the expression's values (an array comprehension), so an undefined expression
// shows as `<undefined>` instead of making the whole string undefined.
import { T_ARRAY, T_STRING, typeOf, arrLen, arrGet } from "../value";
import { bufBytes, bufAscii } from "../buffer";
import { isType, bufString, newBuf, sPtr, sLen } from "./util";
import { writeRegoText } from "./sprintf";

export function builtin_internal_template_string(parts: usize): usize {
  if (!isType(parts, T_ARRAY)) return 0;
  const b = newBuf();
  const n = arrLen(parts);
  for (let i: u32 = 0; i < n; i++) {
    const p = arrGet(parts, i);
    const t = typeOf(p);
    if (t == T_STRING) {
      bufBytes(b, sPtr(p), sLen(p));
      continue;
    }
    if (t != T_ARRAY) return 0;
    const m = arrLen(p);
    if (m == 0) {
      bufAscii(b, "<undefined>");
      continue;
    }
    // An expression with several values has no single rendering: the template is undefined.
    if (m > 1) return 0;
    const v = arrGet(p, 0);
    if (typeOf(v) == T_STRING) bufBytes(b, sPtr(v), sLen(v));
    else writeRegoText(b, v);
  }
  return bufString(b);
}
