// Constant strings laid out for the runtime, and the intern table that lists them.
//
// The runtime's JSON parser looks each object key up in this table and, when the policy has the
// same string as a constant, uses the constant's value instead of a new one. A lookup of that key
// then finds the entry by address, without comparing bytes (map.ts), and the parse allocates
// nothing for it. Both layouts and the hash are the runtime's (docs/runtime.md, string.ts
// hashBytes); test/wasm/intern.test.ts checks the hash against the runtime's own.

/** The runtime's string hash: 32-bit FNV-1a over the UTF-8 bytes, 0 mapped to 1 (0 = not computed). */
export function stringHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193);
  h >>>= 0;
  return h === 0 ? 1 : h;
}

/** A string value: [type 4][len][ptr][hash], u32 little-endian each. */
export function stringValueBytes(ptr: number, len: number, hash: number): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 4, true);
  view.setUint32(4, len, true);
  view.setUint32(8, ptr, true);
  view.setUint32(12, hash, true);
  return bytes;
}

/**
 * The table: [mask][slot 0 … slot mask], u32 each; a slot holds a string value's address or 0.
 * Open addressing from `hash & mask`, linear probing; at most half the slots are used, so every
 * probe sequence ends at an empty slot.
 */
export function internTableBytes(values: ReadonlyArray<{ addr: number; hash: number }>): Uint8Array {
  let slots = 4;
  while (slots < values.length * 2) slots *= 2;
  const mask = slots - 1;
  const table = new Uint32Array(slots + 1);
  table[0] = mask;
  for (const v of values) {
    let i = v.hash & mask;
    while (table[i + 1] !== 0) i = (i + 1) & mask;
    table[i + 1] = v.addr;
  }
  return new Uint8Array(table.buffer);
}
