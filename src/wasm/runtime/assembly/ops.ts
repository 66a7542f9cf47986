// Collection operations on values: append, lookup, iteration, length, copy, merge and patch.
import { realloc } from "./heap";
import { T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, T_SET, typeOf, newInt, newArray, arrLen, arrCap, arrElems, arrGet, strLen, strPtr } from "./value";
import { mapTouch, newMap, mapLen, mapFind, mapGet, mapPut, mapAppend, mapCopy, mapRemove, entryAt, entryKey, entryValue } from "./map";
import { numberFitsI64, fitI64 } from "./number";
import { utf8Count } from "./string";
import { hashValue } from "./hash";

export function arrayAppend(a: usize, v: usize): void {
  const n = arrLen(a);
  const cap = arrCap(a);
  if (n == cap) {
    const ncap: u32 = cap == 0 ? 4 : cap << 1;
    store<u32>(a, <u32>realloc(arrElems(a), <usize>cap << 2, <usize>ncap << 2), 12);
    store<u32>(a, ncap, 8);
  }
  store<u32>(arrElems(a) + (<usize>n << 2), <u32>v);
  store<u32>(a, n + 1, 4);
}

/** Array index from a number key, or -1 when it is not an integer in [0, n). */
function arrayIndex(key: usize, n: u32): i64 {
  if (key == 0 || typeOf(key) != T_NUMBER || !numberFitsI64(key)) return -1;
  return fitI64 >= 0 && fitI64 < <i64>n ? fitI64 : -1;
}

/** v[key]: array element, object value, or the set's element equal to key; 0 when absent. */
export function valueGet(v: usize, key: usize): usize {
  if (v == 0 || key == 0) return 0;
  const t = typeOf(v);
  if (t == T_OBJECT || t == T_SET) return mapGet(v, key);
  if (t == T_ARRAY) {
    const i = arrayIndex(key, arrLen(v));
    return i < 0 ? 0 : arrGet(v, <u32>i);
  }
  return 0;
}

/** The key after prev (0 = first): array indexes as numbers, object keys, set elements. */
export function valueIter(v: usize, prev: usize): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  if (t == T_ARRAY) {
    const n = arrLen(v);
    if (prev == 0) return n > 0 ? newInt(0) : 0;
    const i = arrayIndex(prev, n);
    return i >= 0 && i + 1 < <i64>n ? newInt(i + 1) : 0;
  }
  if (t == T_OBJECT || t == T_SET) {
    const n = mapLen(v);
    if (prev == 0) return n > 0 ? entryKey(entryAt(v, 0)) : 0;
    const i = mapFind(v, prev);
    return i >= 0 && <u32>(i + 1) < n ? entryKey(entryAt(v, <u32>(i + 1))) : 0;
  }
  return 0;
}

/** Elements of a collection, code points of a string, 0 otherwise. */
export function valueLength(v: usize): u32 {
  if (v == 0) return 0;
  const t = typeOf(v);
  if (t == T_ARRAY) return arrLen(v);
  if (t == T_OBJECT || t == T_SET) return mapLen(v);
  if (t == T_STRING) return utf8Count(strPtr(v), strLen(v));
  return 0;
}

/** A new container holding the same elements; scalars are returned as they are. */
export function shallowCopy(v: usize): usize {
  if (v == 0) return 0;
  const t = typeOf(v);
  if (t == T_OBJECT || t == T_SET) return mapCopy(v);
  if (t == T_ARRAY) {
    const n = arrLen(v);
    const c = newArray(n);
    if (n != 0) memory.copy(arrElems(c), arrElems(v), <usize>n << 2);
    store<u32>(c, n, 4);
    return c;
  }
  return v;
}

/** Deep merge of two objects; a's values win where both are not objects. 0 unless both are objects. */
export function valueMerge(a: usize, b: usize): usize {
  if (a == 0 || b == 0 || typeOf(a) != T_OBJECT || typeOf(b) != T_OBJECT) return 0;
  const r = mapCopy(a);
  const n = mapLen(b);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(b, i);
    const k = entryKey(e);
    const h = hashValue(k);
    const j = mapFind(r, k);
    if (j < 0) { mapAppend(r, k, entryValue(e), h); continue; }
    const av = entryValue(entryAt(r, <u32>j));
    const bv = entryValue(e);
    if (typeOf(av) == T_OBJECT && typeOf(bv) == T_OBJECT) {
      store<u32>(entryAt(r, <u32>j), <u32>valueMerge(av, bv), 4);
      mapTouch(r);
    }
  }
  return r;
}

function patchAt(root: usize, path: usize, i: u32, value: usize): usize {
  if (i == arrLen(path)) return value;
  const isObj = root != 0 && typeOf(root) == T_OBJECT;
  const o = isObj ? mapCopy(root) : newMap(T_OBJECT);
  const k = arrGet(path, i);
  mapPut(o, k, patchAt(isObj ? mapGet(root, k) : 0, path, i + 1, value));
  return o;
}

/** Copy of root with value at path (an array of keys), creating objects along the way. */
export function valuePatch(root: usize, path: usize, value: usize): usize {
  if (path == 0 || typeOf(path) != T_ARRAY) return 0;
  return patchAt(root, path, 0, value);
}

/** Error codes of opa_value_add_path / opa_value_remove_path (OPA's ABI). */
const ERR_OK: u32 = 0;
const ERR_INVALID_TYPE: u32 = 2;
const ERR_INVALID_PATH: u32 = 3;

/** Parent object of the last key of path, creating objects when `create`; 0 with `pathErr` set on failure. */
let pathErr: u32 = 0;
function walkToParent(base: usize, path: usize, create: bool): usize {
  if (base == 0 || typeOf(base) != T_OBJECT) { pathErr = ERR_INVALID_TYPE; return 0; }
  if (path == 0 || typeOf(path) != T_ARRAY || arrLen(path) == 0) { pathErr = ERR_INVALID_PATH; return 0; }
  let cur = base;
  const last = arrLen(path) - 1;
  // Every map on the path changes (its own entries or one below): their cached hashes go.
  mapTouch(cur);
  for (let i: u32 = 0; i < last; i++) {
    const k = arrGet(path, i);
    let next = mapGet(cur, k);
    if (next == 0) {
      if (!create) { pathErr = ERR_INVALID_PATH; return 0; }
      next = newMap(T_OBJECT);
      mapPut(cur, k, next);
    } else if (typeOf(next) != T_OBJECT) {
      pathErr = ERR_INVALID_TYPE;
      return 0;
    }
    cur = next;
    mapTouch(cur);
  }
  return cur;
}

/** In-place upsert of value at path in the object base (for data updates). */
export function valueAddPath(base: usize, path: usize, value: usize): u32 {
  if (value == 0) return ERR_INVALID_TYPE;
  const parent = walkToParent(base, path, true);
  if (parent == 0) return pathErr;
  mapPut(parent, arrGet(path, arrLen(path) - 1), value);
  return ERR_OK;
}

/** In-place removal of the value at path in the object base. */
export function valueRemovePath(base: usize, path: usize): u32 {
  const parent = walkToParent(base, path, false);
  if (parent == 0) return pathErr;
  return mapRemove(parent, arrGet(path, arrLen(path) - 1)) ? ERR_OK : ERR_INVALID_PATH;
}
