// Mask strategies compiled to functions: one for whole values (SQL cells, JSON nodes), one for spans
// of free text. HMAC keys stay inside these closures.

import { createHmac } from 'node:crypto';
import { MaskError } from './errors.ts';
import type { HashKeys, MaskStrategy } from './types.ts';

export interface CompiledStrategy {
  readonly kind: MaskStrategy['kind'];
  /** Strictness: when several masks hit one value, the highest rank wins (null > redact > hash > partial). */
  readonly rank: number;
  /** Masks a whole value; callers leave null and undefined as they are. */
  value(v: unknown): unknown;
  /** The replacement for one span of text. */
  text(s: string): string;
}

export const DEFAULT_REPLACEMENT = '[REDACTED]';
const MIN_KEY_BYTES = 16;
const MAX_DEPTH = 1000;

export function compileStrategy(s: MaskStrategy, defaultReplacement: string, keys: HashKeys | undefined, at: string): CompiledStrategy {
  switch (s.kind) {
    case 'null':
      return { kind: 'null', rank: 4, value: () => null, text: () => '' };
    case 'redact': {
      const r = s.replacement ?? defaultReplacement;
      return { kind: 'redact', rank: 3, value: () => r, text: () => r };
    }
    case 'hash': {
      const id = s.key ?? 'default';
      const material = keys !== undefined && Object.prototype.hasOwnProperty.call(keys, id) ? keys[id] : undefined;
      if (material === undefined) throw new MaskError('unknown_hash_key', `no hash key with id ${JSON.stringify(id)} was supplied`, `${at}/key`);
      const key = typeof material === 'string' ? Buffer.from(material, 'utf8') : Buffer.from(material);
      if (key.length < MIN_KEY_BYTES) throw new MaskError('weak_hash_key', `hash key ${JSON.stringify(id)} is shorter than ${MIN_KEY_BYTES} bytes`, `${at}/key`);
      const mac = (data: string | Uint8Array): string => createHmac('sha256', key).update(data).digest('hex');
      return { kind: 'hash', rank: 2, value: (v) => mac(canonicalBytes(v)), text: (t) => mac(t) };
    }
    case 'partial': {
      const n = s.keepLast;
      return {
        kind: 'partial',
        rank: 1,
        value: (v) => (isScalar(v) ? keepLast(scalarText(v), n) : DEFAULT_REPLACEMENT),
        text: (t) => keepLast(t, n),
      };
    }
  }
}

/** Picks the strictest of several strategies (the first among equals). */
export function strictest(list: readonly CompiledStrategy[]): CompiledStrategy {
  let best = list[0] as CompiledStrategy;
  for (const s of list) if (s.rank > best.rank) best = s;
  return best;
}

type Scalar = string | number | bigint | boolean | Date;
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Date;
const scalarText = (v: Scalar): string => (v instanceof Date ? (Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString()) : String(v));

// Never reveals more than half of a value, whatever keepLast says.
function keepLast(s: string, n: number): string {
  const cps = Array.from(s);
  const keep = Math.min(n, Math.floor(cps.length / 2));
  return '*'.repeat(cps.length - keep) + cps.slice(cps.length - keep).join('');
}

// Same text, same hash: the string "42" and the number 42 hash alike, so joins across a SQL
// result (text protocol) and a JSON body still line up.
function canonicalBytes(v: unknown): string | Uint8Array {
  if (isScalar(v)) return scalarText(v);
  if (v instanceof Uint8Array) return v;
  return stableJson(v, 0);
}

function stableJson(v: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new MaskError('too_deep', `value nested deeper than ${MAX_DEPTH}`);
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string' || v instanceof Date) return JSON.stringify(scalarText(v));
  if (isScalar(v)) return scalarText(v);
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (Array.isArray(v)) return `[${v.map((x) => stableJson(x, depth + 1)).join(',')}]`;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stableJson(o[k], depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(String(v));
}
