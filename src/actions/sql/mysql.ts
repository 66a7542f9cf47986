// MySQL: split with MySQL's lexical rules, handle the statements sqlparser does not model, and walk
// sqlparser's AST for the rest. Identifiers: unquoted table names are folded to lowercase, `quoted`
// ones keep their case (as on a server with lower_case_table_names=0 where names differ by case);
// column and function names are case-insensitive in MySQL and always lowercased.
import { Acc } from './acc.ts';
import { makeName } from './ident.ts';
import { combineBranches, derived, expandStar, renameColumns, resolveColumn, Scope, type Rel } from './lineage.ts';
import { isWord, lexMysql, MyLexError, splitMysql, type MyStatement, type MyTok } from './mysql-lex.ts';
import { Source } from './source.ts';
import type { SqlLineage, SqlName, SqlStatement, SqlStatementType } from './types.ts';
import { isObj, arr, str, type J } from './json.ts';

export interface MysqlParser {
  /** Parse with sqlparser's MySQL dialect; throws on a syntax error. */
  parse(sql: string): unknown[];
}


const MAX_DEPTH = 4;

export class MysqlError extends Error {
  constructor(message: string, readonly code: string, readonly position?: number) { super(message); }
}

function only(v: unknown): [string, unknown] | null {
  if (!isObj(v)) return null;
  const ks = Object.keys(v);
  return ks.length === 1 ? [ks[0]!, v[ks[0]!]] : null;
}

/**
 * The settings a MySQL SET changes: system variables lowercased (`@@session.`/`@@local.` dropped,
 * `global.` before server-wide ones), user variables as `@name`, NAMES, TRANSACTION, ROLE; "*"
 * for any form not modelled here.
 */
function mysqlSettings(set: [string, unknown] | null): string[] {
  if (set === null || !isObj(set[1])) return ['*'];
  const [form, b] = set;
  const named = (parts: unknown, global: boolean): string => {
    const ids = Array.isArray(parts) ? parts.map((p) => (isObj(p) && isObj(p.Identifier) ? p.Identifier.value : undefined)) : [];
    if (ids.length === 0 || ids.some((x) => typeof x !== 'string' || x === '')) return '*';
    let name = (ids as string[]).join('.').toLowerCase();
    if (name.startsWith('@@global.')) return `global.${name.slice(9)}`;
    for (const p of ['@@session.', '@@local.', '@@']) if (name.startsWith(p)) { name = name.slice(p.length); break; }
    return global ? `global.${name}` : name;
  };
  switch (form) {
    case 'SingleAssignment': return [named(b.variable, b.scope === 'Global')];
    case 'MultipleAssignments':
      return Array.isArray(b.assignments) && b.assignments.length > 0
        ? b.assignments.map((a) => (isObj(a) ? named(a.name, a.scope === 'Global') : '*'))
        : ['*'];
    case 'SetNames': case 'SetNamesDefault': return ['names'];
    case 'SetTransaction': return ['transaction'];
    case 'SetRole': return ['role'];
    default: return ['*'];
  }
}

export function mysqlStatements(src: Source, parser: MysqlParser, depth = 0): SqlStatement[] {
  let tokens: MyTok[];
  try {
    tokens = lexMysql(src.text);
  } catch (e) {
    if (e instanceof MyLexError) throw new MysqlError(e.message, 'syntax_error', e.position);
    throw e;
  }
  const parts = splitMysql(tokens);
  const chars = src.text.split('');
  const blank = (s: number, e: number): void => { for (let i = s; i < e; i++) if (chars[i] !== '\n') chars[i] = ' '; };
  const special = new Map<number, SqlStatement>();
  const outfile = new Set<number>();
  parts.forEach((st, idx) => {
    const handled = specialStatement(st, src, parser, depth);
    if (handled) {
      special.set(idx, { ...handled, span: [st.start, st.end] });
      blank(st.start, st.end);
      return;
    }
    const into = outfileClause(st.tokens);
    if (into) { outfile.add(idx); blank(into[0], into[1]); }
  });
  const rest = parts.length - special.size;
  let asts: unknown[] = [];
  if (rest > 0) {
    const text = chars.join('');
    try {
      asts = parser.parse(text);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      throw new MysqlError(msg, 'syntax_error', linePos(text, msg));
    }
  }
  if (asts.length !== rest) {
    // Our split and the parser's disagree: we cannot tell which text each statement came from.
    throw new MysqlError(`statement boundaries disagree (${rest} by MySQL rules, ${asts.length} parsed)`, 'split_mismatch');
  }
  const out: SqlStatement[] = [];
  let k = 0;
  parts.forEach((st, idx) => {
    const sp = special.get(idx);
    if (sp) { out.push(sp); return; }
    const ast = asts[k++];
    const acc = new Acc();
    const w = new MyWalker();
    const [type, raw] = w.statement(ast, acc, new Scope(null));
    if (outfile.has(idx)) acc.flags.add('file_write');
    out.push(acc.freeze(type, raw, [st.start, st.end]));
  });
  return out;
}

