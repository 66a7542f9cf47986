// Native builtins of the runtime, called directly on values made by opa_value_parse and
// dumped with opa_value_dump (Rego syntax: sets print as {…}).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNative } from './native-harness.ts';
import { NATIVE_BUILTINS } from '../../src/wasm/runtime/builtins.ts';

const h = await loadNative();
const v = (name: string, ...args: string[]): string | undefined => h.callValue(name, ...args);

test('arithmetic operators are exact; division by zero is undefined', () => {
  assert.is(v('plus', '9223372036854775807', '1'), '9223372036854775808');
  assert.is(v('minus', '0.3', '0.1'), '0.2');
  assert.is(v('mul', '12345678901234567890', '10'), '123456789012345678900');
  assert.is(v('div', '1', '4'), '0.25');
  assert.is(v('div', '1', '0'), undefined);
  assert.is(v('rem', '7', '4'), '3');
  assert.is(v('rem', '-7', '4'), '-3');
  assert.is(v('rem', '1.1', '1'), undefined);
  assert.is(v('plus', '"a"', '1'), undefined);
});

test('minus, and, or on sets', () => {
  assert.is(v('minus', '{1, 2, 3}', '{2, "x"}'), '{1,3}');
  assert.is(v('and', '{1, 2, 3}', '{3, 2, 9}'), '{2,3}');
  assert.is(v('or', '{1}', '{[1], 1}'), '{1,[1]}');
  assert.is(v('minus', '{1}', '1'), undefined);
  assert.is(v('and', '[1]', '[1]'), undefined);
});

test('comparisons use Rego ordering across types', () => {
  assert.is(v('equal', '1', '1.0'), 'true');
  assert.is(v('equal', '{"a": [1, {2}]}', '{"a": [1, {2}]}'), 'true');
  assert.is(v('neq', '{1, 2}', '{2, 1}'), 'false');
  assert.is(v('lt', 'null', 'false'), 'true');
  assert.is(v('lt', '99', '"0"'), 'true');
  assert.is(v('lt', '"b"', '"ab"'), 'false');
  assert.is(v('lte', '[1, 2]', '[1, 2]'), 'true');
  assert.is(v('gt', '{"a": 2}', '{"a": 1}'), 'true');
  assert.is(v('gte', '{1}', '{"a": 1}'), 'true');
  assert.is(v('gt', '100000000000000000000', '99999999999999999999.5'), 'true');
});

test('membership', () => {
  assert.is(v('internal.member_2', '1', '[3, 1.0]'), 'true');
  assert.is(v('internal.member_2', '"a"', '{"a": 1}'), 'false');
  assert.is(v('internal.member_2', '1', '{"a": 1}'), 'true');
  assert.is(v('internal.member_2', '[1]', '{[1]}'), 'true');
  assert.is(v('internal.member_2', '"a"', '"abc"'), 'false');
  assert.is(v('internal.member_3', '0', '"x"', '["x"]'), 'true');
  assert.is(v('internal.member_3', '1.5', '"x"', '["x"]'), 'false');
  assert.is(v('internal.member_3', '"k"', '1', '{"k": 1}'), 'true');
  assert.is(v('internal.member_3', '2', '2', '{2}'), 'true');
  assert.is(v('internal.member_3', '1', '2', '{2}'), 'false');
});

test('walk: pre-order [path, value] pairs; keys and set elements in order, a set element is its own step', () => {
  assert.is(v('walk', '{"b": [1], "a": 2}'), '[[[],{"a":2,"b":[1]}],[["a"],2],[["b"],[1]],[["b",0],1]]');
  assert.is(v('walk', '3'), '[[[],3]]');
  assert.is(v('walk', '{{1, 2}}'), '[[[],{{1,2}}],[[{1,2}],{1,2}],[[{1,2},1],1],[[{1,2},2],2]]');
  assert.is(v('walk', '{[1], "x"}'), '[[[],{"x",[1]}],[["x"],"x"],[[[1]],[1]],[[[1],0],1]]');
});

