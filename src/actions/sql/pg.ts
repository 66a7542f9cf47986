// PostgreSQL: walk libpg-query's parse tree (the server's own grammar) into statements.
// Known node kinds get precise handling; every other node is still walked generically, so a
// table, function or subquery inside a construct we do not model is reported, never dropped.
import { Acc } from './acc.ts';
import { inferQuoted, makeName } from './ident.ts';
import { combineBranches, derived, expandStar, renameColumns, resolveColumn, Scope, type Rel } from './lineage.ts';
import { analyzePlpgsql } from './plpgsql.ts';
import { Source } from './source.ts';
import type { SqlLineage, SqlName, SqlNestedOrigin, SqlStatement, SqlStatementType } from './types.ts';
import { isObj, arr, str, type J } from './json.ts';
import { NODE_KIND } from './pg-tree.ts';

export type { J } from './json.ts';

/** Parses SQL text with the server grammar; throws on a syntax error. */
export interface PgParsers {
  parse(sql: string): J;
  parsePlpgsql(createFunctionSql: string): J;
}

const MAX_CODE_DEPTH = 6;

export interface PgContext {
  src: Source;
  parsers: PgParsers;
  /** Nesting of code bodies (DO inside a function body inside ...). */
  codeDepth: number;
}

/** Unwrap `{ Kind: body }` → [Kind, body]. */
function nodeOf(v: unknown): [string, J] | null {
  if (!isObj(v)) return null;
  const k = kindOf(v);
  return k === null ? null : [k, v[k] as J];
}

/** The Kind of a `{ Kind: body }` wrapper (its body is then an object), else null. */
function kindOf(v: J): string | null {
  // Trees from our reader carry their kind; others (JSON.parse, nodes made here) are inspected.
  const stamped = (v as unknown as Record<symbol, string | undefined>)[NODE_KIND];
  if (stamped !== undefined) return stamped;
  // Own keys only (not for-in): an enumerable property planted on Object.prototype must not
  // make every node look like something else.
  const keys = Object.keys(v);
  if (keys.length !== 1) return null;
  const k = keys[0]!;
  const c = k.charCodeAt(0);
  if (c < 65 || c > 90) return null;
  return isObj(v[k]) ? k : null;
}
/** String values of a list of `{String: {sval}}` nodes. */
function strings(v: unknown): string[] {
  const out: string[] = [];
  for (const x of arr(v)) {
    if (!isObj(x)) continue;
    const k = kindOf(x);
    if (k === 'String') out.push(str((x[k] as J).sval) ?? '');
    else if (k === 'A_Star') out.push('*');
  }
  return out;
}

/** Normalize one parse tree (all statements of a text). */
export function pgStatements(tree: J, ctx: PgContext): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (const raw of arr(tree.stmts)) {
    if (!isObj(raw)) continue;
    const n = nodeOf(raw.stmt);
    if (!n) continue;
    const startB = typeof raw.stmt_location === 'number' ? raw.stmt_location : 0;
    const start = ctx.src.charAt(startB);
    const end = typeof raw.stmt_len === 'number' && raw.stmt_len > 0 ? ctx.src.charAt(startB + raw.stmt_len) : ctx.src.text.length;
    const w = new Walker(ctx, [start, end]);
    const acc = new Acc();
    const type = w.statement(n[0], n[1], acc, new Scope(null));
    out.push(acc.freeze(type, n[0], [start, end]));
  }
  return out;
}

const DDL_PREFIX = /^(Create|Alter|Drop|Define|Rename|Comment|Refresh|Reassign|Import|SecLabel)/;
const ROLE_KINDS = new Set(['CreateRoleStmt', 'AlterRoleStmt', 'DropRoleStmt', 'AlterRoleSetStmt']);
/** Fields of DDL statements that name the object being changed. */
const TARGET_FIELDS = new Set(['relation', 'relations', 'view', 'sequence', 'table', 'into', 'rel']);
const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_SEQUENCE', 'OBJECT_INDEX', 'OBJECT_FOREIGN_TABLE']);

class Walker {
  constructor(private readonly ctx: PgContext, private readonly span: [number, number]) {}

  // ---- names -------------------------------------------------------------------------------

  private name(parts: string[], byteLoc: unknown): SqlName {
    let quoted: boolean[] | null = null;
    if (typeof byteLoc === 'number' && byteLoc >= 0) quoted = this.ctx.src.quotedParts(this.ctx.src.charAt(byteLoc), parts.length);
    return makeName(parts, quoted ?? inferQuoted(parts));
  }

