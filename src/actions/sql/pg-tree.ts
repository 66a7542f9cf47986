// Reads libpg_query's JSON parse tree straight from the bytes in wasm memory. It returns what
// JSON.parse would, about three times as fast on these trees: keys (a fixed vocabulary), enum
// names and short values are recognized by their bytes instead of being decoded each time (the
// next key is usually the one that followed last time), each object is built in one go from its
// key sequence's builder (pg-shapes.ts), and identifier nodes are shared within one tree.
// It only understands the subset of JSON that libpg_query writes; on anything else it returns
// undefined and the caller falls back to JSON.parse, so an odd tree is never misread.
import type { J } from './json.ts';
import { MAX_KEY_ID, Shapes } from './pg-shapes.ts';

/**
 * The kind of a `{ Kind: {...} }` wrapper node, stamped by the reader so the walker need not list
 * the node's keys to find it. A symbol: JSON cannot forge it, and Object.keys, for-in and
 * JSON.stringify do not see it.
 */
export const NODE_KIND: unique symbol = Symbol('pg node kind');

const POOL = 1 << 15;
/** Longer strings are decoded, not interned. */
const MAX_INTERNED = 40;
/** find(): the string is not kept (too long, not plain with plainOnly, or refused by classify). */
const REFUSED = -1;
/** find(): a new string and the table is full (tables that are not reset when full). */
const FULL = -2;

interface TableOptions {
  /** Only plain ASCII strings are kept. */
  plainOnly: boolean;
  /** When full: forget everything (true) or keep what is there and return FULL for new strings. */
  resetWhenFull: boolean;
  /** A tag for a new string (tag(id) gives it back), or -1 to refuse it. */
  classify?: (s: string) => number;
}

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
  private readonly tags: Int8Array;
  /**
   * Each string's bytes, then its closing quote, zero-padded to a whole word: find() and endOf()
   * compare four bytes at a time through the input's DataView.
   */
  private readonly pool = new Uint8Array(POOL);
  private readonly words = new Int32Array(this.pool.buffer);
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  /** Word reads must start below this index of the input. */
  private limit = 0;
  private gen = 1;
  private count = 0;
  private used = 0;
  /** Index after the closing quote of the string find() looked at last. */
  end = 0;

  /** Set when a string was not kept because the table is full (with resetWhenFull false). */
  full = false;

  constructor(private readonly bits: number, private readonly max: number, private readonly opts: TableOptions) {
    const n = (1 << bits) * StringTable.WAYS;
    this.bucket = new Int32Array(n);
    this.bucketGen = new Int32Array(n);
    this.next = new Uint8Array(1 << bits);
    this.off = new Int32Array(max);
    this.len = new Int32Array(max);
    this.strs = new Array<string>(max).fill('');
    this.nodes = new Array<J | null>(max).fill(null);
    this.tags = new Int8Array(max);
  }

  /** The input of the next calls: a view of b's bytes and b's length. */
  setInput(view: DataView<ArrayBufferLike>, length: number): void {
    this.view = view;
    this.limit = length - 3;
  }

  reset(): void {
    this.gen++;
    this.count = 0;
    this.used = 0;
    this.full = false;
  }

  /**
   * Id of the string whose opening quote is at b[q]; REFUSED when it is longer than MAX_INTERNED
   * bytes (or, with plainOnly, not plain ASCII, or refused by classify); FULL when it is new and
   * there is no room. Sets `end` in every case. Strings are told apart by their raw bytes, escapes
   * included: equal bytes, equal value.
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
    const base = (Math.imul(head, 0x9e3779b1 | 0) >>> (32 - this.bits)) * StringTable.WAYS;
    for (let w = 0; w < StringTable.WAYS; w++) {
      if (this.bucketGen[base + w] !== this.gen) break;
      const id = this.bucket[base + w]!;
      if (this.matches(b, s, id)) { this.end = s + this.len[id]! + 1; return id; }
    }
    return this.add(b, s, base);
  }

  /**
   * Whether string `id` and its closing quote are the bytes at b[s]. Words are compared where all
   * four bytes of the last one are in the input, bytes otherwise.
   */
  private matches(b: Uint8Array, s: number, id: number): boolean {
    const n = this.len[id]! + 1;
    let w = this.off[id]! >> 2;
    let i = 0;
    if (s + n < this.limit) {
      const view = this.view;
      const words = this.words;
      for (; i + 4 <= n; i += 4, w++) if (view.getInt32(s + i, true) !== words[w]) return false;
      // the last 1 to 3 bytes, and whatever follows them, masked off
      return i === n || ((view.getInt32(s + i, true) ^ words[w]!) & TAIL[n - i]!) === 0;
    }
    const pool = this.pool;
    for (let o = w << 2; i < n; i++) if (pool[o + i] !== b[s + i]) return false;
    return true;
  }

  /**
   * If the string whose opening quote is at b[q] is string `id` (a guess), the index after its
   * closing quote, else -1. The id must be from this table's current generation.
   */
  endOf(b: Uint8Array, q: number, id: number): number {
    const s = q + 1;
    return this.matches(b, s, id) ? s + this.len[id]! + 1 : -1;
  }

  str(id: number): string { return this.strs[id]!; }
  tag(id: number): number { return this.tags[id]!; }
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
    const opts = this.opts;
    if ((!plain && opts.plainOnly) || len > MAX_INTERNED) return REFUSED;
    const str = plain ? latin1(b, s, p) : decodeString(b, s, p);
    const tag = opts.classify === undefined ? 0 : opts.classify(str);
    if (tag < 0) return REFUSED;
    const size = (len + 4) & ~3; // bytes, quote, padding
    if (this.count >= this.max || this.used + size > POOL) {
      if (!opts.resetWhenFull) { this.full = true; return FULL; }
      this.reset();
    }
    const id = this.count++;
    this.strs[id] = str;
    this.tags[id] = tag;
    this.nodes[id] = null;
    // A loop: for these few bytes, subarray() and set() cost more than the copy.
    const pool = this.pool;
    const o = this.used;
    for (let i = 0; i < len; i++) pool[o + i] = b[s + i]!;
    pool[o + len] = 34;
    for (let i = len + 1; i < size; i++) pool[o + i] = 0;
    this.off[id] = o;
    this.len[id] = len;
    this.used += size;
    // A full bucket drops its oldest candidate.
    const slot = (base / StringTable.WAYS) | 0;
    let w = 0;
    while (w < StringTable.WAYS && this.bucketGen[base + w] === this.gen) w++;
    if (w === StringTable.WAYS) { w = this.next[slot]!; this.next[slot] = (w + 1) % StringTable.WAYS; }
    this.bucket[base + w] = id;
    this.bucketGen[base + w] = this.gen;
    return id;
  }
}

