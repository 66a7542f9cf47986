// Hand-built IR policies with expected results, run over the stand-in runtime and through the
// real runtime with the OPA SDK. Results are result sets: arrays of {"result": value}.
import type { Policy, Stmt } from '../../src/rego/ir.ts';
import { B, L, PolicyBuilder, blk } from './ir-build.ts';

export type HostBuiltins = Record<string, (...args: unknown[]) => unknown>;

export interface Check {
  /** Entrypoint id. */
  ep: number;
  /** Omitted: no input. */
  input?: unknown;
  data?: Record<string, unknown>;
  /** Expected result set; a RegExp: the evaluation throws a matching message. */
  expect: unknown[] | RegExp;
  note?: string;
}

export interface Case {
  name: string;
  policy: Policy;
  host?: HostBuiltins;
  checks: Check[];
}

/** A JS Set marks an input value the stand-in runtime should build as a Rego set. */
const rs = (v: unknown): unknown[] => [{ result: v }];

function eqCase(): Case {
  const b = new PolicyBuilder();
  b.plan('t/eq', [
    { type: 'Dot', source: L(0), key: b.s('x'), target: 2 },
    { type: 'MakeNumberInt', value: 1, target: 3 },
    { type: 'Equal', a: L(2), b: L(3) },
    { type: 'AssignVar', source: B(true), target: 4 },
    ...b.result(4, 5),
  ]);
  return {
    name: 'input.x == 1',
    policy: b.build(),
    checks: [
      { ep: 0, input: { x: 1 }, expect: rs(true) },
      { ep: 0, input: { x: 1.0 }, expect: rs(true) },
      { ep: 0, input: { x: 2 }, expect: [] },
      { ep: 0, input: { x: '1' }, expect: [] },
      { ep: 0, input: { y: 1 }, expect: [] },
      { ep: 0, input: 'not an object', expect: [] },
      { ep: 0, expect: [], note: 'no input' },
      { ep: 7, input: {}, expect: /^invalid entrypoint id$/, note: 'unknown entrypoint id' },
    ],
  };
}

function scanSetCase(): Case {
  const b = new PolicyBuilder();
  b.plan('t/scan', [
    { type: 'MakeSet', target: 2 },
    { type: 'Dot', source: L(0), key: b.s('xs'), target: 3 },
    { type: 'Scan', source: 3, key: 4, value: 5, block: blk([
      { type: 'NotEqual', a: L(5), b: b.s('b') },
      { type: 'SetAdd', set: 2, value: L(5) },
    ]) },
    ...b.result(2, 6),
  ]);
  return {
    name: 'Scan builds a set; a failing body continues; non-collections scan nothing',
    policy: b.build(),
    checks: [
      { ep: 0, input: { xs: ['c', 'a', 'b', 'c'] }, expect: rs(['a', 'c']) },
      { ep: 0, input: { xs: { k1: 'b', k2: 'z' } }, expect: rs(['z']) },
      { ep: 0, input: { xs: 'abc' }, expect: rs([]) },
      { ep: 0, input: { xs: 12 }, expect: rs([]) },
      { ep: 0, input: { xs: [] }, expect: rs([]) },
      { ep: 0, input: {}, expect: [] },
    ],
  };
}

function scanKeysCase(): Case {
  const b = new PolicyBuilder();
  b.plan('t/keys', [
    { type: 'MakeArray', capacity: 4, target: 2 },
    { type: 'Scan', source: 0, key: 3, value: 4, block: blk([
      { type: 'MakeArray', capacity: 2, target: 5 },
      { type: 'ArrayAppend', array: 5, value: L(3) },
      { type: 'ArrayAppend', array: 5, value: L(4) },
      { type: 'ArrayAppend', array: 2, value: L(5) },
    ]) },
    ...b.result(2, 6),
  ]);
  // Only the key is read here: the value is never assigned.
  b.plan('t/keys-only', [
    { type: 'MakeSet', target: 2 },
    { type: 'Scan', source: 0, key: 3, value: 4, block: blk([{ type: 'SetAdd', set: 2, value: L(3) }]) },
    ...b.result(2, 6),
  ]);
  return {
    name: 'Scan assigns keys: array indexes, object keys',
    policy: b.build(),
    checks: [
      { ep: 0, input: ['x', 'y'], expect: rs([[0, 'x'], [1, 'y']]) },
      { ep: 0, input: { a: 1 }, expect: rs([['a', 1]]) },
      { ep: 1, input: ['x', 'y', 'z'], expect: rs([0, 1, 2]) },
      { ep: 1, input: { b: 1, a: 2 }, expect: rs(['a', 'b']) },
    ],
  };
}

