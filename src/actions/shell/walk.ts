// Walks a bash syntax tree and lists every simple command bash would run, wherever it is
// nested, with its redirections and assignments. Works around known grammar gaps exactly or
// throws ShellError; never guesses.
import type { Node } from 'web-tree-sitter';
import { ShellError } from './errors.ts';
import type { AssignmentKind, ShellContext, ShellRedirection, ShellWord } from './types.ts';
import { decodeWord, dollarError } from './words.ts';

export interface RawAssignment {
  name: string;
  value: ShellWord;
  kind: AssignmentKind;
}

export interface RawCommand {
  argv: ShellWord[];
  contexts: ShellContext[];
  assignments: RawAssignment[];
  redirections: ShellRedirection[];
  start: number;
  end: number;
}

export interface WalkOutput {
  commands: RawCommand[];
  /** Every redirection in the line, including those on compound commands. */
  redirections: ShellRedirection[];
  /** Assignment-only statements (FOO=1 on its own). */
  assignments: RawAssignment[];
  /** One entry per pipeline: for each element, the [first, end) range of command indices. */
  pipes: Array<Array<[number, number]>>;
}

const MAX_TREE_DEPTH = 400;
/** Statements that take a redirection's words onto one simple command. */
const ATTACHABLE = new Set(['command', 'list', 'pipeline', 'negated_command', 'test_command', 'declaration_command', 'unset_command']);
/** Builtins the grammar parses as declarations (their NAME=value arguments assign). */
const DECLARATIONS = new Set(['export', 'declare', 'local', 'readonly', 'typeset', 'unset']);
const REDIRECTS = new Set(['file_redirect', 'herestring_redirect', 'heredoc_redirect']);
/** Leaves whose text is literal data, never parsed for expansions. */
const OPAQUE = new Set(['raw_string', 'ansi_c_string', 'comment', 'heredoc_start', 'heredoc_end']);
/** Anonymous tokens that are plain words inside `[ ... ]`. */
const TEST_WORDS = new Set(['=', '==', '!=', '!', '=~']);

/** True when text holds an unescaped command-running expansion the grammar left unparsed. */
function hidesExpansion(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') return i;
    if (c === '$') {
      const n = text[i + 1];
      if (n === '(' || n === '{' || n === '[') return i;
    }
  }
  return -1;
}

function unescapedOperator(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') i++;
    else if (c === ';' || c === '&' || c === '|' || c === '<' || c === '>' || c === '(' || c === ')' || c === '\n') return i;
  }
  return -1;
}

/** Index of the first unescaped parameter expansion (`$x`, `$1`, `$?`, ...) in a heredoc text, or -1. */
function parameterAt(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$' && /[A-Za-z0-9_@*#?$!-]/.test(text[i + 1] ?? '')) return i;
  }
  return -1;
}

/**
 * Where a heredoc body really starts: the grammar starts it after any leading blank lines and
 * indentation, which are part of the text bash feeds. That is just after the first newline of
 * the whitespace run before the grammar's start (the one ending the command's line, or the line
 * of the heredoc before).
 */
function bodyStart(src: string, at: number): number {
  let i = at;
  while (i > 0 && (src[i - 1] === ' ' || src[i - 1] === '\t' || src[i - 1] === '\n')) i--;
  const nl = src.indexOf('\n', i);
  return nl >= 0 && nl < at ? nl + 1 : at;
}

/** Whether an odd run of unescaped `$` ends at `at`, so that the last of them pairs with `at`'s. */
function oddDollarsBefore(src: string, at: number): boolean {
  let i = at;
  while (i > 0 && src[i - 1] === '$') i--;
  let run = at - i;
  if (run > 0 && src[i - 1] === '\\') run--;
  return run % 2 === 1;
}

function fdOf(node: Node | null): number | null {
  if (!node) return null;
  const t = node.text;
  if (/^\{\w+\}$/.test(t)) throw new ShellError('unsupported_syntax', `named file descriptors (${t}) are not supported`, node.startIndex);
  // bash takes only digits as a descriptor: `-1>f` is the word -1 and a redirection
  if (!/^\d+$/.test(t)) throw new ShellError('grammar_gap', `file descriptor ${JSON.stringify(t)} is not a number`, node.startIndex);
  return Number(t);
}

