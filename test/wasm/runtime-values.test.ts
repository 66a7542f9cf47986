// The value API: equality, ordering and hashing laws, collections, merge/patch, numbers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { loadRuntime, type Runtime } from './runtime-harness.ts';

let rt: Runtime;
test.before(async () => {
  rt = await loadRuntime();
});

const cmp = (a: number, b: number) => rt.fn('opa_value_compare')(a, b);
const eq = (a: number, b: number) => rt.fn('opa_value_equal')(a, b);
const hash = (v: number) => rt.fn('opa_value_hash')(v);

// In Rego order; entries in one inner list are equal to each other. Objects compare key by key
// in sorted order, each key then its value, then by size (as OPA does).
const ORDERED = [
  ['null'], ['false'], ['true'],
  ['-12345678901234567890123'], ['-9223372036854775808'], ['-1.5', '-1.50', '-15e-1'], ['-1', '-1.0'], ['0', '-0', '0.0', '0e5'],
  ['0.1', '1e-1'], ['1', '1.0', '10e-1', '0.1e1'], ['2'], ['9223372036854775807'], ['9223372036854775808'], ['1e30', '1000000000000000000000000000000'],
  ['""'], ['"A"'], ['"a"'], ['"aa"'], ['"b"'], ['"é"'], ['"😀"'],
  ['[]'], ['[1]', '[1.0]'], ['[1,2]'], ['[2]'], ['["a"]'],
  ['{}'], ['{"a":1}', '{"a":1.0}'], ['{"a":1,"b":1}', '{"b":1,"a":1}'], ['{"a":2}'], ['{"b":0}'],
  ['set()'], ['{1}', '{1.0}'], ['{1,2}', '{2,1}'], ['{2}'],
];

test('compare is a total order consistent with equality and hashing', () => {
  const groups = ORDERED.map((g) => g.map((t) => {
    const v = rt.vparse(t);
    assert.ok(v !== 0, `parse ${t}`);
    return v;
  }));
  for (let i = 0; i < groups.length; i++) {
    for (let j = 0; j < groups.length; j++) {
      for (const a of groups[i]) {
        for (const b of groups[j]) {
          const want = Math.sign(i - j);
          assert.is(cmp(a, b), want, `compare ${rt.vdump(a)} ${rt.vdump(b)}`);
          assert.is(eq(a, b), want === 0 ? 1 : 0, `equal ${rt.vdump(a)} ${rt.vdump(b)}`);
          if (want === 0) assert.is(hash(a), hash(b), `hash ${rt.vdump(a)} ${rt.vdump(b)}`);
        }
      }
    }
  }
});

// Random Rego values as value-syntax text: numbers in several spellings, strings, arrays,
// objects with string or composite keys, sets.
const regoText: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '0', '1', '1.0', '-1', '2.5', '2.50', '1e2', '100', '12345678901234567890123', '-0.001'),
    fc.integer({ min: -1000, max: 1000 }).map(String),
    fc.constantFrom('""', '"a"', '"b"', '"ab"', '"é"', '"1"'),
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => `[${xs.join(',')}]`),
    fc.array(fc.tuple(fc.oneof(fc.constantFrom('"a"', '"b"', '"c"', '1'), tie('v')), tie('v')), { maxLength: 3 })
      .map((kv) => `{${kv.map(([k, v]) => `${k}:${v}`).join(',')}}`),
    fc.array(tie('v'), { minLength: 1, maxLength: 3 }).map((xs) => `{${xs.join(',')}}`),
    fc.constant('set()'),
  ),
})).v;