  private rangeVarName(rv: J): SqlName {
    const parts = [str(rv.catalogname), str(rv.schemaname), str(rv.relname) ?? ''].filter((p): p is string => p !== undefined);
    return this.name(parts, rv.location);
  }

  /** A table reference in a reading position: a table unless it names a visible CTE. */
  private readRangeVar(rv: J, acc: Acc, scope: Scope): Rel {
    const relname = str(rv.relname) ?? '';
    const alias = str(isObj(rv.alias) ? rv.alias.aliasname : undefined);
    const colnames = isObj(rv.alias) ? strings(rv.alias.colnames) : [];
    if (rv.schemaname === undefined && rv.catalogname === undefined) {
      const cte = scope.cte(relname);
      if (cte) return { alias: alias ?? relname, table: null, columns: cte.cols ? renameColumns(cte.cols, colnames) : null };
    }
    const n = this.rangeVarName(rv);
    acc.read(n);
    return { alias: alias ?? relname, table: n.canonical, columns: null };
  }

  private targetRangeVar(rv: J, acc: Acc, scope: Scope): Rel {
    const n = this.rangeVarName(rv);
    acc.write(n);
    const relname = str(rv.relname) ?? '';
    const alias = str(isObj(rv.alias) ? rv.alias.aliasname : undefined);
    const rel: Rel = { alias: alias ?? relname, table: n.canonical, columns: null };
    scope.rels.push(rel);
    return rel;
  }

  private funcName(parts: string[], body: J, acc: Acc): void {
    // Calls the grammar rewrote from SQL syntax (EXTRACT, SUBSTRING ...) carry an implicit pg_catalog.
    const ps = body.funcformat === 'COERCE_SQL_SYNTAX' && parts.length === 2 && parts[0] === 'pg_catalog' ? parts.slice(1) : parts;
    acc.funcs.add(this.name(ps, body.location));
  }

  // ---- statements --------------------------------------------------------------------------

