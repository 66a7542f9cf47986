// Bounded LRU of finished documents keyed by dialect + text. Documents are frozen so a caller
// cannot change what the next caller of the same text receives.
import type { SqlAction } from './types.ts';

export class SqlCache {
  private readonly map = new Map<string, SqlAction>();
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

  get size(): number { return this.map.size; }
  clear(): void { this.map.clear(); }
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
