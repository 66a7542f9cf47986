// Parse errors: the code, the position (file:row:col) and a message that says what to fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseModule, parseQuery, parseTerm } from '../../src/rego/parser.ts';
import { RegoErrors } from '../../src/rego/ast.ts';

function errorsOf(f: () => unknown): RegoErrors {
  try {
    f();
  } catch (e) {
    if (e instanceof RegoErrors) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

/** [module body after `package p\n`, row, col, message fragment] */
const cases: Array<[string, number, number, string]> = [
  // missing `if`, missing `contains`
  ['p { true }', 2, 3, '`if` keyword is required before rule body'],
  ['f(x) { true }', 2, 6, '`if` keyword is required before function body'],
  ['p contains x { x := 1 }', 2, 14, '`if` keyword is required before rule body'],
  ['p[x] { x := 1 }', 2, 6, '`if` keyword is required before rule body'],
  ['p[x]', 2, 1, '`contains` keyword is required for partial set rules'],
  ['p := 1 if { true } else = 2 { true }', 2, 29, '`if` keyword is required before rule body'],
  // unclosed / stray brackets
  ['p if {\n  x := 1\n', 4, 1, 'unexpected end of input: expected `}` (the `{` at 2:6 is never closed)'],
  ['p if { x := [1, 2 }', 2, 19, 'unexpected `}`: expected `,` or `]`'],
  ['p if { x := f(1, }', 2, 18, 'unexpected `}`: expected a term or `)`'],
  ['p if { x := (1 + 2 }', 2, 20, 'expected `)`'],
  ['p if { x := 1 }}', 2, 16, 'unexpected `}`: expected a rule'],
  ['p if { true } else if { }', 2, 25, 'empty body'],
  ['p := [x | ]', 2, 11, 'empty body'],
  // strings and numbers
  ['p := "a\\qb"', 2, 8, 'invalid escape `\\q` in string'],
  ['p := "\\u12"', 2, 7, '\\u must be followed by four hex digits'],
  ['p := "abc\nq := 1', 2, 6, 'unterminated string'],
  ['p := `abc', 2, 6, 'unterminated raw string'],
  ['p := 01', 2, 6, 'leading zeros'],
  ['p := 1.', 2, 6, 'expected digits after the decimal point'],
  ['p := 1e', 2, 6, 'expected digits in the exponent'],
  ['p := 12abc', 2, 6, 'names cannot start with a digit'],
  ['p := 1e99999', 2, 6, 'number too big'],
  // rule heads
  ['"a" := 1', 2, 1, 'unexpected string "a": expected a rule'],
  ['[x] := 1', 2, 1, 'unexpected `[`: expected a rule'],
  ['1 := x', 2, 1, 'unexpected number 1: expected a rule'],
  ['p + 1 := 2', 2, 3, 'a rule head cannot contain operators'],
  ['if := 1', 2, 1, '`if` is a keyword and cannot be used as a rule name'],
  ['contains := 1', 2, 1, '`contains` is a keyword'],
  ['p if { true }\nnot := 1', 3, 1, '`not` is a keyword'],
  ['input := 1', 2, 1, '`input` cannot be used as a rule name'],
  ['data.x := 1', 2, 1, '`data` cannot be used as a rule name'],
  ['_ := 1', 2, 1, '`_` cannot be used as a rule name'],
  ['p', 2, 1, 'rule must have a value assignment and/or a body'],
  ['f(x)', 2, 1, 'function must have a value assignment and/or a body'],
  ['f() := 1', 2, 2, 'functions must take at least one argument'],
  ['f(x) contains 1', 2, 6, '`contains` keyword can only be used with multi-value rules'],
  ['p :=', 2, 5, 'expected a value after `:=`'],
  ['p := 1 else := 2', 2, 8, '`else` must follow a rule body'],
  ['p[x] := 1 if { x := 1 } else := 2', 2, 25, 'else keyword cannot be used on rules with variables in head'],
  ['p contains 1 if { true } else := 2', 2, 26, 'else keyword cannot be used on multi-value rules'],
  ['p if { true } else', 2, 19, 'expected `:= <value>`, `if` or a body after `else`'],
  ['p if', 2, 5, 'expected a rule body after `if`'],
  // default rules
  ['default p', 2, 1, 'default rule must have a value'],
  ['default p := x', 2, 14, 'default rule value cannot contain a variable'],
  ['default p := input.x', 2, 14, 'default rule value cannot contain a reference'],
  ['default p := count([])', 2, 14, 'default rule value cannot contain a function call'],
  ['default p := 1 if { true }', 2, 16, 'default rules cannot have a body'],
  ['default f(1) := 1', 2, 11, 'default function arguments must be variables'],
  ['default f(x, x) := 1', 2, 14, 'default function arguments cannot be repeated'],
  ['default p contains 1', 2, 11, 'default rules cannot use `contains`'],
  // bodies
  ['p if { x := 1 y := 2 }', 2, 15, 'expected a newline, `;` or `}` after the expression'],
  ['p if { x == 1 and y == 2 }', 2, 15, '`and` is not an operator in Rego 1.0'],
  ['p if { x == 1 or y == 2 }', 2, 15, '`or` is not an operator in Rego 1.0'],
  ['p if { not some x in xs }', 2, 8, '`not` cannot be applied to `some`'],
  ['p if { not every x in xs { x } }', 2, 8, '`not` cannot be applied to `every`'],
  ['p if { some 1 }', 2, 13, 'expected a variable name after `some`'],
  ['p if { some f(x) }', 2, 13, 'expected `x in xs` or `k, v in xs` after `some`'],
  ['p if { some x in [1, 2 }', 2, 24, 'unexpected `}`: expected `,` or `]`'],
  ['p if { some x, 1 }', 2, 16, 'expected a variable name after `,`'],
  ['p if { every x in xs }', 2, 22, 'expected `{` to start the `every` body'],
  ['p if { every x { true } }', 2, 8, 'expected `x in xs` or `k, v in xs` after `every`'],
  ['p if { every [x] in xs { true } }', 2, 14, 'the value in `every x in xs` must be a variable'],
  ['p if { x := y with }', 2, 20, 'expected a reference after `with`'],
  ['p if { x with input }', 2, 21, 'expected `as` after the `with` target'],
  ['p if { x with f(1) as 2 }', 2, 15, 'a `with` target must be a reference'],
  ['p if { x := 1 + }', 2, 17, 'expected a term after `+`'],
  ['p if { x := if }', 2, 13, 'unexpected keyword `if`: expected a value after `:=` (keywords cannot be used as names)'],
  ['p if { in := 1 }', 2, 8, 'unexpected keyword `in`: expected an expression'],
  ['f(some) := 1', 2, 3, 'unexpected keyword `some`'],
  ['p if { some else }', 2, 13, 'expected a variable name after `some`'],
  ['p if { x := }', 2, 13, 'expected a value after `:=`'],
  ['p if { x.y. z }', 2, 13, 'expected a name after `.`'],
  ['p if { "a".b }', 2, 11, 'a reference cannot start with a string'],
  ['p if { x := [1](2) }', 2, 16, 'invalid function name'],
  ['p if { x @ y }', 2, 10, 'unexpected character `@`'],
  ['p if { x ! y }', 2, 10, 'use `not` to negate'],
  ['p if { x := {1: 2, 3} }', 2, 21, 'expected `:` after the object key'],
  ['p if { x := {1, 2: 3} }', 2, 18, 'expected `,` or `}`'],
  ['p if { x := true.y }', 2, 17, 'a reference cannot start with a boolean'],
  // imports and packages
  ['import foo.bar', 2, 8, 'invalid import path: it must begin with data, input, future or rego'],
  ['import future.keywords.foo', 2, 8, 'unknown keyword `foo`'],
  ['import future.keywords.in as x', 2, 8, '`future` imports cannot be aliased'],
  ['import future.stuff', 2, 8, 'must be `future.keywords`'],
  ['import rego.v0', 2, 8, 'must be `rego.v1`'],
  ['import data.x.in', 2, 15, 'import path must not end with a keyword'],
  ['import data.x[y]', 2, 15, 'path elements must be strings'],
  ['import data.x as', 2, 17, 'expected an alias name after `as`'],
  ['package q', 2, 1, 'a module has exactly one package declaration'],
  // newer than Rego 1.0
  ['p := $"x{1"', 2, 6, 'unterminated template string'],
  ['p := $"x{1; 2}"', 2, 10, 'template expression must be a single term'],
  ['import future.keywords.and', 2, 8, 'newer than Rego 1.0'],
  ['import rego.v2', 2, 8, 'newer than Rego 1.0'],
  // METADATA
  ['# METADATA\n# title: [unclosed\np := 1', 3, 1, 'invalid YAML in METADATA block'],
  ['# METADATA\n# scope: nope\np := 1', 2, 1, "invalid annotation scope 'nope'"],
  ['# METADATA\n# scope: package\np := 1', 2, 1, "annotation scope 'package' must be applied to the package"],
  ['# METADATA\np := 1', 2, 1, 'found only whitespace'],
  ['# METADATA\n# title: x\nimport data.x', 2, 1, 'cannot be attached to an import'],
  ['p := 1\n# METADATA\n# title: x', 3, 1, 'must be followed by a rule or the package'],
];

test('common mistakes give a positioned rego_parse_error with a useful message', () => {
  for (const [body, row, col, msg] of cases) {
    const src = `package p\n${body}`;
    const errs = errorsOf(() => parseModule(src, 'm.rego'));
    const e = errs.errors[0]!;
    const where = `for ${JSON.stringify(body)}: got ${e.message}`;
    assert.is(e.code, 'rego_parse_error', where);
    assert.ok(e.details.includes(msg), `message ${where}`);
    assert.equal(e.loc, { file: 'm.rego', row, col }, `position ${where}`);
    assert.ok(errs.message.startsWith(`m.rego:${row}:${col}: rego_parse_error: `), where);
  }
});

test('v0 partial set rules report both missing keywords, as OPA does', () => {
  const errs = errorsOf(() => parseModule('package p\np[x] { x := 1 }', 'm.rego'));
  assert.equal(errs.errors.map((e) => e.details), ['`if` keyword is required before rule body', '`contains` keyword is required for partial set rules']);
});

test('module-level errors', () => {
  assert.match(errorsOf(() => parseModule('', 'e.rego')).message, 'empty module');
  assert.match(errorsOf(() => parseModule('# only a comment\n', 'e.rego')).message, 'empty module');
  assert.match(errorsOf(() => parseModule('p := 1', 'e.rego')).message, 'e.rego:1:1: rego_parse_error: unexpected name `p`: expected `package` declaration first');
  assert.match(errorsOf(() => parseModule('package', 'e.rego')).message, 'expected a package path');
  assert.match(errorsOf(() => parseModule('package a[x]', 'e.rego')).message, 'package path elements must be strings');
});

test('queries and terms', () => {
  assert.match(errorsOf(() => parseQuery('')).message, 'query:1:1: rego_parse_error: empty query');
  assert.match(errorsOf(() => parseQuery('x := 1 y := 2')).message, 'query:1:8: rego_parse_error: unexpected name `y`: expected a newline, `;` or end of input');
  assert.match(errorsOf(() => parseQuery('x :=', 'q.rego')).message, 'q.rego:1:5');
  assert.match(errorsOf(() => parseTerm('1 2')).message, 'expected end of input after the term');
  assert.match(errorsOf(() => parseTerm('x := 1')).message, 'expected end of input after the term');
});

test('deep nesting is an error, not a stack overflow', () => {
  for (const [open, close] of [['[', ']'], ['{', '}'], ['(', ')'], ['f(', ')'], ['[x | y := ', ']']] as const) {
    const src = `package p\np := ${open.repeat(5000)}1${close.repeat(5000)}`;
    const e = errorsOf(() => parseModule(src, 'deep.rego')).errors[0]!;
    assert.match(e.details, 'nested too deeply', open);
  }
  const e = errorsOf(() => parseQuery('x := ' + '-'.repeat(5000) + 'y')).errors[0]!;
  assert.match(e.details, 'nested too deeply');
  const elses = errorsOf(() => parseModule('package p\np := 0 if { false }' + ' else := 1 if { false }'.repeat(3000), 'e.rego')).errors[0]!;
  assert.match(elses.details, 'nested too deeply');
  assert.is(parseModule('package p\np := 0 if { false }' + ' else := 1 if { false }'.repeat(100), 'e.rego').rules.length, 1);
  // long flat chains are loops, not recursion
  assert.is(parseTerm(Array(20000).fill('1').join(' + ')).type, 'call');
  assert.is(parseTerm('a' + '.b'.repeat(20000)).type, 'ref');
  assert.is(parseQuery('x' + ' with input.a as 1'.repeat(5000))[0]!.with.length, 5000);
  // moderately deep input is fine
  const ok = parseTerm('['.repeat(200) + '1' + ']'.repeat(200));
  assert.is(ok.type, 'array');
});

test.run();
