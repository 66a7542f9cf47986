// The planner: resolved rules → IR plans and functions.
//
// Bodies are planned in continuation-passing style: each expression is planned with a callback
// that plans the rest of the body at the point where the expression succeeded. Iteration (a Scan)
// therefore nests the rest of the body inside the loop, and a failing statement simply ends the
// innermost block — which, inside a Scan, moves on to the next element. This is how Rego's
// backtracking becomes straight-line wasm.
//
// Rules become functions `(input, data, args…) → value`, planned lazily the first time they are
// referenced. A `with` that replaces a rule's value or a function specialises the functions
// planned under it (the replaced value travels inside the patched `data`).
import { RegoError, type Body, type ElseClause, type Expr, type Location, type RefTerm, type Rule, type Term, type With } from '../ast.ts';
import { builtinSignature } from '../builtin-signatures.ts';
import type { Block, Func, Local, Operand, Plan, Policy, Stmt } from '../ir.ts';
import { hasRules, type GroupRule, type RuleGroup, type TreeNode } from '../compile/ruletree.ts';
import { orderBody } from '../compile/safety.ts';
import { displayVar, exprVars, isGround, safeInteger, termVars } from '../compile/terms.ts';

type Cont = () => void;
type OpCont = (op: Operand) => void;

/** What a `with` has replaced for the code planned under it. */
interface Ctx {
  /** Paths below `data` whose rules are replaced by the (patched) base document. */
  overrides: string[][];
  /** Function name → replacement: another function's name, or a value stored in data.$mocks. */
  mocks: Map<string, { kind: 'func'; target: string[] } | { kind: 'value' }>;
  key: string;
}

const EMPTY_CTX: Ctx = { overrides: [], mocks: new Map(), key: '' };
const MOCKS_KEY = '$mocks';
/** Builtins that are relations: `walk(x, [path, value])` enumerates; the builtin returns all solutions. */
const RELATIONS = new Set(['walk']);
const INPUT: Local = 0;
const DATA: Local = 1;

export class Planner {
  readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  readonly funcs: Func[] = [];
  private readonly builtins = new Map<string, number>();
  private readonly funcNames = new Map<string, string>();
  private readonly inProgress: string[] = [];

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
    return this.lazyFunc(`g:${group.path.join('.')}|${ctx.key}`, `data.${group.path.join('.')}`, group.path, loc, (name) => planGroup(this, group, ctx, name));
  }

  /** The function building the document at an interior node of the rule tree under `ctx`. */
  docFunc(node: TreeNode, ctx: Ctx, loc: Location): string {
    return this.lazyFunc(`d:${node.path.join('.')}|${ctx.key}`, `doc.data.${node.path.join('.')}`, node.path, loc, (name) => planDoc(this, node, ctx, name));
  }

  private lazyFunc(key: string, label: string, path: string[], loc: Location, build: (name: string) => Func): string {
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
    this.inProgress.push(key);
    try {
      this.funcs.push(build(name));
    } finally {
      this.inProgress.pop();
    }
    void path;
    return name;
  }
}

/** Plans one function or plan body. */
class FnBuilder {
  private next: number;
  private cur: Stmt[] = [];
  /** How many IR blocks enclose the current emission point. */
  depth = 0;
  readonly vars = new Map<string, Local>();
  /** Inside an array comprehension: iteration order shows in the result. */
  private ordered = 0;
  /** The rule whose body is being planned (for rego.metadata.rule()). */
  rule: Rule | null = null;
  /** Ref terms already evaluated by planRefsFirst, with their value. */
  private readonly preplanned = new Map<Term, Operand>();
  input: Local = INPUT;
  data: Local = DATA;

  constructor(readonly p: Planner, public ctx: Ctx, firstFree: number) {
    this.next = firstFree;
  }

  newLocal(): Local {
    return this.next++;
  }

  emit(s: Stmt): void {
    this.cur.push(s.type === 'Scan' && this.ordered > 0 ? { ...s, ordered: true } : s);
  }

  /** Runs `fn` emitting into a fresh block and returns it. */
  inBlock(fn: () => void): Block {
    const saved = this.cur;
    this.cur = [];
    this.depth++;
    try {
      fn();
      return { stmts: this.cur };
    } finally {
      this.depth--;
      this.cur = saved;
    }
  }

  topBlock(fn: () => void): Block {
    return this.inBlock(fn);
  }

  /** Emits a nested block statement whose failures stay inside it. */
  subBlock(fn: () => void): void {
    this.emit({ type: 'Block', blocks: [this.inBlock(fn)] });
  }

  fail(): void {
    this.emit({ type: 'Equal', a: { type: 'bool', value: true }, b: { type: 'bool', value: false } });
  }

  toLocal(op: Operand): Local {
    if (op.type === 'local') return op.local;
    const l = this.newLocal();
    this.emit({ type: 'AssignVar', source: op, target: l });
    return l;
  }

  local(l: Local): Operand {
    return { type: 'local', local: l };
  }

  strOp(s: string): Operand {
    return { type: 'string', index: this.p.str(s) };
  }

  /** Binds `name` to `l` while `cont` runs. */
  bind(name: string, l: Local, cont: Cont): void {
    const prev = this.vars.get(name);
    this.vars.set(name, l);
    cont();
    if (prev === undefined) this.vars.delete(name);
    else this.vars.set(name, prev);
  }

  /** Forgets `names` (a fresh declaration) while `cont` runs. */
  declare(names: Iterable<string>, cont: Cont): void {
    const saved: Array<[string, Local]> = [];
    for (const n of names) {
      const prev = this.vars.get(n);
      if (prev !== undefined) saved.push([n, prev]);
      this.vars.delete(n);
    }
    cont();
    for (const [n, l] of saved) this.vars.set(n, l);
  }

  bound(): Set<string> {
    return new Set(this.vars.keys());
  }

  // ---- bodies and expressions -------------------------------------------------------------

  /** Orders `body` for safety given the current bindings and plans it. */
  planBody(body: Body, context: Set<string>, cont: Cont): Set<string> {
    const ordered = orderBody(body, this.bound(), new Set([...context, ...this.vars.keys()]), this.p.arityOf);
    this.planExprs(ordered.body, 0, cont);
    return ordered.bound;
  }

