import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { maskJson, createJsonMasker, MaskError } from '../../src/mask/index.ts';

const KEYS = { hashKeys: { default: 'k'.repeat(32) } };
const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) { Object.values(v).forEach(deepFreeze); Object.freeze(v); }
  return v;
};

test('jsonpath targets mask selected nodes, copy-on-write, input untouched', () => {
  const input = deepFreeze({ user: { name: 'Ana', email: 'ana@example.com', card: '4111111111111111' }, items: [{ id: 1 }, { id: 2 }], meta: { page: 1 } });
  const before = JSON.stringify(input);
  const r = maskJson(input, [
    { target: { kind: 'jsonpath', path: '$.user.email' }, strategy: { kind: 'redact' } },
    { target: { kind: 'jsonpath', path: '$.items[*].id' }, strategy: { kind: 'null' } },
  ]);
  assert.is(JSON.stringify(input), before);
  assert.equal(r.value, { user: { name: 'Ana', email: '[REDACTED]', card: '4111111111111111' }, items: [{ id: null }, { id: null }], meta: { page: 1 } });
  const out = r.value as typeof input;
  assert.ok(out.meta === input.meta, 'untouched subtrees are shared');
  assert.ok(out.user !== input.user);
  assert.equal(r.report.counts, { 'jsonpath:$.user.email': 1, 'jsonpath:$.items[*].id': 2 });
});

test('recursive descent and filters; a subtree masked whole', () => {
  const input = { a: { secret: { x: 1 } }, b: [{ role: 'admin', token: 't1' }, { role: 'user', token: 't2' }] };
  const r = maskJson(input, [
    { target: { kind: 'jsonpath', path: '$..secret' }, strategy: { kind: 'redact', replacement: '***' } },
    { target: { kind: 'jsonpath', path: "$.b[?(@.role==='admin')].token" }, strategy: { kind: 'partial', keepLast: 1 } },
  ]);
  assert.equal(r.value, { a: { secret: '***' }, b: [{ role: 'admin', token: '*1' }, { role: 'user', token: 't2' }] });
});

test('the root can be masked; a path that matches nothing changes nothing', () => {
  assert.equal(maskJson({ a: 1 }, [{ target: { kind: 'jsonpath', path: '$' }, strategy: { kind: 'redact' } }]).value, '[REDACTED]');
  const input = { a: 1 };
  assert.ok(maskJson(input, [{ target: { kind: 'jsonpath', path: '$.zzz' }, strategy: { kind: 'redact' } }]).value === input);
});

test('detectors run over string leaves (not keys), strictest strategy wins on overlap', () => {
  const input = { note: 'call me at ana@example.com', n: 4111111111111111, list: ['AKIAIOSFODNN7EXAMPLE', 7], 'x@y.io': true };
  const r = maskJson(input, [
    { target: { kind: 'detector', detector: 'all' }, strategy: { kind: 'redact' } },
    { target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'partial', keepLast: 4 } },
  ]);
  assert.equal(r.value, { note: 'call me at [REDACTED:email]', n: 4111111111111111, list: ['[REDACTED:aws_access_key]', 7], 'x@y.io': true });
});

test('jsonpath hash uses the original value, even where a detector would also fire', () => {
  const m = createJsonMasker([
    { target: { kind: 'jsonpath', path: '$.email' }, strategy: { kind: 'hash' } },
    { target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } },
  ], KEYS);
  const a = m.mask({ email: 'ana@example.com', other: 'ana@example.com' }).value as Record<string, string>;
  const b = m.mask({ email: 'ana@example.com' }).value as Record<string, string>;
  assert.match(a['email'] as string, /^[0-9a-f]{64}$/);
  assert.is(a['email'], b['email']);
  assert.is(a['other'], '[REDACTED:email]');
});

test('a "__proto__" key stays an own property and nothing is polluted', () => {
  const input = JSON.parse('{"__proto__": {"polluted": "ana@example.com"}, "a": "b@c.io"}') as object;
  const r = maskJson(input, [{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } }]);
  assert.is(JSON.stringify(r.value), '{"__proto__":{"polluted":"[REDACTED:email]"},"a":"[REDACTED:email]"}');
  assert.is(({} as Record<string, unknown>)['polluted'], undefined);
});

test('too deep JSON fails closed; column targets are reported inapplicable', () => {
  let deep: unknown = 'x@y.io';
  for (let i = 0; i < 1500; i++) deep = [deep];
  try {
    maskJson(deep, [{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } }]);
    assert.unreachable('deep JSON accepted');
  } catch (e) {
    assert.is((e as MaskError).code, 'too_deep');
  }
  const r = maskJson({ ssn: '1' }, [{ target: { kind: 'column', table: 'people', column: 'ssn' }, strategy: { kind: 'redact' } }]);
  assert.equal(r.value, { ssn: '1' });
  assert.equal(r.report.inapplicable, ['column:people.ssn']);
});

test.run();
