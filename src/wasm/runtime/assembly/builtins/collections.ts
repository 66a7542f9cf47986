// Arrays, objects and sets: array.*, object.*, union, intersection, json.filter, json.remove.
import { T_STRING, T_NUMBER, T_ARRAY, T_OBJECT, T_SET, typeOf, newArray, newBoolean, arrLen, arrGet, strPtr, strLen, newString } from "../value";
import { arrayAppend, valueMerge } from "../ops";
import { newMap, mapLen, mapFind, mapGet, mapPut, entryAt, entryKey, entryValue, setAdd } from "../map";
import { valueEqual } from "../compare";
import { numberFitsI64, fitI64 } from "../number";
import { isType, collLen, collValueAt } from "./util";
import { alloc } from "../heap";

export function builtin_array_concat(a: usize, b: usize): usize {
  if (!isType(a, T_ARRAY) || !isType(b, T_ARRAY)) return 0;
  const n = arrLen(a), m = arrLen(b);
  const out = newArray(n + m);
  for (let i: u32 = 0; i < n; i++) arrayAppend(out, arrGet(a, i));
  for (let i: u32 = 0; i < m; i++) arrayAppend(out, arrGet(b, i));
  return out;
}

/** array.slice(a, start, stop): indexes clamped to [0, len]; empty when start >= stop. */
export function builtin_array_slice(a: usize, start: usize, stop: usize): usize {
  if (!isType(a, T_ARRAY) || !isType(start, T_NUMBER) || !isType(stop, T_NUMBER)) return 0;
  if (!numberFitsI64(start)) return 0;
  let s = fitI64;
  if (!numberFitsI64(stop)) return 0;
  let e = fitI64;
  const n = <i64>arrLen(a);
  if (s < 0) s = 0;
  if (e > n) e = n;
  const out = newArray(0);
  for (let i = s; i < e; i++) arrayAppend(out, arrGet(a, <u32>i));
  return out;
}

export function builtin_array_reverse(a: usize): usize {
  if (!isType(a, T_ARRAY)) return 0;
  const n = arrLen(a);
  const out = newArray(n);
  for (let i: u32 = n; i > 0; i--) arrayAppend(out, arrGet(a, i - 1));
  return out;
}

/** One step of a path: object key, array index or set element. 0 when absent. */
function step(v: usize, k: usize): usize {
  const t = typeOf(v);
  if (t == T_OBJECT || t == T_SET) return mapGet(v, k);
  if (t == T_ARRAY) {
    if (!isType(k, T_NUMBER) || !numberFitsI64(k) || fitI64 < 0 || fitI64 >= <i64>arrLen(v)) return 0;
    return arrGet(v, <u32>fitI64);
  }
  return 0;
}

/** object.get(obj, key, default); an array key is a path through nested values. */
export function builtin_object_get(obj: usize, key: usize, dflt: usize): usize {
  if (!isType(obj, T_OBJECT) || key == 0 || dflt == 0) return 0;
  if (typeOf(key) != T_ARRAY) {
    const v = mapGet(obj, key);
    return v != 0 ? v : dflt;
  }
  let cur = obj;
  const n = arrLen(key);
  for (let i: u32 = 0; i < n; i++) {
    cur = step(cur, arrGet(key, i));
    if (cur == 0) return dflt;
  }
  return cur;
}

export function builtin_object_keys(obj: usize): usize {
  if (!isType(obj, T_OBJECT)) return 0;
  const out = newMap(T_SET);
  const n = mapLen(obj);
  for (let i: u32 = 0; i < n; i++) setAdd(out, entryKey(entryAt(obj, i)));
  return out;
}

/** A set of the keys named by an array, set or object (its keys). 0 on other types. */
function keySet(keys: usize): usize {
  if (keys == 0) return 0;
  const t = typeOf(keys);
  if (t == T_SET) return keys;
  const out = newMap(T_SET);
  if (t == T_ARRAY) {
    const n = arrLen(keys);
    for (let i: u32 = 0; i < n; i++) setAdd(out, arrGet(keys, i));
    return out;
  }
  if (t == T_OBJECT) {
    const n = mapLen(keys);
    for (let i: u32 = 0; i < n; i++) setAdd(out, entryKey(entryAt(keys, i)));
    return out;
  }
  return 0;
}

