// The action layer's front door: the ActionDocument union over the four kinds and one
// `normalize(kind, request, opts)` that routes to the kind's normalizer. Normalizers never throw;
// only a kind this layer does not know is an error.

import { initSql, normalizeSql } from './sql/index.ts';
import { initShell, normalizeShell } from './shell/index.ts';
import { normalizeHttp } from './http/index.ts';
import { normalizeMcp } from './mcp/index.ts';
import type { SqlAction, SqlDialect, SqlOptions } from './sql/index.ts';
import type { ShellAction, ShellOptions, SqlNormalizer } from './shell/index.ts';
import type { HttpAction, HttpOptions, HttpRequest } from './http/index.ts';
import type { McpAction, McpOptions } from './mcp/index.ts';

export type { SqlAction, SqlOptions, ShellAction, ShellOptions, HttpAction, HttpOptions, HttpRequest, McpAction, McpOptions };
export { actionSchema } from './schema.ts';

export type ActionKind = 'sql' | 'shell' | 'http' | 'mcp';
export const ACTION_KINDS: readonly ActionKind[] = ['sql', 'shell', 'http', 'mcp'];

/** Every action document a policy can receive as `input.action`. */
export type ActionDocument = SqlAction | ShellAction | HttpAction | McpAction;

/** What each kind normalizes: SQL text, a shell line, an HTTP request, an MCP message (text or parsed). */
export interface ActionRequests {
  sql: string;
  shell: string;
  http: HttpRequest;
  mcp: unknown;
}
export interface ActionOptions {
  sql: SqlOptions;
  shell: ShellOptions | undefined;
  http: HttpOptions | undefined;
  mcp: McpOptions;
}
export interface ActionDocuments {
  sql: SqlAction;
  shell: ShellAction;
  http: HttpAction;
  mcp: McpAction;
}

export class ActionError extends Error {
  constructor(readonly code: 'unknown_kind', message: string) {
    super(message);
  }
}

let sqlReady = false;

/**
 * Loads the WASM parsers the SQL and shell normalizers need (idempotent). `sqlDialects` (default
 * both) picks the SQL parsers: ['pg'] saves the MySQL parser's memory where no MySQL is spoken.
 */
export async function initActions(kinds: readonly ActionKind[] = ACTION_KINDS, opts: { sqlDialects?: readonly SqlDialect[] } = {}): Promise<void> {
  const work: Array<Promise<void>> = [];
  if (kinds.includes('sql')) work.push(initSql({ dialects: opts.sqlDialects ?? ['pg', 'mysql'] }).then(() => { sqlReady = true; }));
  if (kinds.includes('shell')) work.push(initShell());
  await Promise.all(work);
}

// SQL embedded in a shell line (psql -c, mysql -e) is normalized as SQL once SQL is loaded.
const sqlForShell: SqlNormalizer = (text, dialect) => normalizeSql(text, { dialect: dialect === 'mysql' ? 'mysql' : 'pg' });

/** Options may be left out for the kinds that need none (shell, http). */
type OptsArg<K extends ActionKind> = undefined extends ActionOptions[K] ? [opts?: ActionOptions[K]] : [opts: ActionOptions[K]];

export function normalize<K extends ActionKind>(kind: K, request: ActionRequests[K], ...opts: OptsArg<K>): ActionDocuments[K];
export function normalize(kind: ActionKind, request: unknown, opts?: unknown): ActionDocument {
  switch (kind) {
    case 'sql':
      return normalizeSql(request as string, opts as SqlOptions);
    case 'shell': {
      const o = (opts ?? {}) as ShellOptions;
      return normalizeShell(request as string, o.sql === undefined && sqlReady ? { ...o, sql: sqlForShell } : o);
    }
    case 'http':
      return normalizeHttp(request as HttpRequest, opts as HttpOptions | undefined);
    case 'mcp':
      return normalizeMcp(request, opts as McpOptions);
    default:
      throw new ActionError('unknown_kind', `unknown action kind ${JSON.stringify(String(kind)).slice(0, 40)}`);
  }
}
