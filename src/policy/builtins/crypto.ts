// crypto.* digests and HMACs over the UTF-8 bytes of strings, hex encoded as OPA returns them.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { isString, type HostBuiltin } from './values.ts';

const digest = (alg: string): HostBuiltin => (x) =>
  isString(x) ? createHash(alg).update(x, 'utf8').digest('hex') : undefined;

const hmac = (alg: string): HostBuiltin => (x, key) =>
  isString(x) && isString(key) ? createHmac(alg, key).update(x, 'utf8').digest('hex') : undefined;

/** Constant-time comparison, so that MAC checks in policies do not leak timing. */
const hmacEqual: HostBuiltin = (a, b) => {
  if (!isString(a) || !isString(b)) return undefined;
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
};

export const cryptoBuiltins: Record<string, HostBuiltin> = {
  'crypto.sha256': digest('sha256'),
  'crypto.sha1': digest('sha1'),
  'crypto.md5': digest('md5'),
  'crypto.hmac.sha256': hmac('sha256'),
  'crypto.hmac.sha1': hmac('sha1'),
  'crypto.hmac.sha512': hmac('sha512'),
  'crypto.hmac.md5': hmac('md5'),
  'crypto.hmac.equal': hmacEqual,
};
