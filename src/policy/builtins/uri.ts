// uri.parse(s) and uri.is_valid(s), with the parsing rules of Go's net/url (which OPA uses):
// the scheme is lower-cased, a scheme without `//` makes the rest opaque, hosts allow
// %-escapes only for non-ASCII bytes, ports are ASCII digits, userinfo has a fixed alphabet.
// The result holds scheme, hostname, port, path (unescaped), raw_path (the path as written
// when unescaping changes its meaning, else the path), raw_query and fragment — each only when
// non-empty.
import { isString, type HostBuiltin } from './values.ts';

class UriError extends Error {}

type Mode = 'path' | 'host' | 'zone' | 'userinfo' | 'query' | 'fragment';

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

/** Go's shouldEscape: whether byte c must be %-escaped in the given part. */
function shouldEscape(c: string, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  if ((mode === 'host' || mode === 'zone') && "!$&'()*+,;=:[]<>\"".includes(c)) return false;
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    switch (mode) {
      case 'path': return c === '?';
      case 'userinfo': return c === '@' || c === '/' || c === '?' || c === ':';
      case 'query': return true;
      case 'fragment': return false;
      default: return false;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

/** %-decoding with Go's checks; works on UTF-8 bytes. */
function unescape(s: string, mode: Mode): string {
  const bytes = Buffer.from(s, 'utf8');
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === 0x25) {
      const hex = bytes.subarray(i + 1, i + 3).toString('latin1');
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new UriError(`invalid URL escape "${bytes.subarray(i, i + 3).toString('latin1')}"`);
      // In a host, escapes may only encode non-ASCII bytes (and %25 in a zone).
      if (mode === 'host' && parseInt(hex[0]!, 16) < 8 && hex !== '25') throw new UriError(`invalid URL escape "%${hex}"`);
      if (mode === 'zone') {
        const v = parseInt(hex, 16);
        if (hex !== '25' && v < 0x80 && shouldEscape(String.fromCharCode(v), 'host')) throw new UriError(`invalid URL escape "%${hex}"`);
      }
      out.push(parseInt(hex, 16));
      i += 2;
      continue;
    }
    if ((mode === 'host' || mode === 'zone') && b < 0x80 && shouldEscape(String.fromCharCode(b), mode)) {
      throw new UriError(`invalid character ${JSON.stringify(String.fromCharCode(b))} in host name`);
    }
    out.push(b);
  }
  return Buffer.from(out).toString('utf8');
}

/** Go's escape(s, encodePath): the canonical form of a path. */
export function escapePath(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += b < 0x80 && !shouldEscape(c, 'path') ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function validOptionalPort(p: string): boolean {
  if (p === '') return true;
  return /^:[0-9]*$/.test(p);
}

function validUserinfo(s: string): boolean {
  return /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);
}

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new UriError("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new UriError(`invalid port "${colonPort}" after host`);
    const zone = host.slice(0, i).indexOf('%25');
    if (zone >= 0) {
      return unescape(host.slice(0, zone), 'host') + unescape(host.slice(zone, i), 'zone') + unescape(host.slice(i), 'host');
    }
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new UriError(`invalid port "${host.slice(i)}" after host`);
  }
  return unescape(host, 'host');
}

export interface ParsedUri { scheme: string; host: string; path: string; rawPath: string; rawQuery: string; fragment: string; opaque: string }

/** Go's url.Parse; throws UriError. */
export function parseUri(raw: string): ParsedUri {
  const u: ParsedUri = { scheme: '', host: '', path: '', rawPath: '', rawQuery: '', fragment: '', opaque: '' };
  const hash = raw.indexOf('#');
  let rest = raw;
  if (hash >= 0) {
    u.fragment = unescape(raw.slice(hash + 1), 'fragment');
    rest = raw.slice(0, hash);
  }
  // Control characters (and DEL) are never allowed.
  if (/[\x00-\x1f\x7f]/.test(rest)) throw new UriError('invalid control character in URL');
  if (rest === '') return u;
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (m !== null) {
    u.scheme = m[1]!.toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) throw new UriError('missing protocol scheme');
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      u.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (u.scheme !== '') {
      u.opaque = rest;
      return u;
    }
    const slash = rest.indexOf('/');
    const seg = slash < 0 ? rest : rest.slice(0, slash);
    if (seg.includes(':')) throw new UriError('first path segment in URL cannot contain colon');
  }
  if ((u.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const after = rest.slice(2);
    const slash = after.indexOf('/');
    const authority = slash < 0 ? after : after.slice(0, slash);
    rest = slash < 0 ? '' : after.slice(slash);
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) throw new UriError('net/url: invalid userinfo');
      unescape(userinfo, 'userinfo');
    }
    u.host = parseHost(authority.slice(at + 1));
  }
  u.path = unescape(rest, 'path');
  u.rawPath = escapePath(u.path) === rest ? '' : rest;
  return u;
}

function hostname(host: string): string {
  if (host.startsWith('[')) {
    const i = host.indexOf(']');
    return i >= 0 ? host.slice(1, i) : host.slice(1);
  }
  const i = host.lastIndexOf(':');
  return i >= 0 && validOptionalPort(host.slice(i)) ? host.slice(0, i) : host;
}

function port(host: string): string {
  const i = host.lastIndexOf(':');
  if (i < 0 || host.indexOf(']', i) >= 0) return '';
  const p = host.slice(i + 1);
  return /^[0-9]*$/.test(p) ? p : '';
}

function uriObject(u: ParsedUri): Record<string, string> {
  const out: Record<string, string> = {};
  const set = (k: string, v: string): void => {
    if (v !== '') out[k] = v;
  };
  set('scheme', u.scheme);
  set('hostname', hostname(u.host));
  set('port', port(u.host));
  set('path', u.path);
  set('raw_path', u.rawPath !== '' ? u.rawPath : u.path);
  set('raw_query', u.rawQuery);
  set('fragment', u.fragment);
  return out;
}

export const uriBuiltins: Record<string, HostBuiltin> = {
  'uri.parse': (s) => (isString(s) ? uriObject(parseUri(s)) : undefined),
  'uri.is_valid': (s) => {
    if (!isString(s) || s === '') return false;
    try {
      parseUri(s);
      return true;
    } catch {
      return false;
    }
  },
};
