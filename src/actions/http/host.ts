// Parses and canonicalizes an authority (`host[:port]`): lowercase, no trailing dot, IDN to
// punycode, and IPv4 in the dotted-decimal form a WHATWG URL parser would resolve it to
// (`0x7f.1` and `2130706433` are 127.0.0.1), so an allow-list of names cannot be side-stepped.

import { domainToASCII } from 'node:url';
import { isIPv6 } from 'node:net';

export interface HostInfo {
  host: string;
  host_type: 'name' | 'ipv4' | 'ipv6';
  /** null when the authority names no port. */
  port: number | null;
  nonAscii: boolean;
  ipNonCanonical: boolean;
}

export type HostResult = { ok: true; info: HostInfo } | { ok: false; code: string; message: string; position: number };

const NAME_CHARS = /^[a-z0-9_-]+$/;
const NUMERIC_LABEL = /^(?:0[xX][0-9A-Fa-f]*|[0-9]+)$/;

function bad(code: string, message: string, position: number): HostResult {
  return { ok: false, code, message, position };
}

export function parseAuthority(auth: string): HostResult {
  return parseAuthorityFast(auth) ?? parseAuthorityGeneral(auth);
}

/**
 * The common case in one pass, without regexes, split or toLowerCase: an already-canonical
 * lowercase ASCII name, or a dotted-decimal IPv4 address in canonical form, with an optional valid
 * port. Returns null for anything else (errors included), which parseAuthorityGeneral then
 * handles; where it answers, it answers exactly what parseAuthorityGeneral would.
 */
export function parseAuthorityFast(auth: string): HostResult | null {
  const n = auth.length;
  let labelStart = 0;
  let i = 0;
  for (; i < n; i++) {
    const c = auth.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95) continue;
    if (c === 46 /* . */) {
      if (i === labelStart) return null; // empty label
      labelStart = i + 1;
      continue;
    }
    if (c === 58 /* : */) break;
    return null; // uppercase, non-ASCII, '[', or a character the general path rejects
  }
  const hostEnd = i;
  // Empty host, empty last label or a trailing dot: not canonical.
  if (hostEnd === labelStart) return null;
  let port: number | null = null;
  if (hostEnd < n - 1) {
    if (n - hostEnd - 1 > 5) return null;
    let v = 0;
    for (let j = hostEnd + 1; j < n; j++) {
      const c = auth.charCodeAt(j);
      if (c < 48 || c > 57) return null;
      v = v * 10 + (c - 48);
    }
    if (v < 1 || v > 65535) return null;
    port = v;
  }
  const host = hostEnd === n ? auth : auth.slice(0, hostEnd);
  const last = auth.charCodeAt(labelStart);
  // A numeric last label makes the host an IPv4 address; only the canonical a.b.c.d form is here.
  if (last >= 48 && last <= 57) {
    return isCanonicalIPv4(host) ? { ok: true, info: { host, host_type: 'ipv4', port, nonAscii: false, ipNonCanonical: false } } : null;
  }
  return { ok: true, info: { host, host_type: 'name', port, nonAscii: false, ipNonCanonical: false } };
}

// Four decimal parts 0-255 without leading zeros: what parseIPv4 would serialize unchanged.
function isCanonicalIPv4(s: string): boolean {
  let parts = 0;
  let v = 0;
  let len = 0;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c === 46) {
      if (len === 0 || v > 255) return false;
      parts++;
      v = 0;
      len = 0;
      continue;
    }
    if (c < 48 || c > 57) return false;
    if (len === 1 && v === 0) return false; // a leading zero reads as octal
    v = v * 10 + (c - 48);
    len++;
  }
  return parts === 4;
}

