// `portcullis demo` (npm start, until the gateway exists): compile the sample policy in
// rego/sample and print the decision for each sample request in fixtures/requests.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { asValue, toJson, toPrettyJson } from '../conformance/values.ts';
import { loadEvaluator } from '../conformance/sdk.ts';
import { parseArgs, UsageError } from './args.ts';
import { toolchain } from './compile.ts';
import { REPO_ROOT } from './conformance.ts';
import { collectRego, readJsonFile } from './sources.ts';

export const DEMO_HELP = `usage: portcullis demo

Compiles the sample policy (rego/sample) and prints the decision (sample/gate/decision) for
each sample request in fixtures/requests/*.json.
`;

const ENTRY = 'sample/gate/decision';

export async function demoCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, []);
  if (p.help) {
    process.stdout.write(DEMO_HELP);
    return 0;
  }
  if (p.positionals.length > 0) throw new UsageError(`demo: unexpected argument ${p.positionals[0]}`);
  const sources = collectRego([join(REPO_ROOT, 'rego', 'sample')], { skipTests: true });
  const t = await toolchain();
  const started = process.hrtime.bigint();
  const { wasm } = await t.compile({ modules: sources, entrypoints: [ENTRY] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`compiled ${sources.length} module(s) to ${wasm.length} bytes of wasm in ${ms.toFixed(1)} ms\n`);
  const ev = await loadEvaluator(wasm, t.hostBuiltins);
  const dir = join(REPO_ROOT, 'fixtures', 'requests');
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const input = asValue(readJsonFile(join(dir, f), 'request'));
    const rs = ev.evaluate(toJson(input), ENTRY, true);
    const first = Array.isArray(rs) ? rs[0] : undefined;
    const decision = first !== null && typeof first === 'object' && !Array.isArray(first) ? first.result : undefined;
    // No decision means deny: say so rather than print nothing.
    process.stdout.write(`\n${f}:\n${decision === undefined ? '{ "allow": false, "reasons": [{ "rule": "undefined", "message": "no decision" }] }' : toPrettyJson(decision)}\n`);
  }
  return 0;
}
