// io.jwt.encode_sign / encode_sign_raw / decode_verify: signing with JWKs, verification with
// secrets, PEM keys and JWK sets, claim checks, and errors versus plain non-verification.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';

const call = (name: string, ...args: unknown[]): unknown => hostBuiltins[name]!(...args);
const OCT = { kty: 'oct', k: Buffer.from('secret').toString('base64url') };
const UNVERIFIED = [false, {}, {}];

test('encode_sign: RFC 7515 A.1 (HS256) is reproduced exactly', () => {
  const key = { kty: 'oct', k: 'AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow' };
  const raw = call('io.jwt.encode_sign_raw', '{"typ":"JWT",\r\n "alg":"HS256"}', '{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}', JSON.stringify(key));
  assert.is(raw, 'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
  // encode_sign serializes objects compactly with sorted keys.
  const t = call('io.jwt.encode_sign', { typ: 'JWT', alg: 'HS256' }, {}, key) as string;
  assert.is(t.split('.')[0], Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'));
  assert.is(t.split('.')[1], 'e30');
});

test('encode_sign: header, payload and key errors are undefined', () => {
  const k = JSON.stringify(OCT);
  assert.is(call('io.jwt.encode_sign_raw', '{}', '{}', k), undefined);
  assert.is(call('io.jwt.encode_sign_raw', '', '{}', k), undefined);
  assert.is(call('io.jwt.encode_sign_raw', '{"alg":"dummy"}', '{}', k), undefined);
  assert.is(call('io.jwt.encode_sign_raw', '{"typ":"JWT","alg":"HS256"}', 'not json', k), undefined);
  assert.type(call('io.jwt.encode_sign_raw', '{"typ":"text/plain","alg":"HS256"}', 'not json', k), 'string');
  // The key type must fit the algorithm.
  assert.is(call('io.jwt.encode_sign_raw', '{"alg":"RS256"}', '{}', k), undefined);
  assert.is(call('io.jwt.encode_sign', { alg: 'HS256' }, {}, { kty: 'nope' }), undefined);
});

test('round trips: every algorithm family signs and verifies', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ed = generateKeyPairSync('ed25519');
  const pairs: Array<[string, unknown, string]> = [
    ['RS256', rsa.privateKey.export({ format: 'jwk' }), rsa.publicKey.export({ format: 'pem', type: 'spki' }).toString()],
    ['PS384', rsa.privateKey.export({ format: 'jwk' }), JSON.stringify(rsa.publicKey.export({ format: 'jwk' }))],
    ['ES256', ec.privateKey.export({ format: 'jwk' }), ec.publicKey.export({ format: 'pem', type: 'spki' }).toString()],
    ['EdDSA', ed.privateKey.export({ format: 'jwk' }), JSON.stringify({ keys: [rsa.publicKey.export({ format: 'jwk' }), ed.publicKey.export({ format: 'jwk' })] })],
  ];
  for (const [alg, priv, pub] of pairs) {
    const token = call('io.jwt.encode_sign', { alg }, { iss: 'me' }, priv) as string;
    assert.type(token, 'string', alg);
    assert.equal(call('io.jwt.decode_verify', token, { cert: pub }), [true, { alg }, { iss: 'me' }], alg);
    assert.equal(call('io.jwt.decode_verify', token, { cert: pub, alg: 'HS256' }), UNVERIFIED, alg);
  }
  // A public key of the wrong type does not verify.
  const t = call('io.jwt.encode_sign', { alg: 'RS256' }, {}, rsa.privateKey.export({ format: 'jwk' })) as string;
  assert.equal(call('io.jwt.decode_verify', t, { cert: ec.publicKey.export({ format: 'pem', type: 'spki' }).toString() }), UNVERIFIED);
});

test('decode_verify: claims against constraints', () => {
  const sign = (payload: Record<string, unknown>): string => call('io.jwt.encode_sign', { alg: 'HS256', typ: 'JWT' }, payload, OCT) as string;
  const ok = (token: string, c: Record<string, unknown>): boolean => (call('io.jwt.decode_verify', token, { secret: 'secret', ...c }) as unknown[])[0] === true;
  assert.ok(ok(sign({ iss: 'a' }), { iss: 'a' }));
  assert.not.ok(ok(sign({ iss: 'a' }), { iss: 'b' }));
  assert.not.ok(ok(sign({}), { iss: 'a' }));
  assert.ok(ok(sign({ aud: ['x', 'y'] }), { aud: 'y' }));
  assert.not.ok(ok(sign({ aud: 'x' }), {}));
  assert.not.ok(ok(sign({}), { aud: 'x' }));
  // exp / nbf are seconds, the time constraint nanoseconds; fractions count.
  assert.ok(ok(sign({ exp: 1000.5 }), { time: 1000.4e9 }));
  assert.not.ok(ok(sign({ exp: 1000.5 }), { time: 1000.5e9 }));
  assert.ok(ok(sign({ nbf: 1000.5 }), { time: 1000.5e9 }));
  assert.not.ok(ok(sign({ nbf: 1000.5 }), { time: 1000.4e9 }));
  assert.not.ok(ok(sign({}), { secret: 'wrong' }));
  // Malformed claims and constraints are errors, not false.
  assert.is(call('io.jwt.decode_verify', sign({ exp: 'soon' }), { secret: 'secret' }), undefined);
  assert.is(call('io.jwt.decode_verify', sign({ nbf: null }), { secret: 'secret' }), undefined);
  assert.is(call('io.jwt.decode_verify', sign({}), { secret: 'secret', cert: 'x' }), undefined);
  assert.is(call('io.jwt.decode_verify', sign({}), {}), undefined);
  assert.is(call('io.jwt.decode_verify', sign({}), { secret: 'secret', bogus: 1 }), undefined);
  assert.is(call('io.jwt.decode_verify', 'a.b', { secret: 'secret' }), undefined);
});

test('decode_verify: header rules and nested tokens', () => {
  const raw = (h: string, p: string): string => call('io.jwt.encode_sign_raw', h, p, JSON.stringify(OCT)) as string;
  // An unknown critical header parameter makes the token invalid.
  assert.equal(call('io.jwt.decode_verify', raw('{"alg":"HS256","crit":["junk"],"junk":1}', '{}'), { secret: 'secret' }), UNVERIFIED);
  assert.equal((call('io.jwt.decode_verify', raw('{"alg":"HS256","crit":["kid"],"kid":"k"}', '{}'), { secret: 'secret' }) as unknown[])[0], true);
  const inner = raw('{"alg":"HS256"}', '{"sub":"x"}');
  // The outer payload is the inner token, not JSON, so the outer header must not say typ JWT.
  const outer = raw('{"alg":"HS256","typ":"JOSE","cty":"JWT"}', inner);
  assert.equal(call('io.jwt.decode_verify', outer, { secret: 'secret' }), [true, { alg: 'HS256' }, { sub: 'x' }]);
});

test.run();
