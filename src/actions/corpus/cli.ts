// `npm run corpus -- <file> [--kind sql|shell] [--json <out>]`: scores a corpus file (SQL or shell
// format, told apart by its case markers) with that kind's normalizer and scorer, prints per-field
// scores and the non-exact cases, writes a JSON report, and exits 1 if any case is a silent miss.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

export type CorpusKind = 'sql' | 'shell';
export type CaseStatus = 'exact' | 'silent_miss' | 'fail_closed' | 'mismatch';

/** What a kind's scorer returns for one case (fields: per-field right/wrong, when it reports them). */
export interface CaseScore {
  status: CaseStatus;
  diff: unknown;
  fields?: Partial<Record<string, boolean>>;
}

/** A loaded kind: parses its corpus format and scores one case end to end. */
export interface CorpusScorer {
  parse(text: string): Array<{ id: string }>;
  score(c: { id: string }): CaseScore;
}

export interface CorpusReport {
  kind: CorpusKind;
  total: number;
  exact: number;
  silentMisses: number;
  failClosed: number;
  mismatches: number;
  /** per field: [right, compared] */
  fields: Record<string, [number, number]>;
  cases: Array<{ id: string; status: CaseStatus; diff: unknown }>;
}

export class CorpusCliError extends Error {
  constructor(readonly code: 'usage' | 'unknown_format' | 'module_missing' | 'bad_module' | 'io' | 'bad_corpus', message: string) {
    super(message);
  }
}

/** Tells the format from its case markers: `-- @case` is SQL, `# @case` is shell. */
export function detectKind(text: string): CorpusKind {
  const sql = /^-- @case /m.test(text);
  const shell = /^# @case /m.test(text);
  if (sql && !shell) return 'sql';
  if (shell && !sql) return 'shell';
  throw new CorpusCliError('unknown_format', sql ? 'file mixes SQL (-- @case) and shell (# @case) markers' : 'no "-- @case" (SQL) or "# @case" (shell) markers found');
}

type Loader = (specifier: string) => Promise<Record<string, unknown>>;
const defaultLoader: Loader = (s) => import(new URL(s, import.meta.url).href) as Promise<Record<string, unknown>>;

async function need(load: Loader, specifier: string, names: string[], what: string): Promise<Record<string, unknown>> {
  let mod: Record<string, unknown>;
  try {
    mod = await load(specifier);
  } catch (e) {
    const err = e as { code?: unknown; message?: unknown };
    const missing = err?.code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module|not found/i.test(String(err?.message));
    throw new CorpusCliError(missing ? 'module_missing' : 'bad_module',
      `${what} (src/actions/${specifier.startsWith('./') ? 'corpus/' + specifier.slice(2) : specifier.slice(3)}) ${missing ? 'is not available yet' : 'failed to load'}: ${String(err?.message ?? e).split('\n')[0]}`);
  }
  for (const n of names) {
    if (typeof mod[n] !== 'function') throw new CorpusCliError('bad_module', `${what} does not export a function ${n}()`);
  }
  return mod;
}

// Compile-time shapes of the modules loaded at run time: a renamed export fails the type check,
// a module missing at run time fails with a clear message instead of an import crash.
type SqlCorpusModule = Pick<typeof import('./sql.ts'), 'parseSqlCorpus' | 'scoreSqlCase'>;
type SqlModule = Pick<typeof import('../sql/index.ts'), 'initSql' | 'normalizeSql'>;
type ShellCorpusModule = Pick<typeof import('./shell.ts'), 'parseShellCorpus' | 'scoreShellCase'>;
type ShellModule = Pick<typeof import('../shell/index.ts'), 'initShell' | 'normalizeShell'>;

/** Loads a kind's corpus module and normalizer and initializes the normalizer once. */
export async function loadScorer(kind: CorpusKind, load: Loader = defaultLoader): Promise<CorpusScorer> {
  if (kind === 'sql') {
    const corpus = await need(load, './sql.ts', ['parseSqlCorpus', 'scoreSqlCase'], 'the SQL corpus scorer') as unknown as SqlCorpusModule;
    const sql = await need(load, '../sql/index.ts', ['initSql', 'normalizeSql'], 'the SQL normalizer') as unknown as SqlModule;
    await sql.initSql({ dialects: ['pg', 'mysql'] });
    type Case = ReturnType<SqlCorpusModule['parseSqlCorpus']>[number];
    return {
      parse: (text) => corpus.parseSqlCorpus(text),
      score: (c) => {
        const cc = c as Case;
        return corpus.scoreSqlCase(cc, sql.normalizeSql(cc.sql, { dialect: cc.dialect, noCache: true }));
      },
    };
  }
  const corpus = await need(load, './shell.ts', ['parseShellCorpus', 'scoreShellCase'], 'the shell corpus scorer') as unknown as ShellCorpusModule;
  const shell = await need(load, '../shell/index.ts', ['initShell', 'normalizeShell'], 'the shell normalizer') as unknown as ShellModule;
  await shell.initShell();
  type Case = ReturnType<ShellCorpusModule['parseShellCorpus']>[number];
  return {
    parse: (text) => corpus.parseShellCorpus(text),
    score: (c) => {
      const cc = c as Case;
      return corpus.scoreShellCase(cc, shell.normalizeShell(cc.text));
    },
  };
}

