// Name resolution: every var that names a rule of the package or an import becomes a full ref
// (`allow` → `data.pkg.allow`, `users` → `data.lib.users`), every call operator becomes either a
// builtin name or the full `data...` path of a user function. Locals (declared with `some`, `:=`,
// function arguments, iteration vars) shadow package rules, as in OPA.
import { RegoError, type Body, type ElseClause, type Expr, type ExprBody, type Import, type Location, type Module, type RefTerm, type Rule, type Term, type VarTerm, type With } from '../ast.ts';
import { isBuiltin } from '../builtin-signatures.ts';
import { refOf } from './terms.ts';

/** Functions the planner answers itself, at compile time or as no-ops. */
export const PLANNER_FUNCTIONS = new Set(['print', 'trace', 'rego.metadata.rule']);

interface Scope {
  pkg: string[];
  /** Names of rules and functions defined in the package (first part of each head). */
  ruleNames: Set<string>;
  /** import alias → the ref it stands for. */
  imports: Map<string, RefTerm>;
  /** Vars declared in the rule being resolved. */
  locals: Set<string>;
  /** Declared vars in scope → their internal names. */
  renames: Map<string, string>;
  /** Names declared in this very scope (to report a second `:=`). */
  declaredHere: Set<string>;
  counter: { n: number };
}

export interface ResolvedModule {
  module: Module;
  rules: Rule[];
}

/** Resolves all modules; `packageRules` maps a package path (joined with '.') to its rule names. */
export function resolveModules(modules: Module[], errors: RegoError[]): ResolvedModule[] {
  const packageRules = new Map<string, Set<string>>();
  for (const m of modules) {
    const key = m.package.path.join('.');
    let names = packageRules.get(key);
    if (!names) packageRules.set(key, (names = new Set()));
    for (const r of m.rules) {
      const first = r.head.ref[0];
      if (first && first.type === 'var') names.add(first.name);
    }
  }
  return modules.map((m) => {
    const imports = new Map<string, RefTerm>();
    for (const imp of m.imports) addImport(imp, imports, errors);
    const ruleNames = packageRules.get(m.package.path.join('.')) ?? new Set<string>();
    const rules = m.rules.map((r) => resolveRule(r, { pkg: m.package.path, ruleNames, imports, locals: new Set(), renames: new Map(), declaredHere: new Set(), counter: { n: 0 } }, errors));
    return { module: m, rules };
  });
}

function addImport(imp: Import, imports: Map<string, RefTerm>, errors: RegoError[]): void {
  const p = imp.path;
  const root = p.type === 'var' ? p.name : p.head.type === 'var' ? p.head.name : '';
  if (root === 'future' || root === 'rego') return; // keyword imports: syntax only
  if (root !== 'data' && root !== 'input') {
    errors.push(new RegoError('rego_compile_error', `import must begin with \`data\` or \`input\`, not \`${root}\``, imp.loc));
    return;
  }
  const ref: RefTerm = p.type === 'var' ? { type: 'ref', head: p, path: [], loc: p.loc } : p;
  let alias = imp.alias;
  if (!alias) {
    const last = ref.path[ref.path.length - 1];
    if (!last) {
      if (root === 'input') alias = 'input';
      else return; // `import data` is a no-op
    } else if (last.type === 'string') alias = last.value;
    else {
      errors.push(new RegoError('rego_compile_error', 'import path must end in a name, or be given an alias with `as`', imp.loc));
      return;
    }
  }
  imports.set(alias, ref);
}

/** Collects every var a rule declares: function args, `some`, `:=`, iteration patterns, every vars. */
function declaredVars(rule: Rule): Set<string> {
  const out = new Set<string>();
  const patternVars = (t: Term): void => {
    if (t.type === 'var') out.add(t.name);
    else if (t.type === 'array' || t.type === 'set') t.items.forEach(patternVars);
    else if (t.type === 'object') t.items.forEach(([, v]) => patternVars(v));
  };
  const visitBody = (body: Body): void => {
    for (const e of body) {
      const b = e.body;
      if (b.kind === 'some') b.vars.forEach((v) => out.add(v.name));
      else if (b.kind === 'assign') patternVars(b.left);
      else if (b.kind === 'somein') {
        if (b.key) patternVars(b.key);
        patternVars(b.value);
      } else if (b.kind === 'every') {
        if (b.key) out.add(b.key.name);
        out.add(b.value.name);
        visitBody(b.body);
      }
      visitTermBodies(b);
    }
  };
  const visitTermBodies = (b: ExprBody): void => {
    const terms: Term[] = b.kind === 'term' ? [b.term] : b.kind === 'unify' || b.kind === 'assign' ? [b.left, b.right] : b.kind === 'somein' ? [b.collection] : b.kind === 'every' ? [b.domain] : [];
    for (const t of terms) visitComprehensions(t);
  };
  const visitComprehensions = (t: Term): void => {
    switch (t.type) {
      case 'arraycomp':
      case 'setcomp':
        visitBody(t.body);
        visitComprehensions(t.head);
        break;
      case 'objectcomp':
        visitBody(t.body);
        break;
      case 'array':
      case 'set':
        t.items.forEach(visitComprehensions);
        break;
      case 'object':
        t.items.forEach(([k, v]) => {
          visitComprehensions(k);
          visitComprehensions(v);
        });
        break;
      case 'call':
        t.args.forEach(visitComprehensions);
        break;
      case 'ref':
        visitComprehensions(t.head);
        t.path.forEach(visitComprehensions);
        break;
      default:
        break;
    }
  };
  if (rule.head.args) rule.head.args.forEach(patternVars);
  visitBody(rule.body);
  for (let e: ElseClause | null = rule.else; e; e = e.else) visitBody(e.body);
  return out;
}

