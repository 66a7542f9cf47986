// The SQL action document: what a policy sees of one SQL request.
// Kept in step with schema.ts (a test validates documents against it).

export type SqlDialect = 'pg' | 'mysql';

/** Canonical statement kinds; UNKNOWN is a kind we do not model, and policy treats it as a write. */
export const SQL_STATEMENT_TYPES = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'DDL', 'TRUNCATE', 'GRANT', 'SET',
  'ALTER_SYSTEM', 'DO', 'CALL', 'PREPARE', 'EXECUTE', 'EXPLAIN', 'LOCK', 'VACUUM', 'LISTEN',
  'NOTIFY', 'UNLISTEN', 'TXN', 'LOAD', 'SHOW', 'USE', 'DEALLOCATE', 'CURSOR', 'UNKNOWN',
] as const;
export type SqlStatementType = (typeof SQL_STATEMENT_TYPES)[number];

/** Security-relevant facts. The first five are the corpus vocabulary. */
export const SQL_FLAGS = [
  'copy_program', 'copy_file', 'code_block', 'file_write', 'file_read',
  'dynamic_sql', 'code_opaque', 'set_config', 'role_change', 'role_admin', 'load_library',
  'extension', 'explain_only', 'select_into', 'copy_stdio',
] as const;
export type SqlFlag = (typeof SQL_FLAGS)[number];

/** A table or function name, parts kept apart, with per-part quoting as written. */
export interface SqlName {
  catalog?: string | null;
  schema: string | null;
  name: string;
  /** One entry per written part (catalog?, schema?, name): true if that part was quoted. */
  quoted: boolean[];
  /** Parts joined with "."; a part is double-quoted iff it is not [a-z_][a-z0-9_$]*. */
  canonical: string;
}

export interface SqlColumnSource {
  table: string;
  column: string;
}

export interface SqlLineage {
  name: string;
  source: SqlColumnSource | 'unknown';
  /** When source is unknown: the known columns the value may derive from. */
  candidates?: SqlColumnSource[];
}

export type SqlNestedOrigin =
  | 'cte' | 'subquery' | 'code_block' | 'prepare' | 'explain' | 'copy' | 'create_as' | 'rule'
  | 'view' | 'dynamic';

export interface SqlStatement {
  type: SqlStatementType;
  /** The parser's own name for the statement node (e.g. "SelectStmt", "Query"). */
  raw_kind: string;
  /** Character offsets [start, end) of the statement in the text, when the parser reports them. */
  span?: [number, number];
  reads: SqlName[];
  writes: SqlName[];
  other: SqlName[];
  columns: string[];
  functions: SqlName[];
  flags: SqlFlag[];
  /**
   * Run-time settings the statement changes (SET, RESET, SET LOCAL, set_config(), ALTER SYSTEM;
   * MySQL SET, with `global.` before server-wide ones and `@` before user variables), lowercased.
   * "*" stands for any setting: RESET ALL, DISCARD ALL, set_config() with a computed name.
   */
  settings: string[];
  nested: SqlNestedStatement[];
  lineage: SqlLineage[];
}

export interface SqlNestedStatement extends SqlStatement {
  origin: SqlNestedOrigin;
}

export interface SqlParseError {
  code: string;
  message: string;
  position?: number;
}

export interface SqlAction {
  version: 1;
  kind: 'sql';
  dialect: SqlDialect;
  statements: SqlStatement[];
  parse_error?: SqlParseError;
}

export interface SqlOptions {
  dialect: SqlDialect;
  /** Maximum text length in characters (default 1 MiB). */
  maxLength?: number;
  /** Maximum bracket nesting depth (default 200). */
  maxDepth?: number;
  /** Skip the text cache (benchmarks, tests). */
  noCache?: boolean;
}

export interface SqlInitOptions {
  /**
   * Dialects whose parsers to load (default ['pg']). The MySQL parser costs about 30 MB of memory,
   * so it is loaded only when asked for; until then a MySQL text gives `not_initialized`.
   */
  dialects?: readonly SqlDialect[];
}
