// Runs Rego unit tests the way `opa test` does: every rule whose name starts with `test_` is a
// test; all selected tests are compiled in one go (each one an entrypoint), loaded through the
// SDK, and evaluated with the data document. A test passes when its value is defined and not
// `false`; undefined, `false` or an evaluation error fail it. `todo_` rules are reported skipped.
//
// Coverage is static and rule-grained (docs/policy-tools.md): a rule counts as covered when its
// compiled function is reachable, through the IR's call graph, from a test that was evaluated.
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { compile, parseModules, type SourceModule } from '../compile.ts';
import type { Module, Rule } from '../rego/ast.ts';
import type { Block, Policy } from '../rego/ir.ts';
import { hostBuiltins } from './builtins/index.ts';

export interface TestCase {
  /** `data.pkg.test_name`, what `--run` matches. */
  name: string;
  /** Entrypoint as `pkg/path/test_name`. */
  entrypoint: string;
  file: string;
  row: number;
}

export type TestStatus = 'pass' | 'fail' | 'error' | 'skip';

export interface TestResult extends TestCase {
  status: TestStatus;
  /** Why a test failed: `undefined`, `false`, or the evaluation error. */
  message?: string;
  ms: number;
}

export interface RuleCoverage {
  /** `data.pkg.rule`. */
  rule: string;
  file: string;
  /** Line of every definition of the rule in this file. */
  rows: number[];
  covered: boolean;
}

export interface CoverageReport {
  method: 'static-call-graph';
  rules: RuleCoverage[];
  covered: number;
  total: number;
}

export interface TestReport {
  results: TestResult[];
  passed: number;
  failed: number;
  skipped: number;
  compileMs: number;
  coverage?: CoverageReport;
}

export interface TestOptions {
  /** Only tests whose `data.pkg.test_name` matches. */
  run?: RegExp;
  coverage?: boolean;
  /** Run binaryen's optimizer (default false: tests run once, a fast compile matters more). */
  optimize?: boolean;
}

export interface TestSources {
  modules: SourceModule[];
  /** The data document the tests see (default `{}`). */
  data?: unknown;
}

const ruleName = (r: Rule): string | null => {
  const head = r.head.ref[0];
  return r.head.ref.length === 1 && head?.type === 'var' ? head.name : null;
};

const dataPath = (m: Module, name: string): string => ['data', ...m.package.path, name].join('.');

/** Every `test_` and `todo_` rule of the modules, in file order; one entry per rule name. */
export function findTests(modules: Module[]): { tests: TestCase[]; todos: TestCase[] } {
  const tests: TestCase[] = [];
  const todos: TestCase[] = [];
  const seen = new Set<string>();
  for (const m of modules) {
    for (const r of m.rules) {
      const name = ruleName(r);
      if (name === null || r.head.args !== null || r.isDefault) continue;
      const isTest = name.startsWith('test_');
      if (!isTest && !name.startsWith('todo_')) continue;
      const full = dataPath(m, name);
      if (seen.has(full)) continue; // several definitions of one test are one test, as in OPA
      seen.add(full);
      const t: TestCase = { name: full, entrypoint: [...m.package.path, name].join('/'), file: m.file, row: r.loc.row };
      (isTest ? tests : todos).push(t);
    }
  }
  return { tests, todos };
}

function describe(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  return JSON.stringify(e) ?? String(e);
}

/** A test's verdict from the SDK's result set: defined and not false passes. */
export function verdict(resultSet: unknown): { ok: boolean; message?: string } {
  if (!Array.isArray(resultSet) || resultSet.length === 0) return { ok: false, message: 'undefined' };
  const first: unknown = resultSet[0];
  if (typeof first !== 'object' || first === null || !('result' in first)) return { ok: false, message: 'undefined' };
  if ((first as { result: unknown }).result === false) return { ok: false, message: 'false' };
  return { ok: true };
}

