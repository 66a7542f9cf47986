// `portcullis conformance` / `npm run conformance`: runs OPA's Rego conformance cases
// (default: <repo>/../shared/conformance) and prints pass / fail / skip per topic and in total.
import { writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSuite } from '../conformance/cases.ts';
import { formatReport, reportJson } from '../conformance/report.ts';
import { runSuite } from '../conformance/runner.ts';
import { one, has, parseArgs, UsageError, type FlagSpec } from './args.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_CASES = join(REPO_ROOT, '..', 'shared', 'conformance');

export const CONFORMANCE_HELP = `usage: portcullis conformance [--cases <dir>] [--json <file>] [options]

Runs Rego conformance cases (<topic>/*.yaml with an optional EXCLUDE.tsv) through the
compiler and the OPA wasm SDK, and prints pass / fail / skip per topic and in total.

  --cases <dir>     suite directory (default: ../shared/conformance next to the repository)
  --json <file>     also write the full report as JSON
  --filter <regex>  run only cases whose "<file> <note>" matches
  --timeout <ms>    time box per case (default 5000)
  --jobs <n>        case processes side by side (default 2)
  --optimize        run binaryen's optimizer on each case's module (slower)
  --examples        print one example case under each failure reason
  -q, --quiet       print only the totals
`;

const SPECS: FlagSpec[] = [
  { name: 'cases', value: true },
  { name: 'json', value: true },
  { name: 'filter', value: true },
  { name: 'timeout', value: true },
  { name: 'examples', value: false },
  { name: 'jobs', value: true },
  { name: 'optimize', value: false },
  { name: 'quiet', short: 'q', value: false },
];

export async function conformanceCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(CONFORMANCE_HELP);
    return 0;
  }
  if (p.positionals.length > 0) throw new UsageError(`unexpected argument ${p.positionals[0]}`);
  const dir = resolve(one(p, 'cases') ?? DEFAULT_CASES);
  if (!existsSync(dir)) {
    process.stderr.write(`conformance: cases directory not found: ${dir}\n`);
    return 1;
  }
  const timeout = Number(one(p, 'timeout') ?? 5000);
  if (!Number.isInteger(timeout) || timeout <= 0) throw new UsageError('--timeout needs a positive number of milliseconds');
  const jobs = Number(one(p, 'jobs') ?? 2);
  if (!Number.isInteger(jobs) || jobs <= 0) throw new UsageError('--jobs needs a positive number');
  let filter: RegExp | undefined;
  const f = one(p, 'filter');
  if (f !== undefined) {
    try {
      filter = new RegExp(f);
    } catch (e) {
      throw new UsageError(`--filter: ${(e as Error).message}`);
    }
  }
  const suite = loadSuite(dir);
  const started = Date.now();
  const report = await runSuite(suite, {
    timeoutMs: timeout,
    jobs,
    optimize: has(p, 'optimize'),
    ...(filter ? { filter: (c) => filter.test(`${c.file} ${c.note}`) } : {}),
  });
  const out = formatReport(report, { examples: has(p, 'examples') });
  process.stdout.write(has(p, 'quiet') ? `${out.split('\n').slice(-2).join('\n')}\n` : `${out}\n`);
  process.stdout.write(`(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  const json = one(p, 'json');
  if (json !== undefined) writeFileSync(json, `${reportJson(report)}\n`);
  return 0;
}

// Run directly (`node --import ./scripts/register-ts.mjs src/cli/conformance.ts`), not when imported by main.ts.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  conformanceCommand(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`conformance: ${(e as Error).message}\n`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