  planExprs(exprs: Expr[], i: number, cont: Cont): void {
    if (i >= exprs.length) return cont();
    this.planExpr(exprs[i] as Expr, () => this.planExprs(exprs, i + 1, cont));
  }

  planExpr(e: Expr, cont: Cont): void {
    if (e.with.length > 0) return this.planWith(e, cont);
    if (e.negated) {
      this.planNot((c) => this.planRefsFirst(e, () => this.planExprCore(e, c)));
      return cont();
    }
    this.planRefsFirst(e, () => this.planExprCore(e, cont));
  }

  /**
   * Refs that iterate (`input.foos[foo]`) bind their vars; they are planned before the rest of
   * the expression so that `foo == input.foos[foo]` sees `foo` bound, as OPA evaluates it.
   */
  private planRefsFirst(e: Expr, cont: Cont): void {
    const refs = iteratingRefs(e, this.vars);
    if (refs.length === 0) return cont();
    const step = (i: number): void => {
      if (i >= refs.length) return cont();
      const ref = refs[i] as RefTerm;
      this.planRef(ref, (op) => {
        this.preplanned.set(ref, op);
        step(i + 1);
        this.preplanned.delete(ref);
      });
    };
    step(0);
  }

  /** Succeeds when `inner` has no solution. */
  planNot(inner: (cont: Cont) => void): void {
    const flag = this.newLocal();
    this.emit({ type: 'ResetLocal', target: flag });
    const base = this.depth + 1;
    this.subBlock(() =>
      inner(() => {
        this.emit({ type: 'AssignVar', source: { type: 'bool', value: true }, target: flag });
        this.emit({ type: 'Break', index: this.depth - base });
      }),
    );
    this.emit({ type: 'IsUndefined', source: flag });
  }

  private planExprCore(e: Expr, cont: Cont): void {
    const b = e.body;
    switch (b.kind) {
      case 'term':
        if (b.term.type === 'call') return this.planCallExpr(b.term, cont);
        return this.planTerm(b.term, (op) => {
          this.truthy(op);
          cont();
        });
      case 'unify':
        return this.planUnify(b.left, b.right, cont);
      case 'assign':
        return this.declare(termVars(b.left, new Set()), () => this.planUnify(b.left, b.right, cont));
      case 'some':
        return this.declare(
          b.vars.map((v) => v.name),
          cont,
        );
      case 'somein':
        return this.planTerm(b.collection, (colOp) => {
          const src = this.toLocal(colOp);
          const k = this.newLocal();
          const v = this.newLocal();
          const names = new Set<string>();
          if (b.key) termVars(b.key, names);
          termVars(b.value, names);
          this.emit({
            type: 'Scan', source: src, key: k, value: v,
            block: this.inBlock(() =>
              this.declare(names, () => {
                const afterKey = (): void => this.unifyValue(b.value, v, cont);
                if (b.key) this.unifyValue(b.key, k, afterKey);
                else afterKey();
              }),
            ),
          });
        });
      case 'every':
        // The domain must be a defined collection; then no element may fail the body.
        return this.planTerm(b.domain, (dOp) => {
          const src = this.toLocal(dOp);
          this.isCollection(src);
          this.planNot((found) => {
            const k = this.newLocal();
            const v = this.newLocal();
            this.emit({
              type: 'Scan', source: src, key: k, value: v,
              block: this.inBlock(() => {
                const run = (): void => {
                  this.planNot((ok) => this.planBody(b.body, new Set(), ok));
                  found();
                };
                this.declare([...(b.key ? [b.key.name] : []), b.value.name], () =>
                  this.bind(b.value.name, v, () => (b.key ? this.bind(b.key.name, k, run) : run())),
                );
              }),
            });
          });
          cont();
        });
    }
  }

  /** Fails unless the value in `src` is an array, an object or a set. */
  isCollection(src: Local): void {
    const ok = this.newLocal();
    this.emit({ type: 'ResetLocal', target: ok });
    for (const type of ['IsArray', 'IsObject', 'IsSet'] as const) {
      this.subBlock(() => {
        this.emit({ type, source: this.local(src) });
        this.emit({ type: 'AssignVar', source: { type: 'bool', value: true }, target: ok });
      });
    }
    this.emit({ type: 'IsDefined', source: ok });
  }

  /** A bare value is true unless it is `false` (undefined already failed). */
  truthy(op: Operand): void {
    if (op.type === 'bool') {
      if (!op.value) this.fail();
      return;
    }
    if (op.type === 'string') return;
    this.emit({ type: 'NotEqual', a: op, b: { type: 'bool', value: false } });
  }

  private planCallExpr(t: Extract<Term, { type: 'call' }>, cont: Cont): void {
    const name = t.operator.join('.');
    if (name === 'print' || name === 'trace') return cont();
    const arity = this.p.arityOf(t.operator);
    if (arity !== null && t.args.length === arity + 1) {
      const out = t.args[arity] as Term;
      if (RELATIONS.has(name) && !this.ctx.mocks.has(name)) {
        // A relation answers every solution at once; each element is one binding of `out`.
        return this.planCall(t.operator, t.args.slice(0, arity), t.loc, (res) => {
          const src = this.toLocal(res);
          const k = this.newLocal();
          const v = this.newLocal();
          this.emit({ type: 'Scan', source: src, key: k, value: v, block: this.inBlock(() => this.unifyValue(out, v, cont)) });
        });
      }
      return this.planCall(t.operator, t.args.slice(0, arity), t.loc, (res) => this.unifyWithOperand(out, res, cont));
    }
    if (!this.ctx.mocks.has(name) && (name === 'equal' || name === 'neq') && t.args.length === 2) {
      return this.planTerms(t.args, (ops) => {
        this.emit({ type: name === 'equal' ? 'Equal' : 'NotEqual', a: ops[0] as Operand, b: ops[1] as Operand });
        cont();
      });
    }
    this.planCall(t.operator, t.args, t.loc, (res) => {
      this.truthy(res);
      cont();
    });
  }

