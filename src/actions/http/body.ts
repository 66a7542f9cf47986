// Body parsing within a size cap. A body over the cap, compressed, in another charset or of an
// unknown type is described, never parsed partially as if it were whole.

import { parseJson } from './json.ts';
import { parseParams } from './params.ts';
import { isSecretKey, REDACTED } from './secrets.ts';
import { describeGraphql, type GraphqlRequest } from './graphql.ts';
import type { GraphqlInfo, HttpBody, HttpFlag, JsonValue } from './types.ts';

export interface BodyResult {
  body: HttpBody;
  graphql?: GraphqlInfo;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const encoder = new TextEncoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function mediaType(contentType: string | null): { type: string | null; charset: string | null } {
  if (contentType === null) return { type: null, charset: null };
  const parts = contentType.split(';');
  const type = (parts[0] as string).trim().toLowerCase() || null;
  let charset: string | null = null;
  for (let i = 1; i < parts.length; i++) {
    const p = (parts[i] as string).trim();
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq).trim().toLowerCase() === 'charset') {
      charset = p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    }
  }
  return { type, charset };
}

function byteSize(body: Uint8Array | string): number {
  if (typeof body !== 'string') return body.length;
  // Fast path: ASCII strings are one byte a character.
  let ascii = true;
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) > 127) { ascii = false; break; }
  return ascii ? body.length : encoder.encode(body).length;
}

/** Replaces the values of secret-looking keys, in place, at any depth; true if it replaced any. */
export function redactJson(v: JsonValue): boolean {
  let hit = false;
  if (Array.isArray(v)) {
    for (const x of v) if (redactJson(x)) hit = true;
  } else if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v)) {
      const x = v[k] as JsonValue;
      if (isSecretKey(k) && x !== null && x !== '' && x !== REDACTED) {
        v[k] = REDACTED;
        hit = true;
      } else if (redactJson(x)) {
        hit = true;
      }
    }
  }
  return hit;
}

function graphqlRequest(v: JsonValue): GraphqlRequest | null {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const q = v['query'];
  const hasPersisted = typeof v['extensions'] === 'object' && v['extensions'] !== null && 'persistedQuery' in (v['extensions'] as object);
  if (typeof q !== 'string' && !hasPersisted) return null;
  const on = v['operationName'];
  return {
    query: typeof q === 'string' ? q : null,
    operationName: on === undefined || on === null || typeof on === 'string' ? on : { invalid: true },
  };
}

export function parseBody(
  body: Uint8Array | string | undefined,
  contentType: string | null,
  contentEncoding: string | null,
  cap: number,
  maxDepth: number,
  graphql: boolean,
  flags: Set<HttpFlag>,
): BodyResult {
  if (body === undefined || body === null) return { body: { kind: 'none' } };
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    flags.add('body_invalid');
    return { body: { kind: 'invalid', size: 0, content_type: null, error: 'body must be a string or bytes' } };
  }
  const size = byteSize(body);
  if (size === 0) return { body: { kind: 'none' } };
  const { type, charset } = mediaType(contentType);
  if (size > cap) {
    flags.add('body_truncated');
    return { body: { kind: 'truncated', size, truncated: true, content_type: type } };
  }
  if (contentEncoding !== null && contentEncoding.toLowerCase() !== 'identity') {
    flags.add('body_encoded');
    return { body: { kind: 'raw', size, content_type: type } };
  }
  if (type === null) {
    flags.add('body_untyped');
    return { body: { kind: 'raw', size, content_type: null } };
  }
  const isJson = type === 'application/json' || type.endsWith('+json');
  const isForm = type === 'application/x-www-form-urlencoded';
  const isGraphql = type === 'application/graphql';
  if (!isJson && !isForm && !(isGraphql && graphql)) return { body: { kind: 'raw', size, content_type: type } };
  if (charset !== null && charset !== 'utf-8' && charset !== 'utf8' && !(isForm && charset === 'us-ascii')) {
    flags.add('body_charset');
    return { body: { kind: 'raw', size, content_type: type } };
  }
  let text: string;
  if (typeof body === 'string') {
    if (LONE_SURROGATE.test(body)) {
      flags.add('invalid_utf8');
      return { body: { kind: 'invalid', size, content_type: type, error: 'invalid UTF-8' } };
    }
    text = body;
  } else {
    try {
      text = strictUtf8.decode(body);
    } catch {
      flags.add('invalid_utf8');
      return { body: { kind: 'invalid', size, content_type: type, error: 'invalid UTF-8' } };
    }
  }
  if (isForm) {
    const p = parseParams(text);
    if (p.notes.invalidUtf8) flags.add('invalid_utf8');
    if (p.notes.invalidPercent) flags.add('invalid_percent_encoding');
    if (p.notes.doubleEncoded) flags.add('double_encoding');
    return { body: { kind: 'form', size, form: p.params } };
  }
  if (isGraphql && graphql) {
    const g = describeGraphql([{ query: text, operationName: undefined }]);
    noteGraphql(g, flags);
    return { body: { kind: 'graphql', size }, graphql: g.info };
  }
  const r = parseJson(text, maxDepth);
  if (!r.ok) {
    flags.add(r.code === 'too_deep' ? 'body_too_deep' : 'body_invalid');
    return { body: { kind: 'invalid', size, content_type: type, error: `${r.code} at ${r.position}` } };
  }
  if (r.duplicateKey) flags.add('body_duplicate_key');
  const out: BodyResult = { body: { kind: 'json', size, json: r.value } };
  // GraphQL over JSON: one request object, or a batch (an array of them).
  const v = r.value;
  const single = graphql ? graphqlRequest(v) : null;
  let reqs: GraphqlRequest[] | null = single ? [single] : null;
  if (!reqs && graphql && Array.isArray(v) && v.length > 0) {
    const many = v.map(graphqlRequest);
    if (many.every((x) => x !== null)) {
      reqs = many as GraphqlRequest[];
      flags.add('graphql_batch');
    }
  }
  if (reqs) {
    const g = describeGraphql(reqs);
    noteGraphql(g, flags);
    out.graphql = g.info;
  }
  redactJson(r.value);
  return out;
}

export function noteGraphql(g: { ambiguous: boolean; invalid: boolean }, flags: Set<HttpFlag>): void {
  if (g.ambiguous) flags.add('graphql_ambiguous');
  if (g.invalid) flags.add('graphql_invalid');
}
