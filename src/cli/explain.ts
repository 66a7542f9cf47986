// `portcullis explain`: evaluates one input and shows which deny, approval and mask rules fired,
// with their source locations. Besides the decision entrypoint it compiles every multi-value
// rule named like an obligation (deny, approval, masks, ...) as an entrypoint of its own, so each
// reason and mask is traced to the package rule whose set produced it; the definition within
// that rule is found by the `"rule"` id its head or body writes (a literal, or a sprintf format).
import { canonical } from '../policy/replay.ts';
import type { Module, Rule } from '../rego/ast.ts';
import { parseModule } from '../rego/parser.ts';
import { all, has, one, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { collectRego, readJsonFile, SourceError } from './sources.ts';
import { collectDataFiles } from './test.ts';
import { mergeData } from '../policy/data.ts';

export const EXPLAIN_HELP = `usage: portcullis explain -d <dir> -i input.json [--entrypoint portcullis/decision]

Evaluates the decision for one policy input and shows why: the rules that denied it, required
an approval or added masks, each with its file:line, then the obligations.

  -d, --dir <dir|file>   policy directory or .rego file (repeatable); data.json files are data
  -i, --input <file>     policy input (JSON)
  -e, --entrypoint <e>   decision entrypoint (default portcullis/decision)
  --data <file>          extra data document merged at the root (repeatable)
  --json                 print the explanation as JSON
`;

const SPECS: FlagSpec[] = [
  { name: 'dir', short: 'd', value: true, repeat: true },
  { name: 'input', short: 'i', value: true },
  { name: 'entrypoint', short: 'e', value: true },
  { name: 'data', value: true, repeat: true },
  { name: 'json', value: false },
];

/** Multi-value rules whose elements are reasons, approvals or masks. */
const OBLIGATION_RULES = new Set(['deny', 'violation', 'warn', 'approval', 'approvals', 'masks', 'mask']);

export interface Site {
  /** `data.pkg.rule`. */
  rule: string;
  file: string;
  row: number;
}

interface RuleIdSite extends Site {
  /** A literal rule id, or a pattern for ids built with sprintf. */
  id: string | RegExp;
}

export interface Fired {
  rule: string;
  message: string;
  /** Which obligation set produced it (`data.pkg.deny`), when one did. */
  from: string | null;
  /** The definitions that write this rule id. */
  sites: Site[];
}

export interface Explanation {
  entrypoint: string;
  decision: unknown;
  denied_by: Fired[];
  approval_by: Fired[];
  other_reasons: Fired[];
  masks: Array<{ mask: unknown; from: Site[] }>;
}

const ruleName = (r: Rule): string | null => {
  const h = r.head.ref[0];
  return r.head.ref.length === 1 && h?.type === 'var' ? h.name : null;
};

/** `%s.not_granted` → /^.+\.not_granted$/ (each verb stands for any text). */
function formatPattern(format: string): RegExp {
  const parts = format.split(/%[-+# 0-9.]*[a-zA-Z%]/);
  return new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`);
}

/** Every `{"rule": <id>}` object term anywhere in a rule, with the id or its sprintf format. */
function ruleIds(rule: Rule): Array<string | RegExp> {
  const ids: Array<string | RegExp> = [];
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) {
      for (const y of x) visit(y);
      return;
    }
    if (typeof x !== 'object' || x === null) return;
    const o = x as Record<string, unknown>;
    if (o['type'] === 'object' && Array.isArray(o['items'])) {
      for (const item of o['items'] as Array<[Record<string, unknown>, Record<string, unknown>]>) {
        const [k, v] = item;
        if (k['type'] !== 'string' || k['value'] !== 'rule') continue;
        if (v['type'] === 'string' && typeof v['value'] === 'string') ids.push(v['value']);
        const op = v['operator'];
        const args = v['args'] as Array<Record<string, unknown>> | undefined;
        if (v['type'] === 'call' && Array.isArray(op) && op.join('.') === 'sprintf' && args?.[0]?.['type'] === 'string') {
          ids.push(formatPattern(String(args[0]['value'])));
        }
      }
    }
    for (const v of Object.values(o)) if (typeof v === 'object') visit(v);
  };
  visit([rule.head, rule.body, rule.else]);
  return ids;
}

function indexSites(modules: Module[]): { ids: RuleIdSite[]; definitions: Map<string, Site[]> } {
  const ids: RuleIdSite[] = [];
  const definitions = new Map<string, Site[]>();
  for (const m of modules) {
    for (const r of m.rules) {
      const name = ruleName(r);
      if (name === null) continue;
      const path = ['data', ...m.package.path, name].join('.');
      const site = { rule: path, file: m.file, row: r.loc.row };
      definitions.set(path, [...(definitions.get(path) ?? []), site]);
      for (const id of ruleIds(r)) ids.push({ ...site, id });
    }
  }
  return { ids, definitions };
}

const matches = (s: RuleIdSite, id: string): boolean => (typeof s.id === 'string' ? s.id === id : s.id.test(id));

/** Obligation set rules: multi-value rules with an obligation name, as entrypoints. */
function obligationEntrypoints(modules: Module[]): Map<string, string> {
  const out = new Map<string, string>(); // entrypoint → data path
  for (const m of modules) {
    for (const r of m.rules) {
      const name = ruleName(r);
      if (name === null || !r.head.contains || !OBLIGATION_RULES.has(name)) continue;
      out.set([...m.package.path, name].join('/'), ['data', ...m.package.path, name].join('.'));
    }
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function explain(dirs: string[], input: unknown, entrypoint: string, extraData: unknown[]): Promise<Explanation> {
  const sources = collectRego(dirs, { skipTests: true });
  let data: unknown = {};
  for (const d of dirs) data = mergeData(data, collectDataFiles(d));
  for (const d of extraData) data = mergeData(data, d);
  const modules = sources.map((s) => parseModule(s.text, s.file));
  const sets = obligationEntrypoints(modules);
  sets.delete(entrypoint);
  // Loaded on use: the compiler pulls in binaryen, which other commands need not pay for.
  const [{ compile }, { loadPolicy }, { hostBuiltins }] = await Promise.all([
    import('../compile.ts'), import('@open-policy-agent/opa-wasm'), import('../policy/builtins/index.ts'),
  ]);
  const compiled = await compile({ modules: sources, entrypoints: [entrypoint, ...sets.keys()], optimize: false });
  const policy = await loadPolicy(compiled.wasm as unknown as ArrayBuffer, undefined, hostBuiltins as never);
  policy.setData(data as object);
  const value = (ep: string): unknown => {
    const rs = policy.evaluate(input as object, ep) as Array<{ result?: unknown }>;
    return rs.length > 0 ? rs[0]!.result : undefined;
  };
  const decision = value(entrypoint);
  // Which set holds each element: canonical JSON of the element → set paths.
  const holders = new Map<string, string[]>();
  for (const [ep, path] of sets) {
    const v = value(ep);
    if (!Array.isArray(v)) continue;
    for (const el of v) {
      const key = isObject(el) && typeof el['rule'] === 'string' ? `rule:${el['rule']}\0${String(el['message'])}` : canonical(el);
      holders.set(key, [...(holders.get(key) ?? []), path]);
    }
  }
  const { ids, definitions } = indexSites(modules);
  const d = isObject(decision) ? decision : {};
  const reasons = Array.isArray(d['reasons']) ? (d['reasons'] as unknown[]).filter(isObject) : [];
  const fired = (r: Record<string, unknown>): Fired => {
    const rule = String(r['rule']);
    const message = String(r['message']);
    const holding = holders.get(`rule:${rule}\0${message}`) ?? [];
    // A reason is often in several sets (a kind's deny and the decision's deny): prefer the set
    // whose own definitions write this rule id.
    const from = holding.find((h) => ids.some((s) => s.rule === h && matches(s, rule))) ?? holding[0] ?? null;
    const own = ids.filter((s) => s.rule === from && matches(s, rule));
    const sites = (own.length > 0 ? own : ids.filter((s) => matches(s, rule))).map(({ rule: p, file, row }) => ({ rule: p, file, row }));
    return { rule, message, from, sites };
  };
  const explained = reasons.map(fired);
  const isApproval = (f: Fired): boolean => f.from !== null && /\.approvals?$/.test(f.from);
  const isDeny = (f: Fired): boolean => !isApproval(f) && d['allow'] !== true;
  const masks = (Array.isArray(d['masks']) ? (d['masks'] as unknown[]) : []).map((m) => ({
    mask: m,
    from: (holders.get(canonical(m)) ?? []).flatMap((path) => definitions.get(path) ?? []),
  }));
  return {
    entrypoint,
    decision,
    denied_by: explained.filter(isDeny),
    approval_by: explained.filter(isApproval),
    other_reasons: explained.filter((f) => !isApproval(f) && !isDeny(f)),
    masks,
  };
}

const where = (sites: Site[]): string => (sites.length === 0 ? '(location unknown)' : sites.map((s) => `${s.file}:${s.row}`).join(', '));

function maskLabel(m: unknown): string {
  if (!isObject(m)) return JSON.stringify(m);
  const t = isObject(m['target']) ? m['target'] : {};
  const s = isObject(m['strategy']) ? m['strategy'] : {};
  const target = t['kind'] === 'column' ? `column ${String(t['table'])}.${String(t['column'])}`
    : t['kind'] === 'jsonpath' ? `jsonpath ${String(t['path'])}` : `detector ${String(t['detector'])}`;
  return `${target} → ${String(s['kind'])}`;
}

function printText(x: Explanation): void {
  const d = isObject(x.decision) ? x.decision : null;
  const out: string[] = [];
  if (d === null) {
    out.push(`decision: undefined (${x.entrypoint} has no value for this input: the engine denies)`);
    process.stdout.write(`${out.join('\n')}\n`);
    return;
  }
  const approval = isObject(d['approval']) ? d['approval'] : {};
  const held = d['allow'] === true && approval['required'] === true;
  out.push(`decision: ${d['allow'] === true ? (held ? 'ALLOW after approval' : 'ALLOW') : 'DENY'}`);
  const section = (title: string, list: Fired[]): void => {
    if (list.length === 0) return;
    out.push(`${title}:`);
    for (const f of list) {
      out.push(`  ${f.rule}  ${where(f.sites)}${f.from !== null ? `  (${f.from})` : ''}`);
      out.push(`    ${f.message}`);
    }
  };
  section('denied by', x.denied_by);
  section('approval required by', x.approval_by);
  section('other reasons', x.other_reasons);
  if (held) {
    const approvers = Array.isArray(approval['approvers']) ? (approval['approvers'] as unknown[]).join(', ') : '';
    out.push(`approval: ${approvers || '(no approvers named)'}, ttl ${JSON.stringify(approval['ttl'])}`);
  }
  if (x.masks.length > 0) {
    out.push('masks:');
    for (const m of x.masks) {
      const from = m.from.length === 0 ? '' : `  ${where(m.from)} (${[...new Set(m.from.map((s) => s.rule))].join(', ')})`;
      out.push(`  ${maskLabel(m.mask)}${from}`);
    }
  }
  const record = isObject(d['record']) ? d['record']['level'] : undefined;
  if (record !== undefined) out.push(`record: ${String(record)}`);
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function explainCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(EXPLAIN_HELP);
    return 0;
  }
  const dirs = all(p, 'dir');
  if (dirs.length === 0) throw new UsageError('explain: give the policies with -d <dir>');
  const inputFile = one(p, 'input');
  if (inputFile === undefined) throw new UsageError('explain: give the input with -i <file>');
  if (p.positionals.length > 0) throw new UsageError(`explain: unexpected argument ${JSON.stringify(p.positionals[0])}`);
  const input = readJsonFile(inputFile, '--input');
  if (!isObject(input)) throw new SourceError(`--input: ${inputFile}: the input must be a JSON object`);
  const extra = all(p, 'data').map((f) => readJsonFile(f, '--data'));
  const x = await explain(dirs, input, one(p, 'entrypoint') ?? 'portcullis/decision', extra);
  if (has(p, 'json')) process.stdout.write(`${JSON.stringify(x, (_k, v: unknown) => (v instanceof RegExp ? String(v) : v), 2)}\n`);
  else printText(x);
  return x.decision === undefined ? 1 : 0;
}
