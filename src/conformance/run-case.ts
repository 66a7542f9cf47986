// Runs one conformance case: wrap the query in a module, compile it with the case's modules,
// load the wasm through the SDK, evaluate, and compare with the expected bindings or error.
import type { ConformanceCase } from './cases.ts';
import { compareValues, hasUnsafeInteger, show, toJson, valuesEqual, type Value } from './values.ts';
import { WRAPPER_ENTRYPOINT, WRAPPER_FILE, wantedVars, wrapperModule } from './wrapper.ts';

export interface SourceFile {
  file: string;
  text: string;
}

/** What the runner needs from the toolchain; tests pass stubs. */
export interface CaseDeps {
  compile(req: { modules: SourceFile[]; entrypoints: string[]; queries?: Array<{ name: string; query: string }> }): Promise<{ wasm: Uint8Array }>;
  parseQuery(text: string): unknown;
  load(wasm: Uint8Array): Promise<CaseEvaluator>;
}

export interface CaseEvaluator {
  /** `data` as JSON text (exact integers). */
  setData(json: string): void;
  /**
   * Evaluates `entrypoint` with `input` (JSON text, or undefined for no input) and returns the
   * result set. `exact` asks for a reading of the result that keeps integers past 2^53 exact.
   */
  evaluate(input: string | undefined, entrypoint: string, exact: boolean): Value;
}

export type CaseStatus = 'passed' | 'failed' | 'skipped';

export interface CaseOutcome {
  status: CaseStatus;
  /** Empty when passed; otherwise `<category>: <detail>`. */
  reason: string;
}

/** An error classified by where it came from. */
export interface Failure {
  stage: 'query' | 'compile' | 'load' | 'eval';
  /** A Rego error code (`rego_*`, `eval_*`) when the error carries one. */
  code: string | null;
  message: string;
  /**
   * `diagnostic`: a Rego error (compile diagnostic or runtime abort), a possible expected outcome.
   * `crash`: the compiler threw something that is not a diagnostic. `trap`: the wasm trapped.
   * `missing-builtin`: the SDK has no implementation. `exception`: a JS error during evaluation.
   */
  kind: 'diagnostic' | 'crash' | 'sdk-load' | 'trap' | 'missing-builtin' | 'exception';
}

const CODE = /\b((?:eval|rego)_[a-z_]*error)\b/;

const errorText = (e: unknown): string => {
  if (typeof e === 'string') return e;
  if (e instanceof Error) return e.message;
  if (e !== null && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string') {
    return (e as { message: string }).message;
  }
  return String(e);
};

/** Diagnostics (RegoError / RegoErrors) carry `code`; anything else thrown by the compiler is a crash. */
export function classifyCompileError(e: unknown, stage: 'query' | 'compile'): Failure {
  if (e instanceof Error) {
    const list = (e as { errors?: unknown }).errors;
    const first = Array.isArray(list) ? (list[0] as { code?: unknown } | undefined) : undefined;
    const code = (e as { code?: unknown }).code ?? first?.code;
    if ((e.name === 'RegoError' || e.name === 'RegoErrors') && typeof code === 'string') {
      return { stage, code, message: e.message, kind: 'diagnostic' };
    }
    const where = e.stack?.split('\n')[1]?.trim();
    return { stage, code: null, message: where ? `${e.message} (${where})` : e.message, kind: 'crash' };
  }
  return { stage, code: null, message: errorText(e), kind: 'crash' };
}

/**
 * The SDK throws the runtime's abort message as a string (ours start with the code, e.g.
 * `eval_conflict_error: ...`), `{ message }` for a missing builtin, and JS errors for traps.
 */
export function classifyEvalError(e: unknown, stage: 'load' | 'eval'): Failure {
  const message = errorText(e);
  const code = CODE.exec(message)?.[1] ?? null;
  if (stage === 'load') return { stage, code, message, kind: 'sdk-load' };
  // WebAssembly.RuntimeError (no DOM lib here, so recognize it by name).
  if (e instanceof Error && e.name === 'RuntimeError') return { stage, code: null, message, kind: 'trap' };
  if (message.startsWith('not implemented: built-in function')) {
    return { stage, code: null, message: message.replace(/^.*: /, ''), kind: 'missing-builtin' };
  }
  if (typeof e === 'string' || code !== null) return { stage, code, message, kind: 'diagnostic' };
  return { stage, code: null, message, kind: 'exception' };
}

export function failureReason(f: Failure): string {
  const msg = f.message.split('\n')[0]!.slice(0, 300);
  switch (f.kind) {
    case 'crash': return `crash: ${msg}`;
    case 'sdk-load': return `sdk load: ${msg}`;
    case 'trap': return `wasm trap: ${msg}`;
    case 'missing-builtin': return `missing builtin: ${msg}`;
    case 'exception': return `eval exception: ${msg}`;
  }
  return f.stage === 'eval' ? `eval error: ${msg}` : `compile error: ${msg}`;
}

/** OPA's wasm runner: with sort_bindings, sort the rows and each array-valued binding. */
function sortRows(rows: Value[]): Value[] {
  const sorted = rows.map((row) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) return row;
    const out: { [k: string]: Value } = {};
    for (const [k, v] of Object.entries(row)) out[k] = Array.isArray(v) ? [...v].sort(compareValues) : v;
    return out;
  });
  return sorted.sort(compareValues);
}