/** Masks of the first 1, 2, 3 bytes of a little-endian word. */
const TAIL = new Int32Array([0, 0xff, 0xffff, 0xffffff]);

class Malformed extends Error {}

/**
 * Objects are made by a constructor whose prototype is Object.prototype: the same objects as `{}`,
 * but the engine sizes them from the ones it has seen, so wide nodes need no second allocation.
 */
function PlainObject(): void {}
PlainObject.prototype = Object.prototype;

/** `{"String":{"sval":"` — a third of a tree's objects are these identifier nodes. */
const STRING_NODE = [...'{"String":{"sval":"'].map((c) => c.charCodeAt(0));
/** STRING_NODE as little-endian words, the last one holding its final 3 bytes. */
const STRING_NODE_WORDS = new Int32Array(new Uint8Array([...STRING_NODE, 0]).buffer);

const utf8 = new TextDecoder();

/** Tags of keys: string values are enum names (see ENUM_KEYS); capitalized (a node's kind). */
const ENUM_KEY = 1;
const CAPITAL = 2;

/**
 * Keys whose string values come from a fixed vocabulary, so they are kept across trees like the
 * keys. The rule: in libpg_query 18's node definitions (@pgsql/types), every field of that name is
 * a C enum, written as the enum member's name; relpersistence is a one-character code. The
 * PL/pgSQL tree writes its enums as numbers, and its one string `kind` is a fixed name too. Never
 * list a key that any node fills with query text (sval, relname, colname, str, name, …): those
 * values must not outlive their tree.
 */
const ENUM_KEYS = new Set([
  'aggsplit', 'behavior', 'boolop', 'booltesttype', 'btype', 'cmptype', 'coerceformat', 'coercionformat',
  'coltype', 'commandType', 'context', 'contype', 'convertformat', 'ctematerialized', 'defaction',
  'direction', 'encoding', 'event', 'format_type', 'funcformat', 'functype', 'item_type', 'jointype',
  'kind', 'limitOption', 'list_type', 'matchKind', 'nulls_ordering', 'nulltesttype', 'objectType',
  'objtype', 'onCommit', 'oncommit', 'op', 'option', 'ordering', 'paramkind', 'pubobjtype',
  'querySource', 'quotes', 'relabelformat', 'relationType', 'relpersistence', 'removeType', 'renameType',
  'roletype', 'row_format', 'rtekind', 'sortby_dir', 'sortby_nulls', 'stmt_type', 'strength',
  'subLinkType', 'target', 'targtype', 'varreturningtype', 'waitPolicy', 'withCheckOption', 'wrapper',
  'xmloption',
]);
/** Only such values are kept in the enum table (a second guard); others are read as usual. */
const ENUM_VALUE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function classifyKey(k: string): number {
  // A key "__proto__" would set the prototype instead of a property (and is not libpg_query's).
  if (k === '__proto__') return -1;
  return (ENUM_KEYS.has(k) ? ENUM_KEY : 0) | (isCapital(k) ? CAPITAL : 0);
}

