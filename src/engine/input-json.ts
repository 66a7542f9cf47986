// The policy input as JSON text, reusing the text of parts that cannot change. A deep-frozen object
// (the SQL normalizer's cached documents are; callers may freeze identities and connections) keeps
// its JSON forever from its second use on, since freezing cannot be undone; anything else is
// stringified every time.

const memo = new WeakMap<object, string>();
const mutable = new WeakSet<object>();
const seen = new WeakSet<object>();

/** Frozen all the way down, plain objects and arrays only, data properties only, no toJSON. */
function deepFrozen(v: object, depth: number): boolean {
  if (!Object.isFrozen(v) || depth > 64) return false;
  if (!Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) return false;
  for (const k of Object.keys(v)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    if (d === undefined || !('value' in d) || k === 'toJSON') return false; // a getter may answer differently
    const c: unknown = d.value;
    if (typeof c === 'object' && c !== null && !deepFrozen(c, depth + 1)) return false;
  }
  return true;
}

/** JSON text of one value, memoized when the value is a deep-frozen plain object or array. */
function partJson(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null || !Object.isFrozen(v)) return JSON.stringify(v);
  const hit = memo.get(v);
  if (hit !== undefined) return hit;
  const json = JSON.stringify(v);
  // Proving a value deep-frozen walks all of it: worth it only for one that comes back (a cached
  // SQL document, a session's identity), not for each new document.
  if (!seen.has(v)) {
    seen.add(v);
    return json;
  }
  if (json !== undefined && !mutable.has(v)) {
    if (deepFrozen(v, 0)) memo.set(v, json);
    else mutable.add(v);
  }
  return json;
}

/** Whether some part could have memoized text; when none can, one JSON.stringify of the whole is faster. */
function anyFrozenPart(input: object): boolean {
  for (const k in input) {
    const v: unknown = (input as Record<string, unknown>)[k];
    if (typeof v === 'object' && v !== null && Object.isFrozen(v)) return true;
  }
  return false;
}

/**
 * The same text JSON.stringify(input) gives, up to key order, built from memoized parts.
 * Throws what JSON.stringify throws (cycles, BigInt).
 */
export function inputJson(input: object): string | undefined {
  if (Object.getPrototypeOf(input) !== Object.prototype || 'toJSON' in input || !anyFrozenPart(input)) return JSON.stringify(input);
  let out = '{';
  for (const k of Object.keys(input)) {
    const j = partJson((input as Record<string, unknown>)[k]);
    if (j === undefined) continue; // like JSON.stringify: undefined and functions are left out
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${j}`;
  }
  return `${out}}`;
}