  planCall(operator: string[], args: Term[], loc: Location, cont: OpCont): void {
    const name = operator.join('.');
    if (name === 'rego.metadata.rule') {
      if (args.length !== 0) throw new RegoError('rego_type_error', 'rego.metadata.rule: arity mismatch: takes no arguments', loc);
      return this.planTerm(jsonTerm(ruleMetadata(this.rule), loc), cont);
    }
    const mock = this.ctx.mocks.get(name);
    if (mock?.kind === 'value') {
      return this.planTerms(args, () => {
        const m = this.newLocal();
        const r = this.newLocal();
        this.emit({ type: 'Dot', source: this.local(this.data), key: this.strOp(MOCKS_KEY), target: m });
        this.emit({ type: 'Dot', source: this.local(m), key: this.strOp(name), target: r });
        cont(this.local(r));
      });
    }
    const target = mock?.kind === 'func' ? mock.target : operator;
    const group = this.p.functionGroup(target);
    const targetName = target.join('.');
    const arity = group ? group.arity : builtinSignature(targetName)?.arity;
    if (arity === undefined) {
      if (target[0] === 'data') throw new RegoError('rego_type_error', `undefined function ${targetName}`, loc);
      throw new RegoError('rego_type_error', `undefined function ${targetName}`, loc);
    }
    if (args.length !== arity) {
      throw new RegoError('rego_type_error', `${name}: arity mismatch: ${args.length} arguments given, ${arity} expected`, loc);
    }
    this.planTerms(args, (ops) => {
      const r = this.newLocal();
      if (group) {
        // A replacement function sees the real builtins and functions, not the mocks.
        const ctx = mock?.kind === 'func' ? withoutMocks(this.ctx) : this.ctx;
        const fn = this.p.groupFunc(group, ctx, loc);
        this.emit({ type: 'Call', func: fn, args: [this.local(this.input), this.local(this.data), ...ops], result: r });
      } else {
        this.p.useBuiltin(targetName, arity);
        this.emit({ type: 'Call', func: targetName, args: ops, result: r });
      }
      cont(this.local(r));
    });
  }

  planTerms(terms: Term[], cont: (ops: Operand[]) => void, acc: Operand[] = []): void {
    if (acc.length === terms.length) return cont(acc);
    this.planTerm(terms[acc.length] as Term, (op) => this.planTerms(terms, cont, [...acc, op]));
  }

  // ---- terms ------------------------------------------------------------------------------

  planTerm(t: Term, cont: OpCont): void {
    const pre = this.preplanned.get(t);
    if (pre) return cont(pre);
    switch (t.type) {
      case 'null': {
        const l = this.newLocal();
        this.emit({ type: 'MakeNull', target: l });
        return cont(this.local(l));
      }
      case 'boolean':
        return cont({ type: 'bool', value: t.value });
      case 'string':
        return cont(this.strOp(t.value));
      case 'number': {
        const l = this.newLocal();
        const n = safeInteger(t.value);
        if (n !== null) this.emit({ type: 'MakeNumberInt', value: n, target: l });
        else this.emit({ type: 'MakeNumberRef', index: this.p.str(t.value), target: l });
        return cont(this.local(l));
      }
      case 'var': {
        const l = this.vars.get(t.name);
        if (l === undefined) throw new RegoError('rego_unsafe_var_error', `var ${displayVar(t.name)} is unsafe`, t.loc);
        return cont(this.local(l));
      }
      case 'ref':
        return this.planRef(t, cont);
      case 'array':
        return this.planTerms(t.items, (ops) => {
          const l = this.newLocal();
          this.emit({ type: 'MakeArray', capacity: ops.length, target: l });
          for (const op of ops) this.emit({ type: 'ArrayAppend', array: l, value: op });
          cont(this.local(l));
        });
      case 'set':
        return this.planTerms(t.items, (ops) => {
          const l = this.newLocal();
          this.emit({ type: 'MakeSet', target: l });
          for (const op of ops) this.emit({ type: 'SetAdd', set: l, value: op });
          cont(this.local(l));
        });
      case 'object':
        return this.planTerms(
          t.items.flatMap(([k, v]) => [k, v]),
          (ops) => {
            const l = this.newLocal();
            this.emit({ type: 'MakeObject', target: l });
            for (let i = 0; i < ops.length; i += 2) this.emit({ type: 'ObjectInsert', object: l, key: ops[i] as Operand, value: ops[i + 1] as Operand });
            cont(this.local(l));
          },
        );
      case 'arraycomp':
      case 'setcomp':
      case 'objectcomp': {
        const l = this.newLocal();
        this.emit(t.type === 'arraycomp' ? { type: 'MakeArray', capacity: 0, target: l } : t.type === 'setcomp' ? { type: 'MakeSet', target: l } : { type: 'MakeObject', target: l });
        const headTerms = t.type === 'objectcomp' ? [t.key, t.value] : [t.head];
        const context = new Set<string>();
        for (const h of headTerms) termVars(h, context);
        if (t.type === 'arraycomp') this.ordered++;
        this.subBlock(() =>
          this.declare(this.comprehensionLocals(t), () =>
            this.planBody(t.body, context, () =>
              this.planTerms(headTerms, (ops) => {
                if (t.type === 'arraycomp') this.emit({ type: 'ArrayAppend', array: l, value: ops[0] as Operand });
                else if (t.type === 'setcomp') this.emit({ type: 'SetAdd', set: l, value: ops[0] as Operand });
                else this.emit({ type: 'ObjectInsertOnce', object: l, key: ops[0] as Operand, value: ops[1] as Operand });
              }),
            ),
          ),
        );
        if (t.type === 'arraycomp') this.ordered--;
        return cont(this.local(l));
      }
      case 'call':
        if (RELATIONS.has(t.operator.join('.')) && !this.ctx.mocks.has(t.operator.join('.'))) {
          // `[path, value] := walk(x)`: a relation in value position yields each of its solutions.
          return this.planCall(t.operator, t.args, t.loc, (res) => {
            const src = this.toLocal(res);
            const k = this.newLocal();
            const v = this.newLocal();
            this.emit({ type: 'Scan', source: src, key: k, value: v, block: this.inBlock(() => cont(this.local(v))) });
          });
        }
        return this.planCall(t.operator, t.args, t.loc, cont);
    }
  }