function resolveRule(rule: Rule, base: Scope, errors: RegoError[]): Rule {
  const scope: Scope = { ...base, locals: declaredVars(rule), renames: new Map(), declaredHere: new Set(), counter: { n: 0 } };
  const head = rule.head;
  const [first, ...rest] = head.ref;
  const args = head.args ? head.args.map((t) => resolveTerm(t, scope, errors)) : null;
  // Head terms see the declarations of the body (`p := x if { x := 1 }`).
  const inner = child(scope);
  const body = resolveBody(rule.body, inner, errors);
  return {
    ...rule,
    head: {
      ...head,
      ref: [first as Term, ...rest.map((t) => resolveTerm(t, inner, errors))],
      args,
      key: head.key ? resolveTerm(head.key, inner, errors) : null,
      value: head.value ? resolveTerm(head.value, inner, errors) : null,
    },
    body,
    else: resolveElse(rule.else, scope, errors),
  };
}

function resolveElse(e: ElseClause | null, scope: Scope, errors: RegoError[]): ElseClause | null {
  if (!e) return null;
  const inner = child(scope);
  const body = resolveBody(e.body, inner, errors);
  return { ...e, value: e.value ? resolveTerm(e.value, inner, errors) : null, body, else: resolveElse(e.else, scope, errors) };
}

/** A nested scope: sees the enclosing declarations, declares its own. */
function child(scope: Scope): Scope {
  return { ...scope, renames: new Map(scope.renames), declaredHere: new Set() };
}

/**
 * Declares `name` in `scope` under a fresh internal name, so that a later `x := …` never
 * captures an earlier, unrelated `x` (for instance one local to a comprehension).
 */
function declare(name: string, loc: Location, scope: Scope, errors: RegoError[]): string {
  if (name.startsWith('$')) return name;
  if (scope.declaredHere.has(name)) errors.push(new RegoError('rego_compile_error', `var ${name} assigned above`, loc));
  scope.declaredHere.add(name);
  const fresh = `${name}$${++scope.counter.n}`;
  scope.renames.set(name, fresh);
  return fresh;
}

function declarePattern(t: Term, scope: Scope, errors: RegoError[]): Term {
  switch (t.type) {
    case 'var':
      return { ...t, name: declare(t.name, t.loc, scope, errors) };
    case 'array':
      return { ...t, items: t.items.map((x) => declarePattern(x, scope, errors)) };
    case 'object':
      return { ...t, items: t.items.map(([k, v]) => [resolveTerm(k, scope, errors), declarePattern(v, scope, errors)] as [Term, Term]) };
    default:
      return resolveTerm(t, scope, errors);
  }
}

/** Resolves a query: refs are rooted at `data` or `input`; there is no package or import. */
export function resolveQuery(body: Body, errors: RegoError[]): Body {
  const scope: Scope = { pkg: [], ruleNames: new Set(), imports: new Map(), locals: new Set(), renames: new Map(), declaredHere: new Set(), counter: { n: 0 } };
  return resolveBody(body, scope, errors);
}

export function resolveBody(body: Body, scope: Scope, errors: RegoError[]): Body {
  return body.map((e) => resolveExpr(e, scope, errors));
}

