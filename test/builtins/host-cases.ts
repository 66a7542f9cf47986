// Registers one uvu test per single-call conformance case of the given topics, run against the
// host builtins (cases read at test time; skipped with a message when ../shared is absent).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import { resultJson } from '../../src/policy/builtins/values.ts';
import { conformanceRoot, loadCallCases } from './conformance-lite.ts';

export function hostCallCases(topics: string[], minimum: number): void {
  if (!existsSync(conformanceRoot)) {
    console.log(`skipping host conformance cases: ${conformanceRoot} is absent`);
    return;
  }
  const cases = loadCallCases(topics, new Set(Object.keys(hostBuiltins)));
  test('finds a useful number of cases', () => {
    assert.ok(cases.length >= minimum, `only ${cases.length} cases`);
  });
  for (const c of cases) {
    test(`${c.file}: ${c.note}`, () => {
      const raw = resultJson(hostBuiltins[c.fn]!(...c.args));
      const got: unknown = raw === undefined ? undefined : JSON.parse(raw);
      assert.equal(got, c.want, `${c.fn}(${JSON.stringify(c.args).slice(1, -1)}) gave ${raw}`);
    });
  }
}