function linePos(text: string, msg: string): number | undefined {
  const m = /Line: (\d+), Column: (\d+)/.exec(msg);
  if (!m) return undefined;
  let line = Number(m[1]);
  let i = 0;
  while (line > 1) { const e = text.indexOf('\n', i); if (e < 0) break; i = e + 1; line--; }
  return Math.min(text.length, i + Number(m[2]) - 1);
}

/** `INTO OUTFILE 'f' [options]` / `INTO DUMPFILE 'f'`: the range to hide from sqlparser. */
function outfileClause(ts: MyTok[]): [number, number] | null {
  for (let i = 0; i + 2 < ts.length; i++) {
    if (!isWord(ts[i], 'INTO') || !isWord(ts[i + 1], 'OUTFILE', 'DUMPFILE') || ts[i + 2]!.kind !== 'string') continue;
    let j = i + 3;
    const OPT = ['CHARACTER', 'SET', 'FIELDS', 'COLUMNS', 'LINES', 'TERMINATED', 'OPTIONALLY', 'ENCLOSED', 'ESCAPED', 'STARTING', 'BY', 'CHARSET'];
    while (j < ts.length) {
      const t = ts[j]!;
      if (t.kind === 'string' || isWord(t, ...OPT)) { j++; continue; }
      // CHARACTER SET <name>
      if (t.kind === 'word' && j > 0 && isWord(ts[j - 1], 'SET', 'CHARSET')) { j++; continue; }
      break;
    }
    return [ts[i]!.start, ts[j - 1]!.end];
  }
  return null;
}

function myName(parts: string[], quoted: boolean[]): SqlName {
  return makeName(parts.map((p, i) => (quoted[i] ? p : p.toLowerCase())), quoted);
}

function tokName(ts: MyTok[], i: number): [SqlName, number] | null {
  const parts: string[] = [];
  const q: boolean[] = [];
  let j = i;
  for (;;) {
    const t = ts[j];
    if (!t || (t.kind !== 'word' && t.kind !== 'qident')) return null;
    parts.push(t.value);
    q.push(t.kind === 'qident');
    j++;
    if (ts[j]?.value === '.' && ts[j]?.kind === 'punct') { j++; continue; }
    break;
  }
  return [myName(parts, q), j];
}