function resolveExpr(e: Expr, scope: Scope, errors: RegoError[]): Expr {
  const r = (t: Term): Term => resolveTerm(t, scope, errors);
  const b = e.body;
  const withs: With[] = e.with.map((w) => ({ ...w, target: resolveWithTarget(w.target, scope), value: r(w.value) }));
  let body: ExprBody;
  switch (b.kind) {
    case 'term':
      body = { kind: 'term', term: r(b.term) };
      break;
    case 'unify':
      body = { kind: 'unify', left: r(b.left), right: r(b.right) };
      break;
    case 'assign': {
      const right = r(b.right);
      body = { kind: 'assign', left: declarePattern(b.left, scope, errors), right };
      break;
    }
    case 'some':
      body = { kind: 'some', vars: b.vars.map((v) => ({ ...v, name: declare(v.name, v.loc, scope, errors) })) };
      break;
    case 'somein': {
      const collection = r(b.collection);
      const key = b.key ? declarePattern(b.key, scope, errors) : null;
      body = { kind: 'somein', key, value: declarePattern(b.value, scope, errors), collection };
      break;
    }
    case 'every': {
      const domain = r(b.domain);
      const inner = child(scope);
      const key = b.key ? ({ ...b.key, name: declare(b.key.name, b.key.loc, inner, errors) }) : null;
      const value = { ...b.value, name: declare(b.value.name, b.value.loc, inner, errors) };
      body = { kind: 'every', key, value, domain, body: resolveBody(b.body, inner, errors) };
      break;
    }
  }
  return { ...e, body, with: withs };
}

/** `with` targets keep their syntactic root (input/data) but function names are resolved. */
function resolveWithTarget(t: RefTerm | With['target'], scope: Scope): RefTerm | With['target'] {
  const name = t.type === 'var' ? t.name : t.head.type === 'var' ? t.head.name : '';
  if (name === 'input' || name === 'data') return t;
  const parts = t.type === 'var' ? [] : t.path;
  const imp = scope.imports.get(name);
  if (imp) return { ...imp, path: [...imp.path, ...parts], loc: t.loc };
  if (scope.ruleNames.has(name)) return { ...refOf('data', [...scope.pkg, name], t.loc), path: [...refOf('data', [...scope.pkg, name], t.loc).path, ...parts] };
  return t; // a builtin name such as `count` or `http.send`
}

export function resolveTerm(t: Term, scope: Scope, errors: RegoError[]): Term {
  const r = (x: Term): Term => resolveTerm(x, scope, errors);
  switch (t.type) {
    case 'var':
      return resolveVar(t.name, t.loc, scope) ?? t;
    case 'ref': {
      const path = t.path.map(r);
      if (t.head.type === 'var') {
        const head = resolveVar(t.head.name, t.head.loc, scope);
        if (head?.type === 'var') return { ...t, head, path };
        if (head) return { type: 'ref', head: head.head, path: [...head.path, ...path], loc: t.loc };
        return { ...t, path };
      }
      const head = r(t.head);
      if (head.type === 'ref') return { type: 'ref', head: head.head, path: [...head.path, ...path], loc: t.loc };
      return { ...t, head, path };
    }
    case 'array':
      return { ...t, items: t.items.map(r) };
    case 'set':
      return { ...t, items: t.items.map(r) };
    case 'object':
      return { ...t, items: t.items.map(([k, v]) => [r(k), r(v)] as [Term, Term]) };
    case 'arraycomp':
    case 'setcomp': {
      const inner = child(scope);
      const body = resolveBody(t.body, inner, errors);
      return { ...t, head: resolveTerm(t.head, inner, errors), body };
    }
    case 'objectcomp': {
      const inner = child(scope);
      const body = resolveBody(t.body, inner, errors);
      return { ...t, key: resolveTerm(t.key, inner, errors), value: resolveTerm(t.value, inner, errors), body };
    }
    case 'call':
      return { ...t, operator: resolveOperator(t.operator, t.loc, scope, errors), args: t.args.map(r) };
    default:
      return t;
  }
}

function resolveVar(name: string, loc: Location, scope: Scope): RefTerm | VarTerm | null {
  const renamed = scope.renames.get(name);
  if (renamed) return { type: 'var', name: renamed, loc };
  if (name === 'input' || name === 'data') return { type: 'ref', head: { type: 'var', name, loc }, path: [], loc };
  if (scope.locals.has(name)) return null;
  if (scope.ruleNames.has(name)) return refOf('data', [...scope.pkg, name], loc);
  const imp = scope.imports.get(name);
  if (imp) return { ...imp, loc };
  return null;
}

function resolveOperator(op: string[], loc: Location, scope: Scope, errors: RegoError[]): string[] {
  const [first, ...rest] = op;
  if (first === undefined) return op;
  if (first === 'data') return op;
  if (scope.ruleNames.has(first) && !scope.locals.has(first)) return ['data', ...scope.pkg, ...op];
  const imp = scope.imports.get(first);
  if (imp && imp.head.type === 'var' && imp.head.name === 'data') {
    const parts = imp.path.map((p) => (p.type === 'string' ? p.value : '?'));
    return ['data', ...parts, ...rest];
  }
  if (isBuiltin(op.join('.')) || PLANNER_FUNCTIONS.has(op.join('.'))) return op;
  errors.push(new RegoError('rego_type_error', `undefined function ${op.join('.')}`, loc));
  return op;
}
