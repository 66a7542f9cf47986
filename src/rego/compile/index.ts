// The compile pipeline from parsed modules to IR: resolve names, build the rule tree, plan.
import { RegoError, RegoErrors, type Body, type Module } from '../ast.ts';
import type { Policy } from '../ir.ts';
import { Planner } from '../planner/planner.ts';
import { resolveModules, resolveQuery } from './resolve.ts';
import { buildRuleTree } from './ruletree.ts';

/**
 * Compiles parsed modules to IR with one plan per entrypoint (`pkg/rule`), then one per query
 * (whose results are binding objects). Throws RegoErrors.
 */
export function compileModules(modules: Module[], entrypoints: string[], queries: Array<{ name: string; body: Body }> = []): Policy {
  const errors: RegoError[] = [];
  const resolved = resolveModules(modules, errors);
  const tree = buildRuleTree(resolved.map((r) => ({ module: r.module, rules: r.rules })), errors);
  if (errors.length > 0) throw new RegoErrors(errors);
  const resolvedQueries = queries.map((q) => ({ name: q.name, body: resolveQuery(q.body, errors) }));
  if (errors.length > 0) throw new RegoErrors(errors);
  if (entrypoints.length === 0 && queries.length === 0) throw new RegoErrors([new RegoError('rego_compile_error', 'at least one entrypoint is required (e.g. `authz/allow`)', null)]);
  try {
    return new Planner(tree).planPolicy(entrypoints, resolvedQueries);
  } catch (e) {
    if (e instanceof RegoError) throw new RegoErrors([e]);
    if (e instanceof RangeError) throw new RegoErrors([new RegoError('rego_compile_error', 'policy too deeply nested to compile', null)]);
    throw e;
  }
}
