// Masking SQL result rows, one at a time. The plan (which output column gets which strategy) is
// made once from the statement's column lineage; each row then costs O(columns).

import { MaskError } from './errors.ts';
import { detectInValue } from './json.ts';
import { columnsMatch, tablesMatch, splitQualified } from './names.ts';
import { compilePlan, emptyCounts } from './plan.ts';
import type { ColumnRule } from './plan.ts';
import { maskString } from './scan.ts';
import { strictest } from './strategy.ts';
import type { CompiledStrategy } from './strategy.ts';
import type { ColumnLineage, FailClosedColumn, FailClosedReason, MaskOptions, MaskReport } from './types.ts';

export interface RowMaskerOptions extends MaskOptions {
  masks: unknown;
  /** Lineage of the statement that produced the rows (SqlStatement.lineage); null if unknown. */
  lineage: readonly ColumnLineage[] | null | undefined;
  /** Output column names as the server reports them, in order. */
  columnNames: readonly string[];
}

export interface RowMasker {
  /** Returns the masked row; the input row itself when nothing in it needed masking. */
  (row: readonly unknown[]): unknown[];
  /** Output column positions with a column mask. */
  readonly maskedColumns: readonly number[];
  report(): MaskReport;
}

interface ColumnPlan { index: number; strategy: CompiledStrategy; labels: string[] }

type Source = { table: string; column: string };

export function createRowMasker(options: RowMaskerOptions): RowMasker {
  const { columnNames, lineage } = options;
  if (!Array.isArray(columnNames) || !columnNames.every((c) => typeof c === 'string')) {
    throw new MaskError('invalid_columns', 'columnNames must be an array of strings');
  }
  const plan = compilePlan(options.masks, options);
  const n = columnNames.length;
  const cols: ColumnPlan[] = [];
  const failClosed: FailClosedColumn[] = [];
  if (plan.columns.length > 0) {
    const matched = matchColumns(plan.columns, lineage, columnNames);
    matched.forEach((m, index) => {
      if (m === null) return;
      const labels = [...new Set(m.rules.map((r) => r.label))];
      cols.push({ index, strategy: strictest(m.rules.map((r) => r.strategy)), labels });
      if (m.reason !== null) failClosed.push({ index, column: columnNames[index] as string, reason: m.reason, targets: labels });
    });
  }
  const counts = emptyCounts();
  const detect = plan.detect;
  const masked = new Uint8Array(n);
  for (const c of cols) masked[c.index] = 1;

  const mask = (row: readonly unknown[]): unknown[] => {
    if (!Array.isArray(row) || row.length !== n) {
      throw new MaskError('row_shape', `row has ${Array.isArray(row) ? row.length : 'no'} values, expected ${n}`);
    }
    let out: unknown[] | null = null;
    for (const c of cols) {
      const v = row[c.index];
      if (v === null || v === undefined) continue;
      out ??= row.slice();
      out[c.index] = c.strategy.value(v);
      for (const l of c.labels) counts[l] = (counts[l] ?? 0) + 1;
    }
    if (detect !== null) {
      for (let i = 0; i < n; i++) {
        if (masked[i] === 1) continue;
        const v = row[i];
        const nv = typeof v === 'string' ? maskString(v, detect, counts) : typeof v === 'object' && v !== null ? detectInValue(v, detect, counts) : v;
        if (nv !== v) {
          out ??= row.slice();
          out[i] = nv;
        }
      }
    }
    return out ?? (row as unknown[]);
  };
  const inapplicable = [...plan.labels.jsonpath];
  return Object.assign(mask, {
    maskedColumns: cols.map((c) => c.index),
    report: (): MaskReport => ({
      counts: { ...counts },
      failClosed: failClosed.map((f) => ({ ...f, targets: [...f.targets] })),
      inapplicable: [...inapplicable],
    }),
  });
}

interface Match { rules: ColumnRule[]; reason: FailClosedReason | null }

const isStar = (l: ColumnLineage): boolean => l.name === '*' && (l.source === 'unknown' || l.source.column === '*');

