// Sorting: value handles in Rego order, and maps (objects by key, sets by element) in place.
//
// A map remembers whether its entries are in ascending key order (map.ts keeps the flag on
// insertion); sortMap puts the entries of one that is not in order, once. Comparing, dumping and
// iterating then walk the entries as they lie, with nothing to sort or allocate the next time.
import { alloc, heapTop, opa_heap_ptr_set } from "./heap";
import { mapLen, mapEntries, mapIsSorted, mapMarkSorted, mapRechain, ENTRY } from "./map";
import { valueCompare } from "./compare";

@inline function handleAt(p: usize, i: u32, indirect: bool): usize {
  const h = <usize>load<u32>(p + (<usize>i << 2));
  return indirect ? <usize>load<u32>(h) : h;
}

/**
 * Sorts the n u32 handles at p, stably, in Rego order of what they denote: the values
 * themselves, or (`indirect`) the value each handle points at.
 */
export function sortHandles(p: usize, n: u32, indirect: bool = false): void {
  if (n < 2) return;
  if (n <= 12) {
    for (let i: u32 = 1; i < n; i++) {
      const x = load<u32>(p + (<usize>i << 2));
      const vx = indirect ? <usize>load<u32>(x) : <usize>x;
      let j = i;
      while (j > 0 && valueCompare(handleAt(p, j - 1, indirect), vx) > 0) {
        store<u32>(p + (<usize>j << 2), load<u32>(p + (<usize>(j - 1) << 2)));
        j--;
      }
      store<u32>(p + (<usize>j << 2), x);
    }
    return;
  }
  // Bottom-up merge sort between p and a scratch array.
  let src = p;
  let dst = alloc(<usize>n << 2);
  for (let width: u32 = 1; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + (width << 1) < n ? lo + (width << 1) : n;
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (valueCompare(handleAt(src, i, indirect), handleAt(src, j, indirect)) <= 0) {
          store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>i << 2))); i++;
        } else {
          store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>j << 2))); j++;
        }
        k++;
      }
      while (i < mid) { store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>i << 2))); i++; k++; }
      while (j < hi) { store<u32>(dst + (<usize>k << 2), load<u32>(src + (<usize>j << 2))); j++; k++; }
    }
    const t = src; src = dst; dst = t;
  }
  if (src != p) memory.copy(p, src, <usize>n << 2);
}

/**
 * Puts the entries of map m in ascending key order, in place. Nothing allocated here outlives
 * the call (the heap pointer is restored), so it may run inside a comparison or a dump.
 * Callers that walk a map by position while it may be compared or dumped sort it first, so
 * that it cannot move under them.
 */
export function sortMap(m: usize): void {
  if (mapIsSorted(m)) return;
  const n = mapLen(m);
  if (n >= 2) {
    const mark = heapTop();
    const entries = mapEntries(m);
    const copy = alloc(<usize>n * ENTRY);
    memory.copy(copy, entries, <usize>n * ENTRY);
    // Handles to the copied entries; an entry starts with its key, so they sort by key.
    const p = alloc(<usize>n << 2);
    for (let i: u32 = 0; i < n; i++) store<u32>(p + (<usize>i << 2), <u32>(copy + <usize>i * ENTRY));
    sortHandles(p, n, true);
    for (let i: u32 = 0; i < n; i++) memory.copy(entries + <usize>i * ENTRY, <usize>load<u32>(p + (<usize>i << 2)), ENTRY);
    mapRechain(m);
    opa_heap_ptr_set(mark);
  }
  mapMarkSorted(m);
}
