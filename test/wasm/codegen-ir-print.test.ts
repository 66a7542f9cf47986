// The IR printer: stable, readable text for every statement kind.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { printPolicy } from '../../src/rego/ir-print.ts';
import type { Stmt } from '../../src/rego/ir.ts';
import { B, L, PolicyBuilder, blk } from './ir-build.ts';

test('function and plan, as in docs/ir.md', () => {
  const b = new PolicyBuilder();
  b.builtin('count', 1);
  b.func('g0.data.authz.allow', [0, 1], 2, [
    { type: 'Dot', source: L(0), key: b.s('user'), target: 3 },
    { type: 'Equal', a: L(3), b: b.s('alice') },
    { type: 'AssignVarOnce', source: B(true), target: 2 },
  ]);
  b.plan('authz/allow', [
    { type: 'Call', func: 'g0.data.authz.allow', args: [L(0), L(1)], result: 2 },
    { type: 'Not', block: blk([{ type: 'IsUndefined', source: 2 }]) },
    ...b.result(2, 6),
  ]);
  assert.fixture(printPolicy(b.build()), `builtins count/1

func g0.data.authz.allow (l0, l1) → l2 {  # data.authz.allow
  block {
    Dot l0 "user" → l3
    Equal l3 "alice"
    AssignVarOnce true → l2
  }
}

plan "authz/allow" #0 (l0 input, l1 data) {
  block {
    Call g0.data.authz.allow(l0, l1) → l2
    Not {
      IsUndefined l2
    }
    MakeObject → l6
    ObjectInsert l6["result"] = l2
    ResultSetAdd l6
  }
}
`);
});

test('every statement kind prints on its own line', () => {
  const b = new PolicyBuilder();
  const all: Stmt[] = [
    { type: 'ArrayAppend', array: 2, value: L(3) },
    { type: 'AssignVar', source: b.s('q"uote'), target: 2 },
    { type: 'AssignVarOnce', source: L(1), target: 2 },
    { type: 'Block', blocks: [blk([{ type: 'Break', index: 1 }]), blk([])] },
    { type: 'Call', func: 'count', args: [L(0)], result: 4 },
    { type: 'Dot', source: L(0), key: b.s('k'), target: 5 },
    { type: 'Equal', a: L(1), b: B(false) },
    { type: 'NotEqual', a: L(1), b: B(true) },
    { type: 'IsArray', source: L(1) },
    { type: 'IsObject', source: L(1) },
    { type: 'IsSet', source: L(1) },
    { type: 'IsDefined', source: 1 },
    { type: 'IsUndefined', source: 1 },
    { type: 'Len', source: L(1), target: 6 },
    { type: 'MakeNull', target: 7 },
    { type: 'MakeNumberInt', value: -3, target: 8 },
    { type: 'MakeNumberRef', index: b.si('1e400'), target: 9 },
    { type: 'MakeArray', capacity: 2, target: 10 },
    { type: 'MakeObject', target: 11 },
    { type: 'MakeSet', target: 12 },
    { type: 'Not', block: blk([]) },
    { type: 'ObjectInsert', object: 11, key: b.s('a'), value: L(1) },
    { type: 'ObjectInsertOnce', object: 11, key: b.s('a'), value: L(1) },
    { type: 'ObjectMerge', a: 11, b: 1, target: 13 },
    { type: 'ResetLocal', target: 13 },
    { type: 'ResultSetAdd', value: 13 },
    { type: 'ReturnLocal', source: 13 },
    { type: 'Scan', source: 1, key: 14, value: 15, block: blk([]) },
    { type: 'SetAdd', set: 12, value: b.s('x') },
    { type: 'With', local: 0, path: [], value: L(1), block: blk([]) },
    { type: 'Abort', code: b.si('eval_type_error'), message: b.si('bad') },
    { type: 'Dot', source: L(0), key: { type: 'string', index: 999 }, target: 5 },
  ];
  b.plan('all', all);
  const text = printPolicy(b.build());
  const expected = [
    'ArrayAppend l2 += l3', 'AssignVar "q\\"uote" → l2', 'AssignVarOnce l1 → l2', 'Block {', 'Break 1',
    'Call count(l0) → l4', 'Dot l0 "k" → l5', 'Equal l1 false', 'NotEqual l1 true', 'IsArray l1', 'IsObject l1',
    'IsSet l1', 'IsDefined l1', 'IsUndefined l1', 'Len l1 → l6', 'MakeNull → l7', 'MakeNumberInt -3 → l8',
    'MakeNumberRef "1e400" → l9', 'MakeArray 2 → l10', 'MakeObject → l11', 'MakeSet → l12', 'Not {',
    'ObjectInsert l11["a"] = l1', 'ObjectInsertOnce l11["a"] = l1', 'ObjectMerge l11 l1 → l13', 'ResetLocal l13',
    'ResultSetAdd l13', 'ReturnLocal l13', 'Scan l1 (key l14, value l15) {', 'SetAdd l12 += "x"', 'With l0 = l1 {',
    'Abort "eval_type_error" "bad"', 'Dot l0 <bad string #999> → l5',
  ];
  const lines = text.split('\n').map((l) => l.trim());
  for (const e of expected) assert.ok(lines.includes(e), `missing line: ${e}\n${text}`);
  assert.is(printPolicy(b.build()), text, 'stable');
});

test('empty policy prints as an empty line', () => {
  assert.is(printPolicy({ strings: [], builtins: [], funcs: [], plans: [] }), '\n');
});

test.run();
