// The SQL corpus: parse its case format and score an action document against a case's ground truth.
import type { SqlAction, SqlDialect } from '../sql/types.ts';

export interface SqlExpect {
  parse: boolean;
  stmts?: string[];
  reads?: string[];
  writes?: string[];
  other?: string[];
  funcs?: string[];
  cols?: string[];
  flags?: string[];
}

export interface SqlCase {
  id: string;
  title: string;
  dialect: SqlDialect;
  expect: SqlExpect;
  note?: string;
  sql: string;
  /** 1-based line of the "-- @case" header, for error messages. */
  line: number;
}

export type SqlCaseStatus = 'exact' | 'silent_miss' | 'fail_closed' | 'mismatch';

export const SQL_SCORED_FIELDS = ['parse', 'stmts', 'reads', 'writes', 'other', 'funcs', 'cols', 'flags'] as const;
export type SqlScoredField = (typeof SQL_SCORED_FIELDS)[number];

export interface SqlCaseScore {
  status: SqlCaseStatus;
  /** Human-readable differences, one per field that differs ("writes: missing users"). */
  diff: string[];
  /** Per field: true = right, false = wrong; absent = not compared for this case. */
  fields: Partial<Record<SqlScoredField, boolean>>;
}

/** The flag vocabulary of the corpus; other flags in a document are extra facts, not compared. */
export const SQL_CORPUS_FLAGS: readonly string[] = ['copy_program', 'copy_file', 'code_block', 'file_write', 'file_read'];

export class SqlCorpusError extends Error {
  constructor(message: string, readonly line: number) {
    super(`${message} (line ${line})`);
  }
}

/** Parse the corpus text into cases. Throws SqlCorpusError with a line on a malformed header. */
export function parseSqlCorpus(text: string): SqlCase[] {
  const lines = text.split(/\r?\n/);
  const cases: SqlCase[] = [];
  let i = 0;
  while (i < lines.length && !lines[i]!.startsWith('-- @case ')) i++;
  while (i < lines.length) {
    const header = lines[i]!;
    const line = i + 1;
    const m = /^-- @case (\S+)\s*(.*)$/.exec(header);
    if (!m) throw new SqlCorpusError('expected "-- @case <id> <title>"', line);
    i++;
    let dialect: SqlDialect | undefined;
    let expect: SqlExpect | undefined;
    let note: string | undefined;
    while (i < lines.length && lines[i]!.startsWith('-- @') && !lines[i]!.startsWith('-- @case ')) {
      const h = /^-- @(\w+)\s*(.*)$/.exec(lines[i]!);
      const key = h?.[1];
      const val = h?.[2] ?? '';
      if (key === 'dialect') {
        if (val !== 'pg' && val !== 'mysql') throw new SqlCorpusError(`unknown dialect "${val}"`, i + 1);
        dialect = val;
      } else if (key === 'expect') {
        try {
          expect = checkExpect(JSON.parse(val), i + 1);
        } catch (e) {
          if (e instanceof SqlCorpusError) throw e;
          throw new SqlCorpusError(`bad @expect JSON: ${(e as Error).message}`, i + 1);
        }
      } else if (key === 'note') {
        note = note === undefined ? val : `${note}\n${val}`;
      }
      i++;
    }
    const body: string[] = [];
    while (i < lines.length && !lines[i]!.startsWith('-- @case ')) body.push(lines[i++]!);
    // Section banners ("-- =====") between cases are corpus structure, not SQL.
    while (body.length && (body[body.length - 1]!.trim() === '' || body[body.length - 1]!.startsWith('-- ====='))) body.pop();
    if (!dialect) throw new SqlCorpusError(`case ${m[1]} has no @dialect`, line);
    if (!expect) throw new SqlCorpusError(`case ${m[1]} has no @expect`, line);
    const c: SqlCase = { id: m[1]!, title: m[2] ?? '', dialect, expect, sql: body.join('\n'), line };
    if (note !== undefined) c.note = note;
    cases.push(c);
  }
  return cases;
}