test('laws on random values: antisymmetry, transitivity, equality ⇔ compare 0 ⇒ same hash, dump round trip', () => {
  fc.assert(fc.property(regoText, regoText, regoText, (ta, tb, tc) => {
    const [a, b, c] = [ta, tb, tc].map((t) => rt.vparse(t));
    if (a === 0 || b === 0 || c === 0) return false;
    const ab = cmp(a, b), ba = cmp(b, a), bc = cmp(b, c), ac = cmp(a, c);
    if (ab !== -ba) return false;
    if ((eq(a, b) === 1) !== (ab === 0)) return false;
    if (ab === 0 && hash(a) !== hash(b)) return false;
    if (ab <= 0 && bc <= 0 && ac > 0) return false;
    if (cmp(a, a) !== 0 || eq(a, a) !== 1) return false;
    const again = rt.vparse(rt.vdump(a));
    return eq(again, a) === 1 && hash(again) === hash(a) && rt.vdump(again) === rt.vdump(a);
  }), { numRuns: 1500, seed: 42 });
});

test('objects with many keys: lookup, overwrite, iteration order, hash independent of order', () => {
  const o1 = rt.fn('opa_object')();
  const o2 = rt.fn('opa_object')();
  const N = 5000;
  for (let i = 0; i < N; i++) rt.fn('opa_object_insert')(o1, rt.str(`k${i}`), rt.num(i));
  for (let i = N - 1; i >= 0; i--) rt.fn('opa_object_insert')(o2, rt.str(`k${i}`), rt.num(i));
  assert.is(rt.fn('opa_value_length')(o1), N);
  for (let i = 0; i < N; i += 97) {
    const got = rt.fn('opa_value_get')(o1, rt.str(`k${i}`));
    assert.is(rt.dump(got), String(i));
  }
  assert.is(rt.fn('opa_value_get')(o1, rt.str('missing')), 0);
  assert.is(rt.fn('opa_value_get')(o1, rt.num(1)), 0);
  assert.is(eq(o1, o2), 1);
  assert.is(cmp(o1, o2), 0);
  assert.is(hash(o1), hash(o2));
  rt.fn('opa_object_insert')(o1, rt.str('k7'), rt.str('seven'));
  assert.is(rt.fn('opa_value_length')(o1), N);
  assert.is(rt.dump(rt.fn('opa_value_get')(o1, rt.str('k7'))), '"seven"');
  assert.is(eq(o1, o2), 0);
  // Comparing sorted both in place: iteration now follows key order (bytewise, as Rego orders
  // strings); key_at/value_at agree with iter/get.
  const sortedKeys = Array.from({ length: N }, (_, j) => `k${j}`).sort();
  let k = 0;
  let i = 0;
  while ((k = rt.fn('opa_value_iter')(o2, k)) !== 0) {
    assert.is(rt.dump(k), `"${sortedKeys[i]}"`);
    assert.is(rt.fn('opa_value_key_at')(o2, i), k);
    assert.is(rt.fn('opa_value_value_at')(o2, i), rt.fn('opa_value_get')(o2, k));
    i++;
  }
  assert.is(i, N);
  assert.is(rt.fn('opa_value_key_at')(o2, N), 0);
});