  /** Vars a comprehension declares itself (`some`, `:=`) must not capture outer bindings. */
  private comprehensionLocals(t: Extract<Term, { type: 'arraycomp' | 'setcomp' | 'objectcomp' }>): string[] {
    const out: string[] = [];
    for (const e of t.body) {
      if (e.body.kind === 'some') out.push(...e.body.vars.map((v) => v.name));
      else if (e.body.kind === 'assign') out.push(...termVars(e.body.left, new Set()));
    }
    return out;
  }

  planRef(t: RefTerm, cont: OpCont): void {
    const h = t.head;
    if (h.type === 'var' && h.name === 'data' && !this.vars.has('data')) return this.planDataRef(t.path, cont);
    if (h.type === 'var' && h.name === 'input' && !this.vars.has('input')) {
      // `input` itself may be undefined (no input given): a bare use must check it.
      if (t.path.length === 0) this.emit({ type: 'IsDefined', source: this.input });
      return this.planPath(this.input, t.path, 0, cont);
    }
    this.planTerm(h, (op) => this.planPath(this.toLocal(op), t.path, 0, cont));
  }

  /** Walks `path` from the value in `src`: bound keys are lookups, unbound vars iterate. */
  planPath(src: Local, path: Term[], i: number, cont: OpCont): void {
    if (i >= path.length) return cont(this.local(src));
    const key = path[i] as Term;
    if (isPatternTerm(key, this.vars)) {
      const k = this.newLocal();
      const v = this.newLocal();
      this.emit({
        type: 'Scan', source: src, key: k, value: v,
        block: this.inBlock(() => this.unifyValue(key, k, () => this.planPath(v, path, i + 1, cont))),
      });
      return;
    }
    this.planTerm(key, (kop) => {
      const v = this.newLocal();
      this.emit({ type: 'Dot', source: this.local(src), key: kop, target: v });
      this.planPath(v, path, i + 1, cont);
    });
  }

  /** A ref below `data`: rules are called, base documents are looked up. */
  planDataRef(path: Term[], cont: OpCont): void {
    let node = this.p.root;
    let i = 0;
    const loc = path[0]?.loc ?? { file: '', row: 0, col: 0 };
    while (i < path.length) {
      if (node.group) break;
      const k = path[i] as Term;
      if (k.type !== 'string') break;
      const child = node.children.get(k.value);
      // No rule lives below a key that the tree does not know: the rest is base data.
      if (!child) return this.planPath(this.data, path, 0, cont);
      node = child;
      i++;
    }
    if (this.overridden(node.path) || !hasRules(node)) return this.planPath(this.data, path, 0, cont);
    if (!node.group && i < path.length && this.dispatch(node, path, i, cont)) return;
    const r = this.newLocal();
    if (node.group && node.group.kind !== 'object') {
      if (node.group.kind === 'function') throw new RegoError('rego_type_error', `function data.${node.path.join('.')} must be called with arguments`, loc);
      this.emit({ type: 'Call', func: this.p.groupFunc(node.group, this.ctx, loc), args: [this.local(this.input), this.local(this.data)], result: r });
    } else {
      this.emit({ type: 'Call', func: this.p.docFunc(node, this.ctx, loc), args: [this.local(this.input), this.local(this.data)], result: r });
    }
    this.planPath(r, path, i, cont);
  }

  /**
   * `data.pkgs[x].allow`: a dynamic key below a package node is dispatched statically — one
   * alternative per child that defines rules, and one for keys found only in base data — rather
   * than building the whole document (which would call every rule below, including, possibly,
   * the rule being planned). Returns false when the key's shape is not handled here.
   */
  private dispatch(node: TreeNode, path: Term[], i: number, cont: OpCont): boolean {
    const key = path[i] as Term;
    const children = [...node.children].filter(([, c]) => hasRules(c));
    if (children.length === 0 || children.length > 16) return false;
    const names = children.map(([name]) => name);
    const loc = key.loc;
    const prefix = path.slice(0, i);
    const rest = path.slice(i + 1);
    const concrete = (name: string): Term[] => [...prefix, { type: 'string', value: name, loc }, ...rest];
    const base = (keyOp: Operand | null, bindTo: string | null): Block =>
      this.inBlock(() =>
        this.planPath(this.data, prefix, 0, (nodeOp) => {
          const src = this.toLocal(nodeOp);
          const emitRest = (k: Operand, v: Local): void => {
            for (const n of names) this.emit({ type: 'NotEqual', a: k, b: this.strOp(n) });
            this.planPath(v, rest, 0, cont);
          };
          if (keyOp) {
            const v = this.newLocal();
            this.emit({ type: 'Dot', source: this.local(src), key: keyOp, target: v });
            return emitRest(keyOp, v);
          }
          const k = this.newLocal();
          const v = this.newLocal();
          this.emit({
            type: 'Scan', source: src, key: k, value: v,
            block: this.inBlock(() => this.bind(bindTo as string, k, () => emitRest(this.local(k), v))),
          });
        }),
      );
    if (key.type === 'var' && !this.vars.has(key.name)) {
      const blocks = children.map(([name]) =>
        this.inBlock(() => {
          const l = this.newLocal();
          this.emit({ type: 'AssignVar', source: this.strOp(name), target: l });
          this.bind(key.name, l, () => this.planDataRef(concrete(name), cont));
        }),
      );
      blocks.push(base(null, key.name));
      this.emit({ type: 'Block', blocks });
      return true;
    }
    if (isPatternTerm(key, this.vars)) return false;
    this.planTerm(key, (kop) => {
      const blocks = children.map(([name]) =>
        this.inBlock(() => {
          this.emit({ type: 'Equal', a: kop, b: this.strOp(name) });
          this.planDataRef(concrete(name), cont);
        }),
      );
      blocks.push(base(kop, null));
      this.emit({ type: 'Block', blocks });
    });
    return true;
  }