  statement(kind: string, b: J, acc: Acc, scope: Scope): SqlStatementType {
    switch (kind) {
      case 'SelectStmt':
        acc.lineage = this.select(b, acc, scope);
        return 'SELECT';
      case 'InsertStmt': this.insert(b, acc, scope); return 'INSERT';
      case 'UpdateStmt': this.update(b, acc, scope); return 'UPDATE';
      case 'DeleteStmt': this.delete(b, acc, scope); return 'DELETE';
      case 'MergeStmt': this.merge(b, acc, scope); return 'MERGE';
      case 'CopyStmt': this.copy(b, acc, scope); return 'COPY';
      case 'ExplainStmt': this.explain(b, acc, scope); return 'EXPLAIN';
      case 'TruncateStmt':
        for (const r of arr(b.relations)) { const n = nodeOf(r); if (n) this.targetRangeVar(n[1], acc, scope); }
        return 'TRUNCATE';
      case 'LockStmt':
        for (const r of arr(b.relations)) { const n = nodeOf(r); if (n) acc.other.add(this.rangeVarName(n[1])); }
        return 'LOCK';
      case 'VacuumStmt': case 'ClusterStmt': case 'ReindexStmt':
        this.maintenance(b, acc);
        return 'VACUUM';
      case 'GrantStmt':
        if (b.objtype === 'OBJECT_TABLE' && b.targtype === 'ACL_TARGET_OBJECT') {
          for (const r of arr(b.objects)) { const n = nodeOf(r); if (n && n[0] === 'RangeVar') acc.other.add(this.rangeVarName(n[1])); }
        }
        return 'GRANT';
      case 'GrantRoleStmt': acc.flags.add('role_admin'); return 'GRANT';
      case 'AlterDefaultPrivilegesStmt': return 'GRANT';
      case 'VariableSetStmt': this.setStmt(b, acc); return 'SET';
      case 'DiscardStmt':
        if (b.target === 'DISCARD_ALL') { acc.flags.add('role_change'); acc.settings.add('*'); }
        return 'SET';
      case 'VariableShowStmt': return 'SHOW';
      case 'AlterSystemStmt':
        acc.flags.add('set_config');
        acc.settings.add(settingName(isObj(b.setstmt) ? b.setstmt : {}));
        return 'ALTER_SYSTEM';
      case 'TransactionStmt': return 'TXN';
      case 'ListenStmt': return 'LISTEN';
      case 'NotifyStmt': return 'NOTIFY';
      case 'UnlistenStmt': return 'UNLISTEN';
      case 'LoadStmt': acc.flags.add('load_library'); return 'LOAD';
      case 'CallStmt':
        // The call is an inline FuncCall struct, not a wrapped node.
        if (isObj(b.funccall)) this.walk({ FuncCall: b.funccall }, acc, scope);
        return 'CALL';
      case 'DoStmt': this.doStmt(b, acc); return 'DO';
      case 'PrepareStmt': {
        const child = new Acc();
        const q = nodeOf(b.query);
        const t = q ? this.statement(q[0], q[1], child, new Scope(scope)) : 'UNKNOWN';
        acc.adopt(child, t, q ? q[0] : 'unknown', 'prepare', 'all');
        return 'PREPARE';
      }
      case 'ExecuteStmt': this.walk(b.params, acc, scope); return 'EXECUTE';
      case 'DeallocateStmt': return 'DEALLOCATE';
      case 'DeclareCursorStmt': {
        const q = nodeOf(b.query);
        if (q) acc.lineage = q[0] === 'SelectStmt' ? this.select(q[1], acc, scope) : (this.statement(q[0], q[1], acc, scope), []);
        return 'CURSOR';
      }
      case 'FetchStmt': case 'ClosePortalStmt': return 'CURSOR';
      case 'CreateTableAsStmt': this.createAs(b, acc, scope); return 'DDL';
      case 'CreateFunctionStmt': this.createFunction(b, acc, scope); return 'DDL';
      case 'ViewStmt': this.view(b, acc, scope); return 'DDL';
      case 'RuleStmt': this.rule(b, acc, scope); return 'DDL';
      case 'DropStmt': this.drop(b, acc, scope); return 'DDL';
      case 'IndexStmt':
        if (isObj(b.relation)) this.targetRangeVar(b.relation, acc, scope);
        for (const e of arr(b.indexParams)) { const n = nodeOf(e); if (n && str(n[1].name)) acc.cols.add(str(n[1].name)!); }
        this.walk({ ...b, relation: undefined }, acc, scope);
        return 'DDL';
      case 'CreateExtensionStmt': acc.flags.add('extension'); this.walk(b, acc, scope); return 'DDL';
      case 'CompositeTypeStmt': case 'CreateTrigStmt': case 'CheckPointStmt': break;
      default: break;
    }
    if (ROLE_KINDS.has(kind)) acc.flags.add('role_admin');
    if (DDL_PREFIX.test(kind) || kind === 'CompositeTypeStmt' || kind === 'CreateTrigStmt') {
      this.ddl(b, acc, scope);
      return 'DDL';
    }
    // Not modelled: keep everything it mentions and let policy treat it as a write.
    this.walk(b, acc, scope);
    return 'UNKNOWN';
  }

  /** SELECT (incl. set operations, VALUES, SELECT INTO); returns output lineage. */
  private select(b: J, acc: Acc, outer: Scope): SqlLineage[] {
    const scope = this.withClause(b.withClause, acc, outer);
    if (b.op && b.op !== 'SETOP_NONE') {
      const l = isObj(b.larg) ? this.select(b.larg, acc, scope) : [];
      const r = isObj(b.rarg) ? this.select(b.rarg, acc, scope) : [];
      this.walkList([b.sortClause, b.limitOffset, b.limitCount], acc, scope);
      return combineBranches(l, r);
    }
    const local = new Scope(scope);
    for (const item of arr(b.fromClause)) this.fromItem(item, acc, local);
    if (isObj(b.intoClause)) {
      const rel = b.intoClause.rel;
      if (isObj(rel)) acc.write(this.rangeVarName(rel));
      acc.flags.add('select_into');
    }
    let lineage: SqlLineage[] = [];
    if (b.valuesLists) {
      this.walk(b.valuesLists, acc, local);
      const first = arr(b.valuesLists)[0];
      const n = nodeOf(first);
      const items = n ? arr(n[1].items) : [];
      lineage = items.map((_, i) => ({ name: `column${i + 1}`, source: 'unknown' as const }));
    } else {
      lineage = this.targetList(b.targetList, acc, local);
    }
    this.walkList([b.distinctClause, b.whereClause, b.groupClause, b.havingClause, b.windowClause, b.sortClause, b.limitOffset, b.limitCount], acc, local);
    // FOR UPDATE OF names relations already in FROM (by alias): nothing new to report.
    return lineage;
  }