/** Statements handled from tokens; null when sqlparser should see it. */
function specialStatement(st: MyStatement, src: Source, parser: MysqlParser, depth: number): Omit<SqlStatement, 'span'> | null {
  const ts = st.tokens;
  const acc = new Acc();
  if (isWord(ts[0], 'LOAD') && isWord(ts[1], 'DATA', 'XML')) {
    acc.flags.add('file_read');
    const into = ts.findIndex((t, i) => isWord(t, 'INTO') && isWord(ts[i + 1], 'TABLE'));
    const nm = into >= 0 ? tokName(ts, into + 2) : null;
    if (!nm) throw new MysqlError('LOAD without INTO TABLE <name>', 'syntax_error', st.start);
    acc.write(nm[0]);
    // Column list and SET assignments: parse the assignments as expressions for functions and columns.
    const set = ts.findIndex((t, i) => i > nm[1] && isWord(t, 'SET'));
    const listEnd = set >= 0 ? set : ts.length;
    let open = -1;
    for (let i = listEnd - 1; i > nm[1]; i--) if (ts[i]!.value === '(' && ts[i]!.kind === 'punct') { open = i; break; }
    if (open >= 0) for (let i = open + 1; i < listEnd; i++) if (ts[i]!.kind === 'word' || ts[i]!.kind === 'qident') acc.cols.add(ts[i]!.value.toLowerCase());
    if (set >= 0) adoptExpr(src.text.slice(ts[set + 1]?.start ?? st.end, st.end), acc, parser, depth, true);
    return acc.freeze('LOAD', 'LoadData');
  }
  if (isWord(ts[0], 'PREPARE') && isWord(ts[2], 'FROM')) {
    const body = ts[3];
    if (body?.kind === 'string' && ts.length === 4) {
      if (depth >= MAX_DEPTH) acc.flags.add('code_opaque');
      else {
        const inner = mysqlStatements(new Source(body.value), parser, depth + 1);
        for (const s of inner) {
          const child = fromStatement(s);
          acc.adopt(child, s.type, s.raw_kind, 'prepare', 'all');
        }
      }
    } else acc.flags.add('dynamic_sql');
    return acc.freeze('PREPARE', 'PrepareFrom');
  }
  if (isWord(ts[0], 'DO') && ts.length > 1) {
    adoptExpr(src.text.slice(ts[1]!.start, st.end), acc, parser, depth, false);
    return acc.freeze('DO', 'Do');
  }
  if (isWord(ts[0], 'HANDLER') && ts.length > 2) {
    const nm = tokName(ts, 1);
    if (!nm) return null;
    acc.read(nm[0]);
    return acc.freeze('UNKNOWN', 'Handler');
  }
  return null;
}

/** Parse `expr, ...` as a SELECT list and take its tables, functions and columns. */
function adoptExpr(exprs: string, acc: Acc, parser: MysqlParser, depth: number, assignments: boolean): void {
  const text = `SELECT ${assignments ? exprs.replace(/:=/g, '=') : exprs}`;
  const inner = mysqlStatements(new Source(text), parser, depth + 1);
  for (const s of inner) {
    acc.reads.addAll(s.reads); acc.writes.addAll(s.writes); acc.funcs.addAll(s.functions);
    for (const c of s.columns) acc.cols.add(c);
    for (const f of s.flags) acc.flags.add(f);
    for (const x of s.settings) acc.settings.add(x);
    acc.nested.push(...s.nested);
  }
}

function fromStatement(s: SqlStatement): Acc {
  const a = new Acc();
  a.reads.addAll(s.reads); a.writes.addAll(s.writes); a.other.addAll(s.other); a.funcs.addAll(s.functions);
  for (const c of s.columns) a.cols.add(c);
  for (const f of s.flags) a.flags.add(f);
  for (const x of s.settings) a.settings.add(x);
  a.nested.push(...s.nested);
  a.lineage = s.lineage;
  return a;
}

const TXN = new Set(['StartTransaction', 'Commit', 'Rollback', 'Savepoint', 'ReleaseSavepoint', 'SetTransaction']);

class MyWalker {

  private objName(v: unknown): SqlName | null {
    const parts: string[] = [];
    const q: boolean[] = [];
    for (const p of arr(v)) {
      const id = isObj(p) && isObj(p.Identifier) ? p.Identifier : isObj(p) && 'value' in p ? p : null;
      if (!id) return null;
      parts.push(str(id.value) ?? '');
      q.push(typeof id.quote_style === 'string');
    }
    return parts.length ? myName(parts, q) : null;
  }

