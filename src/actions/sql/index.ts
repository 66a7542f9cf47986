// Entry point: initSql() loads both WASM parsers once; normalizeSql() is then synchronous.
import * as pgQuery from 'libpg-query';
import * as sqlparser from '@guanmingchiu/sqlparser-ts';
import { SqlCache } from './cache.ts';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, guardText } from './guard.ts';
import { mysqlStatements, type MysqlParser } from './mysql.ts';
import { pgStatements, type J, type PgParsers } from './pg.ts';
import { Source } from './source.ts';
import type { SqlAction, SqlDialect, SqlOptions, SqlParseError, SqlStatement } from './types.ts';

export type * from './types.ts';
export { SQL_FLAGS, SQL_STATEMENT_TYPES } from './types.ts';
export { sqlActionSchema } from './schema.ts';
export { SqlCache } from './cache.ts';

let ready: Promise<void> | null = null;
let loaded = false;

const pgParsers: PgParsers = {
  parse: (sql) => pgQuery.parseSync(sql) as unknown as J,
  parsePlpgsql: (sql) => pgQuery.parsePlPgSQLSync(sql) as unknown as J,
};
const mysqlParser: MysqlParser = {
  parse: (sql) => sqlparser.parse(sql, 'mysql') as unknown as unknown[],
};

/** Load the parsers (idempotent). Must resolve before normalizeSql is called. */
export function initSql(): Promise<void> {
  ready ??= Promise.all([pgQuery.loadModule(), sqlparser.init()]).then(() => { loaded = true; });
  return ready;
}

/** The shared document cache (bounded LRU); exposed for sizing and tests. */
export const sqlCache = new SqlCache(1024);

/** Normalize SQL text into an action document. Never throws. */
export function normalizeSql(text: string, opts: SqlOptions): SqlAction {
  const dialect: SqlDialect = opts.dialect === 'mysql' ? 'mysql' : 'pg';
  if (!opts.noCache && typeof text === 'string') {
    const hit = sqlCache.get(dialect, text);
    if (hit && opts.maxLength === undefined && opts.maxDepth === undefined) return hit;
  }
  const doc = normalizeUncached(text, dialect, opts);
  if (!opts.noCache && typeof text === 'string' && opts.maxLength === undefined && opts.maxDepth === undefined) sqlCache.set(dialect, text, doc);
  return doc;
}

function normalizeUncached(text: string, dialect: SqlDialect, opts: SqlOptions): SqlAction {
  const guard = guardText(text, dialect, opts.maxLength ?? DEFAULT_MAX_LENGTH, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (guard) return failed(dialect, guard);
  if (!loaded) return failed(dialect, { code: 'not_initialized', message: 'initSql() has not completed' });
  try {
    const src = new Source(text);
    const statements: SqlStatement[] = dialect === 'pg'
      ? pgStatements(pgParsers.parse(text), { src, parsers: pgParsers, codeDepth: 0 })
      : mysqlStatements(src, mysqlParser);
    if (statements.length === 0) return failed(dialect, { code: 'empty', message: 'no statement in the text', position: 0 });
    return { version: 1, kind: 'sql', dialect, statements };
  } catch (e) {
    return failed(dialect, toParseError(e));
  }
}

function failed(dialect: SqlDialect, parse_error: SqlParseError): SqlAction {
  return { version: 1, kind: 'sql', dialect, statements: [], parse_error };
}

/** Parser exceptions → error with a position; quoted literals are redacted (they may be secrets). */
export function toParseError(e: unknown): SqlParseError {
  const err = e as { message?: unknown; code?: unknown; position?: unknown; sqlDetails?: { cursorPosition?: unknown } };
  const message = redact(typeof err?.message === 'string' ? err.message : String(e));
  const out: SqlParseError = { code: typeof err?.code === 'string' ? err.code : 'syntax_error', message };
  const pos = typeof err?.position === 'number' ? err.position : err?.sqlDetails?.cursorPosition;
  if (typeof pos === 'number' && Number.isInteger(pos) && pos >= 0) out.position = pos;
  if (e instanceof RangeError || (e instanceof Error && e.constructor.name === 'RuntimeError')) out.code = 'parser_crash';
  return out;
}

function redact(m: string): string {
  return m
    .replace(/'(?:[^']|'')*'?/g, "'…'")
    .replace(/"([^"]*)"/g, (all, inner: string) => (/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(inner) ? all : '"…"'))
    .slice(0, 300);
}