test('maps sort in place once, keep key order on in-order inserts, and sorting leaves no heap behind', () => {
  const keysOf = (m: number): string[] => {
    const out: string[] = [];
    for (let i = 0; i < rt.fn('opa_value_length')(m); i++) out.push(rt.dump(rt.fn('opa_value_key_at')(m, i)));
    return out;
  };
  const o = rt.fn('opa_object')();
  for (const k of ['b', 'c', 'a', 'e', 'd', 'k', 'j', 'i', 'h', 'g', 'f']) rt.fn('opa_object_insert')(o, rt.str(k), rt.num(k.charCodeAt(0)));
  assert.equal(keysOf(o), ['"b"', '"c"', '"a"', '"e"', '"d"', '"k"', '"j"', '"i"', '"h"', '"g"', '"f"'], 'insertion order before anything sorts it');
  const other = rt.vparse('{"a": 1}');
  const top = rt.heapGet();
  assert.is(cmp(o, other), 1);
  assert.is(rt.heapGet(), top, 'sorting inside a comparison releases its scratch');
  assert.equal(keysOf(o), ['"a"', '"b"', '"c"', '"d"', '"e"', '"f"', '"g"', '"h"', '"i"', '"j"', '"k"']);
  // Lookups still work after the entries moved (past 8 entries the buckets were re-linked).
  for (const k of 'abcdefghijk') assert.is(rt.dump(rt.fn('opa_value_get')(o, rt.str(k))), String(k.charCodeAt(0)));
  rt.fn('opa_object_insert')(o, rt.str('z'), rt.num(1)); // in order: stays sorted
  rt.fn('opa_object_insert')(o, rt.str('c'), rt.num(2)); // overwrite: stays sorted
  assert.equal(keysOf(o).slice(-2), ['"k"', '"z"']);
  rt.fn('opa_object_insert')(o, rt.str('m'), rt.num(3)); // out of order: appended, sorted on next use
  assert.is(keysOf(o).at(-1), '"m"');
  assert.is(rt.dump(o), '{"a":97,"b":98,"c":2,"d":100,"e":101,"f":102,"g":103,"h":104,"i":105,"j":106,"k":107,"m":3,"z":1}');
  assert.equal(keysOf(o).slice(-3), ['"k"', '"m"', '"z"'], 'a dump sorts in place too');
  // Sets of objects: elements sort by Rego order; equal sets hash and compare alike whatever the order.
  const s1 = rt.vparse('{{"b": 1, "a": 2}, {"a": 1}, [3], "x"}');
  const s2 = rt.vparse('{"x", [3], {"a": 1}, {"a": 2, "b": 1}}');
  assert.is(hash(s1), hash(s2));
  assert.is(eq(s1, s2), 1);
  assert.is(cmp(s1, s2), 0);
  assert.is(rt.vdump(s1), '{"x",[3],{"a":1},{"a":2,"b":1}}');
});

test('sets with many elements: membership, dedup, numeric equality', () => {
  const s = rt.fn('opa_set')();
  for (let i = 0; i < 3000; i++) rt.fn('opa_set_add')(s, rt.num(i % 1000));
  for (let i = 0; i < 1000; i += 3) rt.fn('opa_set_add')(s, rt.vparse(`${i}.0`));
  assert.is(rt.fn('opa_value_length')(s), 1000);
  const e = rt.fn('opa_value_get')(s, rt.vparse('500.00'));
  assert.is(rt.dump(e), '500', 'get on a set returns the stored element');
  assert.is(rt.fn('opa_value_get')(s, rt.num(1000)), 0);
  const dumped = JSON.parse(rt.dump(s)) as number[];
  assert.equal(dumped, Array.from({ length: 1000 }, (_, i) => i), 'dump sorts numerically');
});

test('arrays: get by integer key, iteration, length, append growth', () => {
  const a = rt.fn('opa_array_with_cap')(0);
  for (let i = 0; i < 100; i++) rt.fn('opa_array_append')(a, rt.num(i * 2));
  assert.is(rt.fn('opa_value_length')(a), 100);
  assert.is(rt.dump(rt.fn('opa_value_get')(a, rt.num(10))), '20');
  assert.is(rt.dump(rt.fn('opa_value_get')(a, rt.vparse('10.0'))), '20');
  assert.is(rt.fn('opa_value_get')(a, rt.vparse('1.5')), 0);
  assert.is(rt.fn('opa_value_get')(a, rt.num(100)), 0);
  assert.is(rt.fn('opa_value_get')(a, rt.num(-1)), 0);
  assert.is(rt.fn('opa_value_get')(a, rt.str('0')), 0);
  let k = 0;
  const keys: string[] = [];
  while ((k = rt.fn('opa_value_iter')(a, k)) !== 0) keys.push(rt.dump(k));
  assert.is(keys.length, 100);
  assert.is(keys[99], '99');
  assert.is(rt.fn('opa_value_iter')(rt.vparse('[]'), 0), 0);
  assert.is(rt.fn('opa_value_iter')(rt.num(1), 0), 0);
});

