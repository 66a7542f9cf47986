// Reads libpg_query's JSON parse tree straight from the bytes in wasm memory. It returns what
// JSON.parse would, about twice as fast on these trees: keys (a fixed vocabulary) and short values
// are recognized by their bytes instead of being decoded each time, and identifier nodes are
// shared within one tree.
// It only understands the subset of JSON that libpg_query writes; on anything else it returns
// undefined and the caller falls back to JSON.parse, so an odd tree is never misread.
import type { J } from './json.ts';

/**
 * The kind of a `{ Kind: {...} }` wrapper node, stamped by the reader so the walker need not list
 * the node's keys to find it. A symbol: JSON cannot forge it, and Object.keys, for-in and
 * JSON.stringify do not see it.
 */
export const NODE_KIND: unique symbol = Symbol('pg node kind');

const POOL = 1 << 15;
/** Longer strings are decoded, not interned. */
const MAX_INTERNED = 40;

/**
 * Short strings found by their first raw bytes: each bucket holds a few candidates, and one
 * matches when its bytes and then the closing quote are next in the input (equal raw bytes, escapes
 * included, mean equal values). A string seen before costs one pass of comparisons: no hashing
 * pass, no decoding. reset() forgets everything in O(1).
 */
class StringTable {
  private static readonly WAYS = 4;
  private readonly bucket: Int32Array;
  private readonly bucketGen: Int32Array;
  private readonly next: Uint8Array;
  private readonly off: Int32Array;
  private readonly len: Int32Array;
  private readonly strs: string[];
  /** `{"String":{"sval":<this string>}}` nodes built since the last reset. */
  private readonly nodes: (J | null)[];
  private readonly pool = new Uint8Array(POOL);
  private gen = 1;
  private count = 0;
  private used = 0;
  /** Index after the closing quote of the string find() looked at last. */
  end = 0;

  /** plainOnly (keys): only plain ASCII names are found, find gives -1 for anything else. */
  constructor(private readonly bits: number, private readonly max: number, private readonly plainOnly: boolean) {
    const n = (1 << bits) * StringTable.WAYS;
    this.bucket = new Int32Array(n);
    this.bucketGen = new Int32Array(n);
    this.next = new Uint8Array(1 << bits);
    this.off = new Int32Array(max);
    this.len = new Int32Array(max);
    this.strs = new Array<string>(max).fill('');
    this.nodes = new Array<J | null>(max).fill(null);
  }

  reset(): void {
    this.gen++;
    this.count = 0;
    this.used = 0;
  }

  /**
   * Id of the string whose opening quote is at b[q], or -1 when it is longer than MAX_INTERNED
   * bytes (or, with plainOnly, not plain ASCII). Sets `end` either way. Strings are told apart by
   * their raw bytes, escapes included: equal bytes, equal value.
   */
  find(b: Uint8Array, q: number): number {
    const s = q + 1;
    // Up to four bytes of the string itself, never past its closing quote, so a string always
    // lands in the same bucket whatever follows it.
    let head = b[s]!;
    if (head !== 34) {
      const c1 = b[s + 1]!;
      head |= c1 << 8;
      if (c1 !== 34) {
        const c2 = b[s + 2]!;
        head |= c2 << 16;
        if (c2 !== 34) head |= b[s + 3]! << 24;
      }
    }
    const base = (Math.imul(head, 0x9e3779b1) >>> (32 - this.bits)) * StringTable.WAYS;
    const pool = this.pool;
    for (let w = 0; w < StringTable.WAYS; w++) {
      if (this.bucketGen[base + w] !== this.gen) break;
      const id = this.bucket[base + w]!;
      const len = this.len[id]!;
      if (b[s + len] !== 34) continue;
      const o = this.off[id]!;
      let i = 0;
      while (i < len && pool[o + i] === b[s + i]) i++;
      if (i === len) { this.end = s + len + 1; return id; }
    }
    return this.add(b, s, base);
  }

  str(id: number): string { return this.strs[id]!; }
  node(id: number): J | null { return this.nodes[id]!; }
  setNode(id: number, n: J): void { this.nodes[id] = n; }

