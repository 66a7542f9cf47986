// The direct evaluator hands back the previous result's string when the bytes repeat; results of
// the same length that differ must still come back as themselves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.ts';
import { compileModule, createEvaluator } from '../../src/policy/evaluator.ts';

test('repeated results come back as the same string; equal-length different ones do not', async () => {
  const { wasm } = await compile({ modules: { 'p.rego': 'package t\nr := input.x\n' }, entrypoints: ['t/r'] });
  const ev = createEvaluator(compileModule(wasm));
  const at = (x: string): string | undefined => ev.evaluate(JSON.stringify({ x }), 0).text;
  const first = at('a');
  assert.is(first, '[{"result":"a"}]');
  assert.is(at('b'), '[{"result":"b"}]');
  assert.is(at('a'), first);
  assert.is(at('a'), '[{"result":"a"}]');
  assert.is(at('é'), '[{"result":"é"}]');
  assert.is(at('b'), '[{"result":"b"}]');
});

test.run();