test('type codes and lengths', () => {
  const types = ['null', 'true', '1', '"s"', '[]', '{}', 'set()'].map((t) => rt.fn('opa_value_type')(rt.vparse(t)));
  assert.equal(types, [1, 2, 3, 4, 5, 6, 7]);
  assert.is(rt.fn('opa_value_type')(0), 0);
  assert.is(rt.fn('opa_value_length')(rt.vparse('"h€llo😀"')), 6, 'strings count code points');
  assert.is(rt.fn('opa_value_length')(rt.vparse('{1,2,3}')), 3);
  assert.is(rt.fn('opa_value_length')(rt.num(5)), 0);
  assert.is(rt.dump(rt.fn('opa_null')()), 'null');
  assert.is(rt.dump(rt.fn('opa_boolean')(7)), 'true');
  assert.is(rt.dump(rt.fn('opa_boolean')(0)), 'false');
});

test('insert_once: 0 on insert or equal value, 1 on conflict', () => {
  const o = rt.fn('opa_object')();
  assert.is(rt.fn('opa_object_insert_once')(o, rt.str('a'), rt.num(1)), 0);
  assert.is(rt.fn('opa_object_insert_once')(o, rt.str('a'), rt.vparse('1.0')), 0);
  assert.is(rt.fn('opa_object_insert_once')(o, rt.str('a'), rt.num(2)), 1);
  assert.is(rt.dump(o), '{"a":1}');
});

test('mutators abort on a wrong container or an undefined value instead of corrupting memory', () => {
  const o = rt.fn('opa_object')();
  const a = rt.fn('opa_array_with_cap')(1);
  assert.throws(() => rt.fn('opa_array_append')(o, rt.num(1)), /wrong container type/);
  assert.throws(() => rt.fn('opa_object_insert')(a, rt.num(1), rt.num(1)), /wrong container type/);
  assert.throws(() => rt.fn('opa_set_add')(0, rt.num(1)), /wrong container type/);
  assert.throws(() => rt.fn('opa_array_append')(a, 0), /undefined value/);
  assert.throws(() => rt.fn('opa_object_insert')(o, 0, rt.num(1)), /undefined value/);
  assert.throws(() => rt.fn('opa_object_insert_once')(o, rt.num(1), 0), /undefined value/);
});

test('merge: deep, first argument wins on leaves, undefined unless both objects', () => {
  const a = rt.parse('{"x":{"y":1,"z":{"p":1}},"k":"a"}');
  const b = rt.parse('{"x":{"y":2,"w":3,"z":{"q":2}},"k":"b","n":0}');
  assert.is(rt.dump(rt.fn('opa_value_merge')(a, b)), '{"k":"a","n":0,"x":{"w":3,"y":1,"z":{"p":1,"q":2}}}');
  assert.is(rt.dump(a), '{"k":"a","x":{"y":1,"z":{"p":1}}}', 'inputs unchanged');
  assert.is(rt.fn('opa_value_merge')(a, rt.parse('[1]')), 0);
  assert.is(rt.fn('opa_value_merge')(0, a), 0);
});

test('patch: copy-on-write upsert along a path', () => {
  const root = rt.parse('{"a":{"b":1,"c":2},"d":3}');
  const p1 = rt.fn('opa_value_patch')(root, rt.parse('["a","b"]'), rt.num(9));
  assert.is(rt.dump(p1), '{"a":{"b":9,"c":2},"d":3}');
  assert.is(rt.dump(root), '{"a":{"b":1,"c":2},"d":3}', 'original untouched');
  const p2 = rt.fn('opa_value_patch')(root, rt.parse('["x","y","z"]'), rt.str('new'));
  assert.is(rt.dump(p2), '{"a":{"b":1,"c":2},"d":3,"x":{"y":{"z":"new"}}}');
  const p3 = rt.fn('opa_value_patch')(root, rt.parse('["d","e"]'), rt.num(1));
  assert.is(rt.dump(p3), '{"a":{"b":1,"c":2},"d":{"e":1}}', 'a non-object on the path is replaced');
  const v = rt.num(5);
  assert.is(rt.fn('opa_value_patch')(root, rt.parse('[]'), v), v, 'empty path gives the value');
  assert.is(rt.dump(rt.fn('opa_value_patch')(0, rt.parse('["a"]'), v)), '{"a":5}', 'undefined root');
});