  private withClause(w: unknown, acc: Acc, outer: Scope): Scope {
    if (!isObj(w)) return outer;
    const scope = new Scope(outer);
    const recursive = w.recursive === true;
    for (const c of arr(w.ctes)) {
      const n = nodeOf(c);
      if (!n) continue;
      const cte = n[1];
      const name = str(cte.ctename) ?? '';
      if (recursive) scope.defineCte(name, null);
      const child = new Acc();
      const q = nodeOf(cte.ctequery);
      let type: SqlStatementType = 'UNKNOWN';
      if (q) {
        type = this.statement(q[0], q[1], child, new Scope(scope));
      }
      const cols = renameColumns(child.lineage, strings(cte.aliascolnames));
      acc.adopt(child, type, q ? q[0] : 'unknown', 'cte', 'all');
      scope.defineCte(name, cols);
    }
    return scope;
  }

  private fromItem(item: unknown, acc: Acc, scope: Scope): void {
    const n = nodeOf(item);
    if (!n) { this.walk(item, acc, scope); return; }
    const [kind, b] = n;
    switch (kind) {
      case 'RangeVar':
        scope.rels.push(this.readRangeVar(b, acc, scope));
        return;
      case 'RangeSubselect': {
        const child = new Acc();
        const q = nodeOf(b.subquery);
        let cols: SqlLineage[] = [];
        if (q && q[0] === 'SelectStmt') cols = this.select(q[1], child, scope);
        else if (q) this.statement(q[0], q[1], child, scope);
        child.lineage = cols;
        acc.adopt(child, 'SELECT', q ? q[0] : 'unknown', 'subquery', 'all');
        const alias = isObj(b.alias) ? b.alias : {};
        scope.rels.push({ alias: str(alias.aliasname) ?? '', table: null, columns: renameColumns(cols, strings(alias.colnames)) });
        return;
      }
      case 'JoinExpr': {
        this.fromItem(b.larg, acc, scope);
        this.fromItem(b.rarg, acc, scope);
        for (const c of strings(b.usingClause)) acc.cols.add(c);
        this.walk(b.quals, acc, scope);
        return;
      }
      case 'RangeTableSample':
        this.fromItem(b.relation, acc, scope);
        this.walkList([b.method, b.args, b.repeatable], acc, scope);
        return;
      default: {
        // Functions in FROM, XMLTABLE, JSON_TABLE: walk them; their columns are unknown.
        this.walk(b, acc, scope);
        const alias = isObj(b.alias) ? str(b.alias.aliasname) : undefined;
        scope.rels.push({ alias: alias ?? '', table: null, columns: null });
      }
    }
  }

  private targetList(list: unknown, acc: Acc, scope: Scope): SqlLineage[] {
    const out: SqlLineage[] = [];
    for (const t of arr(list)) {
      const n = nodeOf(t);
      if (!n || n[0] !== 'ResTarget') { this.walk(t, acc, scope); continue; }
      const val = n[1].val;
      this.walk(val, acc, scope);
      out.push(...this.outputLineage(str(n[1].name), val, scope));
    }
    return out;
  }

  private outputLineage(alias: string | undefined, val: unknown, scope: Scope): SqlLineage[] {
    const n = nodeOf(val);
    if (n && n[0] === 'ColumnRef') {
      const f = strings(n[1].fields);
      const last = f[f.length - 1] ?? '';
      const qual = f.length >= 2 ? f[f.length - 2]! : null;
      if (last === '*') return expandStar(scope, qual);
      const l = resolveColumn(scope, qual, last);
      return [alias !== undefined ? { ...l, name: alias } : l];
    }
    const refs: SqlLineage[] = [];
    this.columnRefs(val, scope, refs);
    return [derived(alias ?? defaultName(val), refs)];
  }

  /** Column references inside an expression (not into subqueries), resolved. */
  private columnRefs(v: unknown, scope: Scope, out: SqlLineage[]): void {
    if (Array.isArray(v)) { for (const x of v) this.columnRefs(x, scope, out); return; }
    if (!isObj(v)) return;
    const n = nodeOf(v);
    if (n && n[0] === 'ColumnRef') {
      const f = strings(n[1].fields);
      const last = f[f.length - 1] ?? '';
      if (last === '*') out.push(...expandStar(scope, f.length >= 2 ? f[f.length - 2]! : null));
      else out.push(resolveColumn(scope, f.length >= 2 ? f[f.length - 2]! : null, last));
      return;
    }
    if (n && (n[0] === 'SubLink' || n[0] === 'SelectStmt')) return;
    for (const k in v) this.columnRefs(v[k], scope, out);
  }