test('aggregates', () => {
  assert.is(v('count', '"héllo"'), '5');
  assert.is(v('count', '{"a": 1}'), '1');
  assert.is(v('count', '1'), undefined);
  assert.is(v('sum', '[1, 2.5, 3]'), '6.5');
  assert.is(v('sum', '[]'), '0');
  assert.is(v('sum', '[1, "2"]'), undefined);
  assert.is(v('product', '{2, 3}'), '6');
  assert.is(v('max', '[1, "a", null]'), '"a"');
  assert.is(v('min', '{3, [0], 2}'), '2');
  assert.is(v('max', '[]'), undefined);
  assert.is(v('sort', '{3, 1, "b", [1], null}'), '[null,1,3,"b",[1]]');
  assert.is(v('sort', '[3, 2, 1, 0, -1, 5, 9, 8, 7, 6, 4, 11, 10, 12, 13]'), '[-1,0,1,2,3,4,5,6,7,8,9,10,11,12,13]');
  assert.is(v('sort', '{"a": 1}'), undefined);
  assert.is(v('any', '[false, true]'), 'true');
  assert.is(v('all', '[]'), 'true');
  assert.is(v('all', '[true, 1]'), 'false');
});

test('types', () => {
  assert.is(v('type_name', '{1}'), '"set"');
  assert.is(v('type_name', 'set()'), '"set"');
  assert.is(v('type_name', '{}'), '"object"');
  assert.is(v('type_name', '2.5'), '"number"');
  assert.is(v('type_name', 'false'), '"boolean"');
  assert.is(v('is_number', '"1"'), 'false');
  assert.is(v('is_set', '{1}'), 'true');
  assert.is(v('is_object', '{}'), 'true');
  assert.is(v('is_null', 'null'), 'true');
  assert.is(v('is_array', '[]'), 'true');
  assert.is(v('is_string', '""'), 'true');
  assert.is(v('is_boolean', 'true'), 'true');
});

test('numbers', () => {
  assert.is(v('abs', '-9223372036854775808'), '9223372036854775808');
  assert.is(v('round', '-2.5'), '-3');
  assert.is(v('ceil', '-1.99999'), '-1');
  assert.is(v('floor', '-1.5'), '-2');
  assert.is(v('to_number', '"-42.0"'), '-42');
  assert.is(v('to_number', '"+1e3"'), '1000');
  assert.is(v('to_number', '".5"'), '0.5');
  assert.is(v('to_number', '"inf"'), undefined);
  assert.is(v('to_number', '"0x10"'), undefined);
  assert.is(v('to_number', '" 1"'), undefined);
  assert.is(v('to_number', 'null'), '0');
  assert.is(v('to_number', '[1]'), undefined);
  assert.is(v('numbers.range', '3', '-1'), '[3,2,1,0,-1]');
  assert.is(v('numbers.range', '3.5', '4'), undefined);
  assert.is(v('numbers.range', '0', '100000000000'), undefined);
  assert.is(v('numbers.range_step', '0', '10', '4'), '[0,4,8]');
  assert.is(v('numbers.range_step', '0', '10', '0'), undefined);
  assert.is(v('numbers.range_step', '0', '10', '100000000000000000000000'), '[0]');
  assert.is(v('format_int', '-255', '16'), '"-ff"');
  assert.is(v('format_int', '18446744073709551617', '8'), '"2000000000000000000001"');
  assert.is(v('format_int', '15.9', '10'), '"15"');
  assert.is(v('format_int', '1', '3'), undefined);
  assert.is(v('bits.and', '7', '9'), '1');
  assert.is(v('bits.or', '7', '9'), '15');
  assert.is(v('bits.xor', '42', '3'), '41');
  assert.is(v('bits.negate', '42'), '-43');
  assert.is(v('bits.lsh', '9223372036854775807', '1'), '18446744073709551614');
  assert.is(v('bits.lsh', '1', '100'), '1267650600228229401496703205376');
  assert.is(v('bits.lsh', '7', '-1'), undefined);
  assert.is(v('bits.rsh', '-7', '1'), '-4');
  assert.is(v('bits.rsh', '-7', '100'), '-1');
  assert.is(v('bits.xor', '7.2', '42'), undefined);
});

