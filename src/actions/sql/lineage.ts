// Column lineage scopes: which relation (table, subquery, CTE) a column reference resolves to.
import type { SqlColumnSource, SqlLineage } from './types.ts';

/** A relation visible in a FROM scope. */
export interface Rel {
  /** The name the query refers to it by (alias, else its own name). */
  alias: string;
  /** Canonical table name for base tables, else null. */
  table: string | null;
  /** Output columns when known (subqueries, CTEs), in order; null when the column set is unknown. */
  columns: SqlLineage[] | null;
}

export class Scope {
  readonly rels: Rel[] = [];
  private readonly ctes = new Map<string, SqlLineage[] | null>();
  constructor(readonly parent: Scope | null) {}

  defineCte(name: string, cols: SqlLineage[] | null): void { this.ctes.set(name, cols); }

  /** The CTE's columns if `name` is a CTE visible here (null inside: known CTE, unknown columns). */
  cte(name: string): { cols: SqlLineage[] | null } | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.ctes.has(name)) return { cols: s.ctes.get(name) ?? null };
    }
    return undefined;
  }

  findRel(alias: string): Rel | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      for (let i = s.rels.length - 1; i >= 0; i--) if (s.rels[i]!.alias === alias) return s.rels[i];
    }
    return undefined;
  }
}

function fromRel(rel: Rel, column: string): SqlLineage | null {
  if (rel.table !== null) return { name: column, source: { table: rel.table, column } };
  if (rel.columns) {
    const hit = rel.columns.find((c) => c.name === column);
    if (hit) return withName(hit, column);
  }
  return null;
}

function withName(l: SqlLineage, name: string): SqlLineage {
  const out: SqlLineage = { name, source: l.source };
  if (l.candidates) out.candidates = l.candidates;
  return out;
}

/** Resolve a column reference written as qualifier? + column. */
export function resolveColumn(scope: Scope, qualifier: string | null, column: string): SqlLineage {
  if (qualifier !== null) {
    const rel = scope.findRel(qualifier);
    return (rel && fromRel(rel, column)) ?? { name: column, source: 'unknown' };
  }
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.rels.length === 0) continue;
    // A known column set that holds the name wins; with one candidate relation, it is that one.
    const known = s.rels.filter((r) => r.columns?.some((c) => c.name === column));
    if (known.length === 1) return fromRel(known[0]!, column)!;
    const open = s.rels.filter((r) => r.columns === null);
    if (known.length === 0 && open.length === 1) return fromRel(open[0]!, column) ?? { name: column, source: 'unknown' };
    if (known.length + open.length === 0) continue;
    const candidates: SqlColumnSource[] = [];
    for (const r of [...known, ...open]) {
      const l = r.table !== null ? fromRel(r, column) : null;
      if (l && l.source !== 'unknown') candidates.push(l.source);
    }
    return candidates.length ? { name: column, source: 'unknown', candidates } : { name: column, source: 'unknown' };
  }
  return { name: column, source: 'unknown' };
}

/** Expand `*` or `q.*` into lineage entries. */
export function expandStar(scope: Scope, qualifier: string | null): SqlLineage[] {
  const rels = qualifier !== null ? [scope.findRel(qualifier)].filter((r): r is Rel => !!r) : scope.rels;
  if (rels.length === 0) return [{ name: '*', source: 'unknown' }];
  const out: SqlLineage[] = [];
  for (const r of rels) {
    if (r.columns) out.push(...r.columns);
    else if (r.table !== null) out.push({ name: '*', source: { table: r.table, column: '*' } });
    else out.push({ name: '*', source: 'unknown' });
  }
  return out;
}

/** Lineage of a computed value: unknown, with the columns it was computed from as candidates. */
export function derived(name: string, inputs: SqlLineage[]): SqlLineage {
  const seen = new Set<string>();
  const candidates: SqlColumnSource[] = [];
  for (const l of inputs) {
    const srcs = l.source !== 'unknown' ? [l.source] : (l.candidates ?? []);
    for (const s of srcs) {
      const k = `${s.table}\u0000${s.column}`;
      if (!seen.has(k)) { seen.add(k); candidates.push(s); }
    }
  }
  return candidates.length ? { name, source: 'unknown', candidates } : { name, source: 'unknown' };
}

/** Combine the branches of a set operation column by column; names come from the first branch. */
export function combineBranches(left: SqlLineage[], right: SqlLineage[]): SqlLineage[] {
  if (left.length !== right.length) return left.map((l) => derived(l.name, [l]));
  return left.map((l, i) => {
    const r = right[i]!;
    if (l.source !== 'unknown' && r.source !== 'unknown' && l.source.table === r.source.table && l.source.column === r.source.column) return l;
    return derived(l.name, [l, r]);
  });
}

/** Rename output columns by an alias column list (`AS t(a, b)`). */
export function renameColumns(cols: SqlLineage[], names: string[]): SqlLineage[] {
  if (names.length === 0) return cols;
  return cols.map((c, i) => (i < names.length ? withName(c, names[i]!) : c));
}
