// Splits a request target into scheme, authority, path, query and fragment without normalizing
// anything yet (normalizing is path.ts' and host.ts' job).

export type TargetForm = 'origin' | 'absolute' | 'authority' | 'asterisk';

export interface Target {
  form: TargetForm;
  scheme: 'http' | 'https' | 'ws' | 'wss' | null;
  /** the authority without userinfo; null for origin-form and asterisk-form. */
  authority: string | null;
  userinfo: boolean;
  rawPath: string;
  /** where rawPath starts in the URL, for error positions. */
  pathOffset: number;
  rawQuery: string | null;
  fragment: boolean;
}

export type TargetResult = { ok: true; target: Target } | { ok: false; code: string; message: string; position: number };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const SCHEMES = new Set(['http', 'https', 'ws', 'wss']);

function bad(code: string, message: string, position: number): TargetResult {
  return { ok: false, code, message, position };
}

export function splitTarget(method: string, url: string, maxLength: number): TargetResult {
  return splitTargetFast(method, url, maxLength) ?? splitTargetGeneral(method, url, maxLength);
}

/**
 * The common case in one pass over the URL, without a regex or intermediate strings: origin-form,
 * or absolute-form with a lowercase http/https scheme and no userinfo. Returns null for anything
 * else (errors included), which splitTargetGeneral then handles; where it answers, it answers
 * exactly what splitTargetGeneral would.
 */
export function splitTargetFast(method: string, url: string, maxLength: number): TargetResult | null {
  const n = url.length;
  if (n === 0 || n > maxLength || method === 'CONNECT') return null;
  let scheme: Target['scheme'] = null;
  let start = 0;
  if (url.charCodeAt(0) === 47 /* / */) {
    // origin-form
  } else if (url.startsWith('https://')) {
    scheme = 'https';
    start = 8;
  } else if (url.startsWith('http://')) {
    scheme = 'http';
    start = 7;
  } else {
    return null;
  }
  let i = start;
  if (scheme !== null) {
    for (; i < n; i++) {
      const c = url.charCodeAt(i);
      if (c === 47 || c === 63 || c === 35) break;
      // controls, space, '\' (an error) and '@' (userinfo): the general path's business.
      if (c <= 32 || c === 127 || c === 92 || c === 64) return null;
    }
  }
  const authEnd = i;
  let q = -1;
  let hash = -1;
  for (; i < n; i++) {
    const c = url.charCodeAt(i);
    if (c <= 32 || c === 127) return null;
    if (c === 35) { if (hash < 0) hash = i; }
    else if (c === 63 && q < 0 && hash < 0) q = i;
  }
  const pathEnd = q >= 0 ? q : hash >= 0 ? hash : n;
  // An absolute URL with nothing before '?', '#' or the end has the path '/'.
  const rawPath = pathEnd === authEnd ? '/' : url.slice(authEnd, pathEnd);
  const rawQuery = q >= 0 ? url.slice(q + 1, hash >= 0 ? hash : n) : null;
  const authority = scheme === null ? null : url.slice(start, authEnd);
  const form: TargetForm = scheme === null ? 'origin' : 'absolute';
  return { ok: true, target: { form, scheme, authority, userinfo: false, rawPath, pathOffset: authEnd, rawQuery, fragment: hash >= 0 } };
}

export function splitTargetGeneral(method: string, url: string, maxLength: number): TargetResult {
  if (url.length > maxLength) return bad('url_too_long', `URL longer than ${maxLength} characters`, maxLength);
  if (url === '') return bad('invalid_url', 'empty URL', 0);
  for (let i = 0; i < url.length; i++) {
    const c = url.charCodeAt(i);
    if (c === 0) return bad('nul_byte', 'NUL byte in URL', i);
    if (c <= 32 || c === 127) return bad('invalid_url', 'control character or space in URL', i);
  }
  if (url === '*') {
    if (method !== 'OPTIONS') return bad('invalid_url', "'*' target is only valid for OPTIONS", 0);
    return { ok: true, target: { form: 'asterisk', scheme: null, authority: null, userinfo: false, rawPath: '*', pathOffset: 0, rawQuery: null, fragment: false } };
  }
  if (method === 'CONNECT') {
    if (/[/?#@]/.test(url)) return bad('invalid_url', 'CONNECT needs host:port', 0);
    return { ok: true, target: { form: 'authority', scheme: null, authority: url, userinfo: false, rawPath: '', pathOffset: 0, rawQuery: null, fragment: false } };
  }
  let rest = url;
  let form: TargetForm = 'origin';
  let scheme: Target['scheme'] = null;
  let authority: string | null = null;
  let userinfo = false;
  let offset = 0;
  if (url[0] !== '/') {
    const m = SCHEME.exec(url);
    if (!m) return bad('invalid_url', 'URL is neither absolute nor origin-form', 0);
    const s = (m[1] as string).toLowerCase();
    if (!SCHEMES.has(s)) return bad('unsupported_scheme', 'only http, https, ws and wss are supported', 0);
    scheme = s as Target['scheme'];
    form = 'absolute';
    offset = m[0].length;
    rest = url.slice(offset);
    let end = rest.length;
    for (let i = 0; i < rest.length; i++) {
      const c = rest.charCodeAt(i);
      if (c === 47 || c === 63 || c === 35) { end = i; break; }
      // WHATWG parsers read '\' as '/', others do not: the host would differ.
      if (c === 92) return bad('invalid_url', 'backslash in authority', offset + i);
    }
    authority = rest.slice(0, end);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      userinfo = true;
      authority = authority.slice(at + 1);
    }
    offset += end;
    rest = rest.slice(end);
    if (rest === '' || rest[0] !== '/') rest = '/' + rest;
  }
  let fragment = false;
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = true;
    rest = rest.slice(0, hash);
  }
  const q = rest.indexOf('?');
  const rawPath = q >= 0 ? rest.slice(0, q) : rest;
  const rawQuery = q >= 0 ? rest.slice(q + 1) : null;
  return { ok: true, target: { form, scheme, authority, userinfo, rawPath, pathOffset: offset, rawQuery, fragment } };
}
