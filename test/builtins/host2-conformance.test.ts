// The newer host builtins against the single-call cases of OPA's conformance suite (read at
// test time from the shared checkout; skipped when it is absent).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync } from 'node:fs';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import { resultJson } from '../../src/policy/builtins/values.ts';
import { conformanceRoot, loadCallCases } from './conformance-lite.ts';

const TOPICS = [
  'uribuiltins', 'netcidrexpand', 'jwtencodesign', 'jwtencodesignheadererrors', 'jwtencodesignpayloaderrors',
  'jwtencodesignraw', 'jwtdecodeverify', 'jsonschema', 'cryptox509parsersaprivatekey', 'cryptoparsersaprivatekeys',
  'graphql', 'providers-aws', 'reachable', 'jsonpatch', 'walkbuiltin',
];

if (!existsSync(conformanceRoot)) {
  console.log(`skipping host conformance cases: ${conformanceRoot} is absent`);
} else {
  const cases = loadCallCases(TOPICS, new Set(Object.keys(hostBuiltins)));
  test('finds a useful number of cases', () => {
    assert.ok(cases.length >= 30, `only ${cases.length} cases`);
  });
  for (const c of cases) {
    test(`${c.file}: ${c.note}`, () => {
      const raw = resultJson(hostBuiltins[c.fn]!(...c.args));
      const got: unknown = raw === undefined ? undefined : JSON.parse(raw);
      assert.equal(got, c.want, `${c.fn}(${JSON.stringify(c.args).slice(1, -1)}) gave ${raw}`);
    });
  }
}

test.run();