  statement(ast: unknown, acc: Acc, scope: Scope): [SqlStatementType, string] {
    const n = only(ast);
    if (!n) { this.expr(ast, acc, scope); return ['UNKNOWN', 'unknown']; }
    const [kind, b0] = n;
    const b = isObj(b0) ? b0 : {};
    switch (kind) {
      case 'Query': acc.lineage = this.query(b, acc, scope); return ['SELECT', kind];
      case 'Insert': this.insert(b, acc, scope); return ['INSERT', kind];
      case 'Update': this.update(b, acc, scope); return ['UPDATE', kind];
      case 'Delete': this.delete(b, acc, scope); return ['DELETE', kind];
      case 'Truncate':
        for (const t of arr(b.table_names)) { const nm = isObj(t) ? this.objName(t.name) : null; if (nm) acc.write(nm); }
        return ['TRUNCATE', kind];
      case 'Grant': case 'Revoke': {
        const objs = isObj(b.objects) ? b.objects : {};
        for (const t of arr(objs.Tables)) { const nm = this.objName(t); if (nm) acc.other.add(nm); }
        return ['GRANT', kind];
      }
      case 'Set': {
        acc.flags.add('set_config');
        const s = only(b0);
        if (s && /Role|Authorization/i.test(s[0])) acc.flags.add('role_change');
        for (const name of mysqlSettings(s)) acc.settings.add(name);
        this.expr(b0, acc, scope);
        return ['SET', kind];
      }
      case 'Call': this.expr({ Function: b0 }, acc, scope); return ['CALL', kind];
      case 'Execute': this.expr(b.parameters, acc, scope); this.expr(b.using, acc, scope); return ['EXECUTE', kind];
      case 'Prepare': {
        const child = new Acc();
        const [t, raw] = this.statement(b.statement, child, new Scope(null));
        acc.adopt(child, t, raw, 'prepare', 'all');
        return ['PREPARE', kind];
      }
      case 'Deallocate': return ['DEALLOCATE', kind];
      case 'Explain': {
        const child = new Acc();
        const [t, raw] = this.statement(b.statement, child, new Scope(null));
        if (b.analyze !== true) acc.flags.add('explain_only');
        acc.adopt(child, t, raw, 'explain', b.analyze === true ? 'all' : 'no_writes');
        return ['EXPLAIN', kind];
      }
      case 'ExplainTable': return ['SHOW', kind];
      case 'LockTables':
        for (const t of arr(b.tables)) { const nm = isObj(t) ? this.objName([t.table]) : null; if (nm) acc.other.add(nm); }
        return ['LOCK', kind];
      case 'UnlockTables': return ['LOCK', kind];
      case 'Use': return ['USE', kind];
      case 'Analyze': case 'OptimizeTable': {
        const nm = this.objName(b.table_name ?? b.name);
        if (nm) acc.other.add(nm);
        return ['VACUUM', kind];
      }
      case 'CreateTable': {
        const nm = this.objName(b.name);
        if (nm) acc.write(nm);
        for (const c of arr(b.columns)) if (isObj(c)) this.expr(c.options, acc, scope);
        if (b.query) this.sub(b.query, acc, scope, 'create_as');
        return ['DDL', kind];
      }
      case 'CreateView': {
        const nm = this.objName(b.name);
        if (nm) acc.write(nm);
        if (b.query) this.sub(b.query, acc, scope, 'view');
        return ['DDL', kind];
      }
      case 'CreateIndex': {
        const nm = this.objName(b.table_name);
        if (nm) acc.write(nm);
        return ['DDL', kind];
      }
      case 'AlterTable': {
        const nm = this.objName(b.name);
        if (nm) acc.write(nm);
        this.expr(b.operations, acc, scope);
        return ['DDL', kind];
      }
      case 'Drop':
        if (['Table', 'View', 'MaterializedView', 'Index', 'Sequence'].includes(str(b.object_type) ?? '')) {
          for (const t of arr(b.names)) { const nm = this.objName(t); if (nm) acc.write(nm); }
          const tbl = this.objName(b.table);
          if (tbl) acc.write(tbl);
        }
        return ['DDL', kind];
      case 'RenameTable':
        for (const r of arr(b0)) if (isObj(r)) for (const k of ['old_name', 'new_name']) { const nm = this.objName(r[k]); if (nm) acc.write(nm); }
        return ['DDL', kind];
      case 'CreateProcedure': case 'CreateFunction': case 'CreateTrigger':
        acc.flags.add('code_block');
        this.codeBody(b, acc);
        return ['DDL', kind];
      default: break;
    }
    if (kind.startsWith('Show')) return ['SHOW', kind];
    if (TXN.has(kind)) return ['TXN', kind];
    if (/^(Create|Alter|Drop|Comment|Rename)/.test(kind)) { this.expr(b0, acc, scope); return ['DDL', kind]; }
    this.expr(b0, acc, scope);
    return ['UNKNOWN', kind];
  }

