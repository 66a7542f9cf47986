// io.jwt.verify_{hs,rs,ps,es}{256,384,512}(token, key): signature checks only (no claims).
// HS keys are the shared secret; the others take a PEM certificate or public key, a JWK, or a
// JWK set (true when any key verifies). A token that is not three sections, or a key that does
// not parse, is an error (undefined); a signature that does not verify is false.
import { X509Certificate, constants, createHmac, createPublicKey, timingSafeEqual, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isObject, isString, type HostBuiltin } from './values.ts';

interface Token { signingInput: string; signature: Buffer }

function splitToken(token: string): Token | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  return { signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2]!, 'base64url') };
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/;

/** Public keys from a PEM block, a JWK or a JWK set; undefined when the text does not parse. */
export function parseKeys(text: string): KeyObject[] | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) {
    const m = PEM_BLOCK.exec(trimmed);
    if (m === null || trimmed.slice(m.index + m[0].length).trim() !== '') return undefined;
    try {
      return [m[1] === 'CERTIFICATE' ? new X509Certificate(m[0]).publicKey : createPublicKey(m[0])];
    } catch {
      return undefined;
    }
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
  if (!isObject(jwk)) return undefined;
  const list = Array.isArray(jwk.keys) ? (jwk.keys as unknown[]) : [jwk];
  const keys: KeyObject[] = [];
  for (const k of list) {
    if (!isObject(k)) return undefined;
    try {
      keys.push(createPublicKey({ key: k as JsonWebKey, format: 'jwk' }));
    } catch {
      return undefined;
    }
  }
  return keys.length > 0 ? keys : undefined;
}

type Family = 'rs' | 'ps' | 'es';

function asymmetric(family: Family, bits: 256 | 384 | 512): HostBuiltin {
  const hash = `sha${bits}`;
  return (token, keyText) => {
    if (!isString(token) || !isString(keyText)) return undefined;
    const t = splitToken(token);
    const keys = parseKeys(keyText);
    if (t === undefined || keys === undefined) return undefined;
    const data = Buffer.from(t.signingInput);
    return keys.some((key) => {
      try {
        if (family === 'rs') return verify(hash, data, key, t.signature);
        if (family === 'ps') {
          return verify(hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, t.signature);
        }
        return verify(hash, data, { key, dsaEncoding: 'ieee-p1363' }, t.signature);
      } catch {
        return false;
      }
    });
  };
}

function hmac(bits: 256 | 384 | 512): HostBuiltin {
  return (token, secret) => {
    if (!isString(token) || !isString(secret)) return undefined;
    const t = splitToken(token);
    if (t === undefined) return undefined;
    const mac = createHmac(`sha${bits}`, secret).update(t.signingInput).digest();
    return mac.length === t.signature.length && timingSafeEqual(mac, t.signature);
  };
}

export const jwtVerifyBuiltins: Record<string, HostBuiltin> = {
  'io.jwt.verify_hs256': hmac(256),
  'io.jwt.verify_hs384': hmac(384),
  'io.jwt.verify_hs512': hmac(512),
  'io.jwt.verify_rs256': asymmetric('rs', 256),
  'io.jwt.verify_rs384': asymmetric('rs', 384),
  'io.jwt.verify_rs512': asymmetric('rs', 512),
  'io.jwt.verify_ps256': asymmetric('ps', 256),
  'io.jwt.verify_ps384': asymmetric('ps', 384),
  'io.jwt.verify_ps512': asymmetric('ps', 512),
  'io.jwt.verify_es256': asymmetric('es', 256),
  'io.jwt.verify_es384': asymmetric('es', 384),
  'io.jwt.verify_es512': asymmetric('es', 512),
};