test('string basics', () => {
  assert.is(v('concat', '"/"', '["", "foo", "bar"]'), '"/foo/bar"');
  assert.is(v('concat', '","', '{"b", "a"}'), '"a,b"');
  assert.is(v('concat', '","', '["a", 1]'), undefined);
  assert.is(v('contains', '"abc"', '""'), 'true');
  assert.is(v('startswith', '"abc"', '"abcd"'), 'false');
  assert.is(v('endswith', '"abc"', '"bc"'), 'true');
  assert.is(v('upper', '"AbcÉé ωΩ ж"'), '"ABCÉÉ ΩΩ Ж"');
  assert.is(v('lower', '"ÀÉÎ ΩΣ ДЖ"'), '"àéî ωσ дж"');
  assert.is(v('split', '"a.b.c"', '"."'), '["a","b","c"]');
  assert.is(v('split', '"té"', '""'), '["t","é"]');
  assert.is(v('split', '""', '""'), '[]');
  assert.is(v('split', '""', '"."'), '[""]');
  assert.is(v('replace', '"aaa"', '"a"', '"bb"'), '"bbbbbb"');
  assert.is(v('replace', '"ab"', '""', '"X"'), '"XaXbX"');
});

test('strings.split_n keeps the first n parts, or the last -n', () => {
  assert.is(v('strings.split_n', '"a.b.c.d"', '"."', '2'), '["a","b"]');
  assert.is(v('strings.split_n', '"a.b.c.d"', '"."', '-2'), '["c","d"]');
  assert.is(v('strings.split_n', '"a.b.c.d"', '"."', '10'), '["a","b","c","d"]');
  assert.is(v('strings.split_n', '"a.b"', '"."', '0'), '[]');
  assert.is(v('strings.split_n', '"abc"', '""', '-2'), '["b","c"]');
  assert.is(v('strings.split_n', '""', '"."', '2'), '[""]');
  assert.is(v('strings.split_n', '"a.b"', '"."', '1.5'), undefined);
});

test('strings.replace_n follows Go replacer priority', () => {
  assert.is(v('strings.replace_n', '{"f": "x", "foo": "xxx"}', '"foobar"'), '"xoobar"');
  assert.is(v('strings.replace_n', '{"": "X", "a": "Y"}', '"ab"'), '"XYXbX"');
  assert.is(v('strings.replace_n', '{"": "-", "é": "e"}', '"aéb"'), '"-a-e-b-"');
  assert.is(v('strings.replace_n', '{"a": 1}', '"a"'), undefined);
});

test('trimming', () => {
  assert.is(v('trim', '"...foo.bar..."', '".fr"'), '"oo.ba"');
  assert.is(v('trim_left', '"ééxé"', '"é"'), '"xé"');
  assert.is(v('trim_right', '"xéé"', '"é"'), '"x"');
  assert.is(v('trim', '"aaa"', '"a"'), '""');
  assert.is(v('trim_space', '" \\t x y \\n"'), '"x y"');
  assert.is(v('trim_space', '"\u3000x\u00a0"'), '"x"');
  assert.is(v('trim_prefix', '"foobar"', '"foo"'), '"bar"');
  assert.is(v('trim_prefix', '"foobar"', '"bar"'), '"foobar"');
  assert.is(v('trim_suffix', '"foobar"', '"bar"'), '"foo"');
});

test('code point positions', () => {
  assert.is(v('indexof', '"skön var våren"', '"vår"'), '9');
  assert.is(v('indexof', '"abc"', '"x"'), '-1');
  assert.is(v('indexof_n', '"😇😀😇😀"', '"😀"'), '[1,3]');
  assert.is(v('indexof_n', '"aaa"', '"aa"'), '[0,1]');
  assert.is(v('strings.count', '"cheese"', '"e"'), '3');
  assert.is(v('strings.count', '"five"', '""'), '5');
  assert.is(v('substring', '"abcdefghåäö"', '2', '10000'), '"cdefghåäö"');
  assert.is(v('substring', '"åäö"', '1', '1'), '"ä"');
  assert.is(v('substring', '"åäö"', '4', '-1'), '""');
  assert.is(v('substring', '"åäö"', '-1', '1'), undefined);
  assert.is(v('strings.reverse', '"abç😀"'), '"😀çba"');
  assert.is(v('strings.any_prefix_match', '["abc", "x"]', '"ab"'), 'true');
  assert.is(v('strings.any_suffix_match', '"abc"', '{"z"}'), 'false');
  assert.is(v('strings.any_suffix_match', '"abc"', '[1]'), undefined);
});