function notCase(): Case {
  const b = new PolicyBuilder();
  b.plan('t/not', [
    { type: 'Not', block: blk([
      { type: 'Dot', source: L(0), key: b.s('deny'), target: 2 },
      { type: 'Equal', a: L(2), b: B(true) },
    ]) },
    { type: 'AssignVar', source: b.s('allowed'), target: 3 },
    ...b.result(3, 4),
  ]);
  // A Break out of the Not's own block also counts as stopping early.
  b.plan('t/not-break', [
    { type: 'Not', block: blk([
      { type: 'Dot', source: L(0), key: b.s('skip'), target: 2 },
      { type: 'Break', index: 0 },
    ]) },
    { type: 'AssignVar', source: b.s('yes'), target: 3 },
    ...b.result(3, 4),
  ]);
  return {
    name: 'Not: defined iff its block stops early',
    policy: b.build(),
    checks: [
      { ep: 0, input: {}, expect: rs('allowed') },
      { ep: 0, input: { deny: false }, expect: rs('allowed') },
      { ep: 0, input: { deny: true }, expect: [] },
      { ep: 0, expect: rs('allowed'), note: 'no input' },
      { ep: 1, input: {}, expect: rs('yes') },
      { ep: 1, input: { skip: 1 }, expect: rs('yes') },
    ],
  };
}

function breakCase(): Case {
  const b = new PolicyBuilder();
  const mark = (s: string): Stmt => ({ type: 'ArrayAppend', array: 2, value: b.s(s) });
  b.plan('t/break', [
    { type: 'MakeArray', capacity: 8, target: 2 },
    { type: 'Block', blocks: [
      blk([mark('a'), { type: 'Dot', source: L(0), key: b.s('missing'), target: 3 }, mark('never')]),
      blk([mark('b'), { type: 'Block', blocks: [blk([mark('c'), { type: 'Break', index: 1 }, mark('never')]), blk([mark('never')])] }, mark('never')]),
      blk([mark('d'), { type: 'Block', blocks: [blk([{ type: 'Break', index: 0 }, mark('never')]), blk([mark('e')])] }, mark('f')]),
    ] },
    mark('g'),
    ...b.result(2, 4),
  ]);
  b.plan('t/first', [
    { type: 'Block', blocks: [blk([
      { type: 'Scan', source: 0, key: 2, value: 3, block: blk([
        { type: 'NotEqual', a: L(3), b: b.s('skip') },
        { type: 'AssignVar', source: L(3), target: 4 },
        { type: 'Break', index: 1 },
      ]) },
    ])] },
    ...b.result(4, 5),
  ]);
  return {
    name: 'Block runs every sub-block; Break leaves the n-th enclosing block, also out of a Scan',
    policy: b.build(),
    checks: [
      { ep: 0, input: {}, expect: rs(['a', 'b', 'c', 'd', 'e', 'f', 'g']) },
      { ep: 1, input: ['skip', 'x', 'y'], expect: rs('x') },
    ],
  };
}

