// Objects and sets: one hash table whose entries lie in insertion order until sort.ts puts them
// in key order (sortMap), which is then kept for as long as insertions come in order.
//   header  [hdr][len][cap][entries][buckets][mask][hash] (28 bytes; hdr: type, subtype, flags;
//           hash: hashValue cached, 0 = not yet, cleared by every change)
//   entry   [key][value][hash][next]                    (16 bytes; a set stores key as value)
//   buckets u32 entry index + 1 of each chain head; only once the table holds > SMALL entries,
//           below that a linear scan over cached hashes is faster than indexing. The bucket
//           count is a power of two, at least twice the capacity (which need not be one).
import { alloc, realloc } from "./heap";
import { T_OBJECT, T_SET, typeOf } from "./value";
import { hashValue } from "./hash";
import { valueEqual, valueCompare } from "./compare";

const SMALL: u32 = 8;
const HEADER: usize = 28;
export const ENTRY: usize = 16;
/** Flag in the header's third byte: the entries are in ascending key order. */
const SORTED: u32 = 1;

export function newMap(type: u32): usize {
  const p = alloc(HEADER);
  store<u32>(p, type | (SORTED << 16));
  store<u32>(p, 0, 24);
  store<u32>(p, 0, 4);
  store<u32>(p, 0, 8);
  store<u32>(p, 0, 12);
  store<u32>(p, 0, 16);
  store<u32>(p, 0, 20);
  return p;
}

@inline export function mapLen(m: usize): u32 { return load<u32>(m, 4); }
@inline function mapCap(m: usize): u32 { return load<u32>(m, 8); }
@inline export function mapEntries(m: usize): usize { return load<u32>(m, 12); }
@inline function mapBuckets(m: usize): usize { return load<u32>(m, 16); }
@inline function mapMask(m: usize): u32 { return load<u32>(m, 20); }

@inline export function entryAt(m: usize, i: u32): usize { return mapEntries(m) + <usize>i * ENTRY; }
@inline export function entryKey(e: usize): usize { return load<u32>(e); }
@inline export function entryValue(e: usize): usize { return load<u32>(e, 4); }
@inline function entryHash(e: usize): u32 { return load<u32>(e, 8); }

@inline export function mapIsSorted(m: usize): bool { return (load<u8>(m, 2) & SORTED) != 0; }
@inline export function mapMarkSorted(m: usize): void { store<u8>(m, load<u8>(m, 2) | <u8>SORTED, 2); }
/** The cached hash (0 = none); see hash.ts. */
@inline export function mapHash(m: usize): u32 { return load<u32>(m, 24); }
@inline export function mapSetHash(m: usize, h: u32): void { store<u32>(m, h, 24); }
/** Forgets the cached hash: m (or a map below it) changed. */
@inline export function mapTouch(m: usize): void { store<u32>(m, 0, 24); }
@inline function mapMarkUnsorted(m: usize): void { store<u8>(m, load<u8>(m, 2) & ~(<u8>SORTED), 2); }

/** Keeps the sorted flag when an entry with `key` goes after entry n - 1. */
@inline function noteOrder(m: usize, n: u32, key: usize): void {
  if (n > 0 && mapIsSorted(m) && valueCompare(entryKey(entryAt(m, n - 1)), key) >= 0) mapMarkUnsorted(m);
}

/** Keys of equal hash: the very same value (a key the parser interned, intern.ts) needs no call. */
@inline function sameKey(a: usize, b: usize): bool {
  return a == b || valueEqual(a, b);
}

/** Index of the entry whose key equals `key` (hash `h`), or -1. */
export function mapFindHashed(m: usize, key: usize, h: u32): i32 {
  const entries = mapEntries(m);
  const buckets = mapBuckets(m);
  if (buckets == 0) {
    const n = mapLen(m);
    for (let i: u32 = 0; i < n; i++) {
      const e = entries + <usize>i * ENTRY;
      if (entryHash(e) == h && sameKey(entryKey(e), key)) return <i32>i;
    }
    return -1;
  }
  let idx = load<u32>(buckets + (<usize>(h & mapMask(m)) << 2));
  while (idx != 0) {
    const e = entries + <usize>(idx - 1) * ENTRY;
    if (entryHash(e) == h && sameKey(entryKey(e), key)) return <i32>(idx - 1);
    idx = load<u32>(e, 12);
  }
  return -1;
}