test('sprintf: Go verbs, flags and OPA argument conversion', () => {
  const s = (f: string, args: string): string | undefined => {
    const r = v('sprintf', JSON.stringify(f), args);
    return r === undefined ? undefined : (JSON.parse(r) as string);
  };
  assert.is(s('hi %02X.%02X', '[127, 1]'), 'hi 7F.01');
  assert.is(s('%s %v %d', '[true, {"a": [1, "x"]}, 123456789123456789123]'), 'true {"a": [1, "x"]} 123456789123456789123');
  assert.is(s('%s', '[123456789123456789123]'), '123456789123456789123');
  assert.is(s('%q|%v|%v', '["é\\n", {2, 1}, set()]'), '"é\\n"|{1, 2}|set()');
  assert.is(s('%v %v %v %v', '[1.5, 0.00001, 1234567.5, 100000.5]'), '1.5 1e-05 1.2345675e+06 100000.5');
  assert.is(s('%.2f %e %g %5.1f %E', '[2.675, 1234.5678, 0.1, 3.14159, 0.5]'), '2.67 1.234568e+03 0.1   3.1 5.000000E-01');
  assert.is(s('|%-5d|%05d|%+d|% d|%x|%o|%b|%#x|%%', '[42, -42, 7, 7, -255, 8, 5, 255]'), '|42   |-0042|+7| 7|-ff|10|101|0xff|%');
  assert.is(s('%s %d %t', '[5, "a", true]'), '%!s(int=5) %!d(string=a) %!t(string=true)');
  assert.is(s('%d %d', '[1]'), '1 %!d(MISSING)');
  assert.is(s('%d', '[1, 2, "x"]'), '1%!(EXTRA int=2, string=x)');
  assert.is(s('%.3s|%5s|%-5s|%x|%05s', '["abcdef", "ab", "ab", "hi", "ab"]'), 'abc|   ab|ab   |6869|000ab');
  assert.is(s('%d', '[1.5]'), '%!d(float64=1.5)');
  assert.is(s('%c%c', '[72, 105]'), 'Hi');
  assert.is(s('100%', '[]'), '100%!(NOVERB)');
  assert.is(s('%v', '[null]'), 'null');
  assert.is(v('sprintf', '1', '[]'), undefined);
  assert.is(v('sprintf', '"%d"', '{1}'), undefined);
});

test('arrays, objects and sets', () => {
  assert.is(v('array.concat', '[1]', '[2, 3]'), '[1,2,3]');
  assert.is(v('array.slice', '[1, 2, 3, 4]', '1', '3'), '[2,3]');
  assert.is(v('array.slice', '[1, 2]', '-5', '10'), '[1,2]');
  assert.is(v('array.slice', '[1, 2]', '2', '1'), '[]');
  assert.is(v('array.reverse', '[1, 2, 3]'), '[3,2,1]');
  assert.is(v('array.flatten', '[[1, 2], "s", [3, {"a": "b"}], 4.5, [6, [7, 8]]]'), '[1,2,"s",3,{"a":"b"},4.5,6,[7,8]]');
  assert.is(v('array.flatten', '[]'), '[]');
  assert.is(v('array.flatten', '42'), undefined);
  assert.is(v('object.get', '{"a": {"b": [{"c": 1}]}}', '["a", "b", 0, "c"]', '2'), '1');
  assert.is(v('object.get', '{"a": 1}', '[]', '2'), '{"a":1}');
  assert.is(v('object.get', '{1: 2}', '2', '3'), '3');
  assert.is(v('object.get', '"x"', '"a"', '3'), undefined);
  assert.is(v('object.keys', '{"a": 1, "b": 2}'), '{"a","b"}');
  assert.is(v('object.remove', '{"a": 1, "b": 2}', '["a"]'), '{"b":2}');
  assert.is(v('object.remove', '{"a": 1, "b": 2}', '{"b": 0}'), '{"a":1}');
  assert.is(v('object.filter', '{"a": 1, "b": 2}', '{"b"}'), '{"b":2}');
  assert.is(v('object.filter', '{"a": 1}', '"a"'), undefined);
  assert.is(v('object.union', '{"a": {"x": 1, "y": 2}, "b": 1}', '{"a": {"y": 3}, "c": 2}'), '{"a":{"x":1,"y":3},"b":1,"c":2}');
  assert.is(v('object.union_n', '[{"a": 1}, {"a": 2, "b": 1}, {"c": 3}]'), '{"a":2,"b":1,"c":3}');
  assert.is(v('object.union_n', '[]'), '{}');
  assert.is(v('object.subset', '{"a": "b", "c": {"x": {10, 15, 20, 25}, "y": "z"}}', '{"c": {"x": {10, 15, 20}}}'), 'true');
  assert.is(v('object.subset', '[1, 2, 3, 4]', '[2, 3]'), 'true');
  assert.is(v('object.subset', '[1, 2, 3]', '[1, 3]'), 'false');
  assert.is(v('object.subset', '[1, 2, 3]', '{3, 1}'), 'true');
  assert.is(v('object.subset', '{1}', '[1]'), undefined);
  assert.is(v('union', '{{1, 2}, {2, 3}}'), '{1,2,3}');
  assert.is(v('intersection', '{{1, 2}, {2, 3}}'), '{2}');
  assert.is(v('intersection', 'set()'), 'set()');
  assert.is(v('union', '{1}'), undefined);
});

