// JSON values as the conformance runner sees them: integers are bigint so values past 2^53 stay
// exact (YAML is read with intAsBigInt; our JSON reader does the same), other numbers are number.
// Comparison follows Rego: numbers compare by value (3 == 3.0), objects ignore key order.

export type Value = null | boolean | number | bigint | string | Value[] | { [key: string]: Value };

export class JsonSyntaxError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

/** Serializes a value as JSON text; bigints are written as integer literals, never rounded. */
export function toJson(value: Value): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as JSON`);
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(value)) parts.push(`${JSON.stringify(k)}:${toJson(v)}`);
  return `{${parts.join(',')}}`;
}

/** Indented JSON (two spaces), for people; exact like toJson. */
export function toPrettyJson(value: Value, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => inner + toPrettyJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${toPrettyJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return toJson(value);
}

/** Converts what a YAML or JSON reader produced into a Value, rejecting anything else. */
export function asValue(x: unknown): Value {
  if (x === null || typeof x === 'boolean' || typeof x === 'string' || typeof x === 'bigint') return x;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) throw new TypeError(`not a JSON number: ${x}`);
    return Number.isInteger(x) && Number.isSafeInteger(x) ? BigInt(x) : x;
  }
  if (Array.isArray(x)) return x.map(asValue);
  if (typeof x === 'object' && x !== undefined && Object.getPrototypeOf(x) === Object.prototype) {
    const out: { [key: string]: Value } = {};
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) out[k] = asValue(v);
    return out;
  }
  throw new TypeError(`not a JSON value: ${Object.prototype.toString.call(x)}`);
}

/** Parses JSON text, keeping integer literals as bigint (exact) and other numbers as number. */
export function parseJson(text: string): Value {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const value = (depth: number): Value => {
    if (depth > 1000) throw new JsonSyntaxError('nesting too deep', i);
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const out: { [key: string]: Value } = {};
      ws();
      if (text[i] === '}') { i++; return out; }
      for (;;) {
        ws();
        if (text[i] !== '"') throw new JsonSyntaxError('expected string key', i);
        const k = str();
        ws();
        if (text[i] !== ':') throw new JsonSyntaxError("expected ':'", i);
        i++;
        out[k] = value(depth + 1);
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return out; }
        throw new JsonSyntaxError("expected ',' or '}'", i);
      }
    }
    if (c === '[') {
      i++;
      const out: Value[] = [];
      ws();
      if (text[i] === ']') { i++; return out; }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return out; }
        throw new JsonSyntaxError("expected ',' or ']'", i);
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!m) throw new JsonSyntaxError('unexpected character', i);
    i += m[0].length;
    if (m[2] === undefined && m[3] === undefined) return BigInt(m[0]);
    return Number(m[0]);
  };
  const str = (): string => {
    // The JSON string grammar is a subset of JS's; find the closing quote, then decode with JSON.parse.
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) throw new JsonSyntaxError('unterminated string', start);
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      throw new JsonSyntaxError('bad string', start);
    }
  };
  const out = value(0);
  ws();
  if (i !== text.length) throw new JsonSyntaxError('trailing characters', i);
  return out;
}

const rank = (v: Value): number => {
  if (v === null) return 0;
  switch (typeof v) {
    case 'boolean': return 1;
    case 'number':
    case 'bigint': return 2;
    case 'string': return 3;
  }
  return Array.isArray(v) ? 4 : 5;
};

/** Compares two numbers exactly, whether bigint or number. */
function compareNumbers(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // Mixed: compare the bigint against the float's integer part first, so huge values stay exact.
  const [big, num, sign] = typeof a === 'bigint' ? [a, b as number, 1] : [b as bigint, a as number, -1];
  const floor = BigInt(Math.floor(num));
  if (big < floor) return -sign;
  if (big > floor) return sign;
  return num > Math.floor(num) ? -sign : 0;
}

/** Total order on values, as Rego orders them: null < boolean < number < string < array < object. */
export function compareValues(a: Value, b: Value): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0: return 0;
    case 1: return Number(a) - Number(b);
    case 2: return compareNumbers(a as number | bigint, b as number | bigint);
    case 3: return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 4: {
      const x = a as Value[];
      const y = b as Value[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    }
  }
  // Objects: compare sorted keys pairwise, then values, then size.
  const x = a as { [k: string]: Value };
  const y = b as { [k: string]: Value };
  const kx = Object.keys(x).sort();
  const ky = Object.keys(y).sort();
  for (let i = 0; i < Math.min(kx.length, ky.length); i++) {
    if (kx[i] !== ky[i]) return kx[i]! < ky[i]! ? -1 : 1;
    const c = compareValues(x[kx[i]!]!, y[ky[i]!]!);
    if (c !== 0) return c;
  }
  return kx.length - ky.length;
}

export function valuesEqual(a: Value, b: Value): boolean {
  return compareValues(a, b) === 0;
}

/** True when the value holds an integer that a JS number cannot represent exactly. */
export function hasUnsafeInteger(v: Value): boolean {
  if (typeof v === 'bigint') return v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER);
  if (Array.isArray(v)) return v.some(hasUnsafeInteger);
  if (v !== null && typeof v === 'object') return Object.values(v).some(hasUnsafeInteger);
  return false;
}

/** Short printable form for failure reasons. */
export function show(v: Value, max = 160): string {
  const s = toJson(v);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}
