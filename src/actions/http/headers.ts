// Header validation and normalization: names lowercased, values trimmed and kept as arrays in
// arrival order (no comma-joining, so a second Host or Content-Length stays visible), CR/LF/NUL
// rejected, secrets redacted. The few values the normalizer itself needs are returned unredacted.

import { append, type MultiMap } from './multimap.ts';
import { isSecretHeader, redactHeaderValue } from './secrets.ts';
import { tokenKinds, UPPER } from './token.ts';
import type { HttpFlag, HttpRequest } from './types.ts';

export interface HeaderFacts {
  /** Host (or HTTP/2 :authority) values, in order. */
  host: string[];
  contentType: string | null;
  contentEncoding: string | null;
  contentLength: string | null;
}

export type HeadersResult =
  | { ok: true; headers: Record<string, string[]>; facts: HeaderFacts }
  | { ok: false; code: string; message: string; position: number };

const TOKEN = /^:?[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BAD_VALUE = /[\0-\x08\x0a-\x1f\x7f]/;
const DIGITS = /^[0-9]+$/;

function bad(code: string, message: string, position: number): HeadersResult {
  return { ok: false, code, message, position };
}

export function normalizeHeaders(
  input: HttpRequest['headers'],
  maxHeaders: number,
  extraSecret: ReadonlySet<string>,
  flags: Set<HttpFlag>,
): HeadersResult {
  return normalizeHeadersFast(input, maxHeaders, extraSecret, flags) ?? normalizeHeadersGeneral(input, maxHeaders, extraSecret, flags);
}

/**
 * Headers that need no rejecting and no trimming, checked by table instead of regex, and names
 * lowercased only when they hold an uppercase letter. Returns null (having touched nothing, flags
 * included) at the first header that is not plain, for normalizeHeadersGeneral to redo them all;
 * where it answers, it answers exactly what normalizeHeadersGeneral would.
 */
export function normalizeHeadersFast(
  input: HttpRequest['headers'],
  maxHeaders: number,
  extraSecret: ReadonlySet<string>,
  flags: Set<HttpFlag>,
): HeadersResult | null {
  const headers: MultiMap = {};
  let count = 0;
  if (input == null) {
    // no headers
  } else if (typeof input !== 'object') {
    return null;
  } else if (Array.isArray(input)) {
    for (const p of input as ReadonlyArray<unknown>) {
      if (!Array.isArray(p) || ++count > maxHeaders) return null;
      const value: unknown = p[1];
      const name = plainName(p[0], value);
      if (name === null) return null;
      append(headers, name, value as string);
    }
  } else {
    const rec = input as Record<string, unknown>;
    for (const rawName in rec) {
      if (!Object.prototype.hasOwnProperty.call(rec, rawName)) continue;
      const value = rec[rawName];
      if (value === undefined) continue;
      if (++count > maxHeaders) return null;
      const name = plainName(rawName, value);
      if (name === null) return null;
      append(headers, name, value as string);
    }
  }
  return finish(headers, extraSecret, flags);
}

// Flags, facts and redaction over the collected headers, for both paths. Each special name is
// looked up as a constant: a loop over a list of names makes every lookup a generic keyed load,
// which was the bulk of the cost for a few headers.
function finish(headers: MultiMap, extraSecret: ReadonlySet<string>, flags: Set<HttpFlag>): HeadersResult {
  const hostH = headers['host'];
  const authH = headers[':authority'];
  const host = hostH && authH ? [...hostH, ...authH] : (hostH ?? authH ?? []);
  const cl = headers['content-length'];
  const ct = headers['content-type'];
  const ce = headers['content-encoding'];
  const te = headers['transfer-encoding'];
  if ((cl?.length ?? 0) > 1 || (ct?.length ?? 0) > 1 || (headers['authorization']?.length ?? 0) > 1 || (te?.length ?? 0) > 1 || (ce?.length ?? 0) > 1) {
    flags.add('duplicate_header');
  }
  if (cl && (te || cl.some((v) => !DIGITS.test(v)))) flags.add('ambiguous_length');
  if (headers['x-http-method-override'] || headers['x-http-method'] || headers['x-method-override']) flags.add('method_override');
  const facts: HeaderFacts = {
    host,
    contentType: ct?.[0] ?? null,
    contentEncoding: ce?.[0] ?? null,
    contentLength: cl?.[0] ?? null,
  };
  for (const name of Object.keys(headers)) {
    if (isSecretHeader(name) || extraSecret.has(name)) {
      headers[name] = (headers[name] as string[]).map((v) => redactHeaderValue(name, v));
    }
  }
  return { ok: true, headers, facts };
}

// The lowercase name of a header whose name is a token and whose value is a string with no
// control character and no surrounding whitespace; null for anything else.
function plainName(rawName: unknown, value: unknown): string | null {
  if (typeof rawName !== 'string' || typeof value !== 'string') return null;
  const kinds = tokenKinds(rawName, rawName.charCodeAt(0) === 58 /* : */ ? 1 : 0);
  if (kinds === 0) return null;
  const n = value.length;
  if (n > 0 && (isOws(value.charCodeAt(0)) || isOws(value.charCodeAt(n - 1)))) return null;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) return null;
  }
  return (kinds & UPPER) !== 0 ? rawName.toLowerCase() : rawName;
}

