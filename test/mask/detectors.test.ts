import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskText, DETECTOR_NAMES } from '../../src/mask/index.ts';
import { luhn } from '../../src/mask/detectors/card.ts';
import { ibanChecksumOk } from '../../src/mask/detectors/iban.ts';
import { POSITIVES, NEAR_MISSES, BEARERS, JWT_HS256 } from './secrets.ts';

const ALL = [{ target: { kind: 'detector', detector: 'all' }, strategy: { kind: 'redact' } }];

test('every detector masks its true positives whole, in context', () => {
  for (const [det, secret] of POSITIVES) {
    for (const [pre, post] of [['', ''], ['value: ', ' end'], ['(', ')'], ['"', '",'], ['\n', '\n']] as const) {
      const r = maskText(`${pre}${secret}${post}`, [{ target: { kind: 'detector', detector: det }, strategy: { kind: 'redact' } }]);
      assert.is(r.text, `${pre}[REDACTED:${det}]${post}`, `${det}: ${JSON.stringify(pre + secret + post)}`);
      assert.equal(r.report.counts, { [`detector:${det}`]: 1 });
    }
  }
});

test('near misses are left alone by every detector', () => {
  for (const s of NEAR_MISSES) {
    for (const ctx of [s, `x ${s} y`]) {
      const r = maskText(ctx, ALL);
      assert.is(r.text, ctx, `masked a near miss: ${JSON.stringify(ctx)} -> ${JSON.stringify(r.text)}`);
      assert.equal(r.report.counts, {});
    }
  }
});

test('bearer tokens: the scheme word stays, the token is masked', () => {
  for (const [pre, tok] of BEARERS) {
    const r = maskText(`${pre}${tok}"\n`, ALL);
    assert.is(r.text, `${pre}[REDACTED:bearer_token]"\n`);
  }
  // A JWT after Bearer counts once, as the more specific jwt.
  const r = maskText(`Authorization: Bearer ${JWT_HS256}`, ALL);
  assert.is(r.text, 'Authorization: Bearer [REDACTED:jwt]');
  assert.equal(r.report.counts, { 'detector:jwt': 1 });
});

test('a truncated private key block is masked to its end; JSON-escaped blocks too', () => {
  const t = 'key:\n-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7';
  assert.is(maskText(t, ALL).text, 'key:\n[REDACTED:private_key]');
  const j = '{"key":"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq\\n-----END PRIVATE KEY-----\\n"}';
  assert.is(maskText(j, ALL).text, '{"key":"[REDACTED:private_key]\\n"}');
});

test('several secrets on one line, each counted', () => {
  const line = 'a@b.io 4111111111111111 123-45-6789 AKIAIOSFODNN7EXAMPLE GB82WEST12345698765432 c@d.org';
  const r = maskText(line, ALL);
  assert.is(r.text, '[REDACTED:email] [REDACTED:payment_card] [REDACTED:us_ssn] [REDACTED:aws_access_key] [REDACTED:iban] [REDACTED:email]');
  assert.equal(r.report.counts, {
    'detector:email': 2, 'detector:payment_card': 1, 'detector:us_ssn': 1, 'detector:aws_access_key': 1, 'detector:iban': 1,
  });
});

test('only the requested detectors run', () => {
  const r = maskText('a@b.io 4111111111111111', [{ target: { kind: 'detector', detector: 'payment_card' }, strategy: { kind: 'redact', replacement: '#' } }]);
  assert.is(r.text, 'a@b.io #');
});

test('checksums', () => {
  assert.ok(luhn('79927398713'));
  assert.not.ok(luhn('79927398710'));
  assert.ok(ibanChecksumOk('GB82WEST12345698765432'));
  assert.not.ok(ibanChecksumOk('GB83WEST12345698765432'));
  assert.is(DETECTOR_NAMES.length, 8);
});

test.run();
