// Safety: every variable must be bound by some expression before it is used. Bodies are reordered
// so that each expression runs once the variables it reads are bound (as OPA does); a variable that
// no ordering can bind is reported as `var x is unsafe`.
import { RegoError, type Body, type Expr, type Term } from '../ast.ts';
import { displayVar, exprVars, termVars } from './terms.ts';

/** The number of input arguments of a function, or null when unknown. */
export type ArityOf = (operator: string[]) => number | null;

interface Analysis {
  inputs: Set<string>;
  outputs: Set<string>;
  /** Vars bound by iterating a ref inside the expression itself. */
  refOutputs: Set<string>;
}

const ROOTS = new Set(['input', 'data']);

export interface Ordered {
  body: Body;
  bound: Set<string>;
}

/**
 * Orders `body` given the vars already bound (`bound`) and the vars that belong to an enclosing
 * scope (`context`: rule head vars, closure vars). Throws `rego_unsafe_var_error`.
 */
export function orderBody(body: Body, bound: ReadonlySet<string>, context: ReadonlySet<string>, arityOf: ArityOf): Ordered {
  const B = new Set(bound);
  const pending = body.map((e, i) => ({ e, i }));
  const out: Expr[] = [];
  const visibleElsewhere = (i: number): Set<string> => {
    const s = new Set(context);
    body.forEach((e, j) => {
      if (j !== i) exprVars(e, s, true);
    });
    return s;
  };
  const others = body.map((_, i) => visibleElsewhere(i));
  while (pending.length > 0) {
    let progressed = false;
    for (let k = 0; k < pending.length; k++) {
      const { e, i } = pending[k] as { e: Expr; i: number };
      const a = analyzeExpr(e, B, others[i] as Set<string>, arityOf);
      if ([...a.inputs].every((v) => B.has(v))) {
        out.push(e);
        for (const v of a.outputs) B.add(v);
        pending.splice(k, 1);
        progressed = true;
        break;
      }
    }
    if (!progressed) {
      const first = pending[0] as { e: Expr; i: number };
      const a = analyzeExpr(first.e, B, others[first.i] as Set<string>, arityOf);
      const unsafe = [...a.inputs].filter((v) => !B.has(v)).filter((v) => !v.startsWith('$'));
      const name = unsafe[0] ?? [...a.inputs].find((v) => !B.has(v)) ?? '?';
      throw new RegoError('rego_unsafe_var_error', `var ${displayVar(name)} is unsafe`, first.e.loc);
    }
  }
  return { body: out, bound: B };
}

export function analyzeExpr(e: Expr, B: ReadonlySet<string>, elsewhere: ReadonlySet<string>, arityOf: ArityOf): Analysis {
  const a: Analysis = { inputs: new Set(), outputs: new Set(), refOutputs: new Set() };
  const own = exprVars(e, new Set(), true);
  const closure = new Set([...elsewhere, ...own]);
  const b = e.body;
  switch (b.kind) {
    case 'term':
      if (b.term.type === 'call') analyzeCall(b.term, B, closure, arityOf, a);
      else value(b.term, B, closure, a);
      break;
    case 'unify':
      unify(b.left, b.right, B, closure, a);
      break;
    case 'assign':
      for (const v of termVars(b.left, new Set())) a.outputs.add(v);
      patternInputs(b.left, B, closure, a);
      value(b.right, B, closure, a);
      break;
    case 'some':
      break;
    case 'somein':
      value(b.collection, B, closure, a);
      for (const t of b.key ? [b.key, b.value] : [b.value]) {
        for (const v of termVars(t, new Set())) a.outputs.add(v);
      }
      break;
    case 'every': {
      value(b.domain, B, closure, a);
      const inner = new Set<string>();
      for (const x of b.body) exprVars(x, inner);
      for (const v of inner) if (elsewhere.has(v) && !B.has(v)) a.inputs.add(v);
      break;
    }
  }
  // A `with` value naming a function (`with count as mock_count`) is not evaluated.
  for (const w of e.with) if (!namesFunction(w.value, arityOf)) value(w.value, B, closure, a);
  if (e.negated) {
    for (const v of a.outputs) if (elsewhere.has(v) && !B.has(v)) a.inputs.add(v);
    a.outputs.clear();
  }
  for (const v of [...a.inputs]) if (ROOTS.has(v)) a.inputs.delete(v);
  // `foo == input.foos[foo]`: the ref binds foo before the comparison reads it.
  if (b.kind === 'term' || b.kind === 'unify') for (const v of a.refOutputs) a.inputs.delete(v);
  return a;
}

function namesFunction(t: Term, arityOf: ArityOf): boolean {
  if (t.type === 'var') return arityOf([t.name]) !== null;
  if (t.type === 'ref' && t.head.type === 'var' && t.path.every((p) => p.type === 'string')) {
    return arityOf([t.head.name, ...t.path.map((p) => (p as { value: string }).value)]) !== null;
  }
  return false;
}

