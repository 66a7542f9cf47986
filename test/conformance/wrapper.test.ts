import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { wantedVars, wrapperModule, WrapperError } from '../../src/conformance/wrapper.ts';

test('wantedVars: union of row keys in first-seen order', () => {
  assert.equal(wantedVars([{ x: 1 }, { y: 2, x: 3 }]), ['x', 'y']);
  assert.equal(wantedVars([]), []);
  assert.equal(wantedVars(undefined), []);
});

test('wrapper without input_term collects binding objects', () => {
  const m = wrapperModule('data.test.p = x; y := 1', ['x', 'y']);
  assert.is(m, 'package __conformance__\n\nresults := rows__ if {\n\trows__ := [{"x": x, "y": y} |\ndata.test.p = x; y := 1\n]\n}\n');
});

test('wrapper with input_term evaluates under with input as', () => {
  const m = wrapperModule('input.a = x', ['x'], '{"a": {1, 2}}');
  assert.match(m, /results := rows__ if \{\n\trows__ := solutions__ with input as \{"a": \{1, 2\}\}\n\}/);
  assert.match(m, /solutions__ := rows__ if \{\n\trows__ := \[\{"x": x\} \|\ninput\.a = x\n\]\n\}/);
});

test('no vars: empty objects, one per solution', () => {
  assert.match(wrapperModule('data.test.p', []), /rows__ := \[\{\} \|/);
});

test('binding names that are not variables are refused', () => {
  assert.throws(() => wrapperModule('true', ['a b']), (e: Error) => e instanceof WrapperError);
});

test.run();