function filterKeys(obj: usize, keys: usize, keep: bool): usize {
  if (!isType(obj, T_OBJECT)) return 0;
  const ks = keySet(keys);
  if (ks == 0) return 0;
  const out = newMap(T_OBJECT);
  const n = mapLen(obj);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(obj, i);
    if ((mapFind(ks, entryKey(e)) >= 0) == keep) mapPut(out, entryKey(e), entryValue(e));
  }
  return out;
}

export function builtin_object_remove(obj: usize, keys: usize): usize { return filterKeys(obj, keys, false); }
export function builtin_object_filter(obj: usize, keys: usize): usize { return filterKeys(obj, keys, true); }

/** object.union(a, b): recursive merge; b's values win where both are not objects. */
export function builtin_object_union(a: usize, b: usize): usize {
  if (!isType(a, T_OBJECT) || !isType(b, T_OBJECT)) return 0;
  return valueMerge(b, a);
}

export function builtin_object_union_n(objs: usize): usize {
  if (!isType(objs, T_ARRAY)) return 0;
  let acc = newMap(T_OBJECT);
  const n = arrLen(objs);
  for (let i: u32 = 0; i < n; i++) {
    const o = arrGet(objs, i);
    if (!isType(o, T_OBJECT)) return 0;
    acc = valueMerge(o, acc);
  }
  return acc;
}

/** Every element of sub is in super (super an array or set, sub a set). */
function containsAll(sup: usize, sub: usize): bool {
  const n = mapLen(sub);
  const supSet = typeOf(sup) == T_SET;
  for (let i: u32 = 0; i < n; i++) {
    const x = entryKey(entryAt(sub, i));
    if (supSet) { if (mapFind(sup, x) < 0) return false; continue; }
    let found = false;
    const m = arrLen(sup);
    for (let j: u32 = 0; j < m && !found; j++) found = valueEqual(arrGet(sup, j), x);
    if (!found) return false;
  }
  return true;
}

function subset(sup: usize, sub: usize): bool {
  const ts = typeOf(sup), tb = typeOf(sub);
  if (ts == T_OBJECT && tb == T_OBJECT) {
    const n = mapLen(sub);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(sub, i);
      const v = mapGet(sup, entryKey(e));
      if (v == 0 || !subset(v, entryValue(e))) return false;
    }
    return true;
  }
  if (ts == T_SET && tb == T_SET) return containsAll(sup, sub);
  if (ts == T_ARRAY && tb == T_SET) return containsAll(sup, sub);
  if (ts == T_ARRAY && tb == T_ARRAY) {
    // sub must appear contiguously, in order.
    const n = arrLen(sup), m = arrLen(sub);
    if (m == 0) return true;
    for (let i: u32 = 0; i + m <= n; i++) {
      let k: u32 = 0;
      while (k < m && valueEqual(arrGet(sup, i + k), arrGet(sub, k))) k++;
      if (k == m) return true;
    }
    return false;
  }
  return valueEqual(sup, sub);
}

/** object.subset(super, sub): objects (recursively), sets, arrays, or an array and a set. */
export function builtin_object_subset(sup: usize, sub: usize): usize {
  if (sup == 0 || sub == 0) return 0;
  const ts = typeOf(sup), tb = typeOf(sub);
  const ok = (ts == T_OBJECT && tb == T_OBJECT) || (ts == T_SET && tb == T_SET) ||
    (ts == T_ARRAY && (tb == T_ARRAY || tb == T_SET));
  if (!ok) return 0;
  return newBoolean(subset(sup, sub));
}