function checkExpect(v: unknown, line: number): SqlExpect {
  if (typeof v !== 'object' || v === null || typeof (v as { parse?: unknown }).parse !== 'boolean') {
    throw new SqlCorpusError('@expect needs a boolean "parse"', line);
  }
  const o = v as Record<string, unknown>;
  const out: SqlExpect = { parse: o.parse as boolean };
  for (const k of ['stmts', 'reads', 'writes', 'other', 'funcs', 'cols', 'flags'] as const) {
    if (o[k] === undefined) continue;
    if (!Array.isArray(o[k]) || !(o[k] as unknown[]).every((x) => typeof x === 'string')) {
      throw new SqlCorpusError(`@expect.${k} must be a list of strings`, line);
    }
    out[k] = o[k] as string[];
  }
  return out;
}

/** What the document says, in the corpus's terms (top-level statements only). */
export function summarizeSqlAction(action: SqlAction): Required<Omit<SqlExpect, 'parse'>> & { parse: boolean } {
  const reads = new Set<string>();
  const writes = new Set<string>();
  const other = new Set<string>();
  const funcs = new Set<string>();
  const cols = new Set<string>();
  const flags = new Set<string>();
  for (const s of action.statements) {
    for (const t of s.reads) reads.add(t.canonical);
    for (const t of s.writes) writes.add(t.canonical);
    for (const t of s.other) other.add(t.canonical);
    for (const f of s.functions) funcs.add(f.canonical);
    for (const c of s.columns) cols.add(c);
    for (const f of s.flags) if (SQL_CORPUS_FLAGS.includes(f)) flags.add(f);
  }
  return {
    parse: action.parse_error === undefined,
    stmts: action.statements.map((s) => s.type),
    reads: [...reads], writes: [...writes], other: [...other], funcs: [...funcs], cols: [...cols], flags: [...flags],
  };
}

/**
 * Score one case. silent_miss: the server would run something (statement, write, read, flag,
 * function, table) the document does not show. fail_closed: we report parse_error where the server
 * accepts. mismatch: any other difference (extra facts, wrong columns, accepting what the server rejects).
 */
export function scoreSqlCase(c: SqlCase, action: SqlAction): SqlCaseScore {
  const got = summarizeSqlAction(action);
  const diff: string[] = [];
  const fields: Partial<Record<SqlScoredField, boolean>> = { parse: got.parse === c.expect.parse };
  if (!c.expect.parse) {
    if (got.parse) return { status: 'mismatch', diff: ['parse: accepted text the server rejects'], fields };
    return { status: 'exact', diff, fields };
  }
  if (!got.parse) {
    const e = action.parse_error;
    return { status: 'fail_closed', diff: [`parse: rejected (${e?.code}: ${e?.message})`], fields };
  }
  let silent = false;
  if (c.expect.stmts) {
    const exp = c.expect.stmts;
    const ok = exp.length === got.stmts.length && exp.every((t, i) => t === got.stmts[i]);
    fields.stmts = ok;
    if (!ok) {
      diff.push(`stmts: expected [${exp.join(' ')}], got [${got.stmts.join(' ')}]`);
      // Fewer statements, or a known kind in place of another, hides what runs; UNKNOWN does not.
      if (got.stmts.length < exp.length || exp.some((t, i) => got.stmts[i] !== undefined && got.stmts[i] !== t && got.stmts[i] !== 'UNKNOWN')) silent = true;
    }
  }
  const sets: [SqlScoredField, string[] | undefined, string[], boolean][] = [
    ['reads', c.expect.reads, got.reads, true],
    ['writes', c.expect.writes, got.writes, true],
    ['other', c.expect.other, got.other, true],
    ['funcs', c.expect.funcs, got.funcs, true],
    ['cols', c.expect.cols, got.cols, false],
    ['flags', c.expect.flags ?? [], got.flags, true],
  ];
  for (const [name, exp, have, missIsSilent] of sets) {
    if (exp === undefined) continue;
    const missing = exp.filter((x) => !have.includes(x));
    const extra = have.filter((x) => !exp.includes(x));
    fields[name] = missing.length === 0 && extra.length === 0;
    if (missing.length) {
      diff.push(`${name}: missing ${missing.join(', ')}`);
      if (missIsSilent) silent = true;
    }
    if (extra.length) diff.push(`${name}: extra ${extra.join(', ')}`);
  }
  return { status: silent ? 'silent_miss' : diff.length ? 'mismatch' : 'exact', diff, fields };
}
