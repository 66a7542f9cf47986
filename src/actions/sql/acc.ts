// Accumulates what one statement (or nested statement) touches, then freezes it into a document node.
import { NameSet } from './ident.ts';
import type {
  SqlFlag, SqlLineage, SqlName, SqlNestedOrigin, SqlNestedStatement, SqlStatement, SqlStatementType,
} from './types.ts';

export class Acc {
  readonly reads = new NameSet();
  readonly writes = new NameSet();
  readonly other = new NameSet();
  readonly funcs = new NameSet();
  readonly cols = new Set<string>();
  readonly flags = new Set<SqlFlag>();
  /** Run-time settings changed (lowercased; "*" when the name cannot be known). */
  readonly settings = new Set<string>();
  readonly nested: SqlNestedStatement[] = [];
  lineage: SqlLineage[] = [];

  read(n: SqlName): void { this.reads.add(n); }
  write(n: SqlName): void { this.writes.add(n); }

  /**
   * Fold a nested statement in. CTEs, subqueries and prepared bodies run as part of this statement,
   * so their tables are ours too; code bodies (DO, functions, rules) only lend their flags, their
   * tables stay visible under `nested`.
   */
  adopt(child: Acc, type: SqlStatementType, raw: string, origin: SqlNestedOrigin, tables: 'all' | 'no_writes' | 'none'): void {
    if (tables !== 'none') {
      this.reads.addAll(child.reads.items);
      if (tables === 'all') this.writes.addAll(child.writes.items);
      this.other.addAll(child.other.items);
      this.funcs.addAll(child.funcs.items);
      for (const c of child.cols) this.cols.add(c);
    }
    for (const f of child.flags) if (tables !== 'no_writes' || f !== 'select_into') this.flags.add(f);
    for (const s of child.settings) this.settings.add(s);
    this.nested.push({ ...child.freeze(type, raw), origin });
  }

  freeze(type: SqlStatementType, raw: string, span?: [number, number]): SqlStatement {
    const st: SqlStatement = {
      type,
      raw_kind: raw,
      reads: this.reads.items,
      writes: this.writes.items,
      other: this.other.items,
      columns: [...this.cols],
      functions: this.funcs.items,
      flags: [...this.flags].sort(),
      settings: [...this.settings].sort(),
      nested: this.nested,
      lineage: this.lineage,
    };
    if (span) st.span = span;
    return st;
  }
}
