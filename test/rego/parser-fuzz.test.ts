// Robustness: random bytes, random truncations and token shuffles of valid modules must either
// parse or throw RegoErrors (never another exception, never hang).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { parseModule, parseQuery } from '../../src/rego/parser.ts';
import { RegoErrors } from '../../src/rego/ast.ts';

const VALID = `# METADATA
# title: Sample
package fuzz.sample["x-y"]

import rego.v1
import data.lib.helpers as h

default allow := false

# METADATA
# description: main rule
allow if {
	some role in input.identity.groups
	data.roles[role].perms[_] == "read"
	count([x | x := input.tables[_]; startswith(x, "t")]) > 0
	not deny
	every k, v in {"a": 1} { k != v }
}

deny contains msg if {
	input.flags[i] == true
	msg := sprintf("blocked %v", [i])
} 

obj[k] := v if { some k, v in input.m; v >= -1.5e3 }
a.b[c].d := {"s": {1, 2}, "t": set(), "u": {}} if c := "z"
f(x, [y, _]) := x + y * 2 if { x in {1, 2} } else := 0
g(s) := upper(s) if s != \`raw
string\` with input.x as {"k": [null, true]}
q := 1 if { false } else := 2 if { input.z | {3} } else = 3
`;

function mustBeRegoErrorOrOk(f: () => unknown): 'ok' | 'err' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof RegoErrors) {
      assert.ok(e.errors.length > 0);
      for (const x of e.errors) assert.is(x.code, 'rego_parse_error');
      return 'err';
    }
    throw e;
  }
}

test('the sample module is valid', () => {
  const m = parseModule(VALID, 'fuzz.rego');
  assert.is(m.rules.length, 8);
});

test('every truncation of a valid module parses or throws RegoErrors', () => {
  let errs = 0;
  for (let i = 0; i <= VALID.length; i += 2) {
    if (mustBeRegoErrorOrOk(() => parseModule(VALID.slice(0, i), 't.rego')) === 'err') errs++;
    mustBeRegoErrorOrOk(() => parseQuery(VALID.slice(i, i + 80)));
  }
  assert.ok(errs > VALID.length / 4);
});

test('random byte strings only throw RegoErrors', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const text = Buffer.from(bytes).toString('latin1');
      mustBeRegoErrorOrOk(() => parseModule(text, 'r.rego'));
      mustBeRegoErrorOrOk(() => parseModule('package p\n' + text, 'r.rego'));
      mustBeRegoErrorOrOk(() => parseQuery(text));
    }),
    { numRuns: 600, seed: 7 },
  );
});

test('random strings of Rego-ish characters only throw RegoErrors', () => {
  const alphabet = [...'abcxyz_019 .,;:=!<>+-*/%&|()[]{}"`#\\\n\t$@'].concat(['if', 'contains', 'some', 'every', 'in', 'not', 'with', 'as', 'else', 'default', ':=', 'import', 'package', '\\u', '# METADATA\n']);
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 120 }), (parts) => {
      const text = parts.join('');
      mustBeRegoErrorOrOk(() => parseModule('package p\n' + text, 'r.rego'));
      mustBeRegoErrorOrOk(() => parseQuery(text));
    }),
    { numRuns: 1000, seed: 11 },
  );
});

test('mutations of a valid module (deleted, duplicated, swapped slices) only throw RegoErrors', () => {
  fc.assert(
    fc.property(fc.nat(VALID.length), fc.nat(40), fc.nat(VALID.length), fc.integer({ min: 0, max: 2 }), (at, len, to, kind) => {
      const cut = VALID.slice(at, at + len);
      let text: string;
      if (kind === 0) text = VALID.slice(0, at) + VALID.slice(at + len);
      else if (kind === 1) text = VALID.slice(0, to) + cut + VALID.slice(to);
      else text = VALID.slice(0, at) + VALID.slice(to, to + len) + VALID.slice(at + len);
      mustBeRegoErrorOrOk(() => parseModule(text, 'm.rego'));
    }),
    { numRuns: 800, seed: 3 },
  );
});

test('pathological backtracking input stays fast', () => {
  const t0 = performance.now();
  // comprehension bodies that fail at a comma make the parser re-read `|` as an operator
  let src = 'x';
  for (let i = 0; i < 200; i++) src = `[a | ${src}, b]`;
  mustBeRegoErrorOrOk(() => parseQuery(`y := ${src}`));
  let src2 = 'x';
  for (let i = 0; i < 200; i++) src2 = `{a: b | ${src2}, c: d}`;
  mustBeRegoErrorOrOk(() => parseQuery(`y := ${src2}`));
  let src3 = '1';
  for (let i = 0; i < 300; i++) src3 = `[${src3}]+1`;
  mustBeRegoErrorOrOk(() => parseQuery(`y := ${src3}`));
  const ms = performance.now() - t0;
  assert.ok(ms < 2000, `took ${ms} ms`);
});

test.run();
