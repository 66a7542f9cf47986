// JSON and Rego-value text through the runtime: parse, dump, round trips, rejection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRuntime, type Runtime } from './runtime-harness.ts';

let rt: Runtime;
test.before(async () => {
  rt = await loadRuntime();
});

const roundTrip = (json: string): string => {
  const v = rt.parse(json);
  assert.ok(v !== 0, `parse failed: ${json}`);
  return rt.dump(v);
};

test('scalars and containers round-trip with sorted object keys', () => {
  assert.is(roundTrip('null'), 'null');
  assert.is(roundTrip('true'), 'true');
  assert.is(roundTrip(' false '), 'false');
  assert.is(roundTrip('0'), '0');
  assert.is(roundTrip('-17'), '-17');
  assert.is(roundTrip('[]'), '[]');
  assert.is(roundTrip('{}'), '{}');
  assert.is(roundTrip('{"b":1,"a":[1,{"z":null,"y":[]}],"c":"x"}'), '{"a":[1,{"y":[],"z":null}],"b":1,"c":"x"}');
  assert.is(roundTrip('\n\t{ "a" : [ 1 , 2 ] }\r\n'), '{"a":[1,2]}');
});

test('duplicate object keys: the last one wins', () => {
  assert.is(roundTrip('{"a":1,"a":2}'), '{"a":2}');
});

test('numbers keep their literal text; big integers are exact', () => {
  for (const n of ['12345678901234567890123', '-98765432109876543210987654321', '3.0', '2.50', '1e3', '1E+30', '-0.5e-3', '0.1', '9223372036854775807', '-9223372036854775808', '123456789012345678', '-0', '-0.0']) {
    assert.is(roundTrip(n), n);
  }
  assert.is(roundTrip('[1.5,100000000000000000000000000001]'), '[1.5,100000000000000000000000000001]');
});

test('strings: escapes, unicode, surrogate pairs', () => {
  assert.is(roundTrip('"a\\"b\\\\c\\/d"'), '"a\\"b\\\\c/d"');
  assert.is(roundTrip('"\\n\\r\\t\\b\\f\\u0001\\u001f"'), '"\\n\\r\\t\\b\\f\\u0001\\u001f"');
  assert.is(roundTrip('"\\u00e9\\u4e2d\\ud83d\\ude00"'), '"é中😀"');
  assert.is(roundTrip('"é中😀 raw"'), '"é中😀 raw"');
  assert.is(roundTrip('"\\ud800x"'), '"\uFFFDx"', 'lone high surrogate becomes U+FFFD');
  assert.is(roundTrip('"\\udc00"'), '"\uFFFD"', 'lone low surrogate becomes U+FFFD');
  const s = 'mixed \u0000 \u2028 \ud83c\udf89 "quoted" \\ back';
  assert.is(JSON.parse(roundTrip(JSON.stringify(s))), s);
});

test('deep nesting within the limit parses; beyond it fails', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.is(roundTrip(deep(500)), deep(500));
  assert.is(rt.parse(deep(5000)), 0);
});

test('invalid JSON gives 0', () => {
  const bad = [
    '', ' ', '{', '[', ']', '[1,]', '[1 2]', '{"a"}', '{"a":}', '{"a":1,}', '{a:1}', "'x'", '"abc', '"\\x"', '"\\u12"',
    'nul', 'tru', 'falsey', '01', '1.', '.5', '-', '1e', '1e+', '+1', 'NaN', 'Infinity', '1 2', '{} x', '"a\u0001b"',
    '{1:2}', '{"a":1 "b":2}', 'set()', '{1,2}',
  ];
  for (const b of bad) assert.is(rt.parse(b), 0, `should reject ${JSON.stringify(b)}`);
  // Invalid UTF-8: stray continuation, truncated sequence, overlong, encoded surrogate.
  for (const bytes of [[0x22, 0x80, 0x22], [0x22, 0xe4, 0xb8, 0x22], [0x22, 0xc0, 0xaf, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22]]) {
    assert.is(rt.parse(new Uint8Array(bytes)), 0, `should reject bytes ${bytes}`);
  }
});

test('random JSON documents round-trip to what JSON.stringify sorts to', () => {
  const sortKeys = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(sortKeys)
      : x && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort(cmpUtf8).map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]))
        : x;
  const cmpUtf8 = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const gen = (d: number): unknown => {
    const r = rnd();
    if (d > 3 || r < 0.3) return [null, true, false, Math.floor(rnd() * 1e6) - 5e5, 'k' + Math.floor(rnd() * 50), 'é\n"'][Math.floor(rnd() * 6)];
    if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 5) }, () => gen(d + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 6) }, () => ['key' + Math.floor(rnd() * 20) + (rnd() < 0.2 ? '😀' : ''), gen(d + 1)]));
  };
  for (let i = 0; i < 300; i++) {
    const doc = gen(0);
    assert.is(roundTrip(JSON.stringify(doc)), JSON.stringify(sortKeys(doc)));
  }
});

test('value syntax: sets, empty set, non-string keys', () => {
  const v = rt.vparse('{3, 1, "a", null, [2], {"k": 1}}');
  assert.ok(v !== 0);
  assert.is(rt.vdump(v), '{null,1,3,"a",[2],{"k":1}}');
  assert.is(rt.dump(v), '[null,1,3,"a",[2],{"k":1}]');
  assert.is(rt.vdump(rt.vparse('set()')), 'set()');
  assert.is(rt.dump(rt.vparse('set( )')), '[]');
  assert.is(rt.vdump(rt.vparse('{}')), '{}');
  const o = rt.vparse('{1: "one", [1, 2]: {2}, "s": set()}');
  assert.is(rt.vdump(o), '{1:"one","s":set(),[1,2]:{2}}');
  assert.is(rt.dump(o), '{"1":"one","s":[],"[1,2]":[2]}');
  assert.is(rt.vparse('{1, 2'), 0);
  assert.is(rt.vparse('{1: 2, 3}'), 0);
  assert.is(rt.vparse('set(1)'), 0);
});

test('sets deduplicate equal elements, including 1 and 1.0', () => {
  assert.is(rt.vdump(rt.vparse('{1, 1.0, 2, "2", 2}')), '{1,2,"2"}');
});

test('undefined dumps as an empty string', () => {
  assert.is(rt.dump(0), '');
});

test.run();