  private add(b: Uint8Array, s: number, base: number): number {
    let p = s;
    let plain = true;
    for (;;) {
      const c = b[p];
      if (c === 34) break;
      if (c === undefined) throw new Malformed();
      if (c === 92 /* \ */) { plain = false; p += 2; continue; }
      if (c < 32 || c >= 128) plain = false;
      p++;
    }
    this.end = p + 1;
    const len = p - s;
    if ((!plain && this.plainOnly) || len > MAX_INTERNED) return -1;
    const str = plain ? latin1(b, s, p) : decodeString(b, s, p);
    if (this.count >= this.max || this.used + len > POOL) this.reset();
    const id = this.count++;
    this.strs[id] = str;
    this.nodes[id] = null;
    this.pool.set(b.subarray(s, p), this.used);
    this.off[id] = this.used;
    this.len[id] = len;
    this.used += len;
    // A full bucket drops its oldest candidate.
    const slot = base / StringTable.WAYS;
    let w = 0;
    while (w < StringTable.WAYS && this.bucketGen[base + w] === this.gen) w++;
    if (w === StringTable.WAYS) { w = this.next[slot]!; this.next[slot] = (w + 1) % StringTable.WAYS; }
    this.bucket[base + w] = id;
    this.bucketGen[base + w] = this.gen;
    return id;
  }
}

class Malformed extends Error {}

/**
 * Objects are made by a constructor whose prototype is Object.prototype: the same objects as `{}`,
 * but the engine sizes them from the ones it has seen, so wide nodes need no second allocation.
 */
function PlainObject(): void {}
PlainObject.prototype = Object.prototype;

/** `{"String":{"sval":"` — a third of a tree's objects are these identifier nodes. */
const STRING_NODE = [...'{"String":{"sval":"'].map((c) => c.charCodeAt(0));

const utf8 = new TextDecoder();

class Reader {
  private b: Uint8Array = new Uint8Array(0);
  private p = 0;
  // Keys persist across trees (they are field and node names, a vocabulary of about a thousand);
  // values only live for one tree, so no text of a past query is kept around.
  private readonly keys = new StringTable(10, 4096, true);
  private readonly vals = new StringTable(9, 1024, false);

  read(bytes: Uint8Array, start: number): J | undefined {
    this.b = bytes;
    this.p = start;
    this.vals.reset();
    try {
      if (bytes[start] !== 123 /* { */) return undefined;
      const v = this.object();
      return bytes[this.p] === 0 ? v : undefined;
    } catch {
      // Malformed input, an odd number, or a tree too deep for this recursion: JSON.parse decides.
      return undefined;
    }
  }

  private value(): unknown {
    const c = this.b[this.p];
    if (c === 123 /* { */) return this.object();
    if (c === 91 /* [ */) return this.array();
    if (c === 34 /* " */) return this.valueString();
    if (c === 116 /* t */) return this.literal(0x74727565, true);
    if (c === 102 /* f */) { this.p++; return this.literal(0x616c7365, false); }
    if (c === 110 /* n */) return this.literal(0x6e756c6c, null);
    if (c === 45 /* - */ || (c !== undefined && c >= 48 && c <= 57)) return this.number();
    throw new Malformed();
  }

  private object(): J {
    const b = this.b;
    if (b[this.p + 2] === 83 /* S */) {
      const n = this.stringNode();
      if (n !== null) return n;
    }
    this.p++;
    const o = new (PlainObject as unknown as new () => J)();
    if (b[this.p] === 125 /* } */) { this.p++; return o; }
    let first = true;
    for (;;) {
      const keys = this.keys;
      if (b[this.p] !== 34) throw new Malformed();
      const id = keys.find(b, this.p);
      // Keys are plain ASCII names; anything else is not libpg_query's output.
      if (id < 0) throw new Malformed();
      const k = keys.str(id);
      // A key "__proto__" would set the prototype instead of a property.
      if (k === '__proto__') throw new Malformed();
      this.p = keys.end;
      if (b[this.p++] !== 58 /* : */) throw new Malformed();
      const objectValue = b[this.p] === 123;
      o[k] = this.value();
      const c = b[this.p++];
      if (c === 125) {
        // One key, capitalized, with an object value: a node (what kindOf in pg.ts looks for).
        if (first && objectValue) {
          const c0 = k.charCodeAt(0);
          if (c0 >= 65 && c0 <= 90) (o as unknown as Record<symbol, string>)[NODE_KIND] = k;
        }
        return o;
      }
      if (c !== 44 /* , */) throw new Malformed();
      first = false;
    }
  }

