// walk(x): every [path, value] pair of a document, pre-order — the root first, then array
// elements by index, object members and set elements in key order. A set element's path step is
// the element itself (as in OPA). The planner iterates the returned array (a relation).
import { T_ARRAY, T_OBJECT, T_SET, typeOf, newArray, newInt, arrLen, arrGet } from "../value";
import { arrayAppend } from "../ops";
import { mapLen, entryAt, entryKey, entryValue } from "../map";
import { sortMap } from "../sort";
import { fail } from "../abort";

/** As deep as the JSON parser and the dumps go; deeper documents abort rather than overflow. */
const MAX_DEPTH: u32 = 1000;

/** path plus one step, as a new array (paths are shared by nothing but their own pair). */
function extend(path: usize, step: usize): usize {
  const n = arrLen(path);
  const out = newArray(n + 1);
  for (let i: u32 = 0; i < n; i++) arrayAppend(out, arrGet(path, i));
  arrayAppend(out, step);
  return out;
}

function walkInto(v: usize, path: usize, out: usize, depth: u32): void {
  // Aborting (an evaluation error, hence a deny) rather than answering undefined: a policy that
  // looks for something bad with walk must not see nothing.
  if (depth > MAX_DEPTH) fail("walk: value nested too deeply");
  const pair = newArray(2);
  arrayAppend(pair, path);
  arrayAppend(pair, v);
  arrayAppend(out, pair);
  const t = typeOf(v);
  if (t == T_ARRAY) {
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) walkInto(arrGet(v, i), extend(path, newInt(<i64>i)), out, depth + 1);
  } else if (t == T_OBJECT || t == T_SET) {
    sortMap(v);
    const n = mapLen(v);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(v, i);
      const k = entryKey(e);
      walkInto(t == T_OBJECT ? entryValue(e) : k, extend(path, k), out, depth + 1);
    }
  }
}

export function builtin_walk(x: usize): usize {
  if (x == 0) return 0;
  const out = newArray(0);
  walkInto(x, newArray(0), out, 0);
  return out;
}
