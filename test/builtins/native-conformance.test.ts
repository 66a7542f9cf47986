// Native builtins against the single-call cases of OPA's conformance suite (read at test time).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { NATIVE_BUILTINS } from '../../src/wasm/runtime/builtins.ts';
import { conformanceRoot, loadCallCases } from './conformance-lite.ts';
import { loadNative } from './native-harness.ts';

if (!existsSync(conformanceRoot)) {
  console.log(`skipping native conformance cases: ${conformanceRoot} is absent`);
} else {
  const h = await loadNative();
  const cases = loadCallCases(readdirSync(conformanceRoot), new Set(Object.keys(NATIVE_BUILTINS)));
  test('finds a useful number of cases', () => {
    assert.ok(cases.length >= 60, `only ${cases.length} cases`);
  });
  for (const c of cases) {
    test(`${c.file}: ${c.note}`, () => {
      const raw = h.call(c.fn, ...c.args.map((a) => JSON.stringify(a)));
      const got: unknown = raw === undefined ? undefined : JSON.parse(raw);
      assert.equal(got, c.want, `${c.fn}(${JSON.stringify(c.args).slice(1, -1)}) gave ${raw}`);
    });
  }
}

test.run();
