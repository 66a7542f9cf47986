// Runs the whole conformance suite and holds the line: the pass count may only rise.
// Raise `floor` in floor.json when this prints a higher count.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { loadSuite } from '../../src/conformance/cases.ts';
import { formatReport } from '../../src/conformance/report.ts';
import { runSuite } from '../../src/conformance/runner.ts';
import { DEFAULT_CASES } from '../../src/cli/conformance.ts';

const floorFile = new URL('./floor.json', import.meta.url);
const { floor } = JSON.parse(readFileSync(floorFile, 'utf8')) as { floor: number };

test('conformance: passed >= floor, and the SDK loads every module we build', async () => {
  if (!existsSync(DEFAULT_CASES)) {
    console.log('skip: ../shared/conformance not found');
    return;
  }
  // A roomier time box than the CLI's 5 s: a loaded CI machine must not lower the count.
  const report = await runSuite(loadSuite(DEFAULT_CASES), { timeoutMs: 10_000 });
  console.log(formatReport(report, { maxGroups: 15 }).split('\n').filter((l) => !/^\S+\s+\d+\s+\d+\s+\d+$/.test(l)).join('\n'));
  console.log(`conformance: ${report.passed} passed (floor ${floor})`);
  if (report.passed > floor) console.log(`hint: raise "floor" in test/conformance/floor.json to ${report.passed}`);
  const loaderCrashes = report.cases.filter((c) => c.reason.startsWith('sdk load:'));
  assert.equal(loaderCrashes.slice(0, 5).map((c) => `${c.file} ${c.note}: ${c.reason}`), [], 'the SDK failed to load a module');
  assert.ok(report.passed >= floor, `passed ${report.passed} < floor ${floor}`);
});

test.run();
