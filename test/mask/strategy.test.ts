import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHmac } from 'node:crypto';
import { maskText, maskJson, createRowMasker } from '../../src/mask/index.ts';
import type { MaskStrategy } from '../../src/mask/index.ts';

const KEY = 'an-hmac-key-of-32-bytes-length!!';
const opts = { hashKeys: { default: KEY, other: new Uint8Array(32).fill(7) } };
const email = (strategy: MaskStrategy) => [{ target: { kind: 'detector', detector: 'email' }, strategy }];

test('redact: default and custom replacement', () => {
  assert.is(maskText('to a@b.io', email({ kind: 'redact' })).text, 'to [REDACTED:email]');
  assert.is(maskText('to a@b.io', email({ kind: 'redact', replacement: '<email>' })).text, 'to <email>');
  assert.equal(maskJson({ a: 1 }, [{ target: { kind: 'jsonpath', path: '$.a' }, strategy: { kind: 'redact' } }]).value, { a: '[REDACTED]' });
});

test('partial keeps the last characters, never more than half', () => {
  const card = [{ target: { kind: 'detector', detector: 'payment_card' }, strategy: { kind: 'partial', keepLast: 4 } }];
  assert.is(maskText('card 4111 1111 1111 1111.', card).text, 'card ***************1111.');
  assert.is(maskText('x ana@b.io', email({ kind: 'partial', keepLast: 64 })).text, 'x ****b.io');
  assert.is(maskText('x ana@b.io', email({ kind: 'partial', keepLast: 0 })).text, 'x ********');
  const j = maskJson({ n: 123456, s: 'ab', d: { x: 1 } }, [
    { target: { kind: 'jsonpath', path: '$.*' }, strategy: { kind: 'partial', keepLast: 2 } },
  ]).value;
  assert.equal(j, { n: '****56', s: '*b', d: '[REDACTED]' });
});

test('hash is keyed HMAC-SHA256, stable across rows, JSON and text, and key-dependent', () => {
  const want = createHmac('sha256', KEY).update('ana@example.com').digest('hex');
  const t = maskText('mail ana@example.com', email({ kind: 'hash' }), opts).text;
  assert.is(t, `mail ${want}`);
  const j = maskJson({ e: 'ana@example.com' }, [{ target: { kind: 'jsonpath', path: '$.e' }, strategy: { kind: 'hash' } }], opts).value;
  assert.equal(j, { e: want });
  const m = createRowMasker({ masks: [{ target: { kind: 'column', table: 't', column: 'e' }, strategy: { kind: 'hash' } }], lineage: [{ name: 'e', source: { table: 't', column: 'e' } }], columnNames: ['e'], ...opts });
  assert.equal(m(['ana@example.com']), [want]);
  // Numbers hash as their text, so "42" in one place joins 42 in another.
  const n = maskJson([42, '42'], [{ target: { kind: 'jsonpath', path: '$[*]' }, strategy: { kind: 'hash' } }], opts).value as string[];
  assert.is(n[0], n[1]);
  const other = maskText('mail ana@example.com', email({ kind: 'hash', key: 'other' }), opts).text;
  assert.is.not(other, t);
  assert.not.ok(t.includes(KEY));
});

test('null: null in rows and JSON, removal in text', () => {
  assert.is(maskText('to a@b.io!', email({ kind: 'null' })).text, 'to !');
  assert.equal(maskJson({ a: 'x' }, [{ target: { kind: 'jsonpath', path: '$.a' }, strategy: { kind: 'null' } }]).value, { a: null });
});

test.run();
