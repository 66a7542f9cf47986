// Term-level helpers of the planner: which refs bind vars, patterns, head rewrites, and
// compile-time values (rule metadata).
import type { ElseClause, Expr, Location, RefTerm, Rule, Term } from '../ast.ts';
import { isGround } from '../ast.ts';
import type { Local } from '../ir.ts';
import { termVars } from '../compile/terms.ts';

/**
 * Refs of an expression whose keys hold unbound vars that the same expression also uses
 * elsewhere: these must run first. Comprehension bodies are their own scope and are skipped.
 */
export function iteratingRefs(e: Expr, vars: ReadonlyMap<string, Local>): RefTerm[] {
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
export function ruleMetadata(rule: Rule | null): Record<string, unknown> {
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
export function jsonTerm(v: unknown, loc: Location): Term {
  if (v === null || v === undefined) return { type: 'null', loc };
  if (typeof v === 'boolean') return { type: 'boolean', value: v, loc };
  if (typeof v === 'number' || typeof v === 'bigint') return { type: 'number', value: String(v), loc };
  if (typeof v === 'string') return { type: 'string', value: v, loc };
  if (Array.isArray(v)) return { type: 'array', items: v.map((x) => jsonTerm(x, loc)), loc };
  return { type: 'object', items: Object.entries(v as Record<string, unknown>).map(([k, x]) => [{ type: 'string', value: k, loc }, jsonTerm(x, loc)] as [Term, Term]), loc };
}

export function isPatternTerm(t: Term, vars: ReadonlyMap<string, Local>): boolean {
  if (t.type === 'var') return !vars.has(t.name);
  if (t.type === 'array') return t.items.some((x) => isPatternTerm(x, vars));
  if (t.type === 'object') return t.items.some(([, v]) => isPatternTerm(v, vars));
  return false;
}

export function headContext(rule: Rule): Set<string> {
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
export function normalizeHead(rule: Rule, suffix: Term[]): { rule: Rule; suffix: Term[] } {
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
