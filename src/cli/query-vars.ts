// The variables a query binds, for `portcullis eval` output: every named var of the query's own
// expressions, but not those local to comprehensions or `every` bodies, wildcards, or the roots
// `input` and `data`.
import type { Body, Expr, Term } from '../rego/ast.ts';

export function queryVars(body: Body): string[] {
  const out: string[] = [];
  const add = (name: string): void => {
    if (name.startsWith('$') || name === 'input' || name === 'data' || name.startsWith('__')) return;
    if (!out.includes(name)) out.push(name);
  };
  const term = (t: Term): void => {
    switch (t.type) {
      case 'var': add(t.name); break;
      case 'ref': term(t.head); t.path.forEach(term); break;
      case 'array': case 'set': t.items.forEach(term); break;
      case 'object': t.items.forEach(([k, v]) => { term(k); term(v); }); break;
      case 'call': t.args.forEach(term); break;
      default: break; // scalars; comprehensions keep their vars to themselves
    }
  };
  const expr = (e: Expr): void => {
    const b = e.body;
    switch (b.kind) {
      case 'term': term(b.term); break;
      case 'unify': case 'assign': term(b.left); term(b.right); break;
      case 'some': b.vars.forEach(term); break;
      case 'somein': if (b.key) term(b.key); term(b.value); term(b.collection); break;
      case 'every': term(b.domain); break;
    }
    for (const w of e.with) term(w.value);
  };
  // A negated expression binds nothing outside itself.
  body.filter((e) => !e.negated).forEach(expr);
  return out;
}
