// io.jwt.decode_verify(token, constraints) → [valid, header, payload]. Constraints: exactly one
// of `cert` (PEM certificate / public key, JWK or JWK set) and `secret` (HMAC), plus optional
// `alg`, `iss`, `aud` and `time` (nanoseconds; default now). A token that fails a check gives
// [false, {}, {}]; malformed input (bad constraints, a token that does not decode, non-numeric
// exp / nbf) is an error, i.e. undefined. Nested tokens (`cty: JWT`) are verified at each level.
import { constants, createHmac, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import { parseKeys } from './jwt-verify.ts';
import { jwsAlgorithm } from './jwt-sign.ts';
import { isNumber, isObject, isString, type HostBuiltin } from './values.ts';

class DecodeError extends Error {}

interface Constraints { keys?: KeyObject[]; secret: string; alg: string; iss: string; aud: string; time: number }

function constraints(c: Record<string, unknown>): Constraints {
  const out: Constraints = { secret: '', alg: '', iss: '', aud: '', time: -1 };
  for (const [k, v] of Object.entries(c)) {
    switch (k) {
      case 'cert': {
        if (!isString(v)) throw new DecodeError('cert constraint: must be a string');
        const keys = parseKeys(v);
        if (keys === undefined) throw new DecodeError('cert constraint: no key');
        out.keys = keys;
        break;
      }
      case 'secret': case 'alg': case 'iss': case 'aud':
        if (!isString(v)) throw new DecodeError(`${k} constraint: must be a string`);
        out[k] = v;
        break;
      case 'time':
        if (!isNumber(v) || v < 0) throw new DecodeError('token time constraint: must be a non-negative number');
        out.time = v;
        break;
      default:
        throw new DecodeError(`unknown token validation constraint: ${k}`);
    }
  }
  const n = (out.keys !== undefined ? 1 : 0) + (out.secret !== '' ? 1 : 0);
  if (n !== 1) throw new DecodeError(n > 1 ? 'duplicate key constraints' : 'no key constraint');
  if (out.time === -1) out.time = Date.now() * 1e6;
  return out;
}

function b64url(part: string): Buffer {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(part)) throw new DecodeError('bad base64url');
  return Buffer.from(part.replace(/=+$/, ''), 'base64url');
}

function jsonObject(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text) as unknown;
  } catch {
    throw new DecodeError('invalid JSON');
  }
  if (!isObject(v)) throw new DecodeError('decoded JSON type was not an Object');
  return v;
}

const KNOWN_HEADERS = new Set(['alg', 'kid', 'typ', 'cty', 'crit']);

/** The header's validity (alg present, no unknown critical parameter); throws when malformed. */
function headerValid(h: Record<string, unknown>): boolean {
  for (const k of ['alg', 'kid', 'typ', 'cty']) if (k in h && !isString(h[k])) throw new DecodeError(`${k}: must be a string`);
  let crit = new Set<string>();
  if ('crit' in h) {
    if (!Array.isArray(h.crit)) throw new DecodeError('crit: must be a list');
    crit = new Set(h.crit.filter(isString));
    if (crit.size === 0) throw new DecodeError('crit: must be a nonempty list');
  }
  if (!isString(h.alg) || h.alg === '') return false;
  return !Object.keys(h).some((k) => !KNOWN_HEADERS.has(k) && crit.has(k));
}

const NOT_VERIFIED = Symbol('not verified');

/** True when the signature verifies; NOT_VERIFIED when it does not; throws for unusable setups. */
function checkSignature(c: Constraints, alg: string, input: string, sig: Buffer): true | typeof NOT_VERIFIED {
  const a = jwsAlgorithm(alg);
  if (a === undefined) throw new DecodeError(`unknown JWS algorithm: ${alg}`);
  const data = Buffer.from(input);
  if (c.keys !== undefined) {
    const ok = c.keys.some((key) => {
      const t = key.asymmetricKeyType;
      try {
        switch (a.family) {
          case 'rs': return t === 'rsa' && verify(a.hash, data, key, sig);
          case 'ps': return t === 'rsa' && verify(a.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sig);
          case 'es': return t === 'ec' && verify(a.hash, data, { key, dsaEncoding: 'ieee-p1363' }, sig);
          case 'eddsa': return (t === 'ed25519' || t === 'ed448') && verify(null, data, key, sig);
          default: return false; // an HMAC algorithm cannot use a public key
        }
      } catch {
        return false;
      }
    });
    return ok ? true : NOT_VERIFIED;
  }
  if (a.family !== 'hs') throw new DecodeError('incorrect public key type');
  const mac = createHmac(a.hash!, c.secret).update(data).digest();
  return mac.length === sig.length && timingSafeEqual(mac, sig) ? true : NOT_VERIFIED;
}

const UNVERIFIED = (): unknown[] => [false, {}, {}];

function decodeVerify(token: unknown, cons: unknown): unknown {
  if (!isObject(cons)) throw new DecodeError('constraints must be an object');
  const c = constraints(cons);
  let text = token;
  let header: Record<string, unknown>;
  let payloadText: string;
  for (let depth = 0; ; depth++) {
    if (!isString(text) || depth > 16) throw new DecodeError('token must be a string');
    const parts = text.split('.');
    if (parts.length !== 3) throw new DecodeError('encoded JWT must have 3 sections');
    const [h, p, s] = parts as [string, string, string];
    header = jsonObject(b64url(h).toString('utf8'));
    if ('enc' in header) throw new DecodeError('JWT is a JWE object, which is not supported');
    if (!headerValid(header)) return UNVERIFIED();
    if (c.alg !== '' && c.alg !== header.alg) return UNVERIFIED();
    const sig = b64url(s);
    if (checkSignature(c, header.alg as string, `${h}.${p}`, sig) === NOT_VERIFIED) return UNVERIFIED();
    payloadText = b64url(p).toString('utf8');
    if (isString(header.cty) && header.cty.toUpperCase() === 'JWT') {
      text = payloadText;
      continue;
    }
    break;
  }
  const payload = jsonObject(payloadText);
  if (c.iss !== '' && payload.iss !== c.iss) return UNVERIFIED();
  if ('aud' in payload) {
    const aud = payload.aud;
    const ok = isString(aud) ? aud === c.aud : Array.isArray(aud) && aud.some((x) => x === c.aud);
    if (!ok) return UNVERIFIED();
  } else if (c.aud !== '') return UNVERIFIED();
  const now = c.time / 1e9;
  if ('exp' in payload) {
    if (!isNumber(payload.exp)) throw new DecodeError('exp value must be a number');
    if (now >= payload.exp) return UNVERIFIED();
  }
  if ('nbf' in payload) {
    if (!isNumber(payload.nbf)) throw new DecodeError('nbf value must be a number');
    if (now < payload.nbf) return UNVERIFIED();
  }
  return [true, header, payload];
}

export const jwtDecodeVerifyBuiltins: Record<string, HostBuiltin> = {
  'io.jwt.decode_verify': decodeVerify,
};