  overridden(path: readonly string[]): boolean {
    return this.ctx.overrides.some((o) => o.length <= path.length && o.every((k, j) => path[j] === k));
  }

  // ---- unification ------------------------------------------------------------------------

  planUnify(l: Term, r: Term, cont: Cont): void {
    const lp = isPatternTerm(l, this.vars);
    const rp = isPatternTerm(r, this.vars);
    if (lp && rp) {
      if (l.type === 'array' && r.type === 'array') {
        if (l.items.length !== r.items.length) return this.fail();
        return this.unifyPairs(l.items.map((x, i) => [x, r.items[i] as Term]), cont);
      }
      if (l.type === 'object' && r.type === 'object' && [...l.items, ...r.items].every(([k]) => isGround(k))) {
        const key = (k: Term): string => JSON.stringify(k, (name, v) => (name === 'loc' ? undefined : v));
        const right = new Map(r.items.map(([k, v]) => [key(k), v]));
        if (l.items.length !== r.items.length || !l.items.every(([k]) => right.has(key(k)))) return this.fail();
        return this.unifyPairs(l.items.map(([k, v]) => [v, right.get(key(k)) as Term]), cont);
      }
      const v = [l, r].find((x) => x.type === 'var') as Extract<Term, { type: 'var' }> | undefined;
      if (v) throw new RegoError('rego_unsafe_var_error', `var ${displayVar(v.name)} is unsafe`, v.loc);
      throw new RegoError('rego_unsafe_var_error', 'cannot unify two patterns with unbound variables', l.loc);
    }
    if (lp) return this.planTerm(r, (op) => this.unifyValue(l, this.toLocal(op), cont));
    if (rp) return this.planTerm(l, (op) => this.unifyValue(r, this.toLocal(op), cont));
    this.planTerm(l, (a) =>
      this.planTerm(r, (b) => {
        this.emit({ type: 'Equal', a, b });
        cont();
      }),
    );
  }

  /** Unifies pairs, each time picking one that has a side with no unbound vars. */
  private unifyPairs(pairs: Array<[Term, Term]>, cont: Cont): void {
    if (pairs.length === 0) return cont();
    let i = pairs.findIndex(([a, b]) => !(isPatternTerm(a, this.vars) && isPatternTerm(b, this.vars)));
    if (i < 0) i = 0;
    const [a, b] = pairs[i] as [Term, Term];
    const rest = pairs.filter((_, j) => j !== i);
    this.planUnify(a, b, () => this.unifyPairs(rest, cont));
  }

  unifyWithOperand(pattern: Term, op: Operand, cont: Cont): void {
    this.unifyValue(pattern, this.toLocal(op), cont);
  }

  /** Matches `pattern` against the value in `src`, binding its unbound vars. */
  unifyValue(pattern: Term, src: Local, cont: Cont): void {
    if (pattern.type === 'var' && !this.vars.has(pattern.name)) return this.bind(pattern.name, src, cont);
    if (pattern.type === 'array' && isPatternTerm(pattern, this.vars)) {
      this.emit({ type: 'IsArray', source: this.local(src) });
      this.lengthIs(src, pattern.items.length);
      const step = (i: number): void => {
        if (i >= pattern.items.length) return cont();
        const e = this.newLocal();
        const idx = this.newLocal();
        this.emit({ type: 'MakeNumberInt', value: i, target: idx });
        this.emit({ type: 'Dot', source: this.local(src), key: this.local(idx), target: e });
        this.unifyValue(pattern.items[i] as Term, e, () => step(i + 1));
      };
      return step(0);
    }
    if (pattern.type === 'object' && isPatternTerm(pattern, this.vars)) {
      this.emit({ type: 'IsObject', source: this.local(src) });
      this.lengthIs(src, pattern.items.length);
      const step = (i: number): void => {
        if (i >= pattern.items.length) return cont();
        const [k, v] = pattern.items[i] as [Term, Term];
        this.planTerm(k, (kop) => {
          const e = this.newLocal();
          this.emit({ type: 'Dot', source: this.local(src), key: kop, target: e });
          this.unifyValue(v, e, () => step(i + 1));
        });
      };
      return step(0);
    }
    this.planTerm(pattern, (op) => {
      this.emit({ type: 'Equal', a: op, b: this.local(src) });
      cont();
    });
  }

  private lengthIs(src: Local, n: number): void {
    const len = this.newLocal();
    const want = this.newLocal();
    this.emit({ type: 'Len', source: this.local(src), target: len });
    this.emit({ type: 'MakeNumberInt', value: n, target: want });
    this.emit({ type: 'Equal', a: this.local(len), b: this.local(want) });
  }

  // ---- with -------------------------------------------------------------------------------

  private planWith(e: Expr, cont: Cont): void {
    const inner: Expr = { ...e, with: [] };
    const targets = e.with.map((w) => ({ w, target: this.withTarget(w) }));
    // Values that name a function replace calls; every other value is evaluated first.
    const valued = targets.filter((t) => !(t.target.kind === 'mock' && t.target.func));
    this.planTerms(
      valued.map((t) => t.w.value),
      (values) => {
        const saved = { input: this.input, data: this.data, ctx: this.ctx };
        let ctx = this.ctx;
        const valueOf = new Map(valued.map((t, i) => [t, values[i] as Operand]));
        // Targets are applied in order; each With wraps the next.
        const wrap = (i: number): void => {
          if (i >= targets.length) {
            this.ctx = ctx;
            const after = (): void => {
              const now = { input: this.input, data: this.data, ctx: this.ctx };
              this.input = saved.input;
              this.data = saved.data;
              this.ctx = saved.ctx;
              cont();
              this.input = now.input;
              this.data = now.data;
              this.ctx = now.ctx;
            };
            if (e.negated) {
              this.planNot((c) => this.planExprCore(inner, c));
              after();
            } else this.planExpr(inner, after);
            return;
          }
          const t = targets[i] as (typeof targets)[number];
          const target = t.target;
          if (target.kind === 'mock') {
            if (target.func) {
              ctx = addMock(ctx, target.name, { kind: 'func', target: target.func });
              return wrap(i + 1);
            }
            ctx = addMock(ctx, target.name, { kind: 'value' });
            return this.withLocal('data', [MOCKS_KEY, target.name], valueOf.get(t) as Operand, () => wrap(i + 1));
          }
          if (target.root === 'data' && this.touchesRules(target.path)) ctx = addOverride(ctx, target.path);
          this.withLocal(target.root, target.path, valueOf.get(t) as Operand, () => wrap(i + 1));
        };
        wrap(0);
      },
    );
  }

