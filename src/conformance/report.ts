// Aggregates case outcomes into the report (the `--json` document) and prints it: pass / fail /
// skip per topic and in total, failure reasons grouped, and the two done-criteria percentages.
import type { CaseStatus } from './run-case.ts';

export interface CaseResult {
  file: string;
  note: string;
  status: CaseStatus;
  reason: string;
}

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

export interface Report extends Counts {
  total: number;
  topics: Record<string, Counts>;
  cases: CaseResult[];
  /** Passed over non-excluded cases, in percent, overall and for the core-language topics (null: none ran). */
  percent: { overall: number | null; core: number | null };
}

/** The topics that make up the core language (the done-criteria's second figure). */
export const CORE_TOPICS: readonly string[] = [
  'keywordrefs', 'withkeyword', 'virtualdocs', 'eqexpr', 'refheads', 'every', 'functions', 'negation',
  'disjunction', 'comprehensions', 'evaltermexpr', 'comparisonexpr', 'varreferences', 'nestedreferences',
  'completedoc', 'partialobjectdoc', 'partialsetdoc', 'compositereferences', 'baseandvirtualdocs',
  'elsekeyword', 'indexing', 'defaultkeyword', 'sets', 'assignments', 'undos', 'aggregates', 'arithmetic',
  'array',
];

export const topicOf = (file: string): string => file.split('/')[0] ?? '';

const pct = (c: Counts): number | null => {
  const run = c.passed + c.failed;
  return run === 0 ? null : Math.round((1000 * c.passed) / run) / 10;
};

const showPct = (p: number | null): string => (p === null ? 'n/a' : `${p}%`);

export function buildReport(cases: CaseResult[]): Report {
  const topics: Record<string, Counts> = {};
  const total: Counts = { passed: 0, failed: 0, skipped: 0 };
  const core: Counts = { passed: 0, failed: 0, skipped: 0 };
  for (const c of cases) {
    const t = topicOf(c.file);
    const tc = (topics[t] ??= { passed: 0, failed: 0, skipped: 0 });
    tc[c.status]++;
    total[c.status]++;
    if (CORE_TOPICS.includes(t)) core[c.status]++;
  }
  const sorted: Record<string, Counts> = {};
  for (const k of Object.keys(topics).sort()) sorted[k] = topics[k]!;
  return { total: cases.length, ...total, topics: sorted, cases, percent: { overall: pct(total), core: pct(core) } };
}

/**
 * A reason's group: its category plus the message with the case-specific parts (positions,
 * quoted text, numbers, values) taken out, so one missing feature shows up as one line.
 */
export function reasonGroup(reason: string): string {
  const expected = /^(expected \S+), got (.*)$/.exec(reason);
  if (expected) return `${expected[1]}, got ${expected[2] === 'undefined' ? 'undefined' : 'a result'}`;
  const cut = reason.indexOf(': ');
  const category = cut < 0 ? reason : reason.slice(0, cut);
  if (category === 'wrong result' || category === 'timeout') return category;
  if (category === 'missing builtin') return reason.replace(/^missing builtin: \d+: /, 'missing builtin: ');
  if (category === 'wrong error') {
    // `wrong error: want X, got <reason>`: group by what was wanted and what came instead.
    const m = /^wrong error: (want \S+), got (.*)$/.exec(reason);
    if (m) return `wrong error: ${m[1]}, got ${reasonGroup(m[2]!)}`;
  }
  const detail = (cut < 0 ? '' : reason.slice(cut + 2))
    .replace(/[\w./-]*\.rego:\d+(:\d+)?:?\s*/g, '')
    .replace(/"(?:[^"\\]|\\.)*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\s*\(at .*\)$/, '')
    .replace(/, got .*$/, '')
    .slice(0, 90);
  return detail ? `${category}: ${detail}` : category;
}

export function formatReport(r: Report, opts: { maxGroups?: number; examples?: boolean } = {}): string {
  const lines: string[] = [];
  const w = Math.max(10, ...Object.keys(r.topics).map((t) => t.length));
  lines.push(`${'topic'.padEnd(w)}  passed  failed  skipped`);
  for (const [t, c] of Object.entries(r.topics)) {
    lines.push(`${t.padEnd(w)}  ${String(c.passed).padStart(6)}  ${String(c.failed).padStart(6)}  ${String(c.skipped).padStart(7)}`);
  }
  const groups = new Map<string, CaseResult[]>();
  for (const c of r.cases) {
    if (c.status !== 'failed') continue;
    const g = reasonGroup(c.reason);
    groups.set(g, [...(groups.get(g) ?? []), c]);
  }
  if (groups.size > 0) {
    lines.push('', 'failures by reason:');
    const ordered = [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
    for (const [g, cs] of ordered.slice(0, opts.maxGroups ?? 40)) {
      lines.push(`  ${String(cs.length).padStart(5)}  ${g}`);
      if (opts.examples) lines.push(`         e.g. ${cs[0]!.file} — ${cs[0]!.note}: ${cs[0]!.reason.slice(0, 200)}`);
    }
    if (ordered.length > (opts.maxGroups ?? 40)) lines.push(`  … ${ordered.length - (opts.maxGroups ?? 40)} more groups (see --json)`);
  }
  const skips = new Map<string, number>();
  for (const c of r.cases) if (c.status === 'skipped') skips.set(c.reason, (skips.get(c.reason) ?? 0) + 1);
  if (skips.size > 0) {
    lines.push('', 'skipped by reason:');
    for (const [why, n] of [...skips.entries()].sort((a, b) => b[1] - a[1])) lines.push(`  ${String(n).padStart(5)}  ${why}`);
  }
  lines.push(
    '',
    `total: ${r.total} cases, ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`,
    `passed of non-excluded cases: ${showPct(r.percent.overall)} overall, ${showPct(r.percent.core)} in the core-language topics`,
  );
  return lines.join('\n');
}

/** The `--json` document: the counts, per-topic counts and every case. */
export function reportJson(r: Report): string {
  return JSON.stringify(r, null, 1);
}