function funcCase(): Case {
  const b = new PolicyBuilder();
  // f(input, data, a): "big" when a == 10, else falls off the end with result l4 ("small")
  b.func('g0.data.t.f', [0, 1, 2], 4,
    [{ type: 'MakeNumberInt', value: 10, target: 3 }, { type: 'Equal', a: L(2), b: L(3) }, { type: 'AssignVar', source: b.s('big'), target: 5 }, { type: 'ReturnLocal', source: 5 }],
    [{ type: 'AssignVar', source: b.s('small'), target: 4 }]);
  // u(input, data): undefined unless input.u is set
  b.func('g0.data.t.u', [0, 1], 2, [{ type: 'Dot', source: L(0), key: b.s('u'), target: 2 }]);
  // d(input, data): data.limits.max
  b.func('g0.data.t.d', [0, 1], 2, [{ type: 'Dot', source: L(1), key: b.s('limits'), target: 3 }, { type: 'Dot', source: L(3), key: b.s('max'), target: 2 }]);
  b.plan('t/call', [
    { type: 'Dot', source: L(0), key: b.s('n'), target: 2 },
    { type: 'Call', func: 'g0.data.t.f', args: [L(0), L(1), L(2)], result: 3 },
    ...b.result(3, 4),
  ]);
  b.plan('t/undef', [{ type: 'Call', func: 'g0.data.t.u', args: [L(0), L(1)], result: 3 }, ...b.result(3, 4)]);
  b.plan('t/data', [{ type: 'Call', func: 'g0.data.t.d', args: [L(0), L(1)], result: 3 }, ...b.result(3, 4)]);
  return {
    name: 'functions: direct calls, ReturnLocal, falling off the end, undefined results, data',
    policy: b.build(),
    checks: [
      { ep: 0, input: { n: 10 }, expect: rs('big') },
      { ep: 0, input: { n: 3 }, expect: rs('small') },
      { ep: 1, input: {}, expect: [] },
      { ep: 1, expect: [], note: 'undefined input passed to a function' },
      { ep: 1, input: { u: 'x' }, expect: rs('x') },
      { ep: 2, input: {}, expect: [] },
      { ep: 2, input: {}, data: { limits: { max: 5 } }, expect: rs(5) },
    ],
  };
}

function withCase(): Case {
  const b = new PolicyBuilder();
  b.func('g0.data.t.x', [0, 1], 2, [{ type: 'Dot', source: L(0), key: b.s('x'), target: 3 }, { type: 'Dot', source: L(3), key: b.s('y'), target: 2 }]);
  const readX = (into: number): Stmt => ({ type: 'Call', func: 'g0.data.t.x', args: [L(0), L(1)], result: into });
  const tryRead = (into: number): Stmt => ({ type: 'Block', blocks: [blk([readX(into), { type: 'ArrayAppend', array: 2, value: L(into) }])] });
  b.plan('t/with', [
    { type: 'MakeArray', capacity: 4, target: 2 },
    { type: 'With', local: 0, path: [b.si('x'), b.si('y')], value: b.s('patched'), block: blk([
      readX(3), { type: 'ArrayAppend', array: 2, value: L(3) },
    ]) },
    tryRead(4),
    // A Break out of a With (and an enclosing block) restores the local.
    { type: 'Block', blocks: [blk([
      { type: 'With', local: 0, path: [b.si('x')], value: b.s('flat'), block: blk([{ type: 'Break', index: 1 }]) },
    ])] },
    tryRead(5),
    // So does a failure inside the With body.
    { type: 'With', local: 0, path: [], value: b.s('whole'), block: blk([{ type: 'IsArray', source: L(0) }]) },
    tryRead(6),
    ...b.result(2, 7),
  ]);
  b.plan('t/nested', [
    { type: 'MakeArray', capacity: 4, target: 2 },
    { type: 'With', local: 0, path: [b.si('a')], value: b.s('one'), block: blk([
      { type: 'Dot', source: L(0), key: b.s('a'), target: 3 },
      { type: 'ArrayAppend', array: 2, value: L(3) },
      { type: 'With', local: 0, path: [b.si('a')], value: b.s('two'), block: blk([
        { type: 'Dot', source: L(0), key: b.s('a'), target: 4 },
        { type: 'ArrayAppend', array: 2, value: L(4) },
        { type: 'Break', index: 1 },
      ]) },
      { type: 'ArrayAppend', array: 2, value: b.s('never') },
    ]) },
    { type: 'Dot', source: L(0), key: b.s('a'), target: 5 },
    { type: 'ArrayAppend', array: 2, value: L(5) },
    ...b.result(2, 6),
  ]);
  return {
    name: 'With replaces a local for its block and restores it on every exit',
    policy: b.build(),
    checks: [
      { ep: 0, input: { x: { y: 'orig' } }, expect: rs(['patched', 'orig', 'orig', 'orig']) },
      { ep: 0, input: {}, expect: rs(['patched']) },
      { ep: 0, input: { x: 'scalar' }, expect: rs(['patched']) },
      { ep: 1, input: { a: 'zero' }, expect: rs(['one', 'two', 'zero']) },
    ],
  };
}