function isPattern(t: Term, B: ReadonlySet<string>): boolean {
  if (t.type === 'var') return !B.has(t.name) && !ROOTS.has(t.name);
  if (t.type === 'array') return t.items.some((x) => isPattern(x, B));
  if (t.type === 'object') return t.items.some(([, v]) => isPattern(v, B));
  return false;
}

function unify(l: Term, r: Term, B: ReadonlySet<string>, closure: ReadonlySet<string>, a: Analysis): void {
  const lp = isPattern(l, B);
  const rp = isPattern(r, B);
  if (lp && rp) {
    if (l.type === 'array' && r.type === 'array' && l.items.length === r.items.length) {
      l.items.forEach((x, i) => unify(x, r.items[i] as Term, B, closure, a));
      return;
    }
    if (l.type === 'object' && r.type === 'object' && l.items.length === r.items.length) {
      for (const [k, v] of l.items) {
        const match = r.items.find(([k2]) => JSON.stringify(stripLoc(k2)) === JSON.stringify(stripLoc(k)));
        if (!match) {
          value(l, B, closure, a);
          value(r, B, closure, a);
          return;
        }
        unify(v, match[1], B, closure, a);
      }
      return;
    }
    // Two unbound sides: each var needs binding elsewhere.
    value(l, B, closure, a);
    value(r, B, closure, a);
    return;
  }
  if (lp) {
    patternOutputs(l, B, a);
    patternInputs(l, B, closure, a);
    value(r, B, closure, a);
  } else if (rp) {
    patternOutputs(r, B, a);
    patternInputs(r, B, closure, a);
    value(l, B, closure, a);
  } else {
    value(l, B, closure, a);
    value(r, B, closure, a);
  }
}

function stripLoc(t: Term): unknown {
  return JSON.parse(JSON.stringify(t, (k, v) => (k === 'loc' ? undefined : v)));
}

/** Unbound vars in pattern positions become outputs. */
function patternOutputs(t: Term, B: ReadonlySet<string>, a: Analysis): void {
  if (t.type === 'var') {
    if (!B.has(t.name) && !ROOTS.has(t.name)) a.outputs.add(t.name);
  } else if (t.type === 'array') t.items.forEach((x) => patternOutputs(x, B, a));
  else if (t.type === 'object') t.items.forEach(([, v]) => patternOutputs(v, B, a));
}

/** Non-pattern parts of a pattern (object keys, refs, calls) are evaluated as values. */
function patternInputs(t: Term, B: ReadonlySet<string>, closure: ReadonlySet<string>, a: Analysis): void {
  if (t.type === 'var') return;
  if (t.type === 'array') t.items.forEach((x) => patternInputs(x, B, closure, a));
  else if (t.type === 'object')
    t.items.forEach(([k, v]) => {
      value(k, B, closure, a);
      patternInputs(v, B, closure, a);
    });
  else value(t, B, closure, a);
}

function analyzeCall(t: Extract<Term, { type: 'call' }>, B: ReadonlySet<string>, closure: ReadonlySet<string>, arityOf: ArityOf, a: Analysis): void {
  const arity = arityOf(t.operator);
  if (arity !== null && t.args.length === arity + 1) {
    t.args.slice(0, arity).forEach((x) => value(x, B, closure, a));
    const out = t.args[arity] as Term;
    if (isPattern(out, B)) {
      patternOutputs(out, B, a);
      patternInputs(out, B, closure, a);
    } else value(out, B, closure, a);
    return;
  }
  t.args.forEach((x) => value(x, B, closure, a));
}

/** A term evaluated for its value: free vars are inputs, except ref keys, which iteration binds. */
function value(t: Term, B: ReadonlySet<string>, closure: ReadonlySet<string>, a: Analysis): void {
  switch (t.type) {
    case 'var':
      if (!B.has(t.name)) a.inputs.add(t.name);
      break;
    case 'ref':
      value(t.head, B, closure, a);
      for (const p of t.path) {
        if (isPattern(p, B)) {
          patternOutputs(p, B, a);
          if (p.type === 'var') a.refOutputs.add(p.name);
        } else value(p, B, closure, a);
      }
      break;
    case 'array':
    case 'set':
      t.items.forEach((x) => value(x, B, closure, a));
      break;
    case 'object':
      t.items.forEach(([k, v]) => {
        value(k, B, closure, a);
        value(v, B, closure, a);
      });
      break;
    case 'call':
      t.args.forEach((x) => value(x, B, closure, a));
      break;
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp': {
      const inner = termVars(t, new Set());
      for (const v of inner) if (closure.has(v) && !B.has(v)) a.inputs.add(v);
      break;
    }
    default:
      break;
  }
}