  /** Procedure/function/trigger bodies: statements are already parsed; keep them nested only. */
  private codeBody(b: J, acc: Acc): void {
    const visit = (v: unknown): void => {
      if (Array.isArray(v)) { v.forEach(visit); return; }
      if (!isObj(v)) return;
      const n = only(v);
      if (n && /^[A-Z]/.test(n[0]) && ['Query', 'Insert', 'Update', 'Delete', 'Truncate', 'Drop', 'Set', 'Call', 'CreateTable', 'AlterTable'].includes(n[0])) {
        const child = new Acc();
        const [t, raw] = this.statement(v, child, new Scope(null));
        acc.adopt(child, t, raw, 'code_block', 'none');
        return;
      }
      for (const k in v) if (k !== 'name' && k !== 'span') visit(v[k]);
    };
    visit(b);
  }

  private sub(q: unknown, acc: Acc, scope: Scope, origin: 'create_as' | 'view' | 'subquery' | 'cte'): SqlLineage[] {
    const child = new Acc();
    const cols = isObj(q) ? this.query(q, child, scope) : [];
    child.lineage = cols;
    acc.adopt(child, 'SELECT', 'Query', origin, 'all');
    return cols;
  }

  /** A Query (WITH, body, ORDER BY, LIMIT); returns output lineage. */
  private query(q: J, acc: Acc, outer: Scope): SqlLineage[] {
    let scope = outer;
    if (isObj(q.with)) {
      scope = new Scope(outer);
      for (const c of arr(q.with.cte_tables)) {
        if (!isObj(c)) continue;
        const alias = isObj(c.alias) ? c.alias : {};
        const name = (isObj(alias.name) ? str(alias.name.value) : undefined) ?? '';
        if (q.with.recursive === true) scope.defineCte(name.toLowerCase(), null);
        const cols = this.sub(c.query, acc, scope, 'cte');
        const names = arr(alias.columns).map((x) => (isObj(x) && isObj(x.name) ? str(x.name.value) : isObj(x) ? str(x.value) : undefined) ?? '');
        scope.defineCte(name.toLowerCase(), renameColumns(cols, names.map((s) => s.toLowerCase())));
      }
    }
    const lineage = this.setExpr(q.body, acc, scope);
    this.expr([q.order_by, q.limit_clause, q.limit, q.offset, q.fetch], acc, scope);
    return lineage;
  }

  private setExpr(body: unknown, acc: Acc, scope: Scope): SqlLineage[] {
    const n = only(body);
    if (!n) return [];
    const [kind, b] = n;
    if (kind === 'Select' && isObj(b)) return this.select(b, acc, scope);
    if (kind === 'Query' && isObj(b)) return this.query(b, acc, scope);
    if (kind === 'SetOperation' && isObj(b)) return combineBranches(this.setExpr(b.left, acc, scope), this.setExpr(b.right, acc, scope));
    if (kind === 'Values' && isObj(b)) {
      this.expr(b.rows, acc, scope);
      return [];
    }
    if (kind === 'Insert' || kind === 'Update' || kind === 'Delete') { this.statement(body, acc, scope); return []; }
    this.expr(b, acc, scope);
    return [];
  }

