// A growable byte buffer on the heap: [ptr][len][cap]. Grows in place while it is the last
// allocation, which is the common case while dumping.
import { alloc, realloc } from "./heap";

export function newBuffer(cap: u32): usize {
  const b = alloc(12);
  store<u32>(b, <u32>alloc(cap));
  store<u32>(b, 0, 4);
  store<u32>(b, cap, 8);
  return b;
}

@inline export function bufPtr(b: usize): usize { return load<u32>(b); }
@inline export function bufLen(b: usize): u32 { return load<u32>(b, 4); }

/** Makes room for n more bytes; returns the address to write them at. */
@inline export function bufReserve(b: usize, n: u32): usize {
  const len = load<u32>(b, 4);
  const cap = load<u32>(b, 8);
  if (len + n > cap) bufGrow(b, len + n);
  return <usize>load<u32>(b) + len;
}

function bufGrow(b: usize, need: u32): void {
  const cap = load<u32>(b, 8);
  let ncap = cap << 1;
  if (ncap < need) ncap = need + 64;
  store<u32>(b, <u32>realloc(load<u32>(b), cap, ncap));
  store<u32>(b, ncap, 8);
}

@inline export function bufAdvance(b: usize, n: u32): void {
  store<u32>(b, load<u32>(b, 4) + n, 4);
}

@inline export function bufByte(b: usize, c: u32): void {
  store<u8>(bufReserve(b, 1), <u8>c);
  bufAdvance(b, 1);
}

@inline export function bufBytes(b: usize, p: usize, n: u32): void {
  memory.copy(bufReserve(b, n), p, n);
  bufAdvance(b, n);
}

/** ASCII string literal (for fixed tokens such as `null`). */
export function bufAscii(b: usize, s: string): void {
  const n = <u32>s.length;
  const q = bufReserve(b, n);
  const src = changetype<usize>(s);
  for (let i: u32 = 0; i < n; i++) store<u8>(q + i, <u8>load<u16>(src + (<usize>i << 1)));
  bufAdvance(b, n);
}