function builtinCase(): Case {
  const b = new PolicyBuilder();
  b.builtin('count', 1).builtin('custom.upper', 1).builtin('custom.join3', 3).builtin('custom.none', 0);
  b.plan('t/bi', [
    { type: 'Call', func: 'count', args: [L(0)], result: 2 },
    { type: 'MakeNumberInt', value: 2, target: 8 },
    { type: 'Dot', source: L(0), key: L(8), target: 9 },
    { type: 'Call', func: 'custom.upper', args: [L(9)], result: 3 },
    { type: 'Call', func: 'custom.join3', args: [L(3), b.s('-'), L(9)], result: 4 },
    { type: 'Call', func: 'custom.none', args: [], result: 5 },
    { type: 'MakeArray', capacity: 3, target: 6 },
    { type: 'ArrayAppend', array: 6, value: L(2) },
    { type: 'ArrayAppend', array: 6, value: L(4) },
    { type: 'ArrayAppend', array: 6, value: L(5) },
    ...b.result(6, 7),
  ]);
  return {
    name: 'builtins: native (count) and host through opa_builtinN',
    policy: b.build(),
    host: {
      'custom.upper': (s) => (typeof s === 'string' ? s.toUpperCase() : undefined),
      'custom.join3': (a, s, c) => `${String(a)}${String(s)}${String(c)}`,
      'custom.none': () => 'zero-args',
    },
    checks: [
      { ep: 0, input: ['a', 'b'], expect: [], note: 'input[2] is undefined' },
      { ep: 0, input: ['a', 'b', 'c'], expect: rs([3, 'C-c', 'zero-args']) },
      { ep: 0, input: ['a', 'b', 7], expect: [], note: 'host returned undefined → the call fails' },
      { ep: 0, expect: [], note: 'no input: count(input) fails' },
    ],
  };
}

function conflictCase(): Case {
  const b = new PolicyBuilder();
  b.plan('t/once', [
    { type: 'Scan', source: 0, key: 2, value: 3, block: blk([{ type: 'AssignVarOnce', source: L(3), target: 4 }]) },
    ...b.result(4, 5),
  ]);
  b.plan('t/keys', [
    { type: 'MakeObject', target: 2 },
    { type: 'Scan', source: 0, key: 3, value: 4, block: blk([{ type: 'ObjectInsertOnce', object: 2, key: b.s('k'), value: L(4) }]) },
    ...b.result(2, 5),
  ]);
  b.plan('t/abort', [
    { type: 'Dot', source: L(0), key: b.s('boom'), target: 2 },
    { type: 'Abort', code: b.si('eval_type_error'), message: b.si('boom requested') },
  ]);
  return {
    name: 'conflicts and Abort end the evaluation with the message',
    policy: b.build(),
    checks: [
      { ep: 0, input: ['a', 'a'], expect: rs('a') },
      { ep: 0, input: ['a', 'b'], expect: /^eval_conflict_error: complete rules must not produce multiple outputs$/ },
      { ep: 1, input: [1, 1], expect: rs({ k: 1 }) },
      { ep: 1, input: [1, 2], expect: /^eval_conflict_error: object keys must be unique$/ },
      { ep: 2, input: {}, expect: [] },
      { ep: 2, input: { boom: 1 }, expect: /^eval_type_error: boom requested$/ },
    ],
  };
}

