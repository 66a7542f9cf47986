// io.jwt.encode_sign(headers, payload, jwk) and io.jwt.encode_sign_raw(headers, payload, jwk):
// compact JWS signing with a JWK (or the first key of a JWK set). encode_sign serializes its
// objects as compact JSON with sorted keys; encode_sign_raw signs the given texts verbatim. The
// header must name a supported `alg` that fits the key type; with `typ` absent or "JWT" the
// payload must be JSON. ECDSA and RSA-PSS signatures are randomized, as in OPA.
import { constants, createHmac, createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import { isObject, isString, type HostBuiltin } from './values.ts';

export type JwsFamily = 'hs' | 'rs' | 'ps' | 'es' | 'eddsa';

/** The family and hash of a JWS `alg`, or undefined when it is not supported. */
export function jwsAlgorithm(alg: string): { family: JwsFamily; hash: string | null } | undefined {
  if (alg === 'EdDSA') return { family: 'eddsa', hash: null };
  const m = /^(HS|RS|PS|ES)(256|384|512)$/.exec(alg);
  if (m === null) return undefined;
  return { family: m[1]!.toLowerCase() as JwsFamily, hash: `sha${m[2]!}` };
}

/** Canonical JSON: sorted keys, no spaces. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

type SigningKey = { kind: 'oct'; secret: Buffer } | { kind: 'asym'; key: KeyObject };

function signingKey(jwkText: string): SigningKey {
  const parsed = JSON.parse(jwkText) as unknown;
  if (!isObject(parsed)) throw new Error('JWK must be an object');
  const jwk = Array.isArray(parsed.keys) ? (parsed.keys as unknown[])[0] : parsed;
  if (!isObject(jwk) || !isString(jwk.kty)) throw new Error('JWK without kty');
  if (jwk.kty === 'oct') {
    if (!isString(jwk.k)) throw new Error('oct JWK without k');
    return { kind: 'oct', secret: Buffer.from(jwk.k, 'base64url') };
  }
  return { kind: 'asym', key: createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' }) };
}

function fits(family: JwsFamily, key: SigningKey): boolean {
  if (family === 'hs') return key.kind === 'oct';
  if (key.kind !== 'asym') return false;
  const t = key.key.asymmetricKeyType;
  if (family === 'rs' || family === 'ps') return t === 'rsa';
  if (family === 'es') return t === 'ec';
  return t === 'ed25519' || t === 'ed448';
}

function signature(alg: string, data: Buffer, key: SigningKey): Buffer {
  const a = jwsAlgorithm(alg);
  if (a === undefined) throw new Error(`unknown JWS algorithm: ${alg}`);
  if (!fits(a.family, key)) throw new Error('key does not fit the algorithm');
  if (key.kind === 'oct') return createHmac(a.hash!, key.secret).update(data).digest();
  switch (a.family) {
    case 'rs': return sign(a.hash, data, key.key);
    case 'ps': return sign(a.hash, data, { key: key.key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
    case 'es': return sign(a.hash, data, { key: key.key, dsaEncoding: 'ieee-p1363' });
    default: return sign(null, data, key.key);
  }
}

/** Signs header and payload texts; throws on any error. */
export function encodeSign(headerText: string, payloadText: string, jwkText: string): string {
  const key = signingKey(jwkText);
  const header = JSON.parse(headerText) as unknown;
  if (!isObject(header) || !isString(header.alg)) throw new Error("missing or invalid 'alg' header");
  const typ = header.typ;
  if (typ === undefined || typ === 'JWT') {
    try {
      JSON.parse(payloadText);
    } catch {
      throw new Error('type is JWT but payload is not JSON');
    }
  }
  const input = `${Buffer.from(headerText).toString('base64url')}.${Buffer.from(payloadText).toString('base64url')}`;
  return `${input}.${signature(header.alg, Buffer.from(input), key).toString('base64url')}`;
}

export const jwtSignBuiltins: Record<string, HostBuiltin> = {
  'io.jwt.encode_sign': (h, p, k) => {
    if (!isObject(h) || !isObject(p) || !isObject(k)) return undefined;
    return encodeSign(canonicalJson(h), canonicalJson(p), canonicalJson(k));
  },
  'io.jwt.encode_sign_raw': (h, p, k) => {
    if (!isString(h) || !isString(p) || !isString(k)) return undefined;
    return encodeSign(h, p, k);
  },
};