/** union(set of sets). */
export function builtin_union(sets: usize): usize {
  if (!isType(sets, T_SET)) return 0;
  const out = newMap(T_SET);
  const n = mapLen(sets);
  for (let i: u32 = 0; i < n; i++) {
    const s = entryKey(entryAt(sets, i));
    if (!isType(s, T_SET)) return 0;
    const m = mapLen(s);
    for (let j: u32 = 0; j < m; j++) setAdd(out, entryKey(entryAt(s, j)));
  }
  return out;
}

/** intersection(set of sets); the empty set of sets gives the empty set. */
export function builtin_intersection(sets: usize): usize {
  if (!isType(sets, T_SET)) return 0;
  const n = mapLen(sets);
  for (let i: u32 = 0; i < n; i++) if (!isType(entryKey(entryAt(sets, i)), T_SET)) return 0;
  const out = newMap(T_SET);
  if (n == 0) return out;
  const first = entryKey(entryAt(sets, 0));
  const m = mapLen(first);
  for (let j: u32 = 0; j < m; j++) {
    const x = entryKey(entryAt(first, j));
    let all = true;
    for (let i: u32 = 1; i < n && all; i++) all = mapFind(entryKey(entryAt(sets, i)), x) >= 0;
    if (all) setAdd(out, x);
  }
  return out;
}

// ---- json.filter / json.remove: paths are "a/b/c" strings (with ~0 ~1 escapes) or arrays.

/** A path segment with JSON pointer escapes undone (~1 is `/`, ~0 is `~`). */
function segment(p: usize, n: u32): usize {
  const q = alloc(n == 0 ? 1 : n);
  let m: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let c = load<u8>(p + i);
    if (c == 126 && i + 1 < n && (load<u8>(p + i + 1) == 48 || load<u8>(p + i + 1) == 49)) {
      c = load<u8>(p + i + 1) == 48 ? 126 : 47;
      i++;
    }
    store<u8>(q + m, c);
    m++;
  }
  return newString(q, m);
}

/** A path operand element as an array of keys, or 0. */
function pathOf(p: usize): usize {
  if (p == 0) return 0;
  const t = typeOf(p);
  if (t == T_ARRAY) return p;
  if (t != T_STRING) return 0;
  const out = newArray(4);
  let s = strPtr(p);
  let n = strLen(p);
  if (n > 0 && load<u8>(s) == 47) { s++; n--; }
  if (n == 0) return out;
  let start: u32 = 0;
  for (let i: u32 = 0; i <= n; i++) {
    if (i == n || load<u8>(s + i) == 47) {
      arrayAppend(out, segment(s + start, i - start));
      start = i + 1;
    }
  }
  return out;
}

/** Builds a trie of paths: object key → sub-trie; a leaf (path end) is marked by a null sub-trie. */
function insertPath(trie: usize, path: usize, i: u32): void {
  const n = arrLen(path);
  if (i == n) return;
  const k = arrGet(path, i);
  let sub = mapGet(trie, k);
  if (i + 1 == n) { mapPut(trie, k, LEAF); return; }
  if (sub == LEAF) return; // a shorter path already covers this one
  if (sub == 0) { sub = newMap(T_OBJECT); mapPut(trie, k, sub); }
  insertPath(sub, path, i + 1);
}

const LEAF_DATA: usize = memory.data<u32>([1, 0]); // a null value, used as the leaf marker
const LEAF: usize = LEAF_DATA;

function pathsTrie(paths: usize): usize {
  if (paths == 0) return 0;
  const t = typeOf(paths);
  if (t != T_ARRAY && t != T_SET) return 0;
  const trie = newMap(T_OBJECT);
  const n = collLen(paths);
  for (let i: u32 = 0; i < n; i++) {
    const p = pathOf(collValueAt(paths, i));
    if (p == 0) return 0;
    if (arrLen(p) == 0) return LEAF; // the empty path selects the whole document
    insertPath(trie, p, 0);
  }
  return trie;
}

