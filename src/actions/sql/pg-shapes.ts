// Object shapes for the tree reader (pg-tree.ts). libpg_query writes each node type's fields in a
// fixed order, so a tree's objects come in a few hundred key sequences. Storing keys one by one
// (`o[k] = v`) sends every store through a megamorphic keyed-store stub and walks a layout
// transition per key. Instead each sequence gets a function that returns one object literal with
// constant keys: one allocation from a boilerplate, in its final layout.

/** Builds an object of one shape from its values s[b], s[b + 1], … */
export type Builder = (s: readonly unknown[], b: number) => Record<string, unknown>;

/** Distinct key sequences (prefixes included) kept; past this, objects are built key by key. */
export const MAX_SHAPES = 4096;
/** Longer objects are built key by key. */
export const MAX_KEYS = 24;
/** Key ids must fit the 12 bits an edge gives them. */
export const MAX_KEY_ID = 4096;

/** Keys that can be written as such in generated source. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Edges of the shape trie, open addressing; at most MAX_SHAPES - 1 edges, so a quarter full. */
const SLOTS = 1 << 14;

/**
 * A trie of key sequences: shape 0 has no keys, and shape s plus key id k is child(s, k). Key ids
 * come from the reader's key table and must keep their meaning as long as the shapes do (reset()
 * both together).
 */
export class Shapes {
  /** Edge (parent << 12 | key id) + 1 in a slot, 0 when the slot is empty. */
  private readonly edge = new Int32Array(SLOTS);
  private readonly to = new Int32Array(SLOTS);
  private readonly names: string[][] = [[]];
  /** Each shape's builder once made (by build()); read directly by the reader. */
  readonly builders: (Builder | undefined)[] = [undefined];
  /** For one-key shapes whose key is capitalized: builds the object with its NODE_KIND stamp. */
  readonly nodeBuilders: (Builder | undefined)[] = [undefined];
  /**
   * Guesses, -1 for none. Fields come in a fixed order per node type, so the key that followed
   * shape s last time, nextKey[s] (making shape nextShape[s]), is a good guess for the next one;
   * for an object's first key, the guess is kept by the key whose value the object is (or is in:
   * arrays pass it on), firstKey[id] (MAX_KEY_ID for the tree itself). A hit skips the key
   * table's hash and the edge lookup.
   */
  readonly nextKey = new Int32Array(MAX_SHAPES).fill(-1);
  readonly nextShape = new Int32Array(MAX_SHAPES);
  readonly firstKey = new Int32Array(MAX_KEY_ID + 1).fill(-1);
  readonly firstShape = new Int32Array(MAX_KEY_ID + 1);

  constructor(private readonly kindSymbol: symbol) {}

  reset(): void {
    this.edge.fill(0);
    this.names.length = 1;
    this.builders.length = 1;
    this.nodeBuilders.length = 1;
    this.nextKey.fill(-1);
    this.firstKey.fill(-1);
  }

  /** The shape `shape` plus key `key` (id `id`), or -1 when that shape is not kept. */
  child(shape: number, id: number, key: string): number {
    const e = ((shape << 12) | id) + 1;
    let h = Math.imul(e, 0x9e3779b1 | 0) >>> 18;
    const edge = this.edge;
    for (;;) {
      const x = edge[h]!;
      if (x === e) return this.to[h]!;
      if (x === 0) break;
      h = (h + 1) & (SLOTS - 1);
    }
    const names = this.names;
    const parent = names[shape]!;
    if (names.length >= MAX_SHAPES || parent.length >= MAX_KEYS || id >= MAX_KEY_ID || !NAME.test(key)) return -1;
    const s = names.length;
    names.push([...parent, key]);
    this.builders.push(undefined);
    this.nodeBuilders.push(undefined);
    edge[h] = e;
    this.to[h] = s;
    return s;
  }

  keys(shape: number): readonly string[] {
    return this.names[shape]!;
  }

  /**
   * Makes the builder of `shape` (node: with the NODE_KIND stamp, for a one-key shape with a
   * capitalized key) and keeps it in builders or nodeBuilders.
   */
  build(shape: number, node: boolean): Builder {
    const keys = this.names[shape]!;
    const kind = node ? this.kindSymbol : undefined;
    const f = compile(keys, kind) ?? storer(keys, kind);
    (node ? this.nodeBuilders : this.builders)[shape] = f;
    return f;
  }
}

/**
 * `function (s, b) { return {"k0": s[b], "k1": s[b + 1], …}; }`. Every key matched NAME and is
 * written as a JSON string literal, so no text of the input becomes code. A repeated key is written
 * twice, which is what JSON.parse does too: first position, last value.
 */
function compile(keys: readonly string[], kind: symbol | undefined): Builder | undefined {
  const props = keys.map((k, i) => `${JSON.stringify(k)}: s[b + ${i}]`);
  if (kind !== undefined) props.push(`[kind]: ${JSON.stringify(keys[0])}`);
  try {
    return new Function('kind', `return function (s, b) { return { ${props.join(', ')} }; };`)(kind) as Builder;
  } catch {
    return undefined; // code generation from strings is disallowed in this process
  }
}

/** The same objects as compile()'s, made by keyed stores (no key is "__proto__"). */
function storer(keys: readonly string[], kind: symbol | undefined): Builder {
  return (s, b) => {
    const o: Record<string | symbol, unknown> = {};
    for (let i = 0; i < keys.length; i++) o[keys[i]!] = s[b + i];
    if (kind !== undefined) o[kind] = keys[0];
    return o as Record<string, unknown>;
  };
}
