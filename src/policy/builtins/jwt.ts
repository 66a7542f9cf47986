// io.jwt.decode: splits a compact JWS into [header, payload, signature as hex] without
// verifying it. Nested tokens (`cty: JWT`) are decoded once more, as OPA does.
import { isObject, isString, type HostBuiltin } from './values.ts';

function b64urlJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(part)) return undefined;
  const text = Buffer.from(part.replace(/=+$/, ''), 'base64url').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function decodeJwt(token: string, depth: number): unknown {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [h, p, sig] = parts as [string, string, string];
  const header = b64urlJson(h);
  if (!isObject(header) || header.enc !== undefined) return undefined;
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(sig)) return undefined;
  if (header.cty === 'JWT' && depth < 4) {
    // The payload of a nested token is the inner token, as a JSON string or as bare text.
    const text = Buffer.from(p, 'base64url').toString('utf8');
    let inner: unknown = text;
    try {
      inner = JSON.parse(text) as unknown;
    } catch {
      inner = text;
    }
    return isString(inner) ? decodeJwt(inner, depth + 1) : undefined;
  }
  const payload = b64urlJson(p);
  if (!isObject(payload)) return undefined;
  return [header, payload, Buffer.from(sig.replace(/=+$/, ''), 'base64url').toString('hex')];
}

export const jwtBuiltins: Record<string, HostBuiltin> = {
  'io.jwt.decode': (token) => (isString(token) ? decodeJwt(token, 0) : undefined),
};