export function mapFind(m: usize, key: usize): i32 {
  return mapFindHashed(m, key, hashValue(key));
}

/** Value stored under `key`, or 0. For sets, the stored element. */
export function mapGet(m: usize, key: usize): usize {
  const i = mapFind(m, key);
  return i < 0 ? 0 : entryValue(entryAt(m, <u32>i));
}

/** Bucket count for a capacity: the power of two at least twice it. */
@inline function bucketsFor(cap: u32): u32 {
  return (<u32>1 << (32 - clz(cap - 1))) << 1;
}

function rebuildBuckets(m: usize, nb: u32): void {
  const buckets = alloc(<usize>nb << 2);
  store<u32>(m, <u32>buckets, 16);
  store<u32>(m, nb - 1, 20);
  mapRechain(m);
}

/** Links every entry into its bucket again, in place (after the entries moved). */
export function mapRechain(m: usize): void {
  const buckets = mapBuckets(m);
  if (buckets == 0) return;
  const mask = mapMask(m);
  memory.fill(buckets, 0, <usize>(mask + 1) << 2);
  const entries = mapEntries(m);
  const n = mapLen(m);
  for (let i: u32 = 0; i < n; i++) {
    const e = entries + <usize>i * ENTRY;
    const b = buckets + (<usize>(entryHash(e) & mask) << 2);
    store<u32>(e, load<u32>(b), 12);
    store<u32>(b, i + 1);
  }
}

/** Appends an entry known to be absent. */
export function mapAppend(m: usize, key: usize, value: usize, h: u32): void {
  const n = mapLen(m);
  let cap = mapCap(m);
  if (n == cap) {
    const ncap: u32 = cap == 0 ? 4 : cap << 1;
    store<u32>(m, <u32>realloc(mapEntries(m), <usize>cap * ENTRY, <usize>ncap * ENTRY), 12);
    store<u32>(m, ncap, 8);
    cap = ncap;
    if (ncap > SMALL) {
      store<u32>(m, n, 4);
      rebuildBuckets(m, bucketsFor(ncap));
    }
  }
  noteOrder(m, n, key);
  mapTouch(m);
  const e = entryAt(m, n);
  store<u32>(e, <u32>key);
  store<u32>(e, <u32>value, 4);
  store<u32>(e, h, 8);
  store<u32>(e, 0, 12);
  store<u32>(m, n + 1, 4);
  const buckets = mapBuckets(m);
  if (buckets != 0) {
    const b = buckets + (<usize>(h & mapMask(m)) << 2);
    store<u32>(e, load<u32>(b), 12);
    store<u32>(b, n + 1);
  } else if (n + 1 > SMALL) {
    rebuildBuckets(m, bucketsFor(cap));
  }
}

/**
 * A map of the `n` triples [key][key hash][value] (u32 each) at `src`, in one allocation with
 * room for exactly n entries; a repeated key keeps its first position and its last value.
 */
