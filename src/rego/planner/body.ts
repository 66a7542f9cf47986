// Planning bodies, expressions and terms into IR statements.
//
// Bodies are planned in continuation-passing style: each expression is planned with a callback
// that plans the rest of the body at the point where the expression succeeded. Iteration (a Scan)
// therefore nests the rest of the body inside the loop, and a failing statement simply ends the
// innermost block — which, inside a Scan, moves on to the next element. This is how Rego's
// backtracking becomes straight-line wasm.
import { RegoError, type Body, type Expr, type Location, type RefTerm, type Rule, type Term, type With } from '../ast.ts';
import { builtinSignature } from '../builtin-signatures.ts';
import type { Block, Local, Operand, Stmt } from '../ir.ts';
import { hasRules, type TreeNode } from '../compile/ruletree.ts';
import { orderBody } from '../compile/safety.ts';
import { displayVar, isGround, safeInteger, termVars } from '../compile/terms.ts';
import { addMock, addOverride, MOCKS_KEY, withoutMocks, type Ctx } from './context.ts';
import { isPatternTerm, iteratingRefs, jsonTerm, ruleMetadata } from './rewrite.ts';
import type { Planner } from './planner.ts';

export type Cont = () => void;
export type OpCont = (op: Operand) => void;

/** Builtins that are relations: `walk(x, [path, value])` enumerates; the builtin returns all solutions. */
const RELATIONS = new Set(['walk']);
export const INPUT: Local = 0;
export const DATA: Local = 1;

/** Plans one function or plan body. */
export class FnBuilder {
  private next: number;
  private cur: Stmt[] = [];
  /** How many IR blocks enclose the current emission point. */
  depth = 0;
  readonly vars = new Map<string, Local>();
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
    this.cur.push(s);
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
