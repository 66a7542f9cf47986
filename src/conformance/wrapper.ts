// Turns a case's query into a module with one entrypoint, so the query runs through the same
// compile → wasm → SDK path as any policy. The rule collects one object of bindings per solution,
// in evaluation order:
//
//   package __conformance__
//   results := rows__ if { rows__ := [{"x": x} | <query>] }
//
// (the comprehension sits in a rule body, the most common shape, rather than in the head).
// With `input_term`, the query runs under `with input as <term>` (so sets in the input survive),
// through a helper rule: `with` on a plain rule reference is the simplest form every compiler
// supports.

export const WRAPPER_PACKAGE = '__conformance__';
export const WRAPPER_FILE = '__conformance__.rego';
export const WRAPPER_ENTRYPOINT = `${WRAPPER_PACKAGE}/results`;

const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class WrapperError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WrapperError';
  }
}

/** Binding names the expected rows mention, in first-seen order. */
export function wantedVars(rows: ReadonlyArray<Record<string, unknown>> | undefined): string[] {
  const seen: string[] = [];
  for (const row of rows ?? []) for (const k of Object.keys(row)) if (!seen.includes(k)) seen.push(k);
  return seen;
}

/**
 * `query` is the case's query text (validated by the parser first). It goes into the comprehension
 * body unchanged, on its own lines, so comments and multi-line terms keep their meaning.
 */
export function wrapperModule(query: string, vars: string[], inputTerm?: string): string {
  for (const v of vars) if (!VAR.test(v)) throw new WrapperError(`binding name ${JSON.stringify(v)} is not a Rego variable`);
  const head = `{${vars.map((v) => `${JSON.stringify(v)}: ${v}`).join(', ')}}`;
  const rows = `[${head} |\n${query}\n]`;
  if (inputTerm === undefined) return `package ${WRAPPER_PACKAGE}\n\nresults := rows__ if {\n\trows__ := ${rows}\n}\n`;
  return (
    `package ${WRAPPER_PACKAGE}\n\n` +
    `results := rows__ if {\n\trows__ := solutions__ with input as ${inputTerm}\n}\n\n` +
    `solutions__ := rows__ if {\n\trows__ := ${rows}\n}\n`
  );
}
