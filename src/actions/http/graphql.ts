// A small GraphQL document scanner: finds the operation definitions at the top level and the
// top-level fields of each, without building an AST. Anything it cannot read for sure is
// reported (`invalid` or `ambiguous`) so the document says 'unknown' instead of guessing.

import type { GraphqlInfo, GraphqlOperation, GraphqlOperationType } from './types.ts';

interface Tok { t: 'name' | 'punct' | 'spread' | 'string' | 'number'; v: string }

interface ScannedOp extends GraphqlOperation { fields: string[]; complete: boolean }

export interface GraphqlScan {
  ops: ScannedOp[];
  invalid: boolean;
}

const MAX_TOKENS = 100_000;

function lex(src: string): Tok[] | null {
  const toks: Tok[] = [];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    // Ignored: whitespace, line terminators, commas, BOM.
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 44 || c === 0xfeff) { i++; continue; }
    if (c === 35 /* # */) {
      while (i < n && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (toks.length >= MAX_TOKENS) return null;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      const s = i;
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if ((d >= 65 && d <= 90) || (d >= 97 && d <= 122) || (d >= 48 && d <= 57) || d === 95) i++;
        else break;
      }
      toks.push({ t: 'name', v: src.slice(s, i) });
      continue;
    }
    if (c === 45 || (c >= 48 && c <= 57)) {
      const s = i;
      i++;
      while (i < n && /[0-9.eE+-]/.test(src[i] as string)) i++;
      toks.push({ t: 'number', v: src.slice(s, i) });
      continue;
    }
    if (c === 34 /* " */) {
      if (src.startsWith('"""', i)) {
        let j = i + 3;
        for (;;) {
          const k = src.indexOf('"""', j);
          if (k < 0) return null;
          if (src[k - 1] === '\\') { j = k + 3; continue; }
          i = k + 3;
          break;
        }
      } else {
        let j = i + 1;
        for (;;) {
          if (j >= n) return null;
          const d = src.charCodeAt(j);
          if (d === 10 || d === 13) return null;
          if (d === 92) { j += 2; continue; }
          if (d === 34) break;
          j++;
        }
        i = j + 1;
      }
      toks.push({ t: 'string', v: '' });
      continue;
    }
    if (c === 46 /* . */) {
      if (!src.startsWith('...', i)) return null;
      toks.push({ t: 'spread', v: '...' });
      i += 3;
      continue;
    }
    if ('{}()[]:=@$!|&'.includes(src[i] as string)) {
      toks.push({ t: 'punct', v: src[i] as string });
      i++;
      continue;
    }
    return null;
  }
  return toks;
}

const OPEN: Record<string, string> = { '{': '}', '(': ')', '[': ']' };

/** Index after the balanced group opened at toks[i]; -1 when unbalanced. */
function skipGroup(toks: Tok[], i: number): number {
  const stack: string[] = [];
  for (let j = i; j < toks.length; j++) {
    const t = toks[j] as Tok;
    if (t.t !== 'punct') continue;
    const close = OPEN[t.v];
    if (close) stack.push(close);
    else if (t.v === '}' || t.v === ')' || t.v === ']') {
      if (stack.pop() !== t.v) return -1;
      if (stack.length === 0) return j + 1;
    }
  }
  return -1;
}

const isP = (t: Tok | undefined, v: string): boolean => t !== undefined && t.t === 'punct' && t.v === v;

// Skips directives (`@name(args)`) starting at i.
function skipDirectives(toks: Tok[], i: number): number {
  while (isP(toks[i], '@')) {
    if (toks[i + 1]?.t !== 'name') return -1;
    i += 2;
    if (isP(toks[i], '(')) {
      i = skipGroup(toks, i);
      if (i < 0) return -1;
    }
  }
  return i;
}

// Reads the selection set opening at toks[i]; collects its top-level field names.
function selectionSet(toks: Tok[], i: number, op: ScannedOp): number {
  if (!isP(toks[i], '{')) return -1;
  i++;
  while (i < toks.length && !isP(toks[i], '}')) {
    const t = toks[i] as Tok;
    if (t.t === 'spread') {
      op.complete = false;
      i++;
      if (toks[i]?.t === 'name' && toks[i]?.v !== 'on') i++;
      else if (toks[i]?.t === 'name') i += 2;
      i = skipDirectives(toks, i);
      if (i < 0) return -1;
      if (isP(toks[i], '{')) i = skipGroup(toks, i);
      if (i < 0) return -1;
      continue;
    }
    if (t.t !== 'name') return -1;
    let field = t.v;
    i++;
    if (isP(toks[i], ':')) {
      if (toks[i + 1]?.t !== 'name') return -1;
      field = (toks[i + 1] as Tok).v;
      i += 2;
    }
    op.fields.push(field);
    if (isP(toks[i], '(')) i = skipGroup(toks, i);
    if (i < 0) return -1;
    i = skipDirectives(toks, i);
    if (i < 0) return -1;
    if (isP(toks[i], '{')) i = skipGroup(toks, i);
    if (i < 0) return -1;
  }
  return isP(toks[i], '}') ? i + 1 : -1;
}