function miscCase(): Case {
  const b = new PolicyBuilder();
  const put = (k: string, l: number): Stmt => ({ type: 'ObjectInsert', object: 2, key: b.s(k), value: L(l) });
  const tryBlock = (...stmts: Stmt[]): Stmt => ({ type: 'Block', blocks: [blk(stmts)] });
  b.plan('t/misc', [
    { type: 'MakeObject', target: 2 },
    { type: 'Dot', source: L(0), key: b.s('v'), target: 3 },
    tryBlock({ type: 'IsArray', source: L(3) }, { type: 'AssignVar', source: B(true), target: 10 }, put('array', 10)),
    tryBlock({ type: 'IsObject', source: L(3) }, { type: 'AssignVar', source: B(true), target: 10 }, put('object', 10)),
    tryBlock({ type: 'IsSet', source: L(3) }, { type: 'AssignVar', source: B(true), target: 10 }, put('set', 10)),
    tryBlock({ type: 'IsArray', source: b.s('x') }, put('never', 3)),
    tryBlock({ type: 'Len', source: L(3), target: 11 }, put('len', 11)),
    tryBlock({ type: 'MakeNumberRef', index: b.si('1.5'), target: 12 }, put('ref', 12)),
    tryBlock({ type: 'MakeNumberInt', value: -5_000_000_000, target: 13 }, put('big', 13)),
    tryBlock({ type: 'MakeNumberRef', index: b.si('-42'), target: 21 }, put('refint', 21)),
    tryBlock({ type: 'MakeNumberRef', index: b.si('12345678901234567890'), target: 22 }, put('huge', 22)),
    tryBlock({ type: 'MakeNumberRef', index: b.si('7'), target: 23 }, { type: 'Dot', source: L(0), key: b.s('seven'), target: 24 },
      { type: 'Equal', a: L(23), b: L(24) }, put('seven', 24)),
    tryBlock({ type: 'MakeNull', target: 14 }, put('null', 14)),
    tryBlock({ type: 'IsUndefined', source: 15 }, { type: 'AssignVar', source: B(false), target: 15 }, { type: 'IsDefined', source: 15 }, put('defined', 15)),
    tryBlock({ type: 'ResetLocal', target: 15 }, { type: 'IsDefined', source: 15 }, put('never', 15)),
    tryBlock({ type: 'Dot', source: L(0), key: b.s('m'), target: 16 }, { type: 'ObjectMerge', a: 16, b: 3, target: 17 }, put('merged', 17)),
    // A set built in the plan, to test IsSet and Len on sets.
    tryBlock({ type: 'MakeSet', target: 18 }, { type: 'SetAdd', set: 18, value: b.s('e') }, { type: 'IsSet', source: L(18) },
      { type: 'Len', source: L(18), target: 19 }, put('setlen', 19)),
    ...b.result(2, 20),
  ]);
  const base = { ref: 1.5, big: -5_000_000_000, refint: -42, huge: 12345678901234567890, null: null, defined: false, setlen: 1 };
  return {
    name: 'type tests, Len, numbers, merge, reset, defined tests',
    policy: b.build(),
    checks: [
      { ep: 0, input: { v: [1, 2] }, expect: rs({ ...base, array: true, len: 2 }) },
      { ep: 0, input: { v: 'héllo' }, expect: rs({ ...base, len: 5 }) },
      { ep: 0, input: { v: 7 }, expect: rs(base) },
      { ep: 0, input: { v: 7, seven: 7.0 }, expect: rs({ ...base, seven: 7 }) },
      { ep: 0, input: { v: { a: 1, b: { c: 1 } }, m: { b: { d: 2 }, e: 3 } },
        expect: rs({ ...base, object: true, len: 2, merged: { a: 1, b: { c: 1, d: 2 }, e: 3 } }) },
      { ep: 0, input: { v: { a: 1 }, m: { a: 2 } }, expect: rs({ ...base, object: true, len: 1, merged: { a: 2 } }), note: 'a wins' },
    ],
  };
}

export function cases(): Case[] {
  return [eqCase(), scanSetCase(), scanKeysCase(), notCase(), breakCase(), funcCase(), withCase(), builtinCase(), conflictCase(), miscCase()];
}