export function normalizeHeadersGeneral(
  input: HttpRequest['headers'],
  maxHeaders: number,
  extraSecret: ReadonlySet<string>,
  flags: Set<HttpFlag>,
): HeadersResult {
  const headers: MultiMap = {};
  let count = 0;
  let failure: HeadersResult | null = null;
  // Validates and stores one header; returns false (with `failure` set) to stop.
  const add = (rawName: unknown, rawValue: unknown): boolean => {
    const i = count++;
    if (count > maxHeaders) { failure = bad('too_many_headers', `more than ${maxHeaders} headers`, maxHeaders); return false; }
    if (typeof rawName !== 'string' || typeof rawValue !== 'string') { failure = bad('invalid_header', 'header name and value must be strings', i); return false; }
    if (!TOKEN.test(rawName)) {
      const code = /[\r\n]/.test(rawName) ? 'header_injection' : rawName.includes('\0') ? 'nul_byte' : 'invalid_header_name';
      failure = bad(code, 'invalid header name', i);
      return false;
    }
    if (BAD_VALUE.test(rawValue)) {
      const code = /[\r\n]/.test(rawValue) ? 'header_injection' : rawValue.includes('\0') ? 'nul_byte' : 'invalid_header_value';
      failure = bad(code, `invalid character in the value of header ${rawName.toLowerCase()}`, i);
      return false;
    }
    const name = rawName.toLowerCase();
    const value = isOws(rawValue.charCodeAt(0)) || isOws(rawValue.charCodeAt(rawValue.length - 1)) ? rawValue.replace(/^[ \t]+|[ \t]+$/g, '') : rawValue;
    append(headers, name, value);
    return true;
  };
  if (input == null) {
    // no headers
  } else if (Array.isArray(input)) {
    for (const p of input as ReadonlyArray<readonly [unknown, unknown]>) {
      if (!Array.isArray(p)) return bad('invalid_header', 'a header pair must be [name, value]', count);
      if (!add(p[0], p[1])) return failure as unknown as HeadersResult;
    }
  } else if (typeof input === 'object') {
    const rec = input as Record<string, unknown>;
    for (const name in rec) {
      if (!Object.prototype.hasOwnProperty.call(rec, name)) continue;
      const v = rec[name];
      if (Array.isArray(v)) {
        for (const one of v) if (!add(name, one)) return failure as unknown as HeadersResult;
      } else if (v !== undefined && !add(name, v)) {
        return failure as unknown as HeadersResult;
      }
    }
  } else {
    return bad('invalid_headers', 'headers must be an object or a list of pairs', 0);
  }

  return finish(headers, extraSecret, flags);
}

const isOws = (c: number): boolean => c === 32 || c === 9;