  private select(s: J, acc: Acc, outer: Scope): SqlLineage[] {
    const scope = new Scope(outer);
    for (const f of arr(s.from)) this.tableWithJoins(f, acc, scope, null);
    if (isObj(s.into)) {
      const nm = this.objName(s.into.name);
      if (nm && !nm.name.startsWith('@')) { acc.write(nm); acc.flags.add('select_into'); }
    }
    const lineage: SqlLineage[] = [];
    for (const item of arr(s.projection)) {
      const n = only(item);
      if (!n) continue;
      const [kind, v] = n;
      if (kind === 'Wildcard') { acc.cols.add('*'); lineage.push(...expandStar(scope, null)); continue; }
      if (kind === 'QualifiedWildcard') {
        acc.cols.add('*');
        const first = arr(v)[0];
        const nm = isObj(first) ? this.objName(first.ObjectName) : null;
        lineage.push(...expandStar(scope, nm ? nm.name : null));
        continue;
      }
      const e = kind === 'ExprWithAlias' && isObj(v) ? v.expr : v;
      const alias = kind === 'ExprWithAlias' && isObj(v) && isObj(v.alias) ? str(v.alias.value) : undefined;
      this.expr(e, acc, scope);
      lineage.push(this.exprLineage(e, alias, scope));
    }
    this.expr([s.selection, s.group_by, s.having, s.qualify, s.sort_by], acc, scope);
    return lineage;
  }

