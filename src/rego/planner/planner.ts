// The planner: resolved rules → IR plans and functions.
//
// Rules become functions `(input, data, args…) → value`, planned lazily the first time they are
// referenced (rules.ts); bodies are planned by FnBuilder (body.ts). A `with` that replaces a
// rule's value or a function specialises the functions planned under it (context.ts): the
// replaced value travels inside the patched `data`.
import { RegoError, type Body, type Location } from '../ast.ts';
import { builtinSignature } from '../builtin-signatures.ts';
import type { Func, Plan, Policy } from '../ir.ts';
import type { RuleGroup, TreeNode } from '../compile/ruletree.ts';
import { displayVar, exprVars } from '../compile/terms.ts';
import { EMPTY_CTX, type Ctx } from './context.ts';
import { FnBuilder } from './body.ts';
import { planDoc, planGroup } from './rules.ts';
import { markDataOnly } from './data-only.ts';

export class Planner {
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly funcs: Func[] = [];
  private readonly builtins = new Map<string, number>();
  private readonly funcNames = new Map<string, string>();
  private readonly inProgress: string[] = [];
  /** Functions planned under a `with` (their context key is not empty). */
  private readonly specialised = new Set<string>();

  constructor(readonly root: TreeNode) {}

  str(s: string): number {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return i;
  }

  useBuiltin(name: string, arity: number): void {
    this.builtins.set(name, arity);
  }

  planPolicy(entrypoints: string[], queries: Array<{ name: string; body: Body }> = []): Policy {
    const plans: Plan[] = [...entrypoints.map((ep) => this.planEntrypoint(ep)), ...queries.map((q) => this.planQuery(q.name, q.body))];
    markDataOnly(this.funcs, this.specialised);
    return {
      strings: this.strings,
      builtins: [...this.builtins].map(([name, arity]) => ({ name, arity })),
      funcs: this.funcs,
      plans,
    };
  }

  private planEntrypoint(ep: string): Plan {
    const path = ep.split('/').filter((p) => p.length > 0);
    const fb = new FnBuilder(this, EMPTY_CTX, 2);
    const loc: Location = { file: '<entrypoint>', row: 1, col: 1 };
    const block = fb.topBlock(() => {
      fb.planDataRef(path.map((p) => ({ type: 'string', value: p, loc })), (op) => {
        const obj = fb.newLocal();
        fb.emit({ type: 'MakeObject', target: obj });
        fb.emit({ type: 'ObjectInsert', key: { type: 'string', index: this.str('result') }, value: op, object: obj });
        fb.emit({ type: 'ResultSetAdd', value: obj });
      });
    });
    return { name: path.join('/'), blocks: [block] };
  }

  /**
   * A query plan: every solution of `body` adds an object of its variable bindings
   * (`data.p[x] = y` → {"x": …, "y": …}) to the result set, as OPA's query API answers.
   */
  private planQuery(name: string, body: Body): Plan {
    const fb = new FnBuilder(this, EMPTY_CTX, 2);
    const names = new Set<string>();
    for (const e of body) exprVars(e, names, true);
    const outputs = [...names].filter((n) => !n.startsWith('$') && n !== 'input' && n !== 'data');
    const block = fb.topBlock(() =>
      fb.planBody(body, new Set(outputs), () => {
        const obj = fb.newLocal();
        fb.emit({ type: 'MakeObject', target: obj });
        for (const n of outputs) {
          const l = fb.vars.get(n);
          if (l !== undefined) fb.emit({ type: 'ObjectInsert', object: obj, key: fb.strOp(displayVar(n)), value: fb.local(l) });
        }
        fb.emit({ type: 'ResultSetAdd', value: obj });
      }),
    );
    return { name, blocks: [block] };
  }

  /** Finds the tree node at `path`, or null. */
  nodeAt(path: readonly string[]): TreeNode | null {
    let n: TreeNode | undefined = this.root;
    for (const k of path) {
      n = n.children.get(k);
      if (!n) return null;
    }
    return n;
  }

  functionGroup(operator: readonly string[]): RuleGroup | null {
    if (operator[0] !== 'data') return null;
    const n = this.nodeAt(operator.slice(1));
    return n?.group?.kind === 'function' ? n.group : null;
  }

  arityOf = (operator: string[]): number | null => {
    if (operator.join('.') === 'rego.metadata.rule') return 0;
    const g = this.functionGroup(operator);
    if (g) return g.arity;
    return builtinSignature(operator.join('.'))?.arity ?? null;
  };

  /** The function computing a rule group under `ctx`, planned on first use. */
  groupFunc(group: RuleGroup, ctx: Ctx, loc: Location): string {
    return this.lazyFunc(`g:${group.path.join('.')}|${ctx.key}`, `data.${group.path.join('.')}`, ctx, loc, (name) => planGroup(this, group, ctx, name));
  }

  /** The function building the document at an interior node of the rule tree under `ctx`. */
  docFunc(node: TreeNode, ctx: Ctx, loc: Location): string {
    return this.lazyFunc(`d:${node.path.join('.')}|${ctx.key}`, `doc.data.${node.path.join('.')}`, ctx, loc, (name) => planDoc(this, node, ctx, name));
  }

  private lazyFunc(key: string, label: string, ctx: Ctx, loc: Location, build: (name: string) => Func): string {
    const existing = this.funcNames.get(key);
    if (existing) {
      if (this.inProgress.includes(key)) {
        const cycle = [...this.inProgress.slice(this.inProgress.indexOf(key)), key].map((k) => `data.${k.slice(2, k.indexOf('|'))}`);
        throw new RegoError('rego_recursion_error', `rule ${label.replace(/^doc\./, '')} is recursive: ${cycle.join(' -> ')}`, loc);
      }
      return existing;
    }
    const name = `g${this.funcNames.size}.${label}`;
    this.funcNames.set(key, name);
    if (ctx.key !== '') this.specialised.add(name);
    this.inProgress.push(key);
    try {
      this.funcs.push(build(name));
    } finally {
      this.inProgress.pop();
    }
    return name;
  }
}