test('ABI add_path / remove_path update data in place', () => {
  const base = rt.parse('{"a":{"b":123}}');
  // Hashes are cached per map; a change deep below must not leave a stale one above.
  const sameHash = (text: string) => assert.is(hash(base), hash(rt.parse(text)), `hash after a change: ${text}`);
  sameHash('{"a":{"b":123}}');
  assert.is(rt.fn('opa_value_add_path')(base, rt.parse('["a","x","y"]'), rt.parse('{"foo":"bar"}')), 0);
  assert.is(rt.dump(base), '{"a":{"b":123,"x":{"y":{"foo":"bar"}}}}');
  sameHash('{"a":{"b":123,"x":{"y":{"foo":"bar"}}}}');
  assert.is(rt.fn('opa_value_add_path')(base, rt.parse('["a","b"]'), rt.num(1)), 0);
  assert.is(rt.dump(base), '{"a":{"b":1,"x":{"y":{"foo":"bar"}}}}');
  sameHash('{"a":{"b":1,"x":{"y":{"foo":"bar"}}}}');
  assert.is(rt.fn('opa_value_add_path')(base, rt.parse('["a","b","c"]'), rt.num(1)), 2, 'through a non-object');
  assert.is(rt.fn('opa_value_add_path')(base, rt.parse('[]'), rt.num(1)), 3);
  assert.is(rt.fn('opa_value_add_path')(rt.parse('[1]'), rt.parse('["a"]'), rt.num(1)), 2);
  assert.is(rt.fn('opa_value_remove_path')(base, rt.parse('["a","x"]')), 0);
  assert.is(rt.dump(base), '{"a":{"b":1}}');
  sameHash('{"a":{"b":1}}');
  assert.is(rt.fn('opa_value_remove_path')(base, rt.parse('["a","x"]')), 3);
  assert.is(rt.fn('opa_value_remove_path')(base, rt.parse('["q","x"]')), 3);
  // Removal from a large (indexed) object keeps lookups and order right.
  const big = rt.fn('opa_object')();
  for (let i = 0; i < 40; i++) rt.fn('opa_object_insert')(big, rt.str(`k${i}`), rt.num(i));
  const holder = rt.fn('opa_object')();
  rt.fn('opa_object_insert')(holder, rt.str('big'), big);
  for (let i = 0; i < 40; i += 2) assert.is(rt.fn('opa_value_remove_path')(holder, rt.parse(`["big","k${i}"]`)), 0);
  assert.is(rt.fn('opa_value_length')(big), 20);
  for (let i = 0; i < 40; i++) assert.is(rt.fn('opa_value_get')(big, rt.str(`k${i}`)) !== 0, i % 2 === 1);
  assert.is(rt.dump(rt.fn('opa_value_key_at')(big, 0)), '"k1"');
});

test('shallow copy is independent at the top level', () => {
  const o = rt.parse('{"a":[1]}');
  const c = rt.fn('opa_value_shallow_copy')(o);
  rt.fn('opa_object_insert')(c, rt.str('b'), rt.num(2));
  assert.is(rt.dump(o), '{"a":[1]}');
  assert.is(rt.dump(c), '{"a":[1],"b":2}');
  const a = rt.parse('[1,2]');
  const ac = rt.fn('opa_value_shallow_copy')(a);
  rt.fn('opa_array_append')(ac, rt.num(3));
  assert.is(rt.dump(a), '[1,2]');
  assert.is(rt.dump(ac), '[1,2,3]');
  const s = rt.vparse('{1}');
  const sc = rt.fn('opa_value_shallow_copy')(s);
  rt.fn('opa_set_add')(sc, rt.num(2));
  assert.is(rt.vdump(s), '{1}');
  assert.is(rt.vdump(sc), '{1,2}');
});