export function parseAuthorityGeneral(auth: string): HostResult {
  let hostPart: string;
  let portPart: string | null = null;
  if (auth.startsWith('[')) {
    const close = auth.indexOf(']');
    if (close < 0) return bad('invalid_host', 'unterminated IPv6 literal', 0);
    hostPart = auth.slice(0, close + 1);
    const rest = auth.slice(close + 1);
    if (rest !== '') {
      if (rest[0] !== ':') return bad('invalid_host', 'unexpected text after IPv6 literal', close + 1);
      portPart = rest.slice(1);
    }
  } else {
    const colon = auth.lastIndexOf(':');
    if (colon >= 0) {
      hostPart = auth.slice(0, colon);
      portPart = auth.slice(colon + 1);
    } else {
      hostPart = auth;
    }
  }
  let port: number | null = null;
  if (portPart !== null && portPart !== '') {
    if (!/^[0-9]{1,5}$/.test(portPart)) return bad('invalid_port', 'port is not a number', auth.length - portPart.length);
    port = Number(portPart);
    if (port < 1 || port > 65535) return bad('invalid_port', 'port out of range', auth.length - portPart.length);
  }
  const h = parseHostname(hostPart);
  if (!h.ok) return h;
  h.info.port = port;
  return h;
}

function parseHostname(raw: string): HostResult {
  if (raw === '') return bad('invalid_host', 'empty host', 0);
  if (raw.startsWith('[')) {
    const inner = raw.slice(1, -1);
    if (!isIPv6(inner)) return bad('invalid_host', 'invalid IPv6 literal', 1);
    // The WHATWG serializer gives the canonical compressed lowercase form.
    const canon = new URL(`http://[${inner}]/`).hostname.slice(1, -1);
    return { ok: true, info: { host: canon, host_type: 'ipv6', port: null, nonAscii: false, ipNonCanonical: canon !== inner } };
  }
  let name = raw;
  let nonAscii = false;
  for (let i = 0; i < name.length; i++) {
    if (name.charCodeAt(i) > 127) { nonAscii = true; break; }
  }
  if (nonAscii) {
    const ascii = domainToASCII(name);
    if (ascii === '') return bad('invalid_host', 'invalid internationalized host name', 0);
    name = ascii;
  }
  name = name.toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '') return bad('invalid_host', 'empty host', 0);
  const labels = name.split('.');
  for (let i = 0, pos = 0; i < labels.length; pos += (labels[i] as string).length + 1, i++) {
    const l = labels[i] as string;
    if (l === '') return bad('invalid_host', 'empty label in host', pos);
    if (!NAME_CHARS.test(l)) return bad('invalid_host', 'invalid character in host', pos);
  }
  if (NUMERIC_LABEL.test(labels[labels.length - 1] as string)) {
    const v4 = parseIPv4(labels);
    if (v4 === null) return bad('invalid_host', 'invalid IPv4 address', 0);
    return { ok: true, info: { host: v4, host_type: 'ipv4', port: null, nonAscii, ipNonCanonical: v4 !== name } };
  }
  return { ok: true, info: { host: name, host_type: 'name', port: null, nonAscii, ipNonCanonical: false } };
}

// WHATWG IPv4 rules: 1 to 4 parts, each decimal, 0x-hex or 0-prefixed octal; the last part
// fills the remaining bytes.
function parseIPv4(parts: string[]): string | null {
  if (parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    let n: number;
    if (/^0[xX]/.test(p)) n = p.length === 2 ? 0 : parseInt(p.slice(2), 16);
    else if (p.length > 1 && p[0] === '0') n = /^[0-7]+$/.test(p) ? parseInt(p, 8) : NaN;
    else n = /^[0-9]+$/.test(p) ? parseInt(p, 10) : NaN;
    if (!Number.isFinite(n)) return null;
    nums.push(n);
  }
  const last = nums.pop() as number;
  for (const n of nums) if (n > 255) return null;
  if (last >= 256 ** (4 - nums.length)) return null;
  let addr = last;
  nums.forEach((n, i) => { addr += n * 256 ** (3 - i); });
  return [addr >>> 24, (addr >>> 16) & 255, (addr >>> 8) & 255, addr & 255].join('.');
}