export class Walker {
  readonly out: WalkOutput = { commands: [], redirections: [], assignments: [], pipes: [] };
  private depth = 0;
  constructor(private readonly src: string) {}

  visit(node: Node, ctx: ShellContext[], attach: Node[] = []): void {
    if (++this.depth > MAX_TREE_DEPTH) throw new ShellError('too_deep', 'syntax tree nested too deeply', node.startIndex);
    try {
      this.dispatch(node, ctx, attach);
    } finally {
      this.depth--;
    }
  }

  private children(node: Node, ctx: ShellContext[]): void {
    for (let i = 0; i < node.childCount; i++) this.visit(node.child(i)!, ctx);
  }

  private dispatch(node: Node, ctx: ShellContext[], attach: Node[]): void {
    const t = node.type;
    if (node.isError || node.isMissing) throw new ShellError('syntax_error', 'bash would reject this line', node.startIndex);
    if (attach.length > 0 && !ATTACHABLE.has(t)) {
      // Redirections that reach something that cannot own them (a loop, a subshell, a bare
      // assignment in `! X=1 > f a`) are recorded unattached, and any word they swallowed is
      // refused there. Every caller passing redirections down relies on this.
      this.dispatch(node, ctx, []);
      this.redirections(attach, ctx, null);
      return;
    }
    switch (t) {
      case 'command':
        return this.command(node, ctx, attach);
      case 'redirected_statement':
        return this.redirected(node, ctx);
      case 'pipeline':
        return this.pipeline(node, ctx, attach);
      case 'list':
        // `a && b > f`: the redirection belongs to the last command, whatever the tree says
        return this.lastGetsAttach(node, ctx, attach);
      case 'negated_command':
        for (let i = 0; i < node.childCount; i++) {
          const c = node.child(i)!;
          this.visit(c, ctx, c.isNamed ? attach : []);
        }
        return;
      case 'declaration_command':
      case 'unset_command':
        return this.declaration(node, ctx, attach);
      case 'test_command':
        return this.test(node, ctx, attach);
      case 'variable_assignment':
        this.out.assignments.push(this.assignment(node, 'statement'));
        return this.children(node, ctx);
      case 'command_substitution': {
        // The opening token can carry blanks before it (`" \`r\`"`): where it really starts.
        const open = node.child(0);
        const backticks = open?.type === '`';
        const at = open && !open.isNamed ? open.endIndex - open.type.length : node.startIndex;
        // `${X:-$(( a ))}`: the grammar can read an arithmetic expansion as a subshell
        if (this.src.startsWith('$((', at) && node.namedChild(0)?.type === 'subshell') {
          throw new ShellError('grammar_gap', 'arithmetic expansion read as a command substitution', at);
        }
        // `$$(id)` in a heredoc is the shell's pid and the text (id): the `$` before is taken first
        if (!backticks && oddDollarsBefore(this.src, at)) throw new ShellError('grammar_gap', '`$$` read as the start of a command substitution', at);
        return this.children(node, [...ctx, backticks ? 'backticks' : 'command_substitution']);
      }
      case 'process_substitution':
        return this.children(node, [...ctx, 'process_substitution']);
      case 'subshell':
        return this.children(node, [...ctx, 'subshell']);
      case 'compound_statement':
        return this.children(node, [...ctx, node.child(0)?.type === '((' ? 'arithmetic' : 'group']);
      case 'arithmetic_expansion':
        return this.children(node, [...ctx, 'arithmetic']);
      case 'function_definition': {
        const body = node.childForFieldName('body');
        if (!body) throw new ShellError('grammar_gap', 'function without a body', node.startIndex);
        const inner: ShellContext[] = [...ctx, 'function'];
        return body.type === 'compound_statement' ? this.children(body, inner) : this.visit(body, inner);
      }
      case 'if_statement':
        return this.children(node, [...ctx, 'if']);
      case 'while_statement':
      case 'for_statement':
      case 'c_style_for_statement':
        return this.children(node, [...ctx, 'loop']);
      case 'case_statement':
        return this.children(node, [...ctx, 'case']);
      case 'file_redirect':
      case 'herestring_redirect':
      case 'heredoc_redirect':
        // a redirection with no simple command (e.g. on a loop): recorded, not attached
        this.redirections([node], ctx, null);
        return;
      default:
        if (node.childCount === 0) {
          if (node.isNamed && !OPAQUE.has(t)) {
            const text = node.text;
            const at = hidesExpansion(text);
            if (at >= 0) throw new ShellError('grammar_gap', `unparsed expansion in ${t}`, node.startIndex + at);
            // an operator inside a word means the grammar merged what bash splits
            const op = t === 'word' ? unescapedOperator(text) : -1;
            if (op >= 0) throw new ShellError('grammar_gap', 'an operator inside a word', node.startIndex + op);
          }
          return;
        }
        return this.children(node, ctx);
    }
  }

