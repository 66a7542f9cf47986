// Decides which names carry secrets and how a redacted value looks. Secrets never leave the
// gateway, so over-redacting a harmless header is the accepted cost of never leaking a real one.

export const REDACTED = '[REDACTED]';

const SECRET_HEADERS = new Set([
  'authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key',
]);
// Substrings that make a header name look secret (x-auth-token, x-amz-security-token, x-session-id…).
const SECRET_HEADER_WORDS = /auth|token|secret|passw|pwd|api-?key|apikey|access-?key|private|credential|signature|session|cookie/;
// Query, form and JSON keys that look secret (password, access_token, apiKey, client_secret…).
const SECRET_KEY = /passw|^pwd$|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|signature|session[-_]?id|^auth(orization)?$|^sig$/i;

/** `name` must already be lowercase. Pseudo-headers (`:authority`) are never secret. */
export function isSecretHeader(name: string): boolean {
  let v = headerVerdicts.get(name);
  if (v === undefined) {
    v = SECRET_HEADERS.has(name) || (name.charCodeAt(0) !== 58 /* : */ && SECRET_HEADER_WORDS.test(name));
    // Header names repeat endlessly; a bounded memo keeps the regex off the hot path.
    if (headerVerdicts.size >= 4096) headerVerdicts.clear();
    headerVerdicts.set(name, v);
  }
  return v;
}
const headerVerdicts = new Map<string, boolean>();

export function isSecretKey(key: string): boolean {
  // Every alternative of SECRET_KEY needs at least three characters ('pwd', 'sig').
  return key.length >= 3 && SECRET_KEY.test(key);
}

const AUTH_SCHEME = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]+\S/;

/** Keeps what a policy may judge (auth scheme, cookie names) and drops every secret byte. */
export function redactHeaderValue(name: string, value: string): string {
  if (name === 'authorization' || name === 'proxy-authorization') {
    const m = AUTH_SCHEME.exec(value);
    return m ? `${m[1]} ${REDACTED}` : REDACTED;
  }
  if (name === 'cookie') {
    const parts: string[] = [];
    for (const piece of value.split(';')) {
      const p = piece.trim();
      if (p === '') continue;
      const eq = p.indexOf('=');
      parts.push(eq > 0 ? `${p.slice(0, eq).trim()}=${REDACTED}` : REDACTED);
    }
    return parts.join('; ');
  }
  if (name === 'set-cookie') {
    const first = value.split(';', 1)[0] ?? '';
    const eq = first.indexOf('=');
    return eq > 0 ? `${first.slice(0, eq).trim()}=${REDACTED}` : REDACTED;
  }
  return REDACTED;
}
