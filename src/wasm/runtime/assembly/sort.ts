// Sorted views of objects (by key) and sets (by element), as arrays of entry indexes.
import { alloc } from "./heap";
import { mapLen, entryAt, entryKey } from "./map";
import { valueCompare } from "./compare";
import { T_STRING, typeOf, strLen, strPtr } from "./value";
import { bytesCompare } from "./string";

/** valueCompare with a fast path for the usual case of string keys. */
@inline function keyCompare(a: usize, b: usize): i32 {
  if (typeOf(a) == T_STRING && typeOf(b) == T_STRING) return bytesCompare(strPtr(a), strLen(a), strPtr(b), strLen(b));
  return valueCompare(a, b);
}

@inline function keyAt(m: usize, idx: usize, i: u32): usize {
  return entryKey(entryAt(m, load<u32>(idx + (<usize>i << 2))));
}

/** Entry indexes of map m in ascending key order (a fresh u32 array of mapLen(m)). */
export function sortedEntries(m: usize): usize {
  const n = mapLen(m);
  const idx = alloc(<usize>n << 2);
  for (let i: u32 = 0; i < n; i++) store<u32>(idx + (<usize>i << 2), i);
  if (n < 2) return idx;
  // Already sorted (common: keys inserted in order) costs one pass.
  let sorted = true;
  for (let i: u32 = 1; i < n && sorted; i++) sorted = keyCompare(keyAt(m, idx, i - 1), keyAt(m, idx, i)) <= 0;
  if (sorted) return idx;
  if (n <= 12) {
    for (let i: u32 = 1; i < n; i++) {
      const x = load<u32>(idx + (<usize>i << 2));
      const kx = entryKey(entryAt(m, x));
      let j = i;
      while (j > 0 && keyCompare(keyAt(m, idx, j - 1), kx) > 0) {
        store<u32>(idx + (<usize>j << 2), load<u32>(idx + (<usize>(j - 1) << 2)));
        j--;
      }
      store<u32>(idx + (<usize>j << 2), x);
    }
    return idx;
  }
  // Bottom-up merge sort between idx and tmp.
  let src = idx;
  let dst = alloc(<usize>n << 2);
  for (let width: u32 = 1; width < n; width <<= 1) {
    for (let lo: u32 = 0; lo < n; lo += width << 1) {
      const mid = lo + width < n ? lo + width : n;
      const hi = lo + (width << 1) < n ? lo + (width << 1) : n;
      let i = lo, j = mid, k = lo;
      while (i < mid && j < hi) {
        if (keyCompare(keyAt(m, src, i), keyAt(m, src, j)) <= 0) {
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
  return src;
}