// ---- numbers

const n = (t: string) => {
  const v = rt.vparse(t);
  assert.ok(v !== 0, `number ${t}`);
  return v;
};
const op = (name: string, ...args: string[]) => {
  const r = rt.fn(`opa_arith_${name}`)(...args.map(n));
  return r === 0 ? undefined : rt.dump(r);
};

test('number literals through opa_number_ref keep their text', () => {
  const [p, len] = rt.put('2.50');
  const v = rt.fn('opa_number_ref')(p, len);
  assert.is(rt.dump(v), '2.50');
  assert.is(eq(v, n('2.5')), 1);
  const [q, qlen] = rt.put('abc');
  assert.is(rt.fn('opa_number_ref')(q, qlen), 0);
});

test('integer arithmetic is exact past 64 bits', () => {
  assert.is(op('plus', '18446744073709551617', '1'), '18446744073709551618');
  assert.is(op('minus', '18446744073709551617', '1'), '18446744073709551616');
  assert.is(op('multiply', '18446744073709551617', '2'), '36893488147419103234');
  assert.is(op('plus', '123456789012345678901234567890', '1'), '123456789012345678901234567891');
  assert.is(op('minus', '-18446744073709551617', '1'), '-18446744073709551618');
  assert.is(op('plus', '9223372036854775807', '1'), '9223372036854775808');
  assert.is(op('minus', '-9223372036854775808', '1'), '-9223372036854775809');
  assert.is(op('multiply', '2147483647', '2147483647'), '4611686014132420609');
  assert.is(op('multiply', '9223372036854775807', '9223372036854775807'), '85070591730234615847396907784232501249');
  assert.is(op('multiply', '-9223372036854775808', '-1'), '9223372036854775808');
  assert.is(op('plus', '1e30', '1'), '1000000000000000000000000000001');
  assert.is(op('plus', '49649733057', '1'), '49649733058');
  assert.is(op('minus', '5', '5'), '0');
  assert.is(op('plus', '18446744073709551617', '-18446744073709551617'), '0');
});

test('decimal arithmetic is exact for + - *', () => {
  assert.is(op('plus', '1.5', '2.5'), '4');
  assert.is(op('plus', '1', '2.5'), '3.5');
  assert.is(op('multiply', '2.5', '2'), '5');
  assert.is(op('plus', '10.00', '5'), '15');
  assert.is(op('plus', '0.1', '0.2'), '0.3');
  assert.is(op('minus', '0.3', '0.1'), '0.2');
  assert.is(op('minus', '1', '1.25'), '-0.25');
  assert.is(op('multiply', '-0.5', '0.5'), '-0.25');
  assert.is(op('multiply', '1e-10', '1e-10'), '1e-20');
  assert.is(op('plus', '1e-7', '0'), '1e-7');
});

test('division: exact when it terminates, 19 significant digits otherwise, undefined on zero', () => {
  assert.is(op('divide', '6', '3'), '2');
  assert.is(op('divide', '-6', '3'), '-2');
  assert.is(op('divide', '1', '4'), '0.25');
  assert.is(op('divide', '0', '5'), '0');
  assert.is(op('divide', '7', '2'), '3.5');
  assert.is(op('divide', '1', '3'), '0.3333333333333333333');
  assert.is(op('divide', '2', '3'), '0.6666666666666666667');
  assert.is(op('divide', '-1', '3'), '-0.3333333333333333333');
  assert.is(op('divide', '36893488147419103234', '2'), '18446744073709551617');
  assert.is(op('divide', '1', '0'), undefined);
  assert.is(op('divide', '1', '0.0'), undefined);
  assert.is(op('divide', '1.5', '0.5'), '3');
  assert.is(op('divide', '-9223372036854775808', '-1'), '9223372036854775808');
  assert.is(JSON.parse(op('divide', '10', '7') ?? 'null'), 10 / 7);
});

