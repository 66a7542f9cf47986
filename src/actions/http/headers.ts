// Header validation and normalization: names lowercased, values trimmed and kept as arrays in
// arrival order (no comma-joining, so a second Host or Content-Length stays visible), CR/LF/NUL
// rejected, secrets redacted. The few values the normalizer itself needs are returned unredacted.

import { append, type MultiMap } from './multimap.ts';
import { isSecretHeader, redactHeaderValue } from './secrets.ts';
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
const SINGLETONS = ['content-length', 'content-type', 'authorization', 'transfer-encoding', 'content-encoding'];
const OVERRIDES = ['x-http-method-override', 'x-http-method', 'x-method-override'];

function bad(code: string, message: string, position: number): HeadersResult {
  return { ok: false, code, message, position };
}

export function normalizeHeaders(
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

  const hostH = headers['host'];
  const authH = headers[':authority'];
  const host = hostH && authH ? [...hostH, ...authH] : (hostH ?? authH ?? []);
  for (const n of SINGLETONS) if ((headers[n]?.length ?? 0) > 1) flags.add('duplicate_header');
  const cl = headers['content-length'];
  if (cl && (headers['transfer-encoding'] || cl.some((v) => !/^[0-9]+$/.test(v)))) flags.add('ambiguous_length');
  for (const n of OVERRIDES) if (headers[n]) flags.add('method_override');
  const facts: HeaderFacts = {
    host,
    contentType: headers['content-type']?.[0] ?? null,
    contentEncoding: headers['content-encoding']?.[0] ?? null,
    contentLength: cl?.[0] ?? null,
  };
  for (const name of Object.keys(headers)) {
    if (isSecretHeader(name) || extraSecret.has(name)) {
      headers[name] = (headers[name] as string[]).map((v) => redactHeaderValue(name, v));
    }
  }
  return { ok: true, headers, facts };
}

const isOws = (c: number): boolean => c === 32 || c === 9;