  private withLocal(root: 'input' | 'data', path: string[], value: Operand, cont: Cont): void {
    const copy = this.newLocal();
    this.emit({ type: 'AssignVar', source: this.local(root === 'input' ? this.input : this.data), target: copy });
    this.emit({
      type: 'With', local: copy, path: path.map((k) => this.p.str(k)), value,
      block: this.inBlock(() => {
        if (root === 'input') this.input = copy;
        else this.data = copy;
        cont();
      }),
    });
  }

  private touchesRules(path: string[]): boolean {
    let n: TreeNode | undefined = this.p.root;
    for (const k of path) {
      if (n.group) return true;
      n = n.children.get(k);
      if (!n) return false;
    }
    return hasRules(n);
  }

  private withTarget(w: With):
    | { kind: 'doc'; root: 'input' | 'data'; path: string[] }
    | { kind: 'mock'; name: string; func: string[] | null } {
    const t = w.target;
    const head = t.type === 'var' ? t.name : t.head.type === 'var' ? t.head.name : '';
    const parts = t.type === 'var' ? [] : t.path;
    const names: string[] = [];
    for (const p of parts) {
      if (p.type !== 'string') throw new RegoError('rego_compile_error', '`with` target must be a ref of strings', w.loc);
      names.push(p.value);
    }
    const full = [head, ...names];
    if (head === 'data' && this.p.functionGroup(full)) return { kind: 'mock', name: full.join('.'), func: this.mockFunction(w.value) };
    if (head === 'input' || head === 'data') return { kind: 'doc', root: head, path: names };
    if (builtinSignature(full.join('.'))) return { kind: 'mock', name: full.join('.'), func: this.mockFunction(w.value) };
    throw new RegoError('rego_compile_error', `with keyword target must reference existing input, data, or a function, not ${full.join('.')}`, w.loc);
  }

  /** When a `with` value names a function, calls are redirected to it. */
  private mockFunction(v: Term): string[] | null {
    if (v.type === 'ref' && v.head.type === 'var' && v.head.name === 'data' && v.path.every((p) => p.type === 'string')) {
      const op = ['data', ...v.path.map((p) => (p as { value: string }).value)];
      if (this.p.functionGroup(op)) return op;
    }
    if (v.type === 'var' && !this.vars.has(v.name) && builtinSignature(v.name)) return [v.name];
    if (v.type === 'ref' && v.head.type === 'var' && !this.vars.has(v.head.name) && v.path.every((p) => p.type === 'string')) {
      const name = [v.head.name, ...v.path.map((p) => (p as { value: string }).value)];
      if (builtinSignature(name.join('.'))) return name;
    }
    return null;
  }
}

function addMock(ctx: Ctx, name: string, m: { kind: 'func'; target: string[] } | { kind: 'value' }): Ctx {
  const mocks = new Map(ctx.mocks);
  mocks.set(name, m);
  return { ...ctx, mocks, key: ctxKey(ctx.overrides, mocks) };
}

function withoutMocks(ctx: Ctx): Ctx {
  return ctx.mocks.size === 0 ? ctx : { ...ctx, mocks: new Map(), key: ctxKey(ctx.overrides, new Map()) };
}

function addOverride(ctx: Ctx, path: string[]): Ctx {
  const overrides = [...ctx.overrides, path];
  return { ...ctx, overrides, key: ctxKey(overrides, ctx.mocks) };
}

function ctxKey(overrides: string[][], mocks: Ctx['mocks']): string {
  const o = overrides.map((p) => p.join('.')).sort();
  const m = [...mocks].map(([k, v]) => `${k}=${v.kind === 'func' ? v.target.join('.') : '$'}`).sort();
  return JSON.stringify([o, m]);
}

/**
 * Refs of an expression whose keys hold unbound vars that the same expression also uses
 * elsewhere: these must run first. Comprehension bodies are their own scope and are skipped.
 */
function iteratingRefs(e: Expr, vars: ReadonlyMap<string, Local>): RefTerm[] {
  const b = e.body;
  if (b.kind !== 'term' && b.kind !== 'unify') return [];
  const roots = b.kind === 'term' ? [b.term] : [b.left, b.right];
  const refs: RefTerm[] = [];
  const plain = new Set<string>();
  const visit = (t: Term, inRef: boolean): void => {
    switch (t.type) {
      case 'var':
        if (!inRef) plain.add(t.name);
        break;
      case 'ref':
        if (t.path.some((p) => p.type === 'var' && !vars.has(p.name))) refs.push(t);
        visit(t.head, inRef);
        t.path.forEach((p) => visit(p, true));
        break;
      case 'array':
      case 'set':
        t.items.forEach((x) => visit(x, inRef));
        break;
      case 'object':
        t.items.forEach(([k, v]) => {
          visit(k, inRef);
          visit(v, inRef);
        });
        break;
      case 'call':
        t.args.forEach((x) => visit(x, inRef));
        break;
      default:
        break;
    }
  };
  roots.forEach((t) => visit(t, false));
  return refs.filter((r) => r.path.some((p) => p.type === 'var' && !vars.has(p.name) && plain.has(p.name)));
}

/** What rego.metadata.rule() answers: the rule's own METADATA, with authors as objects. */
function ruleMetadata(rule: Rule | null): Record<string, unknown> {
  const a = rule?.annotations.find((x) => x.scope === 'rule');
  if (!a) return {};
  const out: Record<string, unknown> = { ...(a.fields ?? {}), scope: 'rule' };
  const authors = out['authors'];
  if (Array.isArray(authors)) {
    out['authors'] = authors.map((x) => {
      if (typeof x !== 'string') return x;
      const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(x);
      return m ? { ...(m[1] ? { name: m[1] } : {}), email: m[2] } : { name: x.trim() };
    });
  }
  return out;
}