export function mapBuild(type: u32, src: usize, n: u32): usize {
  if (n == 0) return newMap(type);
  const big = n > SMALL;
  const nb: u32 = big ? bucketsFor(n) : 0;
  const m = alloc(HEADER + <usize>n * ENTRY + (<usize>nb << 2));
  const entries = m + HEADER;
  const buckets: usize = big ? entries + <usize>n * ENTRY : 0;
  if (big) memory.fill(buckets, 0, <usize>nb << 2);
  store<u32>(m, type | (SORTED << 16));
  store<u32>(m, 0, 4);
  store<u32>(m, n, 8);
  store<u32>(m, <u32>entries, 12);
  store<u32>(m, <u32>buckets, 16);
  store<u32>(m, big ? nb - 1 : 0, 20);
  store<u32>(m, 0, 24);
  let len: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const t = src + <usize>i * 12;
    const key = <usize>load<u32>(t);
    const h = load<u32>(t, 4);
    // A repeated key (rare) is found by its hash first: a scan while small, else its chain.
    let dup: usize = 0;
    if (big) {
      let idx = load<u32>(buckets + (<usize>(h & (nb - 1)) << 2));
      while (idx != 0) {
        const x = entries + <usize>(idx - 1) * ENTRY;
        if (entryHash(x) == h && valueEqual(entryKey(x), key)) { dup = x; break; }
        idx = load<u32>(x, 12);
      }
    } else {
      for (let x = entries, stop = entries + <usize>len * ENTRY; x < stop; x += ENTRY) {
        if (entryHash(x) == h && valueEqual(entryKey(x), key)) { dup = x; break; }
      }
    }
    if (dup != 0) {
      store<u32>(dup, load<u32>(t, 8), 4);
      continue;
    }
    noteOrder(m, len, key);
    const e = entries + <usize>len * ENTRY;
    store<u32>(e, <u32>key);
    store<u32>(e, load<u32>(t, 8), 4);
    store<u32>(e, h, 8);
    len++;
    if (big) {
      const b = buckets + (<usize>(h & (nb - 1)) << 2);
      store<u32>(e, load<u32>(b), 12);
      store<u32>(b, len);
    } else store<u32>(e, 0, 12);
  }
  store<u32>(m, len, 4);
  return m;
}

/** Insert or replace. */
export function mapPut(m: usize, key: usize, value: usize): void {
  const h = hashValue(key);
  const i = mapFindHashed(m, key, h);
  if (i >= 0) {
    store<u32>(entryAt(m, <u32>i), <u32>value, 4);
    mapTouch(m);
    return;
  }
  mapAppend(m, key, value, h);
}

/** Insert when absent; returns 0 when inserted or equal, 1 when a different value is present. */
export function mapPutOnce(m: usize, key: usize, value: usize): u32 {
  const h = hashValue(key);
  const i = mapFindHashed(m, key, h);
  if (i >= 0) return valueEqual(entryValue(entryAt(m, <u32>i)), value) ? 0 : 1;
  mapAppend(m, key, value, h);
  return 0;
}

export function setAdd(s: usize, v: usize): void {
  const h = hashValue(v);
  if (mapFindHashed(s, v, h) < 0) mapAppend(s, v, v, h);
}

/** Removes key in place (entries keep their order); returns false when absent. */
export function mapRemove(m: usize, key: usize): bool {
  const i = mapFind(m, key);
  if (i < 0) return false;
  const n = mapLen(m);
  const at = entryAt(m, <u32>i);
  memory.copy(at, at + ENTRY, <usize>(n - 1 - <u32>i) * ENTRY);
  store<u32>(m, n - 1, 4);
  mapTouch(m);
  if (mapBuckets(m) != 0) rebuildBuckets(m, mapMask(m) + 1);
  return true;
}

/** A copy sharing keys and values; entries and buckets are copied. */
export function mapCopy(m: usize): usize {
  const c = alloc(HEADER);
  memory.copy(c, m, HEADER);
  const cap = mapCap(m);
  if (cap != 0) {
    const entries = alloc(<usize>cap * ENTRY);
    memory.copy(entries, mapEntries(m), <usize>mapLen(m) * ENTRY);
    store<u32>(c, <u32>entries, 12);
    const buckets = mapBuckets(m);
    if (buckets != 0) {
      const size = <usize>(mapMask(m) + 1) << 2;
      const nb = alloc(size);
      memory.copy(nb, buckets, size);
      store<u32>(c, <u32>nb, 16);
    }
  }
  return c;
}

@inline export function isMap(v: usize): bool {
  const t = typeOf(v);
  return t == T_OBJECT || t == T_SET;
}