  private returning(b: J, acc: Acc, scope: Scope): void {
    const list = isObj(b.returningClause) ? b.returningClause.exprs : b.returningList;
    if (list) acc.lineage = this.targetList(list, acc, scope);
  }

  private insert(b: J, acc: Acc, outer: Scope): void {
    const scope = new Scope(this.withClause(b.withClause, acc, outer));
    if (isObj(b.relation)) this.targetRangeVar(b.relation, acc, scope);
    for (const c of arr(b.cols)) { const n = nodeOf(c); if (n && str(n[1].name)) acc.cols.add(str(n[1].name)!); }
    const sel = nodeOf(b.selectStmt);
    if (sel && sel[0] === 'SelectStmt') this.select(sel[1], acc, new Scope(scope.parent));
    else if (sel) this.walk(b.selectStmt, acc, scope);
    const oc = b.onConflictClause;
    if (isObj(oc)) {
      const infer = isObj(oc.infer) ? oc.infer : {};
      for (const e of arr(infer.indexElems)) {
        const n = nodeOf(e);
        if (n && str(n[1].name)) acc.cols.add(str(n[1].name)!);
        else if (n) this.walk(n[1].expr, acc, scope);
      }
      this.walk(infer.whereClause, acc, scope);
      const ex = new Scope(scope);
      ex.rels.push({ alias: 'excluded', table: scope.rels[0]?.table ?? null, columns: null });
      this.setTargets(oc.targetList, acc, ex);
      this.walk(oc.whereClause, acc, ex);
    }
    this.returning(b, acc, scope);
  }

  /** UPDATE SET / ON CONFLICT DO UPDATE SET / MERGE UPDATE SET: target names are columns. */
  private setTargets(list: unknown, acc: Acc, scope: Scope): void {
    for (const t of arr(list)) {
      const n = nodeOf(t);
      if (!n || n[0] !== 'ResTarget') { this.walk(t, acc, scope); continue; }
      if (str(n[1].name)) acc.cols.add(str(n[1].name)!);
      this.walk(n[1].indirection, acc, scope);
      this.walk(n[1].val, acc, scope);
    }
  }

  private update(b: J, acc: Acc, outer: Scope): void {
    const scope = new Scope(this.withClause(b.withClause, acc, outer));
    if (isObj(b.relation)) this.targetRangeVar(b.relation, acc, scope);
    for (const f of arr(b.fromClause)) this.fromItem(f, acc, scope);
    this.setTargets(b.targetList, acc, scope);
    this.walk(b.whereClause, acc, scope);
    this.returning(b, acc, scope);
  }

  private delete(b: J, acc: Acc, outer: Scope): void {
    const scope = new Scope(this.withClause(b.withClause, acc, outer));
    if (isObj(b.relation)) this.targetRangeVar(b.relation, acc, scope);
    for (const f of arr(b.usingClause)) this.fromItem(f, acc, scope);
    this.walk(b.whereClause, acc, scope);
    this.returning(b, acc, scope);
  }

  private merge(b: J, acc: Acc, outer: Scope): void {
    const scope = new Scope(this.withClause(b.withClause, acc, outer));
    if (isObj(b.relation)) this.targetRangeVar(b.relation, acc, scope);
    this.fromItem(b.sourceRelation, acc, scope);
    this.walk(b.joinCondition, acc, scope);
    for (const w of arr(b.mergeWhenClauses)) {
      const n = nodeOf(w);
      if (!n) continue;
      this.walk(n[1].condition, acc, scope);
      this.setTargets(n[1].targetList, acc, scope);
      this.walk(n[1].values, acc, scope);
    }
    this.returning(b, acc, scope);
  }

  private copy(b: J, acc: Acc, scope: Scope): void {
    if (isObj(b.relation)) {
      const n = this.rangeVarName(b.relation);
      if (b.is_from === true) acc.write(n); else acc.read(n);
      scope.rels.push({ alias: n.name, table: n.canonical, columns: null });
    }
    for (const c of strings(b.attlist)) acc.cols.add(c);
    this.nested(b.query, acc, scope, 'copy', 'all');
    this.walk(b.whereClause, acc, scope);
    if (b.is_program === true) acc.flags.add('copy_program');
    else if (typeof b.filename === 'string') acc.flags.add('copy_file');
    else acc.flags.add('copy_stdio');
  }