const OP_TYPES = new Set(['query', 'mutation', 'subscription']);

export function scanGraphql(src: string): GraphqlScan {
  const ops: ScannedOp[] = [];
  const toks = lex(src);
  if (toks === null) return { ops, invalid: true };
  let i = 0;
  while (i < toks.length) {
    const t = toks[i] as Tok;
    if (isP(t, '{')) {
      const op: ScannedOp = { operation: 'query', name: null, fields: [], complete: true };
      i = selectionSet(toks, i, op);
      if (i < 0) return { ops, invalid: true };
      ops.push(op);
      continue;
    }
    if (t.t === 'name' && OP_TYPES.has(t.v)) {
      const op: ScannedOp = { operation: t.v as GraphqlOperationType, name: null, fields: [], complete: true };
      i++;
      if (toks[i]?.t === 'name') { op.name = (toks[i] as Tok).v; i++; }
      if (isP(toks[i], '(')) i = skipGroup(toks, i);
      if (i < 0) return { ops, invalid: true };
      i = skipDirectives(toks, i);
      if (i < 0) return { ops, invalid: true };
      i = selectionSet(toks, i, op);
      if (i < 0) return { ops, invalid: true };
      ops.push(op);
      continue;
    }
    if (t.t === 'name' && t.v === 'fragment') {
      // fragment Name on Type @directives { ... }
      if (toks[i + 1]?.t !== 'name' || toks[i + 2]?.v !== 'on' || toks[i + 3]?.t !== 'name') return { ops, invalid: true };
      i = skipDirectives(toks, i + 4);
      if (i < 0 || !isP(toks[i], '{')) return { ops, invalid: true };
      i = skipGroup(toks, i);
      if (i < 0) return { ops, invalid: true };
      continue;
    }
    // Type-system definitions or stray tokens: not an executable document.
    return { ops, invalid: true };
  }
  return { ops, invalid: false };
}

export interface GraphqlRequest {
  /** the document text, or null when absent (persisted query) or not a string. */
  query: string | null;
  /** undefined when not given; null when given as null; a non-string becomes an ambiguity. */
  operationName: string | null | undefined | { invalid: true };
}

/**
 * Picks the operation the server would run. 'unknown' (with `ambiguous` or `invalid`) whenever
 * the server's choice cannot be known: no document, a syntax error, several operations without a
 * matching operationName, or duplicate names.
 */
export function describeGraphql(reqs: GraphqlRequest[]): { info: GraphqlInfo; ambiguous: boolean; invalid: boolean } {
  let ambiguous = false;
  let invalid = false;
  const operations: GraphqlOperation[] = [];
  const picked: ScannedOp[] = [];
  for (const r of reqs) {
    if (r.query === null) { ambiguous = true; continue; }
    const scan = scanGraphql(r.query);
    for (const o of scan.ops) operations.push({ operation: o.operation, name: o.name });
    if (scan.invalid || scan.ops.length === 0) { invalid = true; continue; }
    const on = r.operationName;
    if (on !== undefined && on !== null && typeof on !== 'string') { ambiguous = true; continue; }
    let chosen: ScannedOp | undefined;
    if (typeof on === 'string') {
      const named = scan.ops.filter((o) => o.name === on);
      if (named.length === 1) chosen = named[0];
    } else if (scan.ops.length === 1) {
      chosen = scan.ops[0];
    }
    if (!chosen) { ambiguous = true; continue; }
    picked.push(chosen);
  }
  const allKnown = !ambiguous && !invalid && picked.length === reqs.length && picked.length > 0;
  const types = new Set(picked.map((p) => p.operation));
  const operation: GraphqlInfo['operation'] = allKnown && types.size === 1 ? (picked[0] as ScannedOp).operation : 'unknown';
  const info: GraphqlInfo = {
    operation,
    name: picked.length === 1 && allKnown ? (picked[0] as ScannedOp).name : null,
    fields: picked.flatMap((p) => p.fields),
    fields_complete: allKnown && picked.every((p) => p.complete),
    operations,
  };
  return { info, ambiguous, invalid };
}