  private exprLineage(e: unknown, alias: string | undefined, scope: Scope): SqlLineage {
    const n = only(e);
    const ref = this.colRef(e);
    if (ref) {
      const l = resolveColumn(scope, ref[0], ref[1]);
      return alias !== undefined ? { ...l, name: alias.toLowerCase() } : l;
    }
    const refs: SqlLineage[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) { v.forEach(collect); return; }
      if (!isObj(v)) return;
      const r = this.colRef(v);
      if (r) { refs.push(resolveColumn(scope, r[0], r[1])); return; }
      const m = only(v);
      if (m && (m[0] === 'Subquery' || m[0] === 'Exists' || m[0] === 'InSubquery')) return;
      for (const k in v) if (k !== 'span') collect(v[k]);
    };
    collect(e);
    const name = alias ?? (n && n[0] === 'Function' && isObj(n[1]) ? (this.objName(n[1].name)?.name ?? '?column?') : '?column?');
    return derived(name.toLowerCase(), refs);
  }

  /** [qualifier, column] of a plain column reference expression. */
  private colRef(e: unknown): [string | null, string] | null {
    const n = only(e);
    if (!n) return null;
    if (n[0] === 'Identifier' && isObj(n[1]) && typeof n[1].value === 'string' && !n[1].value.startsWith('@')) {
      return [null, n[1].value.toLowerCase()];
    }
    if (n[0] === 'CompoundIdentifier') {
      const parts = arr(n[1]).map((p) => (isObj(p) ? str(p.value) ?? '' : ''));
      if (parts.length < 2) return parts.length ? [null, parts[0]!.toLowerCase()] : null;
      const q = arr(n[1])[parts.length - 2];
      const qual = parts[parts.length - 2]!;
      return [isObj(q) && typeof q.quote_style === 'string' ? qual : qual.toLowerCase(), parts[parts.length - 1]!.toLowerCase()];
    }
    return null;
  }

  /** FROM item with joins. `targets` collects relations when the caller needs them (UPDATE/DELETE). */
  private tableWithJoins(t: unknown, acc: Acc, scope: Scope, targets: Rel[] | null, readsTo: Acc = acc): void {
    if (!isObj(t)) return;
    this.tableFactor(t.relation, acc, scope, targets, readsTo);
    for (const j of arr(t.joins)) {
      if (!isObj(j)) continue;
      this.tableFactor(j.relation, acc, scope, targets, readsTo);
      const op = only(j.join_operator);
      const cons = op ? only(op[1]) : null;
      if (cons && cons[0] === 'Using') {
        for (const c of arr(cons[1])) { const nm = this.objName(c); if (nm) acc.cols.add(nm.name.toLowerCase()); }
      } else if (cons && cons[0] === 'On') this.expr(cons[1], acc, scope);
      else if (op) this.expr(op[1], acc, scope);
    }
  }

  private tableFactor(f: unknown, acc: Acc, scope: Scope, targets: Rel[] | null, readsTo: Acc): void {
    const n = only(f);
    if (!n || !isObj(n[1])) return;
    const [kind, b] = n;
    const aliasObj = isObj(b.alias) ? b.alias : null;
    const alias = aliasObj && isObj(aliasObj.name) ? str(aliasObj.name.value) : undefined;
    if (kind === 'Table') {
      const nm = this.objName(b.name);
      if (!nm) return;
      this.expr(b.args, acc, scope);
      if (nm.schema === null && !nm.quoted[0] && scope.cte(nm.name)) {
        const cte = scope.cte(nm.name)!;
        scope.rels.push({ alias: alias ?? nm.name, table: null, columns: cte.cols });
        return;
      }
      const rel: Rel = { alias: alias ?? nm.name, table: nm.canonical, columns: null };
      scope.rels.push(rel);
      if (targets) { targets.push(rel); (rel as Rel & { ref?: SqlName }).ref = nm; }
      else readsTo.read(nm);
      return;
    }
    if (kind === 'Derived') {
      const cols = this.sub(b.subquery, acc, scope, 'subquery');
      const names = aliasObj ? arr(aliasObj.columns).map((x) => (isObj(x) && isObj(x.name) ? str(x.name.value) : isObj(x) ? str(x.value) : undefined) ?? '') : [];
      scope.rels.push({ alias: alias ?? '', table: null, columns: renameColumns(cols, names.map((s) => s.toLowerCase())) });
      return;
    }
    if (kind === 'NestedJoin') {
      this.tableWithJoins(b.table_with_joins, acc, scope, targets, readsTo);
      return;
    }
    // Table functions, JSON_TABLE, UNNEST ...: walk them; columns unknown.
    this.expr(b, acc, scope);
    scope.rels.push({ alias: alias ?? '', table: null, columns: null });
  }

  private insert(b: J, acc: Acc, scope: Scope): void {
    const tbl = isObj(b.table) ? (b.table.TableName ?? b.table) : b.table_name;
    const nm = this.objName(tbl);
    if (nm) { acc.write(nm); scope.rels.push({ alias: nm.name, table: nm.canonical, columns: null }); }
    for (const c of arr(b.columns)) { const cn = this.objName(Array.isArray(c) ? c : [c]); if (cn) acc.cols.add(cn.name.toLowerCase()); }
    if (isObj(b.source)) this.query(b.source, acc, new Scope(null));
    this.assignments(b.assignments, acc, scope);
    const on = only(b.on);
    if (on && on[0] === 'DuplicateKeyUpdate') this.assignments(on[1], acc, scope);
    else if (on) this.expr(on[1], acc, scope);
    if (b.returning) acc.lineage = this.projection(b.returning, acc, scope);
  }

  private projection(list: unknown, acc: Acc, scope: Scope): SqlLineage[] {
    return this.select({ projection: list }, acc, scope);
  }

  private assignments(list: unknown, acc: Acc, scope: Scope): string[] {
    const quals: string[] = [];
    for (const a of arr(list)) {
      if (!isObj(a)) continue;
      const t = only(a.target);
      if (t && t[0] === 'ColumnName') {
        const parts = arr(t[1]).map((p) => (isObj(p) && isObj(p.Identifier) ? str(p.Identifier.value) ?? '' : ''));
        if (parts.length) acc.cols.add(parts[parts.length - 1]!.toLowerCase());
        if (parts.length >= 2) quals.push(parts[parts.length - 2]!);
        else quals.push('');
      } else this.expr(a.target, acc, scope);
      this.expr(a.value, acc, scope);
    }
    return quals;
  }

  private update(b: J, acc: Acc, outer: Scope): void {
    const scope = new Scope(outer);
    const rels: Rel[] = [];
    const staging = new Acc();
    this.tableWithJoins(b.table, acc, scope, rels, staging);
    const fromList = only(b.from);
    for (const f of arr(fromList ? fromList[1] : b.from)) this.tableWithJoins(f, acc, scope, null);
    const quals = this.assignments(b.assignments, acc, scope);
    // Written: relations whose columns are assigned; unqualified assignments with several tables
    // could target any of them, so all count as written.
    const written = new Set<Rel>();
    for (const q of quals) {
      if (q === '') { if (rels.length === 1) written.add(rels[0]!); else rels.forEach((r) => written.add(r)); continue; }
      const r = rels.find((x) => x.alias === q || x.alias.toLowerCase() === q.toLowerCase());
      if (r) written.add(r); else rels.forEach((x) => written.add(x));
    }
    if (written.size === 0) rels.forEach((r) => written.add(r));
    for (const r of rels) {
      const ref = (r as Rel & { ref?: SqlName }).ref;
      if (!ref) continue;
      if (written.has(r)) acc.write(ref); else acc.read(ref);
    }
    this.expr([b.selection, b.order_by, b.limit], acc, scope);
  }

  private delete(b: J, acc: Acc, outer: Scope): void {
    const scope = new Scope(outer);
    const rels: Rel[] = [];
    const fromV = only(b.from);
    const staging = new Acc();
    for (const f of arr(fromV ? fromV[1] : b.from)) this.tableWithJoins(f, acc, scope, rels, staging);
    for (const u of arr(b.using)) this.tableWithJoins(u, acc, scope, null);
    const targets = arr(b.tables).map((t) => this.objName(t)).filter((x): x is SqlName => !!x);
    const refOf = (r: Rel): SqlName | undefined => (r as Rel & { ref?: SqlName }).ref;
    if (targets.length === 0) {
      // DELETE FROM t [JOIN ...]: the first relation is the target, joined ones are read.
      rels.forEach((r, i) => { const ref = refOf(r); if (ref) { if (i === 0) acc.write(ref); else acc.read(ref); } });
    } else {
      const hit = new Set<Rel>();
      for (const t of targets) {
        const r = rels.find((x) => x.alias === t.name || x.table === t.canonical);
        if (r) hit.add(r); else acc.write(t);
      }
      for (const r of rels) { const ref = refOf(r); if (ref) { if (hit.has(r)) acc.write(ref); else acc.read(ref); } }
    }
    this.expr([b.selection, b.order_by, b.limit], acc, scope);
  }

  /** Expressions (and anything not modelled): columns, functions, subqueries, tables. */
  expr(v: unknown, acc: Acc, scope: Scope): void {
    if (Array.isArray(v)) { for (const x of v) this.expr(x, acc, scope); return; }
    if (!isObj(v)) return;
    const n = only(v);
    if (n) {
      const [kind, b] = n;
      switch (kind) {
        case 'Value': case 'TypedString': return;
        case 'Identifier': case 'CompoundIdentifier': {
          const r = this.colRef(v);
          if (r) acc.cols.add(r[1]);
          return;
        }
        case 'Function': {
          if (!isObj(b)) return;
          const nm = this.objName(b.name);
          // Function names are case-insensitive in MySQL, quoted or not.
          if (nm) acc.funcs.add(makeName([nm.catalog, nm.schema, nm.name].filter((p): p is string => typeof p === 'string').map((p) => p.toLowerCase()), nm.quoted));
          this.expr([b.args, b.over, b.filter, b.within_group, b.parameters], acc, scope);
          return;
        }
        case 'Subquery': this.sub(b, acc, scope, 'subquery'); return;
        case 'Exists': case 'InSubquery':
          if (isObj(b)) { this.expr(b.expr, acc, scope); this.sub(b.subquery, acc, scope, 'subquery'); }
          return;
        case 'Wildcard': case 'QualifiedWildcard': acc.cols.add('*'); return;
        case 'Table':
          if (isObj(b) && Array.isArray(b.name)) { this.tableFactor(v, acc, new Scope(scope), null, acc); return; }
          break;
        case 'Query':
          if (isObj(b)) { this.sub(b, acc, scope, 'subquery'); return; }
          break;
        default: break;
      }
    }
    if ('body' in v && 'locks' in v) { this.sub(v, acc, scope, 'subquery'); return; }
    for (const k in v) {
      if (k === 'span' || k === 'name' || k === 'alias' || k === 'data_type' || k === 'variable' || k === 'variables') continue;
      this.expr(v[k], acc, scope);
    }
  }
}
