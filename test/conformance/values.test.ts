import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { asValue, compareValues, hasUnsafeInteger, parseJson, toJson, valuesEqual } from '../../src/conformance/values.ts';

test('parseJson keeps integers past 2^53 exact', () => {
  const v = parseJson('{"a": 18446744073709551614, "b": [1.5, -0, 2e3], "c": "x\\u0041"}');
  assert.equal(v, { a: 18446744073709551614n, b: [1.5, 0n, 2000], c: 'xA' });
  assert.is(toJson(v), '{"a":18446744073709551614,"b":[1.5,0,2000],"c":"xA"}');
});

test('parseJson rejects bad text', () => {
  for (const bad of ['', '{', '[1,]', '{"a" 1}', '01', 'tru', '"abc', '[1] x']) {
    assert.throws(() => parseJson(bad), undefined, bad);
  }
});

test('numbers compare by value across bigint and number', () => {
  assert.ok(valuesEqual(3n, 3));
  assert.ok(valuesEqual(3, 3.0));
  assert.not.ok(valuesEqual(3n, 3.5));
  assert.is(compareValues(3n, 3.5), -1);
  assert.is(compareValues(4n, 3.5), 1);
  assert.is(compareValues(-4n, -3.5), -1);
  assert.not.ok(valuesEqual(9007199254740993n, 9007199254740992));
  assert.ok(valuesEqual({ a: [1n, { b: null }] }, { a: [1, { b: null }] }));
});

test('Rego order: null < boolean < number < string < array < object', () => {
  const vs = [{ a: 1n }, [1n], 'a', 2n, true, false, null];
  assert.equal([...vs].sort(compareValues), [null, false, true, 2n, 'a', [1n], { a: 1n }]);
  assert.is(compareValues([1n, 2n], [1n]), 1);
  assert.is(compareValues({ a: 1n }, { b: 0n }), -1);
  assert.is(compareValues({ a: 1n }, { a: 1n, b: 0n }), -1);
  assert.ok(valuesEqual({ a: 1n, b: 2n }, { b: 2n, a: 1n }));
});

test('asValue normalizes and rejects non-JSON', () => {
  assert.equal(asValue({ x: [1, 2.5] }), { x: [1n, 2.5] });
  assert.throws(() => asValue(undefined));
  assert.throws(() => asValue(new Date()));
  assert.throws(() => asValue(Number.NaN));
});

test('hasUnsafeInteger', () => {
  assert.ok(hasUnsafeInteger([{ x: 2n ** 60n }]));
  assert.not.ok(hasUnsafeInteger([{ x: 2n ** 50n, y: 1e300 }]));
});

test.run();