  private explain(b: J, acc: Acc, scope: Scope): void {
    let analyze = false;
    for (const o of arr(b.options)) {
      const n = nodeOf(o);
      if (!n || n[1].defname !== 'analyze') continue;
      const a = nodeOf(n[1].arg);
      // ANALYZE alone means on; ANALYZE false/off/0 means off.
      const v = a ? String(a[1].boolval ?? a[1].sval ?? a[1].ival ?? 'true').toLowerCase() : 'true';
      analyze = !['false', 'off', '0', 'no'].includes(v);
    }
    if (this.nested(b.query, acc, scope, 'explain', analyze ? 'all' : 'no_writes') && !analyze) acc.flags.add('explain_only');
  }

  private maintenance(b: J, acc: Acc): void {
    for (const r of arr(b.rels)) {
      const n = nodeOf(r);
      if (n && isObj(n[1].relation)) acc.other.add(this.rangeVarName(n[1].relation));
    }
    if (isObj(b.relation)) acc.other.add(this.rangeVarName(b.relation));
  }

  private setStmt(b: J, acc: Acc): void {
    const name = settingName(b);
    acc.flags.add('set_config');
    acc.settings.add(name);
    if (switchesIdentity(name)) acc.flags.add('role_change');
  }

  private createAs(b: J, acc: Acc, scope: Scope): void {
    const into = isObj(b.into) ? b.into : {};
    if (isObj(into.rel)) acc.write(this.rangeVarName(into.rel));
    this.nested(b.query, acc, scope, 'create_as', 'all');
  }

  private view(b: J, acc: Acc, scope: Scope): void {
    if (isObj(b.view)) acc.write(this.rangeVarName(b.view));
    this.nested(b.query, acc, scope, 'view', 'all');
  }

  private rule(b: J, acc: Acc, scope: Scope): void {
    if (isObj(b.relation)) this.targetRangeVar(b.relation, acc, scope);
    acc.flags.add('code_block');
    this.walk(b.whereClause, acc, scope);
    // a rule's actions are statements of their own, with no enclosing scope
    for (const a of arr(b.actions)) this.nested(a, acc, null, 'rule', 'none');
  }

  /**
   * Walks the statement nested at `v`, if there is one, in a scope of its own under `parent`,
   * and adopts it as `origin` (see Acc.adopt for `tables`). Returns whether there was one.
   */
  private nested(v: unknown, acc: Acc, parent: Scope | null, origin: SqlNestedOrigin, tables: 'all' | 'no_writes' | 'none'): boolean {
    const q = nodeOf(v);
    if (!q) return false;
    const child = new Acc();
    const t = this.statement(q[0], q[1], child, new Scope(parent));
    acc.adopt(child, t, q[0], origin, tables);
    return true;
  }

  private drop(b: J, acc: Acc, scope: Scope): void {
    if (RELATION_OBJECTS.has(str(b.removeType) ?? '')) {
      for (const o of arr(b.objects)) {
        const n = nodeOf(o);
        const parts = n && n[0] === 'List' ? strings(n[1].items) : [];
        if (parts.length) acc.write(makeName(parts, inferQuoted(parts)));
      }
      return;
    }
    this.walk(b, acc, scope);
  }

  /** Other DDL: relations in target fields are written, any other table mentioned is read. */
  private ddl(b: J, acc: Acc, scope: Scope): void {
    for (const k in b) {
      const v = b[k];
      if (TARGET_FIELDS.has(k)) {
        const items = Array.isArray(v) ? v : [v];
        for (const it of items) {
          const n = nodeOf(it);
          const rv = n && n[0] === 'RangeVar' ? n[1] : isObj(it) && 'relname' in it ? it : null;
          if (rv) acc.write(this.rangeVarName(rv));
          else if (isObj(it) && isObj(it.rel)) acc.write(this.rangeVarName(it.rel));
          else this.walk(it, acc, scope);
        }
      } else {
        this.walk(v, acc, scope);
      }
    }
  }

  // ---- code bodies -------------------------------------------------------------------------