class Reader {
  private b: Uint8Array = new Uint8Array(0);
  private p = 0;
  /** A view of b for reading words, which must start below limit. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private limit = 0;
  // Keys persist across trees (they are field and node names, a vocabulary of about a thousand),
  // and so do enum names; other values only live for one tree, so no text of a past query is kept
  // around. The persistent tables are emptied between trees once full.
  private readonly keys = new StringTable(12, MAX_KEY_ID, { plainOnly: true, resetWhenFull: false, classify: classifyKey });
  private readonly enums = new StringTable(10, 1024, { plainOnly: true, resetWhenFull: false, classify: (s) => (ENUM_VALUE.test(s) ? 0 : -1) });
  private readonly vals = new StringTable(9, 1024, { plainOnly: false, resetWhenFull: true });
  /** Shapes are keyed by key ids: they are reset with the keys. */
  private readonly shapes = new Shapes(NODE_KIND);
  /** Values of the objects being read, innermost last; each object is built from its slice. */
  private readonly stack: unknown[] = [];
  private sp = 0;
  /** Slots used by this tree, cleared after it so the stack holds no value of a past tree. */
  private used = 0;

  read(bytes: Uint8Array, start: number): J | undefined {
    if (bytes !== this.b) {
      // wasm memory keeps its HEAPU8 until it grows: one view per buffer, not per tree
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.view = view;
      this.limit = bytes.length - 3;
      this.keys.setInput(view, bytes.length);
      this.enums.setInput(view, bytes.length);
      this.vals.setInput(view, bytes.length);
    }
    this.b = bytes;
    this.p = start;
    this.sp = 0;
    this.vals.reset();
    if (this.keys.full) { this.keys.reset(); this.shapes.reset(); }
    if (this.enums.full) this.enums.reset();
    try {
      if (bytes[start] !== 123 /* { */) return undefined;
      const v = this.object(MAX_KEY_ID);
      return bytes[this.p] === 0 ? v : undefined;
    } catch {
      // Malformed input, an odd number, or a tree too deep for this recursion: JSON.parse decides.
      return undefined;
    } finally {
      const stack = this.stack;
      for (let i = 0; i < this.used; i++) stack[i] = undefined;
      this.used = 0;
    }
  }

  /** The value at this.p; `under` is the id of its key (MAX_KEY_ID for none known). */
  private value(under: number): unknown {
    const c = this.b[this.p];
    if (c === 123 /* { */) return this.object(under);
    if (c === 91 /* [ */) return this.array(under);
    if (c === 34 /* " */) return this.valueString();
    if (c === 116 /* t */) return this.literal(0x74727565, true);
    if (c === 102 /* f */) { this.p++; return this.literal(0x616c7365, false); }
    if (c === 110 /* n */) return this.literal(0x6e756c6c, null);
    if (c === 45 /* - */ || (c !== undefined && c >= 48 && c <= 57)) return this.number();
    throw new Malformed();
  }

  /**
   * Reads the values onto the stack while following the object's key sequence in the shape trie,
   * then builds the object in one go. Objects without a kept shape are built key by key.
   */
  private object(under: number): J {
    const b = this.b;
    if (b[this.p + 2] === 83 /* S */) {
      const n = this.stringNode();
      if (n !== null) return n;
    }
    this.p++;
    if (b[this.p] === 125 /* } */) { this.p++; return new (PlainObject as unknown as new () => J)(); }
    const keys = this.keys;
    const shapes = this.shapes;
    const stack = this.stack;
    const base = this.sp;
    let shape = 0;
    let guess = shapes.firstKey[under]!;
    let guessShape = shapes.firstShape[under]!;
    for (;;) {
      const q = this.p;
      if (b[q] !== 34) throw new Malformed();
      let id = guess;
      let next = guessShape;
      let end = id < 0 ? -1 : keys.endOf(b, q, id);
      if (end < 0) {
        id = keys.find(b, q);
        end = keys.end;
        next = id >= 0 ? shapes.child(shape, id, keys.str(id)) : -1;
        if (next < 0) { this.p = q; return this.keyByKey(shape, base); }
        if (shape === 0) { shapes.firstKey[under] = id; shapes.firstShape[under] = next; }
        else { shapes.nextKey[shape] = id; shapes.nextShape[shape] = next; }
      }
      shape = next;
      guess = shapes.nextKey[shape]!;
      guessShape = shapes.nextShape[shape]!;
      if (b[end] !== 58 /* : */) throw new Malformed();
      this.p = end + 1;
      // The slot is taken before the value is read, so nested objects stack above it.
      const at = this.sp++;
      if (at === stack.length) stack.push(undefined); // grown in order, the array stays packed
      if (at >= this.used) this.used = at + 1;
      const c0 = b[this.p];
      const tag = keys.tag(id);
      stack[at] = c0 === 34 && (tag & ENUM_KEY) !== 0 ? this.enumString() : this.value(id);
      const c = b[this.p++];
      if (c === 125 /* } */) {
        this.sp = base;
        // One key, capitalized, with an object value: a node (what kindOf in pg.ts looks for).
        const node = at === base && c0 === 123 && (tag & CAPITAL) !== 0;
        const make = (node ? shapes.nodeBuilders : shapes.builders)[shape] ?? shapes.build(shape, node);
        return make(stack, base);
      }
      if (c !== 44 /* , */) throw new Malformed();
    }
  }

