// Argument checks shared by the host builtins. Arguments arrive as JSON (sets as arrays); a
// builtin that gets the wrong types returns undefined, which the WASM target turns into an
// undefined expression, as OPA does for builtin errors.

export type HostBuiltin = (...args: unknown[]) => unknown;

export function isString(v: unknown): v is string {
  return typeof v === 'string';
}

export function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

export function isInteger(v: unknown): v is number {
  return isNumber(v) && Number.isInteger(v);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every(isString);
}

/** Wraps a builtin so that an unexpected exception becomes undefined instead of a trap. */
export function safe(fn: HostBuiltin): HostBuiltin {
  return (...args: unknown[]): unknown => {
    try {
      return fn(...args);
    } catch {
      return undefined;
    }
  };
}

/** A small bounded cache: compiled regexes, globs and the like are reused across evaluations. */
export class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}

  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined || this.map.has(key)) return hit as V;
    const value = make();
    if (this.map.size >= this.limit) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
    this.map.set(key, value);
    return value;
  }
}

/**
 * A number result that must stay exact past 2^53: returned as raw JSON text (an ArrayBuffer the
 * SDK hands to opa_json_parse as is), or as a plain number when a double prints it identically.
 */
export function exactNumber(text: string): number | ArrayBuffer {
  const n = Number(text);
  if (Number.isFinite(n) && String(n) === text) return n;
  return new TextEncoder().encode(text).buffer as ArrayBuffer;
}

/** Decodes a result of exactNumber (or any host result) back to JSON text, for tests and logs. */
export function resultJson(v: unknown): string | undefined {
  if (v instanceof ArrayBuffer) return new TextDecoder().decode(v);
  return v === undefined ? undefined : JSON.stringify(v);
}

/** A decimal M × 10^E as plain JSON number text, without exponent or trailing zeros. */
export function decimalText(m: bigint, e: number): string {
  const neg = m < 0n;
  let digits = (neg ? -m : m).toString();
  if (digits === '0') return '0';
  if (e >= 0) return (neg ? '-' : '') + digits + '0'.repeat(e);
  const point = digits.length + e;
  let int = point > 0 ? digits.slice(0, point) : '0';
  let frac = point > 0 ? digits.slice(point) : '0'.repeat(-point) + digits;
  frac = frac.replace(/0+$/, '');
  if (int === '') int = '0';
  digits = frac === '' ? int : `${int}.${frac}`;
  return (neg ? '-' : '') + digits;
}
