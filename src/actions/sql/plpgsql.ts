// PL/pgSQL bodies: collect the SQL the function would run so it can be parsed as SQL in turn.
// Dynamic EXECUTE builds its text at run time: it is flagged, never guessed.
import type { SqlFlag } from './types.ts';
import { type J } from './json.ts';


export interface PlpgsqlFindings {
  /** Complete SQL texts (expressions are wrapped as SELECT). */
  sql: string[];
  flags: SqlFlag[];
}

const DYNAMIC = new Set(['PLpgSQL_stmt_dynexecute', 'PLpgSQL_stmt_dynfors']);
// parseMode of PLpgSQL_expr (the server's RawParseMode): 0 statement, 2 expression, 3-5 assignment.
const MODE_STATEMENT = 0;

export function analyzePlpgsql(tree: J): PlpgsqlFindings {
  const sql: string[] = [];
  const flags = new Set<SqlFlag>();
  const visit = (v: unknown, key: string): void => {
    if (Array.isArray(v)) { for (const x of v) visit(x, key); return; }
    if (typeof v !== 'object' || v === null) return;
    const o = v as J;
    for (const k in o) {
      const x = o[k];
      if (DYNAMIC.has(k)) flags.add('dynamic_sql');
      if ((k === 'PLpgSQL_stmt_open' || k === 'PLpgSQL_stmt_return_query') && typeof x === 'object' && x !== null && 'dynquery' in x) flags.add('dynamic_sql');
      if (k === 'PLpgSQL_expr' && typeof x === 'object' && x !== null) {
        const e = x as J;
        const q = typeof e.query === 'string' ? e.query : '';
        const mode = typeof e.parseMode === 'number' ? e.parseMode : MODE_STATEMENT;
        if (mode === MODE_STATEMENT) sql.push(q);
        else if (mode === 2) sql.push(`SELECT ${q}`);
        else sql.push(`SELECT ${stripAssignTarget(q)}`);
        continue;
      }
      visit(x, k);
    }
  };
  visit(tree, '');
  return { sql: sql.filter((s) => s.trim() !== ''), flags: [...flags] };
}

/** "a.b[1] := expr" → "expr" (the target is a variable, not SQL). */
function stripAssignTarget(q: string): string {
  const m = /^[^:=']*?(:=|=)/.exec(q);
  return m ? q.slice(m[0].length) : q;
}