/** Names of the functions each function calls (builtins included; they simply have no entry). */
function callGraph(ir: Policy): Map<string, Set<string>> {
  const calls = (blocks: Block[]): Set<string> => {
    const out = new Set<string>();
    const visit = (x: unknown): void => {
      if (Array.isArray(x)) {
        for (const y of x) visit(y);
      } else if (typeof x === 'object' && x !== null) {
        const o = x as Record<string, unknown>;
        if (o['type'] === 'Call' && typeof o['func'] === 'string') out.add(o['func']);
        for (const v of Object.values(o)) if (typeof v === 'object') visit(v);
      }
    };
    visit(blocks);
    return out;
  };
  const g = new Map<string, Set<string>>();
  for (const f of ir.funcs) g.set(f.name, calls(f.blocks));
  for (const p of ir.plans) g.set(`plan:${p.name}`, calls(p.blocks));
  return g;
}

/** Rule paths (`data.pkg.rule`) whose functions are reachable from the given plans. */
function reachedRules(ir: Policy, plans: string[]): Set<string> {
  const g = callGraph(ir);
  const pathOf = new Map(ir.funcs.map((f) => [f.name, ['data', ...f.path].join('.')]));
  const seen = new Set<string>();
  const stack = plans.map((p) => `plan:${p}`);
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    for (const c of g.get(n) ?? []) if (!seen.has(c)) stack.push(c);
  }
  const rules = new Set<string>();
  for (const n of seen) {
    const p = pathOf.get(n);
    if (p !== undefined) rules.add(p);
  }
  return rules;
}

function coverage(modules: Module[], ir: Policy, evaluated: string[]): CoverageReport {
  const reached = reachedRules(ir, evaluated);
  const byKey = new Map<string, RuleCoverage>();
  for (const m of modules) {
    if (m.file.endsWith('_test.rego')) continue; // test fixtures are not policy
    for (const r of m.rules) {
      const name = ruleName(r);
      if (name === null || name.startsWith('test_') || name.startsWith('todo_')) continue;
      const rule = dataPath(m, name);
      const key = `${m.file}\0${rule}`;
      const entry = byKey.get(key) ?? { rule, file: m.file, rows: [], covered: reached.has(rule) };
      entry.rows.push(r.loc.row);
      byKey.set(key, entry);
    }
  }
  const rules = [...byKey.values()];
  return { method: 'static-call-graph', rules, covered: rules.filter((r) => r.covered).length, total: rules.length };
}

/**
 * Compiles and runs the tests. Throws RegoErrors when the modules do not compile (as `opa test`
 * does, nothing runs then); evaluation errors are per test.
 */
export async function runTests(src: TestSources, opts: TestOptions = {}): Promise<TestReport> {
  const modules = parseModules(src.modules);
  const found = findTests(modules);
  const selected = found.tests.filter((t) => opts.run === undefined || opts.run.test(t.name));
  const skipped: TestResult[] = found.todos
    .filter((t) => opts.run === undefined || opts.run.test(t.name))
    .map((t) => ({ ...t, status: 'skip', ms: 0 }));
  const report: TestReport = { results: [], passed: 0, failed: 0, skipped: skipped.length, compileMs: 0 };
  if (selected.length === 0) {
    report.results = skipped;
    return report;
  }
  const t0 = performance.now();
  const compiled = await compile({ modules: src.modules, entrypoints: selected.map((t) => t.entrypoint), optimize: opts.optimize ?? false });
  report.compileMs = performance.now() - t0;
  const policy = await loadPolicy(compiled.wasm as unknown as ArrayBuffer, undefined, hostBuiltins as never);
  policy.setData((src.data ?? {}) as object);
  for (const t of selected) {
    const start = performance.now();
    let result: TestResult;
    try {
      const v = verdict(policy.evaluate(undefined, t.entrypoint));
      result = { ...t, status: v.ok ? 'pass' : 'fail', ms: performance.now() - start, ...(v.message === undefined ? {} : { message: v.message }) };
    } catch (e) {
      result = { ...t, status: 'error', message: describe(e), ms: performance.now() - start };
    }
    report.results.push(result);
    if (result.status === 'pass') report.passed++;
    else report.failed++;
  }
  report.results.push(...skipped);
  if (opts.coverage) report.coverage = coverage(modules, compiled.ir, selected.map((t) => t.entrypoint));
  return report;
}
