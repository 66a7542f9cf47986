// The JSON parser's own paths: exact nesting limit, containers built from the scratch stack
// (large objects, duplicate keys, stack growth), the integer fast path, strings pointing into
// the input, tables that keep growing after the parse, and acceptance equal to JSON.parse's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadRuntime, type Runtime } from './runtime-harness.ts';

let rt: Runtime;
test.before(async () => {
  rt = await loadRuntime();
});

const get = (o: number, k: number): number => rt.fn('opa_value_get')(o, k);
const len = (v: number): number => rt.fn('opa_value_length')(v);
const sortKeys = (x: unknown): unknown =>
  Array.isArray(x) ? x.map(sortKeys)
    : x !== null && typeof x === 'object' ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, sortKeys((x as Record<string, unknown>)[k])]))
      : x;

test('nesting: 1001 levels parse, 1002 do not, for arrays and objects', () => {
  const arr = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const obj = (n: number) => '{"a":'.repeat(n - 1) + '{}' + '}'.repeat(n - 1);
  assert.ok(rt.parse(arr(1001)) !== 0);
  assert.is(rt.parse(arr(1002)), 0);
  assert.ok(rt.parse(obj(1001)) !== 0);
  assert.is(rt.parse(obj(1002)), 0);
  assert.ok(rt.parse('['.repeat(1000) + '1' + ']'.repeat(1000)) !== 0);
  assert.is(rt.parse('['.repeat(1001) + '1' + ']'.repeat(1001)), 0);
});

test('objects past the small size: every key found, duplicates keep first place and last value', () => {
  for (const n of [1, 7, 8, 9, 11, 16, 17, 100, 3000]) {
    const keys = Array.from({ length: n }, (_, i) => `k${(i * 7919) % 100003}`);
    const text = '{' + keys.map((k, i) => `"${k}":${i}`).join(',') + (n > 1 ? `,"${keys[0]}":"last","${keys[n - 1]}":[true]` : '') + '}';
    const o = rt.parse(text);
    assert.ok(o !== 0, `parse ${n} keys`);
    assert.is(len(o), n);
    for (let i = 0; i < n; i++) {
      const v = get(o, rt.str(keys[i]!));
      assert.ok(v !== 0, `key ${keys[i]} of ${n}`);
      const want = n > 1 && i === 0 ? '"last"' : n > 1 && i === n - 1 ? '[true]' : String(i);
      assert.is(rt.dump(v), want);
    }
    assert.is(get(o, rt.str('absent')), 0);
    // Iteration order is first insertion: key_at 0 is still the first key.
    assert.is(rt.dump(rt.fn('opa_value_key_at')(o, 0)), JSON.stringify(keys[0]));
  }
});

test('parsed objects keep growing correctly (capacity need not be a power of two)', () => {
  for (const n of [3, 5, 9, 13]) {
    const o = rt.parse('{' + Array.from({ length: n }, (_, i) => `"a${i}":${i}`).join(',') + '}');
    for (let i = 0; i < 40; i++) rt.fn('opa_object_insert')(o, rt.str(`b${i}`), rt.num(i));
    assert.is(len(o), n + 40);
    for (let i = 0; i < n; i++) assert.is(rt.dump(get(o, rt.str(`a${i}`))), String(i));
    for (let i = 0; i < 40; i++) assert.is(rt.dump(get(o, rt.str(`b${i}`))), String(i));
  }
});

test('big and deep documents outgrow the scratch stack', () => {
  const doc = {
    many: Array.from({ length: 5000 }, (_, i) => i - 2500),
    wide: Object.fromEntries(Array.from({ length: 700 }, (_, i) => [`w${i}`, { n: i, s: `v${i}`, l: [i, [i], {}] }])),
    deep: JSON.parse('['.repeat(300) + '"x",{"y":[1,2,3]}' + ']'.repeat(300)) as unknown,
  };
  const text = JSON.stringify(doc);
  const v = rt.parse(text);
  assert.ok(v !== 0);
  assert.is(rt.dump(v), JSON.stringify(sortKeys(doc)));
});

test('integers: fast path and literal text at the edges', () => {
  const cases: Array<[string, string]> = [
    ['0', '0'], ['-1', '-1'], ['123456789012345678', '123456789012345678'], ['-123456789012345678', '-123456789012345678'],
    ['1234567890123456789', '1234567890123456789'], ['99999999999999999999', '99999999999999999999'], ['-0', '-0'],
    ['1.0', '1.0'], ['1e2', '1e2'], ['[7,-0,8]', '[7,-0,8]'], ['{"a":-5}', '{"a":-5}'],
  ];
  for (const [t, want] of cases) assert.is(rt.dump(rt.parse(t)), want, t);
  for (const t of ['00', '-01', '01.5', '1-', '--1', '1.e5', '[1,-]', '-a']) assert.is(rt.parse(t), 0, `should reject ${t}`);
  const eq = (a: string, b: string) => rt.fn('opa_value_equal')(rt.parse(a), rt.parse(b));
  assert.is(eq('1', '1.0'), 1);
  assert.is(eq('[123456789012345678]', '[123456789012345678.0]'), 1);
});

test('strings without escapes point into the input; with escapes they are decoded copies', () => {
  const [p, n] = rt.put('{"plain":"abc","esc":"a\\nb","utf":"é中😀"}');
  const o = rt.fn('opa_json_parse')(p, n);
  assert.ok(o !== 0);
  const view = new DataView(rt.memory.buffer);
  const ptrOf = (k: string) => view.getUint32(get(o, rt.str(k)) + 8, true);
  const at = (k: string) => ptrOf(k) - p;
  assert.ok(at('plain') > 0 && at('plain') < n, 'plain string bytes are the input bytes');
  assert.ok(at('utf') > 0 && at('utf') < n);
  assert.ok(at('esc') < 0 || at('esc') >= n, 'escaped string is a decoded copy');
  assert.is(rt.dump(o), '{"esc":"a\\nb","plain":"abc","utf":"é中😀"}');
});

test('acceptance matches JSON.parse on prefixes and single-byte mutations', () => {
  const docs = [
    '{"version":1,"kind":"sql","s":[{"t":"SELECT","r":[{"a":"public","q":[false,true]}],"n":null,"x":-12.5e3,"e":[],"o":{}}],"z":"a\\"b"}',
    ' [ 1 , { "a" : [ true , false , null ] } , "x" , -0.0 , 1E+2 ] ',
  ];
  const alphabet = ' \t\n{}[]:,"\\-+.eE0123456789atrufnslx\u0001';
  let seed = 11;
  const rnd = (k: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % k;
  let checked = 0;
  for (const d of docs) {
    const texts: string[] = [];
    for (let i = 0; i <= d.length; i++) texts.push(d.slice(0, i));
    for (let i = 0; i < 1500; i++) {
      const at = rnd(d.length);
      texts.push(d.slice(0, at) + alphabet[rnd(alphabet.length)] + d.slice(at + (rnd(2) === 0 ? 1 : 0)));
    }
    for (const t of texts) {
      let ok = true;
      try {
        JSON.parse(t);
      } catch {
        ok = false;
      }
      assert.is(rt.parse(t) !== 0, ok, `accept ${JSON.stringify(t)}`);
      checked++;
    }
  }
  assert.ok(checked > 3000);
});

test.run();