/** Extracts the rows from the SDK's result set `[{ result: rows }]`; undefined → no rows. */
function rowsOf(resultSet: Value): Value[] {
  if (!Array.isArray(resultSet)) throw new Error(`result set is not an array: ${show(resultSet)}`);
  if (resultSet.length === 0) return [];
  const first = resultSet[0];
  if (first === null || typeof first !== 'object' || Array.isArray(first) || !('result' in first)) {
    throw new Error(`unexpected result set shape: ${show(resultSet)}`);
  }
  const rows = first.result!;
  if (!Array.isArray(rows)) throw new Error(`wrapper result is not an array: ${show(rows)}`);
  return rows;
}

type Run = { ok: true; rows: Value[] } | { ok: false; failure: Failure };

/** `data` used as a whole (not `data.x` or `data[x]`). */
const WHOLE_DATA = /\bdata\b(?!\s*[.[])/;
const QUERY_NAME = 'conformance_query';

/** A query plan's result set: one binding object per solution; keep the bindings the case names. */
function queryRows(resultSet: Value, vars: string[]): Value[] {
  if (!Array.isArray(resultSet)) throw new Error(`result set is not an array: ${show(resultSet)}`);
  return resultSet.map((row) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new Error(`unexpected query row: ${show(row)}`);
    const out: { [k: string]: Value } = {};
    for (const v of vars) if (v in row) out[v] = (row as { [k: string]: Value })[v] as Value;
    return out;
  });
}

async function execute(c: ConformanceCase, deps: CaseDeps): Promise<Run> {
  try {
    deps.parseQuery(c.query);
  } catch (e) {
    return { ok: false, failure: classifyCompileError(e, 'query') };
  }
  const vars = wantedVars(c.wantResult);
  const modules: SourceFile[] = c.modules.map((text, i) => ({ file: `test-${i}.rego`, text }));
  // A query over the whole of `data` would see a wrapper package inside `data`: such queries
  // compile as a named query plan instead, whose result set holds one binding object per solution.
  const asQuery = c.inputTerm === undefined && WHOLE_DATA.test(c.query);
  if (!asQuery) modules.push({ file: WRAPPER_FILE, text: wrapperModule(c.query, vars, c.inputTerm) });
  let wasm: Uint8Array;
  try {
    ({ wasm } = await deps.compile(asQuery ? { modules, entrypoints: [], queries: [{ name: QUERY_NAME, query: c.query }] } : { modules, entrypoints: [WRAPPER_ENTRYPOINT] }));
  } catch (e) {
    return { ok: false, failure: classifyCompileError(e, 'compile') };
  }
  let ev: CaseEvaluator;
  try {
    ev = await deps.load(wasm);
    if (c.data !== undefined) ev.setData(toJson(c.data));
  } catch (e) {
    return { ok: false, failure: classifyEvalError(e, 'load') };
  }
  const exact = c.wantResult !== undefined && c.wantResult.some((r) => hasUnsafeInteger(r));
  // input_term is applied inside the wrapper; plain input goes through the SDK as JSON text.
  const input = c.inputTerm === undefined && c.input !== undefined ? toJson(c.input) : undefined;
  let resultSet: Value;
  try {
    resultSet = ev.evaluate(input, asQuery ? QUERY_NAME : WRAPPER_ENTRYPOINT, exact);
  } catch (e) {
    return { ok: false, failure: classifyEvalError(e, 'eval') };
  }
  try {
    return { ok: true, rows: asQuery ? queryRows(resultSet, vars) : rowsOf(resultSet) };
  } catch (e) {
    return { ok: false, failure: { stage: 'eval', code: null, message: errorText(e), kind: 'exception' } };
  }
}

/** The code a case expects: `want_error_code`, else one named in `want_error`, else any. */
export function expectedCode(c: ConformanceCase): string | null {
  return c.wantErrorCode ?? (c.wantError !== undefined ? CODE.exec(c.wantError)?.[1] ?? null : null);
}

export async function runCase(c: ConformanceCase, deps: CaseDeps): Promise<CaseOutcome> {
  const run = await execute(c, deps);
  const pass: CaseOutcome = { status: 'passed', reason: '' };
  const fail = (reason: string): CaseOutcome => ({ status: 'failed', reason });
  // want_result wins when a case names both (as in OPA's own runner).
  if (c.wantResult !== undefined) {
    if (!run.ok) return fail(failureReason(run.failure));
    const want: Value[] = c.wantResult;
    const got = run.rows;
    if (want.length === 0) return got.length === 0 ? pass : fail(`wrong result: want undefined, got ${show(got)}`);
    if (got.length === 0) return fail(`wrong result: got undefined, want ${show(want)}`);
    const [a, b] = c.sortBindings ? [sortRows(got), sortRows(want)] : [got, want];
    return valuesEqual(a, b) ? pass : fail(`wrong result: got ${show(a)}, want ${show(b)}`);
  }
  if (c.wantErrorCode === undefined && c.wantError === undefined) return fail('bad case: no want_result or want_error');
  const code = expectedCode(c);
  if (run.ok) {
    // Without strict builtin errors (the wasm mode) the failing builtin is undefined instead.
    if (c.strictError && run.rows.length === 0) return pass;
    return fail(`expected ${code ?? 'an error'}, got ${run.rows.length === 0 ? 'undefined' : show(run.rows)}`);
  }
  const f = run.failure;
  if (f.kind !== 'diagnostic') return fail(failureReason(f));
  if (code === null || f.code === code) return pass;
  return fail(`wrong error: want ${code}, got ${failureReason(f)}`);
}
