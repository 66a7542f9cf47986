// normalizeHttp: one HTTP request → the HTTP action document. Pure, synchronous, never throws:
// anything it cannot read exactly becomes a parse_error document, which policies deny.

import { splitTarget } from './target.ts';
import { parseAuthority, type HostInfo } from './host.ts';
import { normalizePath } from './path.ts';
import { parseParams } from './params.ts';
import { normalizeHeaders } from './headers.ts';
import { parseBody, noteGraphql } from './body.ts';
import { describeGraphql } from './graphql.ts';
import { tokenKinds, LOWER } from './token.ts';
import type { HttpAction, HttpActionError, HttpActionOk, HttpFlag, HttpOptions, HttpRequest, ParseError } from './types.ts';

export type * from './types.ts';
export { httpActionSchema } from './schema.ts';
export { HTTP_FLAGS } from './types.ts';

const DEFAULT_PORT = { http: 80, https: 443, ws: 80, wss: 443 } as const;
const NO_NAMES: ReadonlySet<string> = new Set();
const NO_OPTIONS: HttpOptions = Object.freeze({});

// Most requests raise no flag; spreading an empty Set still walks an iterator.
const flagList = (flags: Set<HttpFlag>): HttpFlag[] => (flags.size === 0 ? [] : [...flags]);

function fail(flags: Set<HttpFlag>, e: ParseError): HttpActionError {
  return { version: 1, kind: 'http', parse_error: e, flags: flagList(flags) };
}

export function normalizeHttp(req: HttpRequest, opts?: HttpOptions): HttpAction {
  const flags = new Set<HttpFlag>();
  try {
    return build(req, opts ?? NO_OPTIONS, flags);
  } catch {
    // Unreachable by design; still a document rather than a crash.
    return fail(flags, { code: 'internal_error', message: 'request could not be normalized' });
  }
}