test('remainder: sign of the dividend, integral decimals accepted, undefined otherwise', () => {
  assert.is(op('rem', '7', '4'), '3');
  assert.is(op('rem', '-17', '5'), '-2');
  assert.is(op('rem', '17', '-5'), '2');
  assert.is(op('rem', '4.0', '3'), '1');
  assert.is(op('rem', '7', '0'), undefined);
  assert.is(op('rem', '1.1', '1'), undefined);
  assert.is(op('rem', '100000000000000000000000000007', '10'), '7');
  assert.is(op('rem', '-100000000000000000000000000007', '1000000000000000000000'), '-7');
  assert.is(op('rem', '-9223372036854775808', '-1'), '0');
});

test('abs, round (half away from zero), ceil, floor', () => {
  assert.is(op('abs', '-5'), '5');
  assert.is(op('abs', '-2147483648'), '2147483648');
  assert.is(op('abs', '-9223372036854775808'), '9223372036854775808');
  assert.is(op('abs', '-2.5'), '2.5');
  assert.is(op('abs', '-12345678901234567890123'), '12345678901234567890123');
  assert.is(op('round', '2.5'), '3');
  assert.is(op('round', '-2.5'), '-3');
  assert.is(op('round', '2.4'), '2');
  assert.is(op('round', '-5'), '-5');
  assert.is(op('round', '10.00'), '10');
  assert.is(op('round', '0.4'), '0');
  assert.is(op('round', '-0.4'), '0');
  assert.is(op('round', '0.05'), '0');
  assert.is(op('ceil', '1.01'), '2');
  assert.is(op('ceil', '1.5'), '2');
  assert.is(op('ceil', '2222.2222222222'), '2223');
  assert.is(op('ceil', '1'), '1');
  assert.is(op('ceil', '-1.99999'), '-1');
  assert.is(op('ceil', '-0.5'), '0');
  assert.is(op('floor', '1.5'), '1');
  assert.is(op('floor', '-1.5'), '-2');
  assert.is(op('floor', '-0.5'), '-1');
  assert.is(op('floor', '99999999999999999999.5'), '99999999999999999999');
  assert.is(op('ceil', '99999999999999999999.5'), '100000000000000000000');
});

test('arithmetic on non-numbers is undefined', () => {
  assert.is(rt.fn('opa_arith_plus')(rt.str('1'), rt.num(1)), 0);
  assert.is(rt.fn('opa_arith_abs')(rt.fn('opa_null')()), 0);
  assert.is(rt.fn('opa_arith_plus')(0, rt.num(1)), 0);
});

test('f64 conversions', () => {
  const f = (x: number) => rt.dump(rt.fn('opa_number_f64')(x));
  assert.is(f(3), '3');
  assert.is(f(-2.5), '-2.5');
  assert.is(f(0.1), '0.1');
  assert.is(f(1e21), '1000000000000000000000');
  assert.is(f(0.30000000000000004), '0.30000000000000004');
  assert.is(JSON.parse(f(1 / 3)), 1 / 3);
  assert.is(JSON.parse(f(5e-324)), 5e-324);
  assert.is(JSON.parse(f(1.7976931348623157e308)), 1.7976931348623157e308);
  assert.is(rt.fn('opa_number_f64')(NaN), 0);
  assert.is(rt.fn('opa_number_f64')(Infinity), 0);
  const back = rt.fn('opa_number_to_f64') as unknown as (v: number) => number;
  assert.is(back(n('0.1')), 0.1);
  assert.is(back(n('-12345')), -12345);
  assert.is(back(n('1e300')), 1e300);
  assert.ok(Number.isNaN(back(rt.str('x'))));
});

test('count builtin', () => {
  assert.is(rt.dump(rt.fn('builtin_count')(rt.vparse('[1,2,3]'))), '3');
  assert.is(rt.dump(rt.fn('builtin_count')(rt.vparse('"héllo"'))), '5');
  assert.is(rt.fn('builtin_count')(rt.num(3)), 0);
});

test.run();
