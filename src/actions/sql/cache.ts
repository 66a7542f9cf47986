// Bounded LRU of finished documents keyed by dialect + text. Documents are frozen so a caller
// cannot change what the next caller of the same text receives.
//
// A text is admitted on its second sighting. Traffic with ever-new texts (literals inlined in
// the SQL) would otherwise push every document through the cache: each one outlives a few young
// collections, is promoted, and is evicted as old-generation garbage. Measured on 20k distinct
// queries, that garbage was 40-50 MB of the process's resident memory. A small table of text
// hashes remembers what was seen once, and holds no reference to any text.
import type { SqlAction } from './types.ts';

/** Slots in the table of texts seen once (a power of two). */
const DOOR_SLOTS = 1 << 13;

export class SqlCache {
  private readonly map = new Map<string, SqlAction>();
  private readonly door = new Int32Array(DOOR_SLOTS);
  constructor(readonly capacity = 1024, readonly maxTextLength = 64 * 1024) {}

  get(dialect: string, text: string): SqlAction | undefined {
    if (text.length > this.maxTextLength) return undefined;
    const key = dialect + '\u0000' + text;
    const hit = this.map.get(key);
    if (hit !== undefined) {
      // Re-insert: Map iteration order is insertion order, so the oldest entry is first.
      this.map.delete(key);
      this.map.set(key, hit);
    }
    return hit;
  }

  set(dialect: string, text: string, doc: SqlAction): void {
    if (text.length > this.maxTextLength || this.capacity <= 0) return;
    const key = dialect + '\u0000' + text;
    this.map.delete(key);
    this.map.set(key, deepFreeze(doc));
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value;
      if (oldest === undefined) break;
      this.map.delete(oldest);
    }
  }

  /**
   * Caches the document if this text was offered before (or shares its hash slot with a text
   * that was: such a collision only admits a text early); otherwise only remembers its hash.
   */
  offer(dialect: string, text: string, doc: SqlAction): void {
    if (text.length > this.maxTextLength || this.capacity <= 0) return;
    const h = textHash(dialect, text);
    const slot = h & (DOOR_SLOTS - 1);
    if (this.door[slot] === h) this.set(dialect, text, doc);
    else this.door[slot] = h;
  }

  get size(): number { return this.map.size; }
  clear(): void {
    this.map.clear();
    this.door.fill(0);
  }
}

/** FNV-1a over the dialect and the text's UTF-16 units, never 0 (0 marks an empty slot). */
function textHash(dialect: string, text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < dialect.length; i++) h = Math.imul(h ^ dialect.charCodeAt(i), 0x01000193);
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 1;
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