/** A JSON value as a term. */
function jsonTerm(v: unknown, loc: Location): Term {
  if (v === null || v === undefined) return { type: 'null', loc };
  if (typeof v === 'boolean') return { type: 'boolean', value: v, loc };
  if (typeof v === 'number' || typeof v === 'bigint') return { type: 'number', value: String(v), loc };
  if (typeof v === 'string') return { type: 'string', value: v, loc };
  if (Array.isArray(v)) return { type: 'array', items: v.map((x) => jsonTerm(x, loc)), loc };
  return { type: 'object', items: Object.entries(v as Record<string, unknown>).map(([k, x]) => [{ type: 'string', value: k, loc }, jsonTerm(x, loc)] as [Term, Term]), loc };
}

function isPatternTerm(t: Term, vars: ReadonlyMap<string, Local>): boolean {
  if (t.type === 'var') return !vars.has(t.name);
  if (t.type === 'array') return t.items.some((x) => isPatternTerm(x, vars));
  if (t.type === 'object') return t.items.some(([, v]) => isPatternTerm(v, vars));
  return false;
}

// ---- rule groups ------------------------------------------------------------------------------

function planGroup(p: Planner, group: RuleGroup, ctx: Ctx, name: string): Func {
  const params = group.kind === 'function' ? Array.from({ length: group.arity }, (_, i) => i + 2) : [];
  const fb = new FnBuilder(p, ctx, 2 + params.length);
  const result = fb.newLocal();
  const blocks: Block[] = [];
  const valueOf = (t: Term | null, loc: Location): Term => t ?? { type: 'boolean', value: true, loc };
  const conflictMsg = group.kind === 'function' ? 'functions must not produce multiple outputs for same inputs' : 'complete rules must not produce multiple outputs';

  if (group.kind === 'multi') blocks.push(fb.topBlock(() => fb.emit({ type: 'MakeSet', target: result })));
  if (group.kind === 'object') blocks.push(fb.topBlock(() => fb.emit({ type: 'MakeObject', target: result })));

  for (const gr of group.rules) {
    blocks.push(
      fb.topBlock(() => {
        const norm = normalizeHead(gr.rule, gr.suffix);
        const rule = norm.rule;
        fb.rule = gr.rule;
        const withArgs = (cont: Cont): void => {
          if (group.kind !== 'function') return cont();
          const args = rule.head.args ?? [];
          const step = (i: number): void => {
            if (i >= args.length) return cont();
            const arg = args[i] as Term;
            const param = params[i] as number;
            // An argument that must be computed (`f($"{x}")`, `f(input.a)`) is compared after the
            // body has bound its vars: it becomes a body expression, as OPA rewrites it.
            if (isGround(arg, true)) return fb.unifyValue(arg, param, () => step(i + 1));
            fb.bind(`$arg${i}`, param, () => step(i + 1));
          };
          step(0);
        };
        withArgs(() => {
          const head = headContext(rule);
          if (group.kind === 'complete' || group.kind === 'function') {
            planClauses(fb, rule, head, (op) => fb.emit({ type: 'AssignVarOnce', source: op, target: result }), valueOf);
          } else if (group.kind === 'multi') {
            planRuleBody(fb, rule.body, head, rule, () => fb.planTerm(rule.head.key ?? valueOf(null, rule.loc), (k) => fb.emit({ type: 'SetAdd', set: result, value: k })));
          } else {
            planRuleBody(fb, rule.body, head, rule, () =>
              fb.planTerms([...norm.suffix, valueOf(rule.head.value, rule.loc)], (ops) => insertNested(fb, result, ops.slice(0, -1), ops[ops.length - 1] as Operand)),
            );
          }
        });
      }),
    );
  }
  const def = group.defaultRule;
  if (def) {
    blocks.push(
      fb.topBlock(() => {
        fb.emit({ type: 'IsUndefined', source: result });
        fb.planTerm(valueOf(def.rule.head.value, def.rule.loc), (op) => fb.emit({ type: 'AssignVar', source: op, target: result }));
      }),
    );
  }
  void conflictMsg;
  return { name, path: group.path, params: [INPUT, DATA, ...params], result, blocks, memo: group.kind !== 'function' };
}

function headContext(rule: Rule): Set<string> {
  const s = new Set<string>();
  for (const t of rule.head.ref.slice(1)) termVars(t, s, true);
  if (rule.head.key) termVars(rule.head.key, s, true);
  if (rule.head.value) termVars(rule.head.value, s, true);
  return s;
}


/**
 * Head terms that need evaluation (`q := xs[_]`, `p := sort([k | …])`) move into the body as
 * `$h = term`, as OPA rewrites them, so that their vars are bound by the body's safety order.
 */
function normalizeHead(rule: Rule, suffix: Term[]): { rule: Rule; suffix: Term[] } {
  let n = 0;
  const lift = (t: Term | null, body: Expr[]): Term | null => {
    if (!t || isGround(t, true)) return t;
    const v: Term = { type: 'var', name: `$h${n++}`, loc: t.loc };
    body.push({ negated: false, with: [], body: { kind: 'unify', left: v, right: t }, loc: t.loc });
    return v;
  };
  const body = [...rule.body];
  (rule.head.args ?? []).forEach((a, i) => {
    if (!isGround(a, true)) body.push({ negated: false, with: [], body: { kind: 'unify', left: { type: 'var', name: `$arg${i}`, loc: a.loc }, right: a }, loc: a.loc });
  });
  const newSuffix = suffix.map((t) => lift(t, body) as Term);
  const key = lift(rule.head.key, body);
  const value = lift(rule.head.value, body);
  const liftElse = (e: ElseClause | null): ElseClause | null => {
    if (!e) return null;
    const eb = [...e.body];
    const ev = lift(e.value, eb);
    return { ...e, body: eb, value: ev, else: liftElse(e.else) };
  };
  return { rule: { ...rule, body, head: { ...rule.head, key, value }, else: liftElse(rule.else) }, suffix: newSuffix };
}