  /**
   * A String node with only its sval, shared by every equal one in this tree: the tree is read,
   * never written, so sharing is invisible and saves two objects per repeated identifier.
   */
  private stringNode(): J | null {
    const b = this.b;
    const p0 = this.p;
    for (let i = 0; i < STRING_NODE.length; i++) if (b[p0 + i] !== STRING_NODE[i]) return null;
    const vals = this.vals;
    const id = vals.find(b, p0 + STRING_NODE.length - 1);
    const e = vals.end;
    if (b[e] !== 125 || b[e + 1] !== 125) return null;
    this.p = e + 2;
    if (id < 0) return stringNode(decodeString(b, p0 + STRING_NODE.length, e - 1));
    let n = vals.node(id);
    if (n === null) { n = stringNode(vals.str(id)); vals.setNode(id, n); }
    return n;
  }

  private array(): unknown[] {
    const b = this.b;
    this.p++;
    const a: unknown[] = [];
    if (b[this.p] === 93 /* ] */) { this.p++; return a; }
    for (;;) {
      a.push(this.value());
      const c = b[this.p++];
      if (c === 93) return a;
      if (c !== 44) throw new Malformed();
    }
  }

  /** `true` / `alse` / `null` as four big-endian bytes. */
  private literal<T>(word: number, v: T): T {
    const b = this.b;
    const p = this.p;
    if (((b[p]! << 24) | (b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!) !== (word | 0)) throw new Malformed();
    this.p = p + 4;
    return v;
  }

  private valueString(): string {
    const vals = this.vals;
    const q = this.p;
    const id = vals.find(this.b, q);
    this.p = vals.end;
    return id >= 0 ? vals.str(id) : decodeString(this.b, q + 1, this.p - 1);
  }

  private number(): number {
    const b = this.b;
    let p = this.p;
    const neg = b[p] === 45;
    if (neg) p++;
    const s = p;
    let n = 0;
    let c = b[p];
    while (c !== undefined && c >= 48 && c <= 57) { n = n * 10 + (c - 48); c = b[++p]; }
    if (p === s || (b[s] === 48 && p - s > 1)) throw new Malformed();
    if (c === 46 || c === 101 || c === 69 || p - s > 15) {
      // Fractions, exponents, long integers: exact conversion by the engine.
      while (c !== undefined && (c === 46 || c === 101 || c === 69 || c === 43 || c === 45 || (c >= 48 && c <= 57))) c = b[++p];
      const v = JSON.parse(latin1(b, this.p, p)) as unknown;
      if (typeof v !== 'number') throw new Malformed();
      this.p = p;
      return v;
    }
    this.p = p;
    return neg ? -n : n;
  }
}

function stringNode(sval: string): J {
  return { String: { sval }, [NODE_KIND]: 'String' } as unknown as J;
}

/** The value of the JSON string whose raw bytes (between the quotes) are b[s, e). */
function decodeString(b: Uint8Array, s: number, e: number): string {
  let escapes = false;
  let ascii = true;
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c === 92) { escapes = true; i++; } else if (c < 32) throw new Malformed(); else if (c >= 128) ascii = false;
  }
  if (!escapes) return ascii ? latin1(b, s, e) : utf8.decode(b.subarray(s, e));
  // libpg_query escapes quotes, backslashes, control characters and <, >, & (as \u00XX).
  if (!ascii) return JSON.parse(utf8.decode(b.subarray(s - 1, e + 1))) as string;
  let out = '';
  for (let i = s; i < e; i++) {
    const c = b[i]!;
    if (c !== 92) { out += String.fromCharCode(c); continue; }
    const x = b[++i];
    if (x === 117 /* u */) {
      let u = 0;
      for (let k = 1; k <= 4; k++) {
        const h = b[i + k]!;
        const d = h >= 48 && h <= 57 ? h - 48 : h >= 97 && h <= 102 ? h - 87 : h >= 65 && h <= 70 ? h - 55 : -1;
        if (d < 0 || i + k >= e) throw new Malformed();
        u = u * 16 + d;
      }
      out += String.fromCharCode(u);
      i += 4;
    } else {
      const ch = x === 34 || x === 92 || x === 47 ? x : x === 98 ? 8 : x === 102 ? 12 : x === 110 ? 10 : x === 114 ? 13 : x === 116 ? 9 : -1;
      if (ch < 0) throw new Malformed();
      out += String.fromCharCode(ch);
    }
  }
  return out;
}

function latin1(b: Uint8Array, s: number, e: number): string {
  let str = '';
  for (let i = s; i < e; i++) str += String.fromCharCode(b[i]!);
  return str;
}

const reader = new Reader();

/**
 * The NUL-terminated JSON object at bytes[start] as JSON.parse would build it, or undefined when
 * the bytes are not the JSON subset this reader handles (the caller then uses JSON.parse).
 */
export function readPgTree(bytes: Uint8Array, start: number): J | undefined {
  return reader.read(bytes, start);
}