test('json builtins', () => {
  assert.is(v('json.filter', '{"a": {"b": 1, "c": 2}, "d": 3}', '["a/b", "d"]'), '{"a":{"b":1},"d":3}');
  assert.is(v('json.filter', '{"a": [{"x": 1, "y": 2}, {"x": 3}]}', '[["a", 0, "x"]]'), '{"a":[{"x":1}]}');
  assert.is(v('json.filter', '{"a/b": 1, "c": 2}', '["a~1b"]'), '{"a/b":1}');
  assert.is(v('json.remove', '{"a": {"b": 1, "c": 2}, "d": 3}', '{"a/b"}'), '{"a":{"c":2},"d":3}');
  assert.is(v('json.remove', '{"a": [1, 2, 3]}', '["a/1"]'), '{"a":[1,3]}');
  assert.is(v('json.remove', '{"a": 1}', '[1]'), undefined);
  assert.is(h.call('json.marshal', '{"b": [1, 2.50], "a": "<&>"}'), '"{\\"a\\":\\"\\\\u003c\\\\u0026\\\\u003e\\",\\"b\\":[1,2.50]}"');
  assert.is(v('json.marshal', '{3, 1}'), '"[1,3]"');
  const pretty = (x: string, o: string): unknown => {
    const r = h.call('json.marshal_with_options', x, o);
    return r === undefined ? undefined : JSON.parse(r);
  };
  assert.is(pretty('[1, 2]', '{"prefix": "JSON => "}'), 'JSON => [\nJSON => \t1,\nJSON => \t2\nJSON => ]');
  assert.is(pretty('{"b": "<x>", "a": [[]]}', '{"indent": "  "}'), '{\n  "a": [\n    []\n  ],\n  "b": "\\u003cx\\u003e"\n}');
  assert.is(pretty('[]', '{"indent": "    ", "prefix": "---"}'), '---[]');
  assert.is(pretty('[1, 2]', '{}'), '[1,2]');
  assert.is(pretty('[1, 2]', '{"pretty": false, "indent": "x"}'), '[1,2]');
  assert.is(pretty('[1]', '{"unknown": true}'), undefined);
  assert.is(pretty('[1]', '{"indent": 1}'), undefined);
  assert.is(v('json.unmarshal', '"{\\"a\\": [1, true]}"'), '{"a":[1,true]}');
  assert.is(v('json.unmarshal', '"{bad"'), undefined);
  assert.is(v('json.is_valid', '"[1,2]"'), 'true');
  assert.is(v('json.is_valid', '"[1,"'), 'false');
  assert.is(v('json.is_valid', '1'), 'false');
});

test('every native builtin survives arguments of every type without trapping', () => {
  const values = ['null', 'true', '-3', '1.5', '""', '"ab"', '[1, "a"]', '{"a": 1}', '{1}', 'set()'];
  let calls = 0;
  for (const [name, { arity }] of Object.entries(NATIVE_BUILTINS)) {
    const combos: string[][] = [[]];
    for (let i = 0; i < arity; i++) {
      const next: string[][] = [];
      for (const c of combos) for (const x of values) next.push([...c, x]);
      combos.splice(0, combos.length, ...next);
    }
    for (const args of combos) {
      try {
        h.callValue(name, ...args);
      } catch (e) {
        assert.unreachable(`${name}(${args.join(', ')}) trapped: ${String(e)}`);
      }
      calls++;
    }
  }
  assert.ok(calls > 1000);
});

test('calls do not leak memory across heap resets', () => {
  const before = h.heap();
  for (let i = 0; i < 2000; i++) v('sprintf', '"%v-%d"', '[{"a": [1, 2]}, 7]');
  assert.is(h.heap(), before);
});

test.run();
