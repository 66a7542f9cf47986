import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { inputJson } from '../../src/engine/input-json.ts';

const deepFreeze = <T>(v: T): T => {
  if (typeof v === 'object' && v !== null) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
};

test('same JSON as JSON.stringify, undefined members left out', () => {
  const input = { version: 1, action: { kind: 'sql', a: [1, 'x', null, { b: true }] }, identity: { sub: 's', groups: [] }, skip: undefined, f: () => 1 };
  assert.equal(JSON.parse(inputJson(input)!), JSON.parse(JSON.stringify(input)));
  assert.is(inputJson({}), '{}');
});

test('a deep-frozen part is reused; a mutable part is read every time', () => {
  const action = deepFreeze({ kind: 'sql', statements: [{ type: 'SELECT' }] });
  const identity = { sub: 'a', groups: ['x'] };
  const one = inputJson({ action, identity })!;
  identity.groups.push('y');
  const two = JSON.parse(inputJson({ action, identity })!);
  assert.equal(two.identity.groups, ['x', 'y']);
  assert.equal(two.action, JSON.parse(one).action);
});

test('frozen on top but mutable inside, getters, Dates and toJSON are never memoized', () => {
  const inner = { n: 1 };
  const shallow = Object.freeze({ inner });
  assert.is(JSON.parse(inputJson({ shallow })!).shallow.inner.n, 1);
  inner.n = 2;
  assert.is(JSON.parse(inputJson({ shallow })!).shallow.inner.n, 2);

  let g = 0;
  const getter = Object.freeze(Object.defineProperty({}, 'g', { get: () => ++g, enumerable: true }));
  assert.is.not(inputJson({ getter }), inputJson({ getter }));

  const date = new Date(0);
  const withDate = deepFreeze({ date });
  const before = inputJson({ withDate });
  date.setTime(1000);
  assert.is.not(inputJson({ withDate }), before);
});

test('cycles and BigInt throw like JSON.stringify', () => {
  const c: Record<string, unknown> = {};
  c['self'] = c;
  assert.throws(() => inputJson({ c }));
  assert.throws(() => inputJson({ n: 1n }));
});

test.run();