  private lastGetsAttach(node: Node, ctx: ShellContext[], attach: Node[]): void {
    let last = -1;
    for (let i = 0; i < node.childCount; i++) if (node.child(i)!.isNamed) last = i;
    for (let i = 0; i < node.childCount; i++) this.visit(node.child(i)!, ctx, i === last ? attach : []);
  }

  private assignment(node: Node, kind: AssignmentKind): RawAssignment {
    const nameNode = node.childForFieldName('name');
    const value = node.childForFieldName('value');
    if (!nameNode) throw new ShellError('grammar_gap', 'assignment without a name', node.startIndex);
    const op = this.src.slice(nameNode.endIndex, value ? value.startIndex : node.endIndex);
    if (op !== '=' && op !== '+=') throw new ShellError('grammar_gap', 'unexpected assignment shape', nameNode.endIndex);
    const name = nameNode.text; // subscripts (a[i]) kept as written
    // `2X=1` is a command word to bash, not an assignment
    if (!/^[A-Za-z_][A-Za-z0-9_]*(?:\[|$)/.test(name)) throw new ShellError('grammar_gap', `${JSON.stringify(name)} is not a variable name`, nameNode.startIndex);
    let v: ShellWord = '';
    if (value) v = value.type === 'array' ? { unknown: true, text: value.text } : decodeWord(value, this.src, 'assign');
    if (op === '+=') v = { unknown: true, text: this.src.slice(node.startIndex, node.endIndex) };
    return { name, value: v, kind };
  }

  /** Visits what an assignment's value can run, without recording it as a statement. */
  private assignmentValue(node: Node, ctx: ShellContext[]): void {
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (c.type === 'subscript' || node.fieldNameForChild(i) === 'value') this.visit(c, ctx);
    }
  }

