// Hashing consistent with valueEqual: equal values hash alike (1 and 1.0 included), and
// objects/sets hash independently of insertion order.
import { T_NULL, T_BOOLEAN, T_NUMBER, T_STRING, T_ARRAY, T_OBJECT, typeOf, booleanValue, strLen, strPtr, arrLen, arrGet } from "./value";
import { hashBytes } from "./string";
import { numberHash } from "./number";
import { mapLen, entryAt, entryKey, entryValue, mapHash, mapSetHash } from "./map";

@inline export function mix32(h: u32): u32 {
  h ^= h >> 16;
  h *= 0x85ebca6b;
  h ^= h >> 13;
  h *= 0xc2b2ae35;
  h ^= h >> 16;
  return h;
}

export function hashI64(x: i64): u32 {
  return mix32(<u32>x ^ mix32(<u32>(x >>> 32) + 0x9e3779b9));
}

export function stringHash(v: usize): u32 {
  let h = load<u32>(v, 12);
  if (h == 0) {
    h = hashBytes(strPtr(v), strLen(v));
    store<u32>(v, h, 12);
  }
  return h;
}

export function hashValue(v: usize): u32 {
  const t = typeOf(v);
  if (t == T_STRING) return stringHash(v);
  if (t == T_NUMBER) return numberHash(v);
  if (t == T_NULL) return 0x6b43a9b5;
  if (t == T_BOOLEAN) return booleanValue(v) ? 0x1b873593 : 0x2545f491;
  if (t == T_ARRAY) {
    let h: u32 = 0x3c6ef372;
    const n = arrLen(v);
    for (let i: u32 = 0; i < n; i++) h = (h ^ hashValue(arrGet(v, i))) * 0x01000193 + 0x7f4a7c15;
    return mix32(h ^ n);
  }
  // Objects and sets: a commutative sum of per-entry hashes, cached in the map until it changes.
  const cached = mapHash(v);
  if (cached != 0) return cached;
  let sum: u32 = t == T_OBJECT ? 0x510e527f : 0x1f83d9ab;
  const n = mapLen(v);
  for (let i: u32 = 0; i < n; i++) {
    const e = entryAt(v, i);
    sum += t == T_OBJECT ? mix32(hashValue(entryKey(e)) * 31 + hashValue(entryValue(e))) : mix32(hashValue(entryKey(e)));
  }
  let h = mix32(sum ^ n);
  if (h == 0) h = 1;
  mapSetHash(v, h);
  return h;
}
