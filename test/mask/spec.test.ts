import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { masksSchema, validateMasks, createTextMasker, createRowMasker, maskJson, MaskError } from '../../src/mask/index.ts';

const redact = { kind: 'redact' };
function fails(masks: unknown, code: string, position?: string, opts?: object): void {
  try {
    createTextMasker(masks, opts);
    assert.unreachable(`accepted ${JSON.stringify(masks)}`);
  } catch (e) {
    assert.instance(e, MaskError);
    assert.is((e as MaskError).code, code, (e as Error).message);
    if (position !== undefined) assert.is((e as MaskError).position, position);
  }
}

test('valid specs pass, and the exported schema agrees', () => {
  const masks = [
    { target: { kind: 'column', table: 'public.people', column: 'ssn' }, strategy: { kind: 'partial', keepLast: 4 } },
    { target: { kind: 'jsonpath', path: '$..email' }, strategy: { kind: 'redact', replacement: 'x' } },
    { target: { kind: 'detector', detector: 'all' }, strategy: { kind: 'hash', key: 'k1' } },
    { target: { kind: 'detector', detector: 'iban' }, strategy: { kind: 'null' } },
  ];
  assert.is(validateMasks(masks).length, 4);
  const v = new Ajv({ strict: true }).compile(masksSchema);
  assert.ok(v(masks));
  assert.not.ok(v([{ target: { kind: 'detector', detector: 'phone' }, strategy: redact }]));
});

test('unknown target or strategy kinds fail at construction with a position', () => {
  fails([{ target: { kind: 'regex', pattern: 'x' }, strategy: redact }], 'unknown_target', '/0/target');
  fails([{ target: { kind: 'detector', detector: 'phone' }, strategy: redact }], 'unknown_target', '/0/target/detector');
  fails([{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'shuffle' } }], 'unknown_strategy', '/0/strategy');
  fails([{ target: { kind: 'detector', detector: 'email' } }], 'unknown_strategy');
  fails({}, 'invalid_masks');
  fails([null], 'invalid_mask', '/0');
});

test('malformed or misspelt options are errors, not ignored', () => {
  fails([{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'partial', keeplast: 4 } }], 'invalid_mask');
  fails([{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'partial', keepLast: -1 } }], 'invalid_mask');
  fails([{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'partial', keepLast: 2.5 } }], 'invalid_mask');
  fails([{ target: { kind: 'column', table: 'people', column: 'ssn', schema: 'x' }, strategy: redact }], 'invalid_mask');
  fails([{ target: { kind: 'column', table: 'people"', column: 'ssn' }, strategy: redact }], 'invalid_table', '/0/target/table');
  fails([{ target: { kind: 'column', table: 'a.b.c.d', column: 'ssn' }, strategy: redact }], 'invalid_table');
  fails([{ target: { kind: 'jsonpath', path: 'user.email' }, strategy: redact }], 'invalid_mask');
  fails([{ target: { kind: 'jsonpath', path: '$.a[' }, strategy: redact }], 'invalid_jsonpath', '/0/target/path');
  fails([{ target: { kind: 'jsonpath', path: '$.a~' }, strategy: redact }], 'invalid_jsonpath');
});

test('hash keys: named key must be supplied and long enough; key material never in errors', () => {
  const hash = [{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'hash', key: 'k1' } }];
  fails(hash, 'unknown_hash_key', '/0/strategy/key');
  fails(hash, 'weak_hash_key', undefined, { hashKeys: { k1: 'short-secret' } });
  try {
    createTextMasker(hash, { hashKeys: { k1: 'short-secret' } });
  } catch (e) {
    assert.not.ok((e as Error).message.includes('short-secret'));
  }
  const m = createTextMasker(hash, { hashKeys: { k1: 'a-long-enough-secret-key' } });
  assert.not.ok(JSON.stringify(m).includes('a-long-enough-secret-key'));
  assert.not.ok(JSON.stringify(m.report()).includes('a-long-enough-secret-key'));
});

test('every masker validates (rows and JSON too)', () => {
  const bad = [{ target: { kind: 'nope' }, strategy: redact }];
  assert.throws(() => createRowMasker({ masks: bad, lineage: [], columnNames: [] }), (e: unknown) => (e as MaskError).code === 'unknown_target');
  assert.throws(() => maskJson({}, bad), (e: unknown) => (e as MaskError).code === 'unknown_target');
});

test.run();