  private doStmt(b: J, acc: Acc): void {
    acc.flags.add('code_block');
    let lang = 'plpgsql';
    let body: string | undefined;
    for (const a of arr(b.args)) {
      const n = nodeOf(a);
      if (!n) continue;
      const arg = nodeOf(n[1].arg);
      const v = arg && arg[0] === 'String' ? str(arg[1].sval) : undefined;
      if (n[1].defname === 'language' && v) lang = v.toLowerCase();
      if (n[1].defname === 'as') body = v;
    }
    if (body === undefined || lang !== 'plpgsql') { acc.flags.add('code_opaque'); return; }
    let tag = 'pc';
    for (let i = 0; body.includes(`$${tag}$`); i++) tag = `pc${i}`;
    this.plpgsql(`CREATE FUNCTION pg_temp.portcullis_do() RETURNS void LANGUAGE plpgsql AS $${tag}$${body}$${tag}$`, acc);
  }

  private createFunction(b: J, acc: Acc, scope: Scope): void {
    acc.flags.add('code_block');
    let lang = 'sql';
    const bodies: string[] = [];
    for (const o of arr(b.options)) {
      const n = nodeOf(o);
      if (!n) continue;
      const d = n[1];
      const arg = nodeOf(d.arg);
      if (d.defname === 'language' && arg && arg[0] === 'String') lang = (str(arg[1].sval) ?? '').toLowerCase();
      if (d.defname === 'as') {
        if (arg && arg[0] === 'List') bodies.push(...strings(arg[1].items));
        else if (arg && arg[0] === 'String') bodies.push(str(arg[1].sval) ?? '');
      }
    }
    // Defaults of parameters are expressions evaluated at call time: walk them for functions.
    this.walk(b.parameters, acc, scope);
    if (b.sql_body !== undefined) {
      this.sqlBodyTree(b.sql_body, acc);
      return;
    }
    if (lang === 'sql' && bodies.length === 1) { this.sqlBodyText(bodies[0]!, acc); return; }
    if (lang === 'plpgsql') {
      const [s, e] = this.span;
      this.plpgsql(this.ctx.src.text.slice(s, e), acc);
      return;
    }
    if (lang === 'c' || lang === 'internal') acc.flags.add('load_library');
    acc.flags.add('code_opaque');
  }

  /** BEGIN ATOMIC ... END / RETURN expr: already parsed by the server grammar. */
  private sqlBodyTree(v: unknown, acc: Acc): void {
    const visit = (x: unknown): void => {
      const n = nodeOf(x);
      if (!n) { for (const y of arr(x)) visit(y); return; }
      if (n[0] === 'List') { for (const y of arr(n[1].items)) visit(y); return; }
      const child = new Acc();
      const t = n[0].endsWith('Stmt') ? this.statement(n[0], n[1], child, new Scope(null)) : (this.walk(x, child, new Scope(null)), 'SELECT' as const);
      acc.adopt(child, t, n[0], 'code_block', 'none');
    };
    visit(v);
  }

  /** A LANGUAGE sql body held in a string: parse it as the server will when validating it. */
  sqlBodyText(body: string, acc: Acc): void {
    if (this.ctx.codeDepth >= MAX_CODE_DEPTH) { acc.flags.add('code_opaque'); return; }
    let tree: J;
    try {
      tree = this.ctx.parsers.parse(body);
    } catch {
      acc.flags.add('code_opaque');
      return;
    }
    this.adoptTree(tree, body, acc, 'code_block');
  }

  private adoptTree(tree: J, text: string, acc: Acc, origin: 'code_block' | 'dynamic'): void {
    const inner = pgStatements(tree, { ...this.ctx, src: new Source(text), codeDepth: this.ctx.codeDepth + 1 });
    for (const st of inner) {
      for (const f of st.flags) acc.flags.add(f);
      for (const x of st.settings) acc.settings.add(x);
      const { span: _span, ...rest } = st;
      acc.nested.push({ ...rest, origin });
    }
  }

  private plpgsql(fnSql: string, acc: Acc): void {
    if (this.ctx.codeDepth >= MAX_CODE_DEPTH) { acc.flags.add('code_opaque'); return; }
    let tree: J;
    try {
      tree = this.ctx.parsers.parsePlpgsql(fnSql);
    } catch {
      acc.flags.add('code_opaque');
      return;
    }
    const res = analyzePlpgsql(tree);
    for (const f of res.flags) acc.flags.add(f);
    for (const sql of res.sql) this.sqlBodyText(sql, acc);
  }

  // ---- generic walk ------------------------------------------------------------------------

  private walkList(vs: unknown[], acc: Acc, scope: Scope): void {
    for (const v of vs) if (v !== undefined) this.walk(v, acc, scope);
  }