  /**
   * The rest of an object that has no kept shape (too many shapes or keys, a key that is no
   * plain name, a full key table): the keys read so far are those of `shape`, their values on the
   * stack from base, and the next key is at this.p.
   */
  private keyByKey(shape: number, base: number): J {
    const o = new (PlainObject as unknown as new () => J)();
    const names = this.shapes.keys(shape);
    for (let i = 0; i < names.length; i++) o[names[i]!] = this.stack[base + i];
    let n = this.sp - base;
    this.sp = base;
    const b = this.b;
    for (;;) {
      const k = this.key();
      const objectValue = b[this.p] === 123;
      o[k] = this.value(MAX_KEY_ID);
      n++;
      const c = b[this.p++];
      if (c === 125) {
        if (n === 1 && objectValue && isCapital(k)) (o as unknown as Record<symbol, string>)[NODE_KIND] = k;
        return o;
      }
      if (c !== 44) throw new Malformed();
    }
  }

  /** Reads `"name":` and returns the name. */
  private key(): string {
    const b = this.b;
    const keys = this.keys;
    const q = this.p;
    if (b[q] !== 34) throw new Malformed();
    const id = keys.find(b, q);
    // Keys are plain ASCII names; anything else is not libpg_query's output.
    if (id === REFUSED) throw new Malformed();
    this.p = keys.end;
    // FULL: a plain name that is not __proto__ (both checked first), just not kept.
    const k = id >= 0 ? keys.str(id) : latin1(b, q + 1, this.p - 1);
    if (b[this.p++] !== 58 /* : */) throw new Malformed();
    return k;
  }

  /** A string under an enum key: from the persistent enum table when it holds it. */
  private enumString(): string {
    const enums = this.enums;
    const id = enums.find(this.b, this.p);
    if (id < 0) return this.valueString();
    this.p = enums.end;
    return enums.str(id);
  }

  /**
   * A String node with only its sval, shared by every equal one in this tree: the tree is read,
   * never written, so sharing is invisible and saves two objects per repeated identifier.
   */
  private stringNode(): J | null {
    const b = this.b;
    const p0 = this.p;
    if (p0 + 16 < this.limit) {
      const v = this.view;
      const w = STRING_NODE_WORDS;
      if (v.getInt32(p0, true) !== w[0] || v.getInt32(p0 + 4, true) !== w[1] || v.getInt32(p0 + 8, true) !== w[2] ||
        v.getInt32(p0 + 12, true) !== w[3] || (v.getInt32(p0 + 16, true) & 0xffffff) !== w[4]) return null;
    } else {
      for (let i = 0; i < STRING_NODE.length; i++) if (b[p0 + i] !== STRING_NODE[i]) return null;
    }
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

  private array(under: number): unknown[] {
    const b = this.b;
    this.p++;
    if (b[this.p] === 93 /* ] */) { this.p++; return []; }
    // Most arrays here hold one or two elements: made to size, where the first push would give
    // them room for 17.
    const v0 = this.value(under);
    let c = b[this.p++];
    if (c === 93) return [v0];
    if (c !== 44) throw new Malformed();
    const a = [v0, this.value(under)];
    for (;;) {
      c = b[this.p++];
      if (c === 93) return a;
      if (c !== 44) throw new Malformed();
      a.push(this.value(under));
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

function isCapital(k: string): boolean {
  const c = k.charCodeAt(0);
  return c >= 65 && c <= 90;
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

/** Made on first use: its tables (several hundred KB) are not for a process that never parses. */
let reader: Reader | undefined;

/**
 * The NUL-terminated JSON object at bytes[start] as JSON.parse would build it, or undefined when
 * the bytes are not the JSON subset this reader handles (the caller then uses JSON.parse).
 */
export function readPgTree(bytes: Uint8Array, start: number): J | undefined {
  return (reader ??= new Reader()).read(bytes, start);
}
