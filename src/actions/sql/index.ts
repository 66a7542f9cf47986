// Entry point: initSql() loads the parsers a process needs (PostgreSQL by default, MySQL when
// asked for); normalizeSql() is then synchronous. Nothing is loaded at import time.
import { SqlCache } from './cache.ts';
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, guardText } from './guard.ts';
import { mysqlStatements, type MysqlParser } from './mysql.ts';
import { loadPgBinding } from './pg-binding.ts';
import { pgStatements, type PgParsers } from './pg.ts';
import { Source } from './source.ts';
import type { SqlAction, SqlDialect, SqlInitOptions, SqlOptions, SqlParseError, SqlStatement } from './types.ts';

export type * from './types.ts';
export { SQL_FLAGS, SQL_STATEMENT_TYPES } from './types.ts';
export { sqlActionSchema } from './schema.ts';
export { SqlCache } from './cache.ts';

let pgParsers: PgParsers | null = null;
let mysqlParser: MysqlParser | null = null;
const loading = new Map<SqlDialect, Promise<void>>();

async function loadPg(): Promise<void> {
  const b = await loadPgBinding();
  pgParsers = { parse: (sql) => b.parse(sql), parsePlpgsql: (sql) => b.parsePlpgsql(sql) };
}

async function loadMysql(): Promise<void> {
  const sqlparser = await import('@guanmingchiu/sqlparser-ts');
  await sqlparser.init();
  mysqlParser = { parse: (sql) => sqlparser.parse(sql, 'mysql') as unknown as unknown[] };
}

/**
 * Load the parsers for `dialects` (default: PostgreSQL only). Idempotent per dialect; must resolve
 * before normalizeSql is called for that dialect. A failed load can be retried.
 */
export function initSql(opts: SqlInitOptions = {}): Promise<void> {
  const dialects = opts.dialects ?? ['pg'];
  return Promise.all(dialects.map((d) => {
    if (d !== 'pg' && d !== 'mysql') return Promise.reject(new TypeError(`unknown SQL dialect ${JSON.stringify(String(d)).slice(0, 40)}`));
    let p = loading.get(d);
    if (!p) {
      p = (d === 'pg' ? loadPg() : loadMysql()).catch((e: unknown) => { loading.delete(d); throw e; });
      loading.set(d, p);
    }
    return p;
  })).then(() => undefined);
}

/** Whether the parser for a dialect is loaded (initSql for it has resolved). */
export function sqlDialectReady(dialect: SqlDialect): boolean {
  return dialect === 'pg' ? pgParsers !== null : mysqlParser !== null;
}

/** The shared document cache (bounded LRU, texts admitted on their second sighting); exposed for sizing and tests. */
export const sqlCache = new SqlCache(1024);

/** Normalize SQL text into an action document. Never throws. */
export function normalizeSql(text: string, opts: SqlOptions): SqlAction {
  const dialect: SqlDialect = opts.dialect === 'mysql' ? 'mysql' : 'pg';
  if (!opts.noCache && typeof text === 'string') {
    const hit = sqlCache.get(dialect, text);
    if (hit && opts.maxLength === undefined && opts.maxDepth === undefined) return hit;
  }
  const doc = normalizeUncached(text, dialect, opts);
  if (!opts.noCache && typeof text === 'string' && opts.maxLength === undefined && opts.maxDepth === undefined) sqlCache.offer(dialect, text, doc);
  return doc;
}

function normalizeUncached(text: string, dialect: SqlDialect, opts: SqlOptions): SqlAction {
  const guard = guardText(text, dialect, opts.maxLength ?? DEFAULT_MAX_LENGTH, opts.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (guard) return failed(dialect, guard);
  const pg = pgParsers;
  const my = mysqlParser;
  if (dialect === 'pg' ? !pg : !my) return failed(dialect, notInitialized(dialect));
  try {
    const src = new Source(text);
    const statements: SqlStatement[] = pg && dialect === 'pg'
      ? pgStatements(pg.parse(text), { src, parsers: pg, codeDepth: 0 })
      : mysqlStatements(src, my!);
    if (statements.length === 0) return failed(dialect, { code: 'empty', message: 'no statement in the text', position: 0 });
    return { version: 1, kind: 'sql', dialect, statements };
  } catch (e) {
    return failed(dialect, toParseError(e));
  }
}

function notInitialized(dialect: SqlDialect): SqlParseError {
  const message = dialect === 'pg'
    ? 'the PostgreSQL parser is not loaded: await initSql() first'
    : "the MySQL parser is not loaded: await initSql({ dialects: ['mysql'] }) first";
  return { code: 'not_initialized', message, position: 0 };
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
