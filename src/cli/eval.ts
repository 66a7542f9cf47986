// `portcullis eval`: compile policies and evaluate an entrypoint or a query, printing JSON.
import { asValue, toJson, toPrettyJson, type Value } from '../conformance/values.ts';
import { loadEvaluator } from '../conformance/sdk.ts';
import type { Body } from '../rego/ast.ts';
import { all, one, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { toolchain } from './compile.ts';
import { ENTRYPOINT } from './build.ts';
import { collectRego, readJsonFile } from './sources.ts';
import { queryVars } from './query-vars.ts';

export const EVAL_HELP = `usage: portcullis eval -d <dir|file>... [-i input.json] [--data data.json] <query | pkg/rule>

Compiles the .rego files under -d and evaluates either an entrypoint (pkg/rule, e.g.
gate/decision), printing the SDK's result set, or a query (e.g. 'data.gate.deny[msg]'),
printing one object of bindings per solution ([] when undefined). A query that is a single
term prints the term's values instead.

  -d, --dir <dir|file>   policy directory or .rego file (repeatable); a .json file is data
  -i, --input <file>     input document (JSON)
  --data <file>          data document (JSON)
`;

const SPECS: FlagSpec[] = [
  { name: 'dir', short: 'd', value: true, repeat: true },
  { name: 'input', short: 'i', value: true },
  { name: 'data', value: true, repeat: true },
];

const QUERY_PKG = '__eval__';

/** Merges data documents: objects deeply, anything else replaces. */
function merge(a: unknown, b: unknown): unknown {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) || Array.isArray(b)) return b;
  const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
  for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = k in out ? merge(out[k], v) : v;
  return out;
}

export async function evalCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(EVAL_HELP);
    return 0;
  }
  if (p.positionals.length !== 1) throw new UsageError('eval: give exactly one query or entrypoint (quote the query)');
  const dirs = all(p, 'dir');
  if (dirs.length === 0) throw new UsageError('eval: give the policies with -d <dir>');
  const target = p.positionals[0]!;
  let data: unknown = {};
  for (const f of [...dirs.filter((d) => d.endsWith('.json')), ...all(p, 'data')]) data = merge(data, readJsonFile(f, 'data'));
  const inputFile = one(p, 'input');
  const input = inputFile === undefined ? undefined : readJsonFile(inputFile, '--input');
  const sources = collectRego(dirs.filter((d) => !d.endsWith('.json')), { skipTests: true });
  const t = await toolchain();

  let entrypoint = target;
  let singleTerm = false;
  // `pkg/rule` or a bare package name is an entrypoint; anything else is a query.
  const isEntrypoint = ENTRYPOINT.test(target) && !['true', 'false', 'null'].includes(target);
  if (!isEntrypoint) {
    // A query: wrap it so it compiles to one entrypoint, like the conformance runner does.
    const body = t.parseQuery(target) as Body;
    const only = body.length === 1 ? body[0]! : null;
    const vars = queryVars(body);
    singleTerm = vars.length === 0 && only !== null && only.body.kind === 'term' && !only.negated && only.with.length === 0;
    const rows = singleTerm
      ? `[__value | __value := ${target}\n]`
      : `[{${vars.map((v) => `${JSON.stringify(v)}: ${v}`).join(', ')}} |\n${target}\n]`;
    sources.push({ file: '<query>', text: `package ${QUERY_PKG}\n\nresults := rows__ if {\n\trows__ := ${rows}\n}\n` });
    entrypoint = `${QUERY_PKG}/results`;
  }
  const { wasm } = await t.compile({ modules: sources, entrypoints: [entrypoint] });
  const ev = await loadEvaluator(wasm, t.hostBuiltins);
  ev.setData(toJson(asValue(data)));
  const resultSet = ev.evaluate(input === undefined ? undefined : toJson(asValue(input)), entrypoint, true);
  let out: Value = resultSet;
  if (entrypoint !== target) {
    const first = Array.isArray(resultSet) ? resultSet[0] : undefined;
    out = first !== null && typeof first === 'object' && !Array.isArray(first) ? (first.result ?? []) : [];
  }
  process.stdout.write(`${toPrettyJson(out)}\n`);
  return 0;
}
