// The policy's constant strings, found by their bytes (the linker lays the table out; see
// src/wasm/intern.ts). The JSON parser hands out a constant instead of a new string for an object
// key the policy also names, so looking that key up matches by address.
import { strLen, strPtr } from "./value";
import { bytesEqual } from "./string";

/** Address of the table [mask][slots…] (u32 each; a slot is a string value or 0); 0 = none. */
export let portcullis_interned: usize = 0;

/** The constant string with bytes [p, p+n) and hash h, or 0. */
@inline export function internedString(p: usize, n: u32, h: u32): usize {
  const t = portcullis_interned;
  if (t == 0) return 0;
  return probe(t, p, n, h);
}

function probe(t: usize, p: usize, n: u32, h: u32): usize {
  const mask = load<u32>(t);
  let i = h & mask;
  while (true) {
    const v = <usize>load<u32>(t + 4 + (<usize>i << 2));
    if (v == 0) return 0;
    if (load<u32>(v, 12) == h && strLen(v) == n && bytesEqual(strPtr(v), p, n)) return v;
    i = (i + 1) & mask;
  }
}