const STATUSES: readonly CaseStatus[] = ['exact', 'silent_miss', 'fail_closed', 'mismatch'];

export function scoreCorpus(kind: CorpusKind, text: string, scorer: CorpusScorer): CorpusReport {
  let cases: Array<{ id: string }>;
  try {
    cases = scorer.parse(text);
  } catch (e) {
    throw new CorpusCliError('bad_corpus', `cannot read the ${kind} corpus: ${(e as Error)?.message ?? String(e)}`);
  }
  const report: CorpusReport = { kind, total: 0, exact: 0, silentMisses: 0, failClosed: 0, mismatches: 0, fields: {}, cases: [] };
  for (const c of cases) {
    let s: CaseScore;
    try {
      s = scorer.score(c);
    } catch (e) {
      // A crash while normalizing or scoring is counted as the worst outcome, not hidden.
      s = { status: 'silent_miss', diff: [`scoring threw: ${(e as Error)?.message ?? String(e)}`] };
    }
    if (!STATUSES.includes(s?.status)) s = { status: 'silent_miss', diff: [`scorer returned no valid status`] };
    report.total++;
    if (s.status === 'exact') report.exact++;
    else if (s.status === 'silent_miss') report.silentMisses++;
    else if (s.status === 'fail_closed') report.failClosed++;
    else report.mismatches++;
    for (const [f, right] of Object.entries(s.fields ?? {})) {
      if (right === undefined) continue;
      const slot = (report.fields[f] ??= [0, 0]);
      if (right) slot[0]++;
      slot[1]++;
    }
    report.cases.push({ id: c.id, status: s.status, diff: s.diff });
  }
  return report;
}

const pct = (a: number, b: number): string => (b === 0 ? '  -  ' : `${((100 * a) / b).toFixed(1).padStart(5)}%`);

export function formatReport(file: string, r: CorpusReport): string {
  const out: string[] = [`corpus ${file} (${r.kind}): ${r.total} cases`];
  const names = Object.keys(r.fields);
  if (names.length > 0) {
    out.push('field       right/compared');
    for (const f of names) {
      const [right, n] = r.fields[f] as [number, number];
      out.push(`  ${f.padEnd(10)}${`${right}/${n}`.padStart(9)}  ${pct(right, n)}`);
    }
  }
  const bad = r.cases.filter((c) => c.status !== 'exact');
  if (bad.length > 0) {
    out.push('not exact:');
    for (const c of bad) {
      const d = Array.isArray(c.diff) ? c.diff.join('; ') : typeof c.diff === 'string' ? c.diff : JSON.stringify(c.diff);
      out.push(`  ${c.id.padEnd(8)} ${c.status.padEnd(11)} ${d ?? ''}`);
    }
  }
  out.push(`total ${r.total} / exact ${r.exact} / silent misses ${r.silentMisses} / fail closed ${r.failClosed} / mismatch ${r.mismatches}`);
  return out.join('\n');
}

interface Args { file: string; json: string | null; kind: CorpusKind | null }

export function parseArgs(argv: string[]): Args {
  let file: string | null = null;
  let json: string | null = null;
  let kind: CorpusKind | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--json' || a === '--kind') {
      const v = argv[++i];
      if (v === undefined) throw new CorpusCliError('usage', `${a} needs a value`);
      if (a === '--json') json = v;
      else if (v === 'sql' || v === 'shell') kind = v;
      else throw new CorpusCliError('usage', '--kind is sql or shell');
    } else if (a.startsWith('--')) {
      throw new CorpusCliError('usage', `unknown option ${a}`);
    } else if (file === null) {
      file = a;
    } else {
      throw new CorpusCliError('usage', 'one corpus file at a time');
    }
  }
  if (file === null) throw new CorpusCliError('usage', 'usage: corpus <file> [--kind sql|shell] [--json <out>]');
  return { file, json, kind };
}

/** Runs the CLI; returns the exit code (0 ok, 1 a silent miss, 2 could not score). */
export async function main(argv: string[], load: Loader = defaultLoader): Promise<number> {
  try {
    const args = parseArgs(argv);
    let text: string;
    try {
      text = readFileSync(args.file, 'utf8');
    } catch (e) {
      throw new CorpusCliError('io', `cannot read ${args.file}: ${(e as Error).message}`);
    }
    const kind = args.kind ?? detectKind(text);
    const scorer = await loadScorer(kind, load);
    const report = scoreCorpus(kind, text, scorer);
    process.stdout.write(formatReport(basename(args.file), report) + '\n');
    if (args.json !== null) {
      try {
        writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n');
      } catch (e) {
        throw new CorpusCliError('io', `cannot write ${args.json}: ${(e as Error).message}`);
      }
    }
    return report.silentMisses > 0 ? 1 : 0;
  } catch (e) {
    if (e instanceof CorpusCliError) {
      process.stderr.write(`corpus: ${e.message} [${e.code}]\n`);
      return 2;
    }
    throw e;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
