// `portcullis test`: runs the Rego unit tests (`test_` rules) under the given paths, like
// `opa test`. Exit 0 when every selected test passes, 1 on any failure or when none was found.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { TestReport, TestResult } from '../policy/test-runner.ts';
import { all, has, one, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { collectRego, readJsonFile, SourceError } from './sources.ts';
import { mergeData } from '../policy/data.ts';

export const TEST_HELP = `usage: portcullis test <dir|file>... [--coverage] [--run <regex>] [--verbose]

Finds every rule named test_* in the .rego files under the given paths (tests and policies
together), compiles them in one go and evaluates each one. A test passes when its value is
defined and not false. data.json files are loaded at their folder's path below the directory
given, as OPA does (a data.json in <dir>/a/b is data.a.b).

  --run <regex>    only tests whose name (data.pkg.test_name) matches
  --coverage       report which rules the tests reach (static, rule-grained; see docs)
  --data <file>    an extra data document merged at the root (repeatable)
  --optimize       run the wasm optimizer (slower compile; same results)
  -v, --verbose    print timings and, with --coverage, every rule
`;

const SPECS: FlagSpec[] = [
  { name: 'run', value: true },
  { name: 'coverage', value: false },
  { name: 'data', value: true, repeat: true },
  { name: 'optimize', value: false },
  { name: 'verbose', short: 'v', value: false },
];


/** data.json files below `root`, each placed at its folder's path (OPA's convention). */
export function collectDataFiles(root: string): unknown {
  let data: unknown = {};
  if (!statSync(root).isDirectory()) return data;
  const visit = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && e.name === 'data.json') {
        let value = readJsonFile(p, 'data');
        const parts = relative(root, dir).split(sep).filter((x) => x !== '');
        for (const k of [...parts].reverse()) value = { [k]: value };
        data = mergeData(data, value);
      }
    }
  };
  visit(root);
  return data;
}

const loc = (r: TestResult): string => `${r.file}:${r.row}`;
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(0));

function print(report: TestReport, verbose: boolean): void {
  const out: string[] = [];
  for (const r of report.results) {
    const time = verbose && r.status !== 'skip' ? ` (${ms(r.ms)} ms)` : '';
    if (r.status === 'pass') out.push(`PASS ${r.name} ${loc(r)}${time}`);
    else if (r.status === 'skip') out.push(`SKIP ${r.name} ${loc(r)}`);
    else out.push(`${r.status === 'error' ? 'ERROR' : 'FAIL'} ${r.name} ${loc(r)}${time}: ${r.message ?? ''}`);
  }
  if (verbose) out.push(`compiled ${report.results.length - report.skipped} tests in ${ms(report.compileMs)} ms`);
  out.push(`${report.passed} passed, ${report.failed} failed${report.skipped > 0 ? `, ${report.skipped} skipped` : ''}`);
  const c = report.coverage;
  if (c) {
    const pct = c.total === 0 ? 100 : (100 * c.covered) / c.total;
    out.push(`coverage: ${c.covered}/${c.total} rules reached (${pct.toFixed(1)}%; static call graph, all definitions of a rule count together)`);
    for (const r of c.rules) {
      if (!r.covered) out.push(`  not reached: ${r.file}:${r.rows.join(',')} ${r.rule}`);
      else if (verbose) out.push(`  reached:     ${r.file}:${r.rows.join(',')} ${r.rule}`);
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function testCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(TEST_HELP);
    return 0;
  }
  if (p.positionals.length === 0) throw new UsageError('test: give a directory or .rego files');
  const pattern = one(p, 'run');
  let run: RegExp | undefined;
  if (pattern !== undefined) {
    try {
      run = new RegExp(pattern);
    } catch (e) {
      throw new UsageError(`test: --run: ${(e as Error).message}`);
    }
  }
  let data: unknown = {};
  for (const path of p.positionals) {
    if (!existsSync(path)) throw new SourceError(`no such file or directory: ${path}`);
    data = mergeData(data, collectDataFiles(path));
  }
  for (const f of all(p, 'data')) data = mergeData(data, readJsonFile(f, '--data'));
  const modules = collectRego(p.positionals);
  // Loaded on use: the compiler pulls in binaryen, which other commands need not pay for.
  const { runTests } = await import('../policy/test-runner.ts');
  const report = await runTests({ modules, data }, { ...(run ? { run } : {}), coverage: has(p, 'coverage'), optimize: has(p, 'optimize') });
  print(report, has(p, 'verbose'));
  if (report.passed + report.failed === 0) {
    process.stderr.write(`portcullis test: no tests found${pattern === undefined ? '' : ` matching ${JSON.stringify(pattern)}`}\n`);
    return 1;
  }
  return report.failed > 0 ? 1 : 0;
}
