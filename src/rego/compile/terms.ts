// Small helpers over AST terms shared by the compile passes and the planner.
import type { Body, Expr, Location, RefTerm, StringTerm, Term, VarTerm } from '../ast.ts';

export const str = (value: string, loc: Location): StringTerm => ({ type: 'string', value, loc });
export const varTerm = (name: string, loc: Location): VarTerm => ({ type: 'var', name, loc });

/** `data.a.b` as a ref term with string parts. */
export function refOf(root: 'data' | 'input', parts: readonly string[], loc: Location): RefTerm {
  return { type: 'ref', head: varTerm(root, loc), path: parts.map((p) => str(p, loc)), loc };
}

export { isGround } from '../ast.ts';

/** Vars of a term that are visible to the enclosing body (comprehension bodies are closures: their own
 * locals are not collected, but outer vars they mention are). */
export function termVars(t: Term, out: Set<string>, skipComprehensions = false): Set<string> {
  switch (t.type) {
    case 'var':
      out.add(t.name);
      break;
    case 'ref':
      termVars(t.head, out, skipComprehensions);
      for (const p of t.path) termVars(p, out, skipComprehensions);
      break;
    case 'array':
    case 'set':
      for (const i of t.items) termVars(i, out, skipComprehensions);
      break;
    case 'object':
      for (const [k, v] of t.items) {
        termVars(k, out, skipComprehensions);
        termVars(v, out, skipComprehensions);
      }
      break;
    case 'call':
      for (const a of t.args) termVars(a, out, skipComprehensions);
      break;
    case 'arraycomp':
    case 'setcomp':
      if (!skipComprehensions) {
        termVars(t.head, out);
        bodyVars(t.body, out);
      }
      break;
    case 'objectcomp':
      if (!skipComprehensions) {
        termVars(t.key, out);
        termVars(t.value, out);
        bodyVars(t.body, out);
      }
      break;
    default:
      break;
  }
  return out;
}

export function exprVars(e: Expr, out: Set<string>, skipComprehensions = false): Set<string> {
  const b = e.body;
  switch (b.kind) {
    case 'term':
      termVars(b.term, out, skipComprehensions);
      break;
    case 'unify':
    case 'assign':
      termVars(b.left, out, skipComprehensions);
      termVars(b.right, out, skipComprehensions);
      break;
    case 'some':
      for (const v of b.vars) out.add(v.name);
      break;
    case 'somein':
      if (b.key) termVars(b.key, out, skipComprehensions);
      termVars(b.value, out, skipComprehensions);
      termVars(b.collection, out, skipComprehensions);
      break;
    case 'every':
      termVars(b.domain, out, skipComprehensions);
      if (!skipComprehensions) {
        if (b.key) out.add(b.key.name);
        out.add(b.value.name);
        bodyVars(b.body, out);
      }
      break;
  }
  for (const w of e.with) termVars(w.value, out, skipComprehensions);
  return out;
}

export function bodyVars(body: Body, out: Set<string>): Set<string> {
  for (const e of body) exprVars(e, out);
  return out;
}

export function locOf(t: Term | Expr): Location {
  return t.loc;
}

/** Numbers that fit a safe JS integer are planned as MakeNumberInt; the rest keep their text. */
export function safeInteger(text: string): number | null {
  if (!/^-?\d+$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}

/** A var's name as the author wrote it: wildcards print as `_`, declared locals lose their suffix. */
export function displayVar(name: string): string {
  if (name.startsWith('$')) return '_';
  return name.replace(/\$\d+$/, '');
}
