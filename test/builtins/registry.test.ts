// The compiler's builtin registry agrees with both implementations: native entries exist in the
// runtime table (and module), host entries in the host map, with matching arities.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { BUILTINS, builtinSignature, isBuiltin } from '../../src/rego/builtin-signatures.ts';
import { NATIVE_BUILTINS } from '../../src/wasm/runtime/builtins.ts';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import { buildRuntime } from '../../src/wasm/runtime/build.ts';
import { WA } from './native-harness.ts';

test('names are unique', () => {
  const names = BUILTINS.map((b) => b.name);
  assert.is(new Set(names).size, names.length);
});

test('every native entry is in the runtime table with the same arity', () => {
  for (const b of BUILTINS.filter((x) => x.impl === 'native')) {
    const n = NATIVE_BUILTINS[b.name];
    assert.ok(n, `${b.name} missing from src/wasm/runtime/builtins.ts`);
    assert.is(n!.arity, b.arity, `${b.name} arity`);
  }
});

test('every runtime table entry is registered as native', () => {
  for (const name of Object.keys(NATIVE_BUILTINS)) assert.is(builtinSignature(name)?.impl, 'native', name);
});

test('every host entry has a host implementation, and every host function is registered', () => {
  for (const b of BUILTINS.filter((x) => x.impl === 'host')) {
    assert.type(hostBuiltins[b.name], 'function', `${b.name} missing from hostBuiltins`);
  }
  for (const name of Object.keys(hostBuiltins)) assert.is(builtinSignature(name)?.impl, 'host', name);
});

test('the runtime module exports every native builtin', async () => {
  const { path } = await buildRuntime();
  const mod = new WA.Module(readFileSync(path));
  const exports = new Set(WA.Module.exports(mod).map((e) => e.name));
  for (const [name, { export: exp }] of Object.entries(NATIVE_BUILTINS)) assert.ok(exports.has(exp), `${name}: ${exp}`);
});

test('builtins the SDK implements itself are native when their semantics matter', () => {
  // The SDK's own sprintf (sprintf-js) would shadow a host sprintf with non-Go semantics.
  assert.is(builtinSignature('sprintf')?.impl, 'native');
  assert.is(builtinSignature('json.is_valid')?.impl, 'native');
});

test('operators and unknown names', () => {
  for (const op of ['plus', 'minus', 'mul', 'div', 'rem', 'equal', 'neq', 'lt', 'lte', 'gt', 'gte', 'and', 'or']) {
    assert.is(builtinSignature(op)?.arity, 2, op);
  }
  assert.is(builtinSignature('internal.member_3')?.arity, 3);
  assert.is(isBuiltin('eq'), false);
  assert.is(isBuiltin('assign'), false);
  assert.is(isBuiltin('no.such.builtin'), false);
});

test.run();