// Which rules hit each output column. A `*` in the lineage expands to an unknown number of columns:
// entries before the first star and after the last one are aligned from either end, and every
// column in between is matched by name against the tables the stars (and the entries between them)
// may come from.
function matchColumns(rules: readonly ColumnRule[], lineage: readonly ColumnLineage[] | null | undefined, names: readonly string[]): Array<Match | null> {
  if (!Array.isArray(lineage)) throw new MaskError('lineage_mismatch', 'column masks need the statement lineage, and none was given');
  const n = names.length;
  const stars: number[] = [];
  lineage.forEach((l, i) => { if (isStar(l)) stars.push(i); });
  const out: Array<Match | null> = new Array<Match | null>(n).fill(null);
  if (stars.length === 0) {
    if (lineage.length !== n) {
      throw new MaskError('lineage_mismatch', `lineage has ${lineage.length} columns, the result has ${n}`);
    }
    lineage.forEach((l, i) => { out[i] = direct(rules, l); });
    return out;
  }
  const first = stars[0] as number;
  const last = stars[stars.length - 1] as number;
  const tail = lineage.length - 1 - last;
  const middle = lineage.slice(first, last + 1).filter((l) => !isStar(l));
  if (first + tail + middle.length > n) {
    throw new MaskError('lineage_mismatch', `lineage needs at least ${first + tail + middle.length} columns, the result has ${n}`);
  }
  for (let i = 0; i < first; i++) out[i] = direct(rules, lineage[i] as ColumnLineage);
  for (let k = 0; k < tail; k++) out[n - tail + k] = direct(rules, lineage[last + 1 + k] as ColumnLineage);
  const starTables: Array<Source[] | null> = stars.map((i) => {
    const s = (lineage[i] as ColumnLineage);
    if (s.source !== 'unknown') return [s.source];
    return s.candidates !== undefined && s.candidates.length > 0 ? [...s.candidates] : null;
  });
  for (let i = first; i < n - tail; i++) {
    const name = (names[i] as string).toLowerCase();
    const hit = new Set<ColumnRule>();
    for (const tables of starTables) {
      for (const r of rules) {
        if (r.column !== '*' && r.column !== name) continue;
        // A star over an unknown relation may hold any table's columns.
        if (tables === null || tables.some((t) => ruleTable(r, t))) hit.add(r);
      }
    }
    for (const l of middle) {
      if (l.name.toLowerCase() !== name) continue;
      for (const r of direct(rules, l)?.rules ?? []) hit.add(r);
    }
    out[i] = hit.size > 0 ? { rules: [...hit], reason: 'star' } : null;
  }
  return out;
}

function direct(rules: readonly ColumnRule[], l: ColumnLineage): Match | null {
  if (l.source !== 'unknown') {
    const src = l.source;
    const hit = rules.filter((r) => ruleTable(r, src) && columnsMatch(r.column, src.column));
    return hit.length > 0 ? { rules: hit, reason: null } : null;
  }
  const cands = l.candidates ?? [];
  if (cands.length > 0) {
    const hit = rules.filter((r) => cands.some((c) => ruleTable(r, c) && columnsMatch(r.column, c.column)));
    return hit.length > 0 ? { rules: hit, reason: 'candidates' } : null;
  }
  // Nothing known about the value: a column named like a masked one is masked.
  const name = l.name.toLowerCase();
  const hit = rules.filter((r) => r.column === name);
  return hit.length > 0 ? { rules: hit, reason: 'name' } : null;
}

const splitCache = new Map<string, string[] | null>();
function ruleTable(r: ColumnRule, src: Source): boolean {
  let parts = splitCache.get(src.table);
  if (parts === undefined) {
    parts = splitQualified(src.table);
    if (splitCache.size > 4096) splitCache.clear();
    splitCache.set(src.table, parts);
  }
  // A lineage table name we cannot read could be any table.
  return parts === null || tablesMatch(r.table, parts);
}