  private command(node: Node, ctx: ShellContext[], attach: Node[]): void {
    const assignments: RawAssignment[] = [];
    const words: Node[] = [];
    const redirs: Node[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (c.type === 'variable_assignment') assignments.push(this.assignment(c, 'prefix'));
      else if (REDIRECTS.has(c.type)) redirs.push(c);
      else if (c.type === 'command_name') {
        // `_=x rm`: bash assigns `_` and runs rm; the grammar takes `_=x` for the program
        if (/^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(c.text)) throw new ShellError('grammar_gap', 'an assignment read as the command name', c.startIndex);
        // `! export X=1`: a declaration read as a plain command would hide its assignments
        if (DECLARATIONS.has(c.text)) throw new ShellError('grammar_gap', `${c.text} read as a plain command`, c.startIndex);
        words.push(c);
      }
      else if (c.type === 'comment') continue;
      else if (c.type === '$') throw dollarError(this.src, c.startIndex);
      else if (!c.isNamed) throw new ShellError('unsupported_syntax', `unexpected ${JSON.stringify(c.type)} in a command`, c.startIndex);
      else words.push(c);
    }
    const all = [...redirs, ...attach].sort((a, b) => a.startIndex - b.startIndex);
    // `a 0>&1`: the grammar reads the digits as an argument; bash reads them as the descriptor
    const glued = new Map<number, number>();
    for (const r of all) {
      const k = words.findIndex((w) => w.endIndex === r.startIndex && /^\d+$/.test(w.text));
      if (k < 0 || k === 0 || r.childForFieldName('descriptor')) continue;
      glued.set(r.startIndex, Number(words[k]!.text));
      words.splice(k, 1);
    }
    const cmd: RawCommand = { argv: [], contexts: ctx, assignments, redirections: [], start: node.startIndex, end: node.endIndex };
    this.out.commands.push(cmd);
    const extra = this.redirections(all, ctx, cmd, glued);
    words.push(...extra);
    words.sort((a, b) => a.startIndex - b.startIndex);
    // The grammar sometimes splits one word into adjacent nodes ($'\n'\x): bash joins them.
    const groups: Node[][] = [];
    for (const w of words) {
      const last = groups[groups.length - 1];
      if (last && last[last.length - 1]!.endIndex === w.startIndex) last.push(w);
      else groups.push([w]);
    }
    cmd.argv = groups.map((g) => decodeWord(g, this.src));
    if (words.length > 0) cmd.end = Math.max(cmd.end, words[words.length - 1]!.endIndex);
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (c.type === 'variable_assignment') this.assignmentValue(c, ctx);
      else if (!REDIRECTS.has(c.type)) this.visit(c, ctx);
    }
    for (const w of extra) this.visit(w, ctx);
  }

  /**
   * Records redirections in source order. The grammar gives a redirection every word that
   * follows it (`rm > f -rf /` has destinations f, -rf, /); bash takes one. The extra words
   * are arguments, except digits glued to the next operator, which are its descriptor.
   * Returns the extra argument nodes.
   */
  private redirections(nodes: Node[], ctx: ShellContext[], cmd: RawCommand | null, glued?: Map<number, number>): Node[] {
    const flat: Node[] = [];
    const statements: Node[] = [];
    for (const n of nodes) {
      flat.push(n);
      if (n.type === 'heredoc_redirect') {
        for (let i = 0; i < n.childCount; i++) {
          const c = n.child(i)!;
          if (REDIRECTS.has(c.type)) flat.push(c);
          else if (c.isNamed && c.type !== 'heredoc_start' && c.type !== 'heredoc_body' && c.type !== 'heredoc_end') statements.push(c);
        }
      }
    }
    const extra: Node[] = [];
    let carriedFd: number | null = null;
    for (let k = 0; k < flat.length; k++) {
      const n = flat[k]!;
      const next = flat[k + 1];
      const fdIn = carriedFd ?? glued?.get(n.startIndex) ?? null;
      carriedFd = null;
      if (n.type === 'file_redirect') {
        const dests = n.childrenForFieldName('destination');
        const descriptor = n.childForFieldName('descriptor');
        let op = '';
        for (let i = 0; i < n.childCount; i++) {
          const c = n.child(i)!;
          if (!c.isNamed) {
            op = c.type;
            break;
          }
        }
        if (descriptor && fdIn !== null) throw new ShellError('grammar_gap', 'two descriptors for one redirection', n.startIndex);
        const fd = descriptor ? fdOf(descriptor) : fdIn;
        // `>&-` takes no word: every word the grammar gave it is an argument
        const closes = op === '>&-' || op === '<&-';
        const first = closes ? null : (dests[0] ?? null);
        for (let i = closes ? 0 : 1; i < dests.length; i++) {
          const d = dests[i]!;
          const glued = i === dests.length - 1 && next && next.type === 'file_redirect' && d.endIndex === next.startIndex && /^\d+$/.test(d.text);
          if (glued) carriedFd = Number(d.text);
          else extra.push(d);
        }
        this.pushRedirect(this.fileRedirect(op, fd, first, n), cmd);
        if (first) this.visit(first, ctx);
      } else if (n.type === 'herestring_redirect') {
        const parts: Node[] = [];
        for (let i = 0; i < n.childCount; i++) if (n.child(i)!.isNamed) parts.push(n.child(i)!);
        if (parts.length !== 1) throw new ShellError('grammar_gap', 'here-string with several words', n.startIndex);
        const descriptor = n.childForFieldName('descriptor');
        this.pushRedirect({ op: '<<<', dir: 'herestring', fd: descriptor ? fdOf(descriptor) : fdIn, target: decodeWord(parts[0]!, this.src) }, cmd);
        this.visit(parts[0]!, ctx);
      } else if (n.type === 'heredoc_redirect') {
        this.heredoc(n, ctx, cmd, fdIn);
      }
    }
    for (const s of statements) this.visit(s, ctx);
    if (extra.length > 0 && !cmd) throw new ShellError('grammar_gap', 'words after a redirection with no command to own them', extra[0]!.startIndex);
    return extra;
  }

  private pushRedirect(r: ShellRedirection, cmd: RawCommand | null): void {
    this.out.redirections.push(r);
    if (cmd) cmd.redirections.push(r);
  }

  private fileRedirect(op: string, fd: number | null, dest: Node | null, n: Node): ShellRedirection {
    if (op === '>&-' || op === '<&-') return { op, dir: 'close', fd, target: '-' };
    if (!dest) throw new ShellError('grammar_gap', 'redirection without a target', n.startIndex);
    const target = decodeWord(dest, this.src);
    switch (op) {
      case '>':
      case '>>':
      case '>|':
      case '&>':
      case '&>>':
        return { op, dir: 'w', fd, target };
      case '<':
        return { op, dir: 'r', fd, target };
      case '<>':
        return { op, dir: 'rw', fd, target };
      case '>&':
      case '<&':
        if (typeof target === 'string' && /^\d+-?$/.test(target)) return { op, dir: 'dup', fd, target };
        if (target === '-') return { op, dir: 'close', fd, target };
        // `>&word` writes stdout and stderr to the file word; unknown words are treated as files
        return { op, dir: op === '>&' ? 'w' : 'r', fd, target };
      default:
        throw new ShellError('unsupported_syntax', `redirection operator ${JSON.stringify(op)}`, n.startIndex);
    }
  }

  private heredoc(n: Node, ctx: ShellContext[], cmd: RawCommand | null, fd: number | null): void {
    let op = '<<';
    let start: Node | null = null;
    let body: Node | null = null;
    for (let i = 0; i < n.childCount; i++) {
      const c = n.child(i)!;
      if (!c.isNamed && (c.type === '<<' || c.type === '<<-')) op = c.type;
      else if (c.type === 'heredoc_start') start = c;
      else if (c.type === 'heredoc_body') body = c;
      else if (c.type === 'heredoc_end') {
        // bash ends a heredoc only at a line that is exactly the delimiter (after tabs, for
        // <<-); the grammar also ends it at a line that starts or ends with it (`EOF2>$(x)`,
        // `$(id)EOF`)
        const after = this.src[c.endIndex];
        let before = c.startIndex;
        if (op === '<<-') while (before > 0 && this.src[before - 1] === '\t') before--;
        if ((after !== undefined && after !== '\n') || (before > 0 && this.src[before - 1] !== '\n')) {
          throw new ShellError('grammar_gap', 'heredoc ended by a line that is not just its delimiter', c.startIndex);
        }
      }
    }
    if (!start) throw new ShellError('grammar_gap', 'heredoc without a delimiter', n.startIndex);
    const expanded = !/['"\\]/.test(start.text);
    const descriptor = n.childForFieldName('descriptor');
    const text = body ? this.heredocText(body, expanded, op === '<<-') : '';
    this.pushRedirect({ op, dir: 'heredoc', fd: descriptor ? fdOf(descriptor) : fd, target: text, expanded }, cmd);
    if (!body || !expanded) return;
    const inner: ShellContext[] = [...ctx, 'heredoc'];
    if (body.namedChildCount === 0) {
      const at = hidesExpansion(body.text);
      if (at >= 0) throw new ShellError('grammar_gap', 'unparsed expansion in a heredoc body', body.startIndex + at);
      return;
    }
    for (let i = 0; i < body.childCount; i++) {
      const c = body.child(i)!;
      if (c.type === 'heredoc_content') {
        const at = hidesExpansion(c.text);
        if (at >= 0) throw new ShellError('grammar_gap', 'unparsed expansion in a heredoc body', c.startIndex + at);
      } else {
        this.visit(c, inner);
      }
    }
  }

  /** The heredoc's content as the command reads it; unknown when it holds expansions. */
  private heredocText(body: Node, expanded: boolean, stripTabs: boolean): ShellWord {
    let raw = this.src.slice(bodyStart(this.src, body.startIndex), body.endIndex);
    raw = raw.slice(0, raw.lastIndexOf('\n') + 1); // the rest is the indentation of the delimiter line
    if (stripTabs) raw = raw.replace(/^\t+/gm, '');
    if (!expanded) return raw;
    for (let i = 0; i < body.namedChildCount; i++) {
      if (body.namedChild(i)!.type !== 'heredoc_content') return { unknown: true, text: raw };
    }
    // a body whose first line is indented comes back as text, its `$x` unparsed
    if (parameterAt(raw) >= 0) return { unknown: true, text: raw };
    return raw.replace(/\\([$`\\\n])/g, (_, c: string) => (c === '\n' ? '' : c));
  }

  /** A redirected statement's body and the redirections that follow it. */
  private splitRedirected(node: Node): { body: Node | null; redirs: Node[] } {
    const body = node.childForFieldName('body');
    const redirs: Node[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (body && c.id === body.id) continue;
      if (REDIRECTS.has(c.type)) redirs.push(c);
      else if (c.isNamed && c.type !== 'comment') throw new ShellError('grammar_gap', `unexpected ${c.type} after a redirection`, c.startIndex);
    }
    return { body, redirs };
  }

  private redirected(node: Node, ctx: ShellContext[]): void {
    const { body, redirs } = this.splitRedirected(node);
    if (body) this.visit(body, ctx, redirs);
    else this.redirections(redirs, ctx, null);
  }

  private pipeline(node: Node, ctx: ShellContext[], attach: Node[]): void {
    const ranges: Array<[number, number]> = [];
    for (const { el, redirs } of this.pipelineElements(node, attach)) {
      const from = this.out.commands.length;
      this.visit(el, ctx, redirs);
      ranges.push([from, this.out.commands.length]);
    }
    this.out.pipes.push(ranges);
  }

  /**
   * A pipeline's elements with the redirections each one owns. `a | b > f | c` is one pipeline
   * to bash; the grammar nests `a | b` in a redirected statement, which is opened up here.
   */
  private pipelineElements(node: Node, attach: Node[]): Array<{ el: Node; redirs: Node[] }> {
    const out: Array<{ el: Node; redirs: Node[] }> = [];
    let last = -1;
    for (let i = 0; i < node.childCount; i++) if (node.child(i)!.isNamed) last = i;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (!c.isNamed) {
        if (c.type !== '|' && c.type !== '|&') throw new ShellError('unsupported_syntax', `unexpected ${JSON.stringify(c.type)} in a pipeline`, c.startIndex);
        continue;
      }
      const outer = i === last ? attach : [];
      const split = c.type === 'redirected_statement' ? this.splitRedirected(c) : null;
      // `a && b > f | c` is `a && (b > f | c)` to bash: a list is never one element of a pipeline
      if (c.type === 'list' || split?.body?.type === 'list') throw new ShellError('grammar_gap', 'a list read as one element of a pipeline', c.startIndex);
      if (split?.body?.type === 'pipeline') {
        const redirs = [...split.redirs, ...outer].sort((a, b) => a.startIndex - b.startIndex);
        out.push(...this.pipelineElements(split.body, redirs));
      } else {
        out.push({ el: c, redirs: outer });
      }
    }
    return out;
  }

  /** export/declare/local/readonly/typeset/unset: a builtin whose arguments may assign. */
  private declaration(node: Node, ctx: ShellContext[], attach: Node[]): void {
    const argv: ShellWord[] = [];
    const assignments: RawAssignment[] = [];
    const redirs: Node[] = [];
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (i === 0) {
        if (c.isNamed) throw new ShellError('grammar_gap', 'declaration without a keyword', c.startIndex);
        argv.push(c.type);
        continue;
      }
      if (c.type === 'variable_assignment') {
        const a = this.assignment(c, 'declaration');
        assignments.push(a);
        argv.push(typeof a.value === 'string' ? `${a.name}=${a.value}` : { unknown: true, text: c.text });
      } else if (c.type === 'variable_name') {
        argv.push(c.text);
      } else if (REDIRECTS.has(c.type)) {
        redirs.push(c);
      } else if (c.type === 'comment') {
        continue;
      } else if (!c.isNamed) {
        throw new ShellError('unsupported_syntax', `unexpected ${JSON.stringify(c.type)} in ${argv[0] as string}`, c.startIndex);
      } else if (i > 1 && node.child(i - 1)!.endIndex === c.startIndex) {
        throw new ShellError('grammar_gap', 'a word split in two by the grammar', c.startIndex);
      } else {
        argv.push(decodeWord(c, this.src));
      }
    }
    const cmd: RawCommand = { argv, contexts: ctx, assignments, redirections: [], start: node.startIndex, end: node.endIndex };
    this.out.commands.push(cmd);
    const extra = this.redirections([...redirs, ...attach].sort((a, b) => a.startIndex - b.startIndex), ctx, cmd);
    if (extra.length > 0) throw new ShellError('grammar_gap', `words after a redirection of ${argv[0] as string}`, extra[0]!.startIndex);
    for (let i = 1; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (c.type === 'variable_assignment') this.assignmentValue(c, ctx);
      else if (!REDIRECTS.has(c.type)) this.visit(c, ctx);
    }
  }

  /** `[ ... ]` is an ordinary command; `[[ ... ]]` is syntax whose words may still run commands. */
  private test(node: Node, ctx: ShellContext[], attach: Node[]): void {
    const open = node.child(0);
    if (open?.type === '[[') {
      if (attach.length > 0) this.redirections(attach, ctx, null);
      return this.children(node, [...ctx, 'test']);
    }
    if (open?.type !== '[') throw new ShellError('grammar_gap', 'unexpected test command', node.startIndex);
    const leaves: Node[] = [];
    this.flattenTest(node, leaves, true);
    for (let i = 1; i < leaves.length; i++) {
      if (leaves[i - 1]!.endIndex >= leaves[i]!.startIndex) {
        throw new ShellError('grammar_gap', 'adjacent words inside [ ] would be one word', leaves[i]!.startIndex);
      }
    }
    const argv = leaves.map((l) => (l.isNamed ? decodeWord(l, this.src) : l.type));
    const cmd: RawCommand = { argv, contexts: ctx, assignments: [], redirections: [], start: node.startIndex, end: node.endIndex };
    this.out.commands.push(cmd);
    const extra = this.redirections(attach, ctx, cmd);
    if (extra.length > 0) throw new ShellError('grammar_gap', 'words after a redirection of [', extra[0]!.startIndex);
    for (const l of leaves) if (l.isNamed) this.visit(l, ctx);
  }

  private flattenTest(node: Node, out: Node[], top: boolean): void {
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (!c.isNamed) {
        if (top && (c.type === '[' || c.type === ']') && (i === 0 || i === node.childCount - 1)) {
          out.push(c);
          continue;
        }
        if (!TEST_WORDS.has(c.type)) throw new ShellError('grammar_gap', `${JSON.stringify(c.type)} inside [ ] is not what bash sees`, c.startIndex);
        out.push(c);
      } else if (/_expression$/.test(c.type) && c.type !== 'arithmetic_expansion') {
        if (c.type === 'parenthesized_expression') throw new ShellError('grammar_gap', 'parentheses inside [ ]', c.startIndex);
        this.flattenTest(c, out, false);
      } else if (c.type === 'comment') {
        continue;
      } else {
        out.push(c);
      }
    }
  }
}