function build(req: HttpRequest, opts: HttpOptions, flags: Set<HttpFlag>): HttpAction {
  if (req === null || typeof req !== 'object') return fail(flags, { code: 'invalid_request', message: 'request must be an object' });
  const { method: rawMethod, url } = req;
  const method = typeof rawMethod === 'string' ? upperMethod(rawMethod) : null;
  if (method === null) {
    const nul = typeof rawMethod === 'string' && rawMethod.includes('\0');
    return fail(flags, { code: nul ? 'nul_byte' : 'invalid_method', message: 'method is not an HTTP token', field: 'method' });
  }
  if (typeof url !== 'string') return fail(flags, { code: 'invalid_url', message: 'URL must be a string', field: 'url' });

  const t = splitTarget(method, url, opts.maxUrlLength ?? 8192);
  if (!t.ok) return fail(flags, { code: t.code, message: t.message, position: t.position, field: 'url' });
  const target = t.target;
  if (target.userinfo) flags.add('userinfo');
  if (target.fragment) flags.add('fragment');

  const extraSecret = opts.redactHeaders ? new Set(opts.redactHeaders.map((h) => h.toLowerCase())) : NO_NAMES;
  const h = normalizeHeaders(req.headers, opts.maxHeaders ?? 256, extraSecret, flags);
  if (!h.ok) return fail(flags, { code: h.code, message: h.message, position: h.position, field: 'headers' });

  // Host: from the URL when absolute, else from the single Host header.
  let hostHeader: HostInfo | null = null;
  if (h.facts.host.length > 1) return fail(flags, { code: 'duplicate_host', message: 'more than one Host header', field: 'headers' });
  if (h.facts.host.length === 1) {
    const hh = parseAuthority(h.facts.host[0] as string);
    if (!hh.ok) return fail(flags, { code: hh.code, message: `Host header: ${hh.message}`, position: hh.position, field: 'headers' });
    hostHeader = hh.info;
  }
  let hostInfo: HostInfo;
  if (target.authority !== null) {
    const a = parseAuthority(target.authority);
    if (!a.ok) return fail(flags, { code: a.code, message: a.message, position: a.position, field: 'url' });
    hostInfo = a.info;
  } else {
    if (!hostHeader) return fail(flags, { code: 'missing_host', message: 'no host in the URL and no Host header', field: 'headers' });
    hostInfo = hostHeader;
  }
  const scheme = target.scheme ?? opts.scheme ?? 'http';
  if (!Object.hasOwn(DEFAULT_PORT, scheme)) return fail(flags, { code: 'invalid_options', message: 'opts.scheme is http or https' });
  const port = hostInfo.port ?? DEFAULT_PORT[scheme];
  if (target.authority !== null && hostHeader) {
    const hp = hostHeader.port ?? DEFAULT_PORT[scheme];
    if (hostHeader.host !== hostInfo.host || hp !== port) flags.add('host_mismatch');
  }
  if (target.form === 'authority' && hostInfo.port === null) {
    return fail(flags, { code: 'invalid_url', message: 'CONNECT needs an explicit port', field: 'url' });
  }
  if (hostInfo.nonAscii || hostHeader?.nonAscii) flags.add('non_ascii_host');
  if (hostInfo.ipNonCanonical || hostHeader?.ipNonCanonical) flags.add('ip_host_noncanonical');

  const p = normalizePath(target.rawPath, flags);
  if (!p.ok) return fail(flags, { code: p.code, message: p.message, position: target.pathOffset + p.position, field: 'url' });

  const q = parseParams(target.rawQuery ?? '');
  if (q.nul) return fail(flags, { code: 'nul_byte', message: 'encoded NUL byte in query', field: 'url' });
  if (q.notes.invalidPercent) flags.add('invalid_percent_encoding');
  if (q.notes.invalidUtf8) flags.add('invalid_utf8');
  if (q.notes.doubleEncoded) flags.add('double_encoding');
  if (q.secret) flags.add('secret_in_query');
  if (q.params['_method']) flags.add('method_override');

  const b = parseBody(req.body, h.facts.contentType, h.facts.contentEncoding, opts.bodyCap ?? 65536, opts.maxDepth ?? 64, opts.graphql !== false, flags);
  if (b.body.kind === 'form' && b.body.form['_method']) flags.add('method_override');
  // A Content-Length that disagrees with the bytes handed over: framing differs somewhere.
  if (h.facts.contentLength !== null && req.body !== undefined && 'size' in b.body && String(b.body.size) !== h.facts.contentLength) flags.add('ambiguous_length');
  let graphql = b.graphql;
  // GraphQL over GET: `?query=` on a path ending in /graphql.
  const lastSeg = p.segments[p.segments.length - 1];
  if (!graphql && opts.graphql !== false && q.params['query'] && lastSeg !== undefined && lastSeg.toLowerCase() === 'graphql') {
    const docs = q.params['query'];
    const names = q.params['operationName'];
    if (docs.length > 1 || (names && names.length > 1)) flags.add('graphql_ambiguous');
    const g = describeGraphql([{ query: docs.length === 1 ? (docs[0] as string) : null, operationName: names?.[0] }]);
    noteGraphql(g, flags);
    graphql = g.info;
  }

  // One literal per shape; `graphql` comes after `flags`, the key order documents have always had.
  if (graphql) {
    return {
      version: 1, kind: 'http', method, scheme, host: hostInfo.host, host_type: hostInfo.host_type, port,
      path: p.path, segments: p.segments, query: q.params, headers: h.headers, body: b.body, flags: flagList(flags), graphql,
    } satisfies HttpActionOk;
  }
  return {
    version: 1, kind: 'http', method, scheme, host: hostInfo.host, host_type: hostInfo.host_type, port,
    path: p.path, segments: p.segments, query: q.params, headers: h.headers, body: b.body, flags: flagList(flags),
  } satisfies HttpActionOk;
}

/** An HTTP token of 1 to 32 characters, uppercased (without a copy when it already is); else null. */
export function upperMethod(raw: string): string | null {
  if (raw.length > 32) return null;
  const kinds = tokenKinds(raw, 0);
  if (kinds === 0) return null;
  return (kinds & LOWER) !== 0 ? raw.toUpperCase() : raw;
}