function filterBy(v: usize, trie: usize): usize {
  if (trie == LEAF) return v;
  const t = typeOf(v);
  if (t == T_OBJECT) {
    const out = newMap(T_OBJECT);
    const n = mapLen(trie);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(trie, i);
      const child = mapGet(v, entryKey(e));
      if (child != 0) mapPut(out, entryKey(e), filterBy(child, entryValue(e)));
    }
    return out;
  }
  if (t == T_SET) {
    const out = newMap(T_SET);
    const n = mapLen(trie);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(trie, i);
      const child = mapGet(v, entryKey(e));
      if (child != 0) setAdd(out, filterBy(child, entryValue(e)));
    }
    return out;
  }
  if (t == T_ARRAY) {
    const out = newArray(0);
    const m = arrLen(v);
    for (let j: u32 = 0; j < m; j++) {
      const sub = trieIndex(trie, j);
      if (sub != 0) arrayAppend(out, filterBy(arrGet(v, j), sub));
    }
    return out;
  }
  return v;
}

/** The trie entry for array index j: a number key, or a string of its digits. */
function trieIndex(trie: usize, j: u32): usize {
  const n = mapLen(trie);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(trie, i);
    const k = entryKey(e);
    if (isType(k, T_NUMBER)) { if (numberFitsI64(k) && fitI64 == <i64>j) return entryValue(e); continue; }
    if (isType(k, T_STRING)) {
      const p = strPtr(k), len = strLen(k);
      if (len == 0 || len > 10) continue;
      let x: u64 = 0;
      let ok = true;
      for (let q: u32 = 0; q < len && ok; q++) {
        const c = <u32>load<u8>(p + q);
        ok = c - 48 < 10;
        x = x * 10 + <u64>(c - 48);
      }
      if (ok && x == <u64>j) return entryValue(e);
    }
  }
  return 0;
}

function removeBy(v: usize, trie: usize): usize {
  const t = typeOf(v);
  if (t == T_OBJECT) {
    const out = newMap(T_OBJECT);
    const n = mapLen(v);
    for (let i: u32 = 0; i < n; i++) {
      const e = entryAt(v, i);
      const sub = mapGet(trie, entryKey(e));
      if (sub == LEAF) continue;
      mapPut(out, entryKey(e), sub == 0 ? entryValue(e) : removeBy(entryValue(e), sub));
    }
    return out;
  }
  if (t == T_SET) {
    const out = newMap(T_SET);
    const n = mapLen(v);
    for (let i: u32 = 0; i < n; i++) {
      const x = entryKey(entryAt(v, i));
      const sub = mapGet(trie, x);
      if (sub == LEAF) continue;
      setAdd(out, sub == 0 ? x : removeBy(x, sub));
    }
    return out;
  }
  if (t == T_ARRAY) {
    const out = newArray(0);
    const m = arrLen(v);
    for (let j: u32 = 0; j < m; j++) {
      const sub = trieIndex(trie, j);
      if (sub == LEAF) continue;
      arrayAppend(out, sub == 0 ? arrGet(v, j) : removeBy(arrGet(v, j), sub));
    }
    return out;
  }
  return v;
}

/** json.filter(object, paths): keeps only the given paths. */
export function builtin_json_filter(obj: usize, paths: usize): usize {
  if (!isType(obj, T_OBJECT)) return 0;
  const trie = pathsTrie(paths);
  if (trie == 0) return 0;
  return filterBy(obj, trie);
}

/** json.remove(object, paths): drops the given paths. */
export function builtin_json_remove(obj: usize, paths: usize): usize {
  if (!isType(obj, T_OBJECT)) return 0;
  const trie = pathsTrie(paths);
  if (trie == 0) return 0;
  if (trie == LEAF) return newMap(T_OBJECT);
  return removeBy(obj, trie);
}

/** array.flatten(a): one level of nested arrays spliced into the result. */
export function builtin_array_flatten(a: usize): usize {
  if (!isType(a, T_ARRAY)) return 0;
  const n = arrLen(a);
  const out = newArray(n);
  for (let i: u32 = 0; i < n; i++) {
    const x = arrGet(a, i);
    if (typeOf(x) != T_ARRAY) { arrayAppend(out, x); continue; }
    const m = arrLen(x);
    for (let j: u32 = 0; j < m; j++) arrayAppend(out, arrGet(x, j));
  }
  return out;
}
