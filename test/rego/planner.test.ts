import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileIR } from '../../src/compile.ts';
import { RegoErrors } from '../../src/rego/ast.ts';
import { printPolicy } from '../../src/rego/ir-print.ts';

const ir = (text: string, entrypoints: string[]) => compileIR({ modules: [{ file: 'p.rego', text }], entrypoints });

function errorOf(text: string, entrypoints = ['p/x']): { code: string; message: string; row: number } {
  try {
    ir(text, entrypoints);
  } catch (e) {
    if (e instanceof RegoErrors) {
      const first = e.errors[0]!;
      return { code: first.code, message: first.details, row: first.loc?.row ?? 0 };
    }
    throw e;
  }
  throw new Error('expected a compile error');
}

test('one plan per entrypoint, one function per referenced rule', () => {
  const p = ir('package p\nx if input.a == 1\ny := 2\n', ['p/x', 'p/y']);
  assert.equal(p.plans.map((pl) => pl.name), ['p/x', 'p/y']);
  assert.equal(p.funcs.map((f) => f.path.join('.')), ['p.x', 'p.y']);
});

test('iteration over an unbound key plans a Scan', () => {
  const text = printPolicy(ir('package p\nx contains v if { v := input.xs[_] }\n', ['p/x']));
  assert.match(text, /Scan l\d+ \(key l\d+, value l\d+\)/);
  assert.match(text, /SetAdd/);
});

test('negation plans a flag and IsUndefined', () => {
  const text = printPolicy(ir('package p\nx if { not input.deny }\n', ['p/x']));
  assert.match(text, /ResetLocal/);
  assert.match(text, /IsUndefined/);
});

test('safety reorders expressions so that vars are bound before use', () => {
  const text = printPolicy(ir('package p\nx if { y > 1; y = input.n }\n', ['p/x']));
  const dot = text.indexOf('Dot l0 "n"');
  const gt = text.indexOf('Call gt');
  assert.ok(dot >= 0 && gt > dot, text);
});

test('unsafe vars are reported with their position', () => {
  const e = errorOf('package p\n\nx if { y > 1; true }\n');
  assert.is(e.code, 'rego_unsafe_var_error');
  assert.is(e.message, 'var y is unsafe');
  assert.is(e.row, 3);
});

test('unsafe head vars are reported', () => {
  const e = errorOf('package p\nx := y if { input.a }\n');
  assert.is(e.code, 'rego_unsafe_var_error');
  assert.match(e.message, /var y is unsafe/);
});

test('recursion is an error', () => {
  const e = errorOf('package p\nx if y\ny if x\n');
  assert.is(e.code, 'rego_recursion_error');
  assert.match(e.message, /recursive/);
});

test('undefined functions are errors', () => {
  const e = errorOf('package p\nx if nope(1)\n');
  assert.is(e.code, 'rego_type_error');
  assert.match(e.message, /undefined function nope/);
});

test('arity mismatches are errors', () => {
  const e = errorOf('package p\nx if startswith("a")\n');
  assert.is(e.code, 'rego_type_error');
  assert.match(e.message, /arity/);
});

test('conflicting rule kinds are errors', () => {
  const e = errorOf('package p\nx := 1\nx contains 2\n');
  assert.is(e.code, 'rego_type_error');
  assert.match(e.message, /conflicting rules/);
});

test('imports and package-local names resolve to data refs', () => {
  const text = printPolicy(ir('package p\nimport data.lib.users as u\nx if u[input.name]\n', ['p/x']));
  assert.match(text, /Dot l1 "lib"/);
  assert.match(text, /"users"/);
});

test('with on input patches a copy of input for one expression', () => {
  const text = printPolicy(ir('package p\nx if { y with input.a as 1 }\ny if input.a == 1\n', ['p/x']));
  assert.match(text, /With l\d+\["a"\]/);
});

test.run();
