// The compiler never crashes: any module that parses either compiles to IR or fails with
// RegoErrors. Inputs are real policies with random lines removed, duplicated or swapped, which
// reach the compile passes with unsafe vars, dangling refs, conflicting rules and recursion.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { compileIR } from '../../src/compile.ts';
import { RegoErrors } from '../../src/rego/ast.ts';

const seeds = [
  `package authz
import rego.v1
default allow := false
allow if { input.user == "alice"; not deny }
deny if input.blocked
deny if { some x in input.items; x.kind == "secret" }
names contains n if { some u in input.users; n := u.name }
by_id[u.id] := u if { some u in input.users }
f(x) := y if { y := x + 1 } else := 0
g := f(2)
a.b[k].c := v if { some k, v in input.map }
every_ok if { every x in input.xs { x > 0 } }
w := v if { v := count(names) with input.users as [] }
`,
  `package lib
import rego.v1
import data.authz.names
x := [y | some y in names]
z := {k: v | some k, v in data.authz.by_id}
q if data.authz.allow with data.authz.deny as false
r := sprintf("%v", [x])
s := $"names {x}"
`,
];

function mutate(text: string, ops: Array<[number, number, number]>): string {
  const lines = text.split('\n');
  for (const [op, i, j] of ops) {
    const a = i % lines.length;
    const b = j % lines.length;
    if (op === 0) lines.splice(a, 1);
    else if (op === 1) lines.splice(a, 0, lines[b] ?? '');
    else [lines[a], lines[b]] = [lines[b] ?? '', lines[a] ?? ''];
  }
  return lines.join('\n');
}

test('mutated policies compile or fail with RegoErrors, never crash', () => {
  let compiled = 0;
  let rejected = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(2), fc.nat(40), fc.nat(40)), { maxLength: 4 }), fc.nat(1), (ops, which) => {
      const modules = seeds.map((s, i) => ({ file: `m${i}.rego`, text: i === which ? mutate(s, ops) : s }));
      try {
        compileIR({ modules, entrypoints: ['authz', 'lib'] });
        compiled++;
      } catch (e) {
        if (!(e instanceof RegoErrors)) throw e;
        for (const err of e.errors) assert.ok(err.code.startsWith('rego_'), err.message);
        rejected++;
      }
    }),
    { numRuns: 300 },
  );
  console.log(`  compile fuzz: ${compiled} compiled, ${rejected} rejected with RegoErrors`);
  assert.ok(compiled > 0 && rejected > 0);
});

test('the unmutated seeds compile', () => {
  const p = compileIR({ modules: seeds.map((text, i) => ({ file: `m${i}.rego`, text })), entrypoints: ['authz', 'lib'] });
  assert.ok(p.funcs.length > 5);
});

test.run();
