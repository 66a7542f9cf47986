// Our own recursive-descent bash parser for the common grammar: lists, pipelines, `!`,
// subshells, groups, if/while/until/for/case, `[[ ]]`, functions, redirections with heredocs,
// words with every quoting form, `$( )`, backticks, `${ }`, `$(( ))`, process substitution and
// assignments. tree-sitter costs 100–900 µs a line in WebAssembly; this costs a few µs.
// It emits exactly what the tree walker (walk.ts) emits for the same line, in the same order,
// and returns null (the caller falls back to the grammar) on anything outside the subset it
// models exactly. A differential property test holds it to that.
import type { ShellContext } from './types.ts';
import type { RawAssignment, RawCommand, WalkOutput } from './walk.ts';
import { parseFast, type Nest, type Redir, type Stmt } from './fast-parse.ts';

export { FAST_LIMITS } from './fast-parse.ts';

/** Emits parsed statements in the order the tree walker visits the grammar's nodes. */
class Emitter {
  readonly out: WalkOutput = { commands: [], redirections: [], assignments: [], pipes: [] };

  stmts(list: Stmt[], ctx: ShellContext[]): void {
    for (const s of list) this.stmt(s, ctx);
  }

  private nests(nests: Nest[], ctx: ShellContext[]): void {
    for (const n of nests) {
      const inner = [...ctx, n.ctx];
      if (n.list) this.stmts(n.list, inner);
      if (n.nests) this.nests(n.nests, inner);
    }
  }

  private redirect(r: Redir, ctx: ShellContext[], cmd: RawCommand | null): void {
    this.out.redirections.push(r.r);
    if (cmd) cmd.redirections.push(r.r);
    this.nests(r.nests, ctx);
    if (r.body) this.nests(r.body, [...ctx, 'heredoc']);
  }

  private stmt(s: Stmt, ctx: ShellContext[]): void {
    switch (s.t) {
      case 'simple': {
        const assignments: RawAssignment[] = s.assigns.map((a) => ({ name: a.name, value: a.value, kind: s.decl ? 'declaration' : 'prefix' }));
        const cmd: RawCommand = { argv: s.argv, contexts: ctx, assignments, redirections: [], start: s.start, end: s.end };
        this.out.commands.push(cmd);
        for (const r of s.redirs) this.redirect(r, ctx, cmd);
        this.nests(s.nests, ctx);
        return;
      }
      case 'assign':
        for (const a of s.assigns) {
          this.out.assignments.push({ name: a.name, value: a.value, kind: 'statement' });
          this.nests(a.nests, ctx);
        }
        return;
      case 'pipe': {
        const ranges: Array<[number, number]> = [];
        for (const e of s.elems) {
          const from = this.out.commands.length;
          this.stmt(e, ctx);
          ranges.push([from, this.out.commands.length]);
        }
        this.out.pipes.push(ranges);
        return;
      }
      case 'compound': {
        const inner = s.ctx === null ? ctx : [...ctx, s.ctx];
        for (const p of s.parts) {
          if (p.nests) this.nests(p.nests, inner);
          if (p.list) this.stmts(p.list, inner);
        }
        for (const r of s.redirs) this.redirect(r, ctx, null);
        return;
      }
    }
  }
}

/** The walker's output for `line`, or null when the line is outside the exact subset. */
export function fastParse(line: string): WalkOutput | null {
  const list = parseFast(line);
  if (list === null) return null;
  const e = new Emitter();
  e.stmts(list, []);
  return e.out;
}