  walk(v: unknown, acc: Acc, scope: Scope): void {
    // Scalars are skipped before the call: most fields of a tree are numbers and enum strings.
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) this.walk(x, acc, scope);
      return;
    }
    const o = v as J;
    const kind = kindOf(o);
    if (kind === null) {
      // An inline struct; a bare RangeVar shape is still a table.
      if (typeof o.relname === 'string') { this.readRangeVar(o, acc, scope); return; }
      for (const k in o) {
        const x = o[k];
        if (typeof x === 'object' && x !== null) this.walk(x, acc, scope);
      }
      return;
    }
    const b = o[kind] as J;
    switch (kind) {
      case 'String': case 'Integer': case 'Float': case 'Boolean': case 'BitString': case 'A_Const':
      case 'ParamRef': case 'TypeName':
        return;
      case 'ColumnRef': {
        const f = strings(b.fields);
        if (f.length) acc.cols.add(f[f.length - 1]!);
        return;
      }
      case 'FuncCall': {
        this.funcName(strings(b.funcname), b, acc);
        this.flagCall(b, acc);
        this.walkList([b.args, b.agg_order, b.agg_filter, b.over], acc, scope);
        return;
      }
      case 'RangeVar':
        this.readRangeVar(b, acc, scope);
        return;
      case 'SubLink': {
        this.walk(b.testexpr, acc, scope);
        const q = nodeOf(b.subselect);
        if (!q) return;
        const child = new Acc();
        let t: SqlStatementType = 'SELECT';
        if (q[0] === 'SelectStmt') child.lineage = this.select(q[1], child, scope);
        else t = this.statement(q[0], q[1], child, scope);
        acc.adopt(child, t, q[0], 'subquery', 'all');
        return;
      }
      case 'SelectStmt': {
        const child = new Acc();
        child.lineage = this.select(b, child, scope);
        acc.adopt(child, 'SELECT', kind, 'subquery', 'all');
        return;
      }
      case 'InsertStmt': case 'UpdateStmt': case 'DeleteStmt': case 'MergeStmt': {
        const child = new Acc();
        const t = this.statement(kind, b, child, new Scope(scope));
        acc.adopt(child, t, kind, 'subquery', 'all');
        return;
      }
      case 'RangeSubselect': case 'JoinExpr': case 'RangeFunction':
        this.fromItem(v, acc, scope);
        return;
      case 'ResTarget':
        this.walkList([b.val, b.indirection], acc, scope);
        return;
      case 'TypeCast':
        this.walk(b.arg, acc, scope);
        return;
      default:
        // Inline, not a helper: one stack frame per tree level, as deep trees need.
        for (const k in b) {
          const x = b[k];
          if (typeof x === 'object' && x !== null) this.walk(x, acc, scope);
        }
    }
  }

  /** Flags a call can raise by itself (set_config('role', ...) switches identity). */
  private flagCall(b: J, acc: Acc): void {
    const parts = strings(b.funcname);
    const fn = parts[parts.length - 1];
    if (fn !== 'set_config') return;
    acc.flags.add('set_config');
    const first = nodeOf(arr(b.args)[0]);
    const lit = first && first[0] === 'A_Const' && isObj(first[1].sval) ? str(first[1].sval.sval) : undefined;
    const name = lit === undefined || lit === '' ? '*' : lit.toLowerCase();
    acc.settings.add(name);
    if (switchesIdentity(name)) acc.flags.add('role_change');
  }
}

/** The setting a VariableSetStmt changes: its name lowercased, "*" for RESET ALL or no name. */
function settingName(b: J): string {
  const name = str(b.name);
  return b.kind === 'VAR_RESET_ALL' || name === undefined || name === '' ? '*' : name.toLowerCase();
}

/**
 * A change to this setting (a lowercased name, "*" for any) can switch the session's identity.
 * Setting names are case-insensitive in PostgreSQL: `SET "ROLE"` is `SET role`.
 */
function switchesIdentity(name: string): boolean {
  return name === 'role' || name === 'session_authorization' || name === '*';
}

function defaultName(val: unknown): string {
  const n = nodeOf(val);
  if (!n) return '?column?';
  if (n[0] === 'FuncCall') { const p = strings(n[1].funcname); return p[p.length - 1] ?? '?column?'; }
  if (n[0] === 'TypeCast') return defaultName(n[1].arg);
  return '?column?';
}