/** Plans a body, then checks that the head's vars ended up bound. */
function planRuleBody(fb: FnBuilder, body: Body, head: Set<string>, rule: Rule, cont: Cont): void {
  fb.planBody(body, head, () => {
    for (const v of head) {
      if (!fb.vars.has(v) && v !== 'input' && v !== 'data') {
        throw new RegoError('rego_unsafe_var_error', `var ${displayVar(v)} is unsafe`, rule.head.loc);
      }
    }
    cont();
  });
}

/** A rule with `else` clauses: the first clause whose body succeeds gives the value. */
function planClauses(fb: FnBuilder, rule: Rule, head: Set<string>, emitValue: OpCont, valueOf: (t: Term | null, loc: Location) => Term): void {
  if (!rule.else) {
    return planRuleBody(fb, rule.body, head, rule, () => fb.planTerm(valueOf(rule.head.value, rule.loc), emitValue));
  }
  const t = fb.newLocal();
  fb.emit({ type: 'ResetLocal', target: t });
  const clauses: Array<{ body: Body; value: Term | null; loc: Location }> = [{ body: rule.body, value: rule.head.value, loc: rule.loc }];
  for (let e: ElseClause | null = rule.else; e; e = e.else) clauses.push({ body: e.body, value: e.value, loc: e.loc });
  // Each clause binds its own value's vars; the first clause's value is not the others' concern.
  const shared = new Set(head);
  if (rule.head.value) for (const v of termVars(rule.head.value, new Set(), true)) shared.delete(v);
  clauses.forEach((c, i) => {
    fb.subBlock(() => {
      if (i > 0) fb.emit({ type: 'IsUndefined', source: t });
      const ctxVars = new Set(shared);
      if (c.value) termVars(c.value, ctxVars, true);
      planRuleBody(fb, c.body, ctxVars, rule, () => fb.planTerm(valueOf(c.value, c.loc), (op) => fb.emit({ type: 'AssignVarOnce', source: op, target: t })));
    });
  });
  fb.emit({ type: 'IsDefined', source: t });
  emitValue(fb.local(t));
}

/** Inserts `value` at the key path `keys` of the object in `obj`, creating objects on the way. */
function insertNested(fb: FnBuilder, obj: Local, keys: Operand[], value: Operand): void {
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i] as Operand;
    const next = fb.newLocal();
    fb.emit({ type: 'ResetLocal', target: next });
    fb.subBlock(() => fb.emit({ type: 'Dot', source: fb.local(cur), key: k, target: next }));
    fb.subBlock(() => {
      fb.emit({ type: 'IsUndefined', source: next });
      fb.emit({ type: 'MakeObject', target: next });
      fb.emit({ type: 'ObjectInsert', object: cur, key: k, value: fb.local(next) });
    });
    fb.emit({ type: 'IsObject', source: fb.local(next) });
    cur = next;
  }
  fb.emit({ type: 'ObjectInsertOnce', object: cur, key: keys[keys.length - 1] as Operand, value });
}

/** The document at an interior node: its object rules, its children's values, and base data. */
function planDoc(p: Planner, node: TreeNode, ctx: Ctx, name: string): Func {
  const fb = new FnBuilder(p, ctx, 2);
  const result = fb.newLocal();
  const loc: Location = firstLoc(node) ?? { file: '', row: 0, col: 0 };
  const blocks: Block[] = [];
  blocks.push(
    fb.topBlock(() => {
      if (node.group?.kind === 'object' && !fb.overridden(node.path)) {
        const tmp = fb.newLocal();
        fb.emit({ type: 'Call', func: p.groupFunc(node.group, ctx, loc), args: [fb.local(INPUT), fb.local(DATA)], result: tmp });
        // Copy so that inserting children does not change the group's own value.
        fb.emit({ type: 'MakeObject', target: result });
        fb.emit({ type: 'ObjectMerge', a: result, b: tmp, target: result });
      } else fb.emit({ type: 'MakeObject', target: result });
    }),
  );
  for (const [key, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!hasRules(child)) continue;
    blocks.push(
      fb.topBlock(() => {
        const v = fb.newLocal();
        if (fb.overridden(child.path)) {
          fb.planPath(DATA, child.path.map((k) => ({ type: 'string', value: k, loc }) as Term), 0, (op) => fb.emit({ type: 'ObjectInsertOnce', object: result, key: fb.strOp(key), value: op }));
          return;
        }
        if (child.group && child.group.kind !== 'object') {
          if (child.group.kind === 'function') return;
          fb.emit({ type: 'Call', func: p.groupFunc(child.group, ctx, loc), args: [fb.local(INPUT), fb.local(DATA)], result: v });
        } else {
          fb.emit({ type: 'Call', func: p.docFunc(child, ctx, loc), args: [fb.local(INPUT), fb.local(DATA)], result: v });
        }
        fb.emit({ type: 'ObjectInsertOnce', object: result, key: fb.strOp(key), value: fb.local(v) });
      }),
    );
  }
  // Base documents under the same path are merged in; as in OPA, base values win on conflicts.
  blocks.push(
    fb.topBlock(() => {
      fb.planPath(DATA, node.path.map((k) => ({ type: 'string', value: k, loc }) as Term), 0, (base) => {
        const b = fb.toLocal(base);
        const merged = fb.newLocal();
        fb.emit({ type: 'ObjectMerge', a: b, b: result, target: merged });
        fb.emit({ type: 'AssignVar', source: fb.local(merged), target: result });
      });
    }),
  );
  return { name, path: node.path, params: [INPUT, DATA], result, blocks, memo: true };
}

function firstLoc(node: TreeNode): Location | null {
  const g = node.group;
  if (g) return (g.rules[0] ?? g.defaultRule)?.rule.loc ?? null;
  for (const c of node.children.values()) {
    const l = firstLoc(c);
    if (l) return l;
  }
  return null;
}

export type { GroupRule };
