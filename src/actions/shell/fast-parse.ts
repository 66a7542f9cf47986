// Recursive-descent parser for the bash subset the fast path models exactly. It builds a small
// tree (statements, words with their nested command lists) and throws REFUSE on anything it is
// not sure the grammar path reads the same way; parseFast turns that into null.
import { decodeAnsiC } from './ansi-c.ts';
import type { ShellContext, ShellRedirection, ShellWord } from './types.ts';

/** A command list nested in a word: `$( )`, backticks, `<( )`, or arithmetic holding more. */
export interface Nest {
  ctx: ShellContext;
  list?: Stmt[];
  nests?: Nest[];
}
export interface Redir {
  r: ShellRedirection;
  /** What the target word runs (visited in the command's context). */
  nests: Nest[];
  /** What an unquoted heredoc body runs (visited under `heredoc`). */
  body?: Nest[];
}
interface Assign {
  name: string;
  value: ShellWord;
  nests: Nest[];
}
export type Stmt =
  | { t: 'simple'; argv: ShellWord[]; assigns: Assign[]; decl: boolean; redirs: Redir[]; nests: Nest[]; start: number; end: number }
  | { t: 'assign'; assigns: Assign[] }
  | { t: 'pipe'; elems: Stmt[] }
  | { t: 'compound'; ctx: ShellContext | null; parts: Array<{ nests?: Nest[]; list?: Stmt[] }>; redirs: Redir[] };

interface Word {
  /** Value after quote removal; null when bash expands it at run time. */
  value: string | null;
  start: number;
  end: number;
  nests: Nest[];
}

/** Bounds past which the grammar path decides (it has its own depth guard). */
export const FAST_LIMITS = { nesting: 16, statements: 80 } as const;

const REFUSE = Symbol('refuse');
function refuse(): never {
  throw REFUSE;
}

/** Unquoted characters that are always part of a word and never special (by char code). */
const PLAIN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./=:,@%+^') PLAIN[c.charCodeAt(0)] = 1;
/** Characters that end an unquoted word. */
const DELIM = new Uint8Array(128);
for (const c of ' \t\n;&|()<>') DELIM[c.charCodeAt(0)] = 1;
const isPlain = (k: number): boolean => k < 128 && PLAIN[k] === 1;
const isName = (k: number): boolean => (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || (k >= 48 && k <= 57) || k === 95;
const isNameStart = (k: number): boolean => (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || k === 95;

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc', '{', '}', '!', '[[', ']]']);
const DECLARATIONS = new Set(['export', 'declare', 'local', 'readonly', 'typeset']);
/** Command names the grammar reads as syntax of their own: left to it. */
const KEYWORD_PREFIX = /^(?:export|declare|local|readonly|typeset|unset)/;
const OTHER_SYNTAX = new Set(['unset', '[', '[[', 'time', 'coproc', 'select', 'function']);
/** Special parameters after `$`. */
const SPECIAL = new Set(['?', '@', '#', '$', '!', '*', '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
const EXPANSION_OPS = [':-', ':=', ':+', ':?', '-', '=', '+', '?', '%%', '%', '##', '#'];
const TEST_BINARY = new Set(['=', '==', '!=', '-eq', '-ne', '-lt', '-le', '-gt', '-ge', '-nt', '-ot', '-ef']);
const ARITH = /^[A-Za-z0-9_ \t+\-*/%<>=!&|^~,]$/;

type Stop = string; // a reserved word, ')' or '`'

class Parser {
  i = 0;
  private depth = 0;
  private statements = 0;
  private complex = false;
  /** Inside backticks a backtick ends the list; backslashes there are left to the grammar. */
  private backtick = false;
  /** Only top-level simple commands may carry a heredoc. */
  private compoundDepth = 0;
  private pending: { r: ShellRedirection; delim: string; strip: boolean; expanded: boolean; redir: Redir } | null = null;

  constructor(private readonly s: string) {}

  private blanks(): void {
    const s = this.s;
    while (this.i < s.length && (s[this.i] === ' ' || s[this.i] === '\t')) this.i++;
  }

  private enter(): void {
    if (++this.depth > FAST_LIMITS.nesting) refuse();
    this.complex = true;
  }

  /** A reserved word at i (unquoted, followed by a delimiter), or null. */
  private reservedAt(): string | null {
    const s = this.s;
    let j = this.i;
    if (s[j] === '{' || s[j] === '}' || s[j] === '!') j++;
    else if (s.startsWith('[[', j) || s.startsWith(']]', j)) j += 2;
    else while (j < s.length && isName(s.charCodeAt(j))) j++;
    if (j === this.i) return null;
    const w = s.slice(this.i, j);
    if (!RESERVED.has(w)) return null;
    if (j < s.length) {
      const k = s.charCodeAt(j);
      if (k >= 128 || DELIM[k] !== 1) return null;
    }
    return w;
  }

  private atStop(stops: readonly Stop[]): boolean {
    const c = this.s[this.i];
    if (c === ')' && stops.includes(')')) return true;
    if (c === '`' && stops.includes('`')) return true;
    const w = this.reservedAt();
    return w !== null && stops.includes(w);
  }

  /** Skips blanks, newlines and comments between statements. */
  private gap(allowComments: boolean): void {
    const s = this.s;
    for (;;) {
      this.blanks();
      if (s[this.i] === '\n') {
        this.i++;
        continue;
      }
      if (s[this.i] === '#') {
        if (!allowComments) refuse();
        const nl = s.indexOf('\n', this.i);
        this.i = nl < 0 ? s.length : nl;
        continue;
      }
      return;
    }
  }

  /** Statements up to one of `stops` (or the end of input at top level). */
  list(stops: readonly Stop[], top = false): Stmt[] {
    const s = this.s;
    const out: Stmt[] = [];
    const comments = top;
    for (;;) {
      this.gap(comments || top);
      if (this.i >= s.length) {
        if (!top) refuse();
        return out;
      }
      if (this.atStop(stops)) return out;
      for (;;) {
        out.push(this.pipeline());
        if (++this.statements > FAST_LIMITS.statements && this.complex) refuse();
        this.blanks();
        const c = s[this.i];
        if ((c === '&' && s[this.i + 1] === '&') || (c === '|' && s[this.i + 1] === '|')) {
          this.i += 2;
          this.blanks();
          const d = s[this.i];
          if (d === undefined || d === '\n' || d === '#' || this.atStop(stops)) refuse();
          continue;
        }
        break;
      }
      const c = s[this.i];
      if (c === undefined) continue;
      if (c === ';') {
        if (s[this.i + 1] === ';') {
          if (stops.includes(';;')) return out;
          refuse();
        }
        if (s[this.i + 1] === '&') refuse();
        this.i++;
      } else if (c === '&') {
        this.i++;
        this.blanks();
        if (s[this.i] === ';' || s[this.i] === '&' || s[this.i] === '|') refuse();
      } else if (c === '\n') {
        this.i++;
      } else if (c === '#') {
        if (!(comments || top)) refuse();
      } else if (this.atStop(stops)) {
        // `)` and a backtick end a list without a separator
        if (c !== ')' && c !== '`') refuse();
        return out;
      } else {
        refuse();
      }
      this.blanks();
      if (s[this.i] === ';' || s[this.i] === '&' || s[this.i] === '|') refuse(); // `a; ;`
    }
  }

  private pipeline(): Stmt {
    const s = this.s;
    let bang = false;
    if (this.reservedAt() === '!') {
      this.i++;
      this.blanks();
      bang = true;
      if (this.reservedAt() === '!') refuse();
    }
    const elems: Stmt[] = [];
    for (;;) {
      elems.push(this.command());
      this.blanks();
      if (s[this.i] === '|' && s[this.i + 1] !== '|') {
        this.i += s[this.i + 1] === '&' ? 2 : 1;
        this.blanks();
        const d = s[this.i];
        if (d === undefined || d === '\n' || d === '#' || d === ';' || d === '&' || d === '|' || d === ')') refuse();
        continue;
      }
      break;
    }
    if (bang && elems.length === 1 && elems[0]!.t !== 'simple') refuse();
    return elems.length === 1 ? elems[0]! : { t: 'pipe', elems };
  }

  private expectWord(w: string): void {
    if (this.reservedAt() !== w) refuse();
    this.i += w.length;
  }

  private compound(ctx: ShellContext | null, parts: Array<{ nests?: Nest[]; list?: Stmt[] }>, redirects = true): Stmt {
    this.depth--;
    this.compoundDepth--;
    const redirs: Redir[] = [];
    if (redirects) {
      for (;;) {
        this.blanks();
        const r = this.redirection();
        if (!r) break;
        if (r.body || this.pending) refuse();
        redirs.push(r);
      }
    }
    this.afterCommand();
    return { t: 'compound', ctx, parts, redirs };
  }

  /** After a command: only a separator, a closer or the end may follow. */
  private afterCommand(): void {
    this.blanks();
    const c = this.s[this.i];
    if (c === undefined || c === '\n' || c === ';' || c === '&' || c === '|' || c === ')' || c === '`' || c === '#') return;
    refuse();
  }

  private nonEmpty(list: Stmt[]): Stmt[] {
    if (list.length === 0) refuse();
    return list;
  }

  private command(): Stmt {
    const s = this.s;
    const c = s[this.i];
    if (c === '(') {
      if (s[this.i + 1] === '(') refuse(); // arithmetic command or nested subshell: ambiguous
      this.i++;
      this.enter();
      this.compoundDepth++;
      const list = this.nonEmpty(this.list([')']));
      this.i++;
      return this.compound('subshell', [{ list }]);
    }
    const w = this.reservedAt();
    if (w !== null) {
      this.enter();
      this.compoundDepth++;
      switch (w) {
        case '{': {
          this.i++;
          const list = this.nonEmpty(this.list(['}']));
          this.expectWord('}');
          return this.compound('group', [{ list }]);
        }
        case 'if': {
          this.i += 2;
          const parts: Array<{ list: Stmt[] }> = [];
          parts.push({ list: this.nonEmpty(this.list(['then'])) });
          this.expectWord('then');
          parts.push({ list: this.nonEmpty(this.list(['elif', 'else', 'fi'])) });
          for (;;) {
            const k = this.reservedAt();
            if (k === 'elif') {
              this.i += 4;
              parts.push({ list: this.nonEmpty(this.list(['then'])) });
              this.expectWord('then');
              parts.push({ list: this.nonEmpty(this.list(['elif', 'else', 'fi'])) });
              continue;
            }
            if (k === 'else') {
              this.i += 4;
              parts.push({ list: this.nonEmpty(this.list(['fi'])) });
            }
            break;
          }
          this.expectWord('fi');
          return this.compound('if', parts);
        }
        case 'while':
        case 'until': {
          this.i += w.length;
          const cond = this.nonEmpty(this.list(['do']));
          this.expectWord('do');
          const body = this.nonEmpty(this.list(['done']));
          this.expectWord('done');
          return this.compound('loop', [{ list: cond }, { list: body }]);
        }
        case 'for':
          return this.forLoop();
        case 'case':
          return this.caseStatement();
        case '[[':
          return this.testCommand();
        default:
          refuse(); // then, fi, time, coproc, select, function, ...
      }
    }
    const fn = /[A-Za-z_][A-Za-z0-9_]*[ \t]*\([ \t]*\)/y;
    fn.lastIndex = this.i;
    if (fn.test(s)) return this.functionDef(fn.lastIndex);
    return this.simple();
  }

  private functionDef(after: number): Stmt {
    this.i = after;
    this.enter();
    this.compoundDepth++;
    this.blanks();
    if (this.reservedAt() !== '{') refuse();
    this.i++;
    const list = this.nonEmpty(this.list(['}']));
    this.expectWord('}');
    return this.compound('function', [{ list }], false);
  }

  private forLoop(): Stmt {
    const s = this.s;
    this.i += 3;
    this.blanks();
    const start = this.i;
    if (!isNameStart(s.charCodeAt(this.i))) refuse();
    while (isName(s.charCodeAt(this.i))) this.i++;
    if (this.i < s.length && DELIM[s.charCodeAt(this.i)] !== 1) refuse();
    if (start === this.i) refuse();
    this.blanks();
    const nests: Nest[] = [];
    if (this.reservedAt() === 'in') {
      this.i += 2;
      for (;;) {
        this.blanks();
        const c = s[this.i];
        if (c === ';' || c === '\n') break;
        const w = this.word('arg');
        nests.push(...w.nests);
      }
    }
    if (s[this.i] !== ';' && s[this.i] !== '\n') refuse();
    this.i++;
    this.gap(false);
    this.expectWord('do');
    const body = this.nonEmpty(this.list(['done']));
    this.expectWord('done');
    return this.compound('loop', [{ nests }, { list: body }]);
  }

  private caseStatement(): Stmt {
    const s = this.s;
    this.i += 4;
    this.blanks();
    const subject = this.word('arg');
    this.blanks();
    this.expectWord('in');
    const parts: Array<{ nests?: Nest[]; list?: Stmt[] }> = [{ nests: subject.nests }];
    for (;;) {
      this.gap(false);
      if (this.reservedAt() === 'esac') break;
      if (s[this.i] === '(') this.i++;
      const nests: Nest[] = [];
      for (;;) {
        this.blanks();
        const p = this.word('pattern');
        nests.push(...p.nests);
        this.blanks();
        if (s[this.i] === '|') {
          this.i++;
          continue;
        }
        break;
      }
      if (s[this.i] !== ')') refuse();
      this.i++;
      parts.push({ nests });
      const list = this.list([';;', 'esac']);
      parts.push({ list });
      if (s[this.i] === ';' && s[this.i + 1] === ';') {
        this.i += 2;
        if (s[this.i] === '&' || s[this.i] === ';') refuse();
        continue;
      }
      if (this.reservedAt() === 'esac') break;
      refuse();
    }
    this.i += 4;
    return this.compound('case', parts);
  }

  /** `[[ ... ]]`: only the nested commands of its words matter; the expression is checked. */
  private testCommand(): Stmt {
    const s = this.s;
    this.i += 2;
    const nests: Nest[] = [];
    const operand = (): void => {
      this.blanks();
      if (s.startsWith(']]', this.i) || s.startsWith('&&', this.i) || s.startsWith('||', this.i)) refuse();
      nests.push(...this.word('test').nests);
    };
    const primary = (): void => {
      this.blanks();
      if (s[this.i] === '!' && (s[this.i + 1] === ' ' || s[this.i + 1] === '\t')) {
        this.i++;
        return primary();
      }
      const at = this.i;
      const unary = /-[a-zA-Z][ \t]/y;
      unary.lastIndex = at;
      if (unary.test(s)) {
        this.i += 2;
        return operand();
      }
      operand();
      this.blanks();
      const op = /(==|!=|=|-[a-z]{2})(?=[ \t])/y;
      op.lastIndex = this.i;
      const m = op.exec(s);
      if (m && TEST_BINARY.has(m[1]!)) {
        this.i += m[1]!.length;
        operand();
      }
    };
    for (;;) {
      primary();
      this.blanks();
      if (s.startsWith('&&', this.i) || s.startsWith('||', this.i)) {
        this.i += 2;
        continue;
      }
      break;
    }
    if (!s.startsWith(']]', this.i)) refuse();
    this.i += 2;
    return this.compound('test', [{ nests }], false);
  }

  private redirection(): Redir | null {
    const s = this.s;
    const at = this.i;
    let j = at;
    while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
    const fd = j > at ? Number(s.slice(at, j)) : null;
    if (j - at > 9 || (j - at > 1 && s[at] === '0')) refuse();
    const c = s[j];
    let op: string;
    if (c === '&' && s[j + 1] === '>') {
      if (fd !== null) refuse();
      op = s[j + 2] === '>' ? '&>>' : '&>';
    } else if (c === '>') {
      const n = s[j + 1];
      op = n === '>' ? '>>' : n === '&' ? '>&' : n === '|' ? '>|' : '>';
      if (n === '(') return fd === null ? null : refuse();
    } else if (c === '<') {
      const n = s[j + 1];
      if (n === '(') return fd === null ? null : refuse();
      if (n === '>') refuse();
      op = n === '<' ? (s[j + 2] === '<' ? '<<<' : s[j + 2] === '-' ? '<<-' : '<<') : n === '&' ? '<&' : '<';
    } else {
      return null; // digits that are a word: the caller reads them
    }
    this.i = j + op.length;
    if ((op === '>&' || op === '<&') && s[this.i] === '-') {
      const k = s.charCodeAt(this.i + 1);
      if (this.i + 1 >= s.length || (k < 128 && DELIM[k] === 1)) {
        this.i++;
        return { r: { op: op + '-', dir: 'close', fd, target: '-' }, nests: [] };
      }
      refuse(); // `>&-c`: the grammar reads `>&-` and a word `c`

    }
    const n = s[this.i];
    if (n === '>' || n === '<' || n === '&' || n === '|' || n === '(') refuse();
    if (op === '<<' || op === '<<-') return this.heredocStart(op, fd);
    this.blanks();
    const w = this.word('arg');
    // `<2>f`: digits before a redirection operator are its descriptor, never a target
    if ((s[this.i] === '<' || s[this.i] === '>') && /^\d+$/.test(s.slice(w.start, w.end))) refuse();
    const target: ShellWord = w.value ?? { unknown: true, text: s.slice(w.start, w.end) };
    let r: ShellRedirection;
    if (op === '<<<') r = { op, dir: 'herestring', fd, target };
    else if (op === '>&' || op === '<&') {
      if (typeof target === 'string' && /^\d+-?$/.test(target)) r = { op, dir: 'dup', fd, target };
      else if (target === '-') r = { op, dir: 'close', fd, target };
      else r = { op, dir: op === '>&' ? 'w' : 'r', fd, target };
    } else r = { op, dir: op === '<' ? 'r' : 'w', fd, target };
    return { r, nests: w.nests };
  }

  private heredocStart(op: string, fd: number | null): Redir {
    const s = this.s;
    if (this.depth > 0 || this.compoundDepth > 0 || this.pending) refuse();
    this.blanks();
    const start = this.i;
    let delim = '';
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close < 0) refuse();
        delim += s.slice(this.i + 1, close);
        this.i = close + 1;
      } else if (isPlain(s.charCodeAt(this.i))) {
        delim += c;
        this.i++;
      } else if (c === '"') {
        const close = s.indexOf('"', this.i + 1);
        if (close < 0) refuse();
        const inner = s.slice(this.i + 1, close);
        if (/[$`\\!]/.test(inner)) refuse();
        delim += inner;
        this.i = close + 1;
      } else break;
    }
    if (this.i === start || delim === '' || /\n/.test(delim)) refuse();
    const k = s.charCodeAt(this.i);
    if (this.i < s.length && (k >= 128 || DELIM[k] !== 1)) refuse();
    const expanded = !/['"\\]/.test(s.slice(start, this.i));
    const r: ShellRedirection = { op, dir: 'heredoc', fd, target: '', expanded };
    const redir: Redir = { r, nests: [] };
    this.pending = { r, delim, strip: op === '<<-', expanded, redir };
    return redir;
  }

  /** Reads the pending heredoc's body; i is at the newline ending the command's line. */
  private heredocBody(): void {
    const h = this.pending!;
    this.pending = null;
    const s = this.s;
    if (s[this.i] !== '\n') refuse();
    let pos = this.i + 1;
    const bodyStart = pos;
    let bodyEnd = -1;
    let after = -1;
    while (pos <= s.length) {
      const nl = s.indexOf('\n', pos);
      const lineEnd = nl < 0 ? s.length : nl;
      let line = s.slice(pos, lineEnd);
      if (h.strip) line = line.replace(/^\t+/, '');
      if (line === h.delim) {
        bodyEnd = pos;
        after = lineEnd;
        break;
      }
      if (nl < 0) break;
      pos = nl + 1;
    }
    if (bodyEnd < 0) refuse(); // unterminated: bash warns, the grammar differs
    const first = s[bodyStart];
    if (bodyEnd > bodyStart && (first === ' ' || first === '\t' || first === '\n')) refuse(); // the grammar drops the body's leading whitespace
    let raw = s.slice(bodyStart, bodyEnd);
    if (h.strip) raw = raw.replace(/^\t+/gm, '');
    if (h.expanded) {
      const nests: Nest[] = [];
      const dynamic = this.heredocExpansions(bodyStart, bodyEnd, nests);
      h.r.target = dynamic ? { unknown: true, text: raw } : raw.replace(/\\([$`\\])/g, '$1');
      h.redir.body = nests;
    } else {
      h.r.target = raw;
    }
    this.i = after;
  }

  /** Scans an unquoted heredoc body for expansions; true when it has any. */
  private heredocExpansions(from: number, to: number, nests: Nest[]): boolean {
    const s = this.s;
    let dynamic = false;
    const save = this.i;
    for (let p = from; p < to; p++) {
      const c = s[p];
      if (c === '\\') {
        const n = s[p + 1];
        if (n === '\n' || n === undefined) refuse();
        p++;
        continue;
      }
      if (c === '`') refuse(); // the grammar does not parse backticks in a heredoc body
      if (c !== '$') continue;
      this.i = p;
      const d = this.dollar('heredoc', nests);
      if (d === 0) refuse();
      dynamic = true;
      p = this.i - 1;
      if (this.i > to) refuse();
    }
    this.i = save;
    return dynamic;
  }

  private simple(): Stmt {
    const s = this.s;
    const assigns: Assign[] = [];
    const argv: ShellWord[] = [];
    const redirs: Redir[] = [];
    const nests: Nest[] = [];
    let decl = false;
    let start = -1;
    let end = -1;
    let heredoc = false;
    /** A file redirection after the name: the grammar's command node ends before it. */
    let trailing = false;
    for (;;) {
      this.blanks();
      if (this.i >= s.length) break;
      const c = s[this.i]!;
      if (c === '\n' || c === ';' || c === '|' || c === ')' || c === '#' || (c === '&' && s[this.i + 1] !== '>')) break;
      if (c === '`' && this.backtick) break;
      const at = this.i;
      const r = this.redirection();
      if (r) {
        if (decl) refuse();
        if (r.r.dir === 'heredoc') heredoc = true;
        if (r.r.dir === 'herestring') {
          if (trailing) refuse(); // the grammar rejects a here-string after a file redirection
          end = Math.max(end, this.i); // here-strings stay inside the command node
        } else if (argv.length === 0) {
          end = Math.max(end, this.i);
        } else {
          // `a 0>&1`: the grammar's command node keeps a descriptor 0 (and only 0)
          if (!trailing && s.startsWith('0', at) && r.r.fd === 0) end = Math.max(end, at + 1);
          trailing = true;
        }
        redirs.push(r);
        if (start < 0) start = at;
        continue;
      }
      if (heredoc) refuse(); // words after a heredoc: the grammar nests them oddly
      if (argv.length === 0 && !decl) {
        const a = this.assignment();
        if (a) {
          if (redirs.length > 0) refuse();
          assigns.push(a);
          nests.push(...a.nests);
          if (start < 0) start = at;
          continue;
        }
        const kw = this.reservedAt();
        if (kw !== null) refuse();
      }
      if (decl) {
        const a = this.assignment();
        if (a) {
          assigns.push(a);
          argv.push(typeof a.value === 'string' && !a.append ? `${a.name}=${a.value}` : { unknown: true, text: s.slice(at, this.i) });
          nests.push(...a.nests);
          end = this.i;
          continue;
        }
      }
      const w = this.word('arg');
      const value: ShellWord = w.value ?? { unknown: true, text: s.slice(w.start, w.end) };
      if (argv.length === 0 && KEYWORD_PREFIX.test(s.slice(w.start, w.end)) && !DECLARATIONS.has(s.slice(w.start, w.end))) refuse(); // `export$1`: the grammar splits it
      if (argv.length === 0 && w.value !== null && (DECLARATIONS.has(w.value) || OTHER_SYNTAX.has(w.value))) {
        if (redirs.length > 0 || assigns.length > 0 || OTHER_SYNTAX.has(w.value) || s.slice(w.start, w.end) !== w.value) refuse();
        decl = true;
      }
      argv.push(value);
      nests.push(...w.nests);
      if (start < 0) start = w.start;
      end = Math.max(end, w.end);
    }
    if (argv.length === 0) {
      if (redirs.length > 0 || assigns.length === 0) refuse();
      this.afterCommand();
      return { t: 'assign', assigns };
    }
    if (this.pending) this.heredocBody();
    else this.afterCommand();
    return { t: 'simple', argv, assigns: assigns.map(({ name, value, nests: n }) => ({ name, value, nests: n })), decl, redirs, nests, start, end };
  }

  /** `NAME=value`, `NAME+=value` or `NAME=(...)` at i; null (i unchanged) when it is not one. */
  private assignment(): (Assign & { append?: boolean }) | null {
    const s = this.s;
    const at = this.i;
    if (!isNameStart(s.charCodeAt(at))) return null;
    let j = at + 1;
    while (isName(s.charCodeAt(j))) j++;
    const append = s[j] === '+' && s[j + 1] === '=';
    if (s[j] !== '=' && !append) return null;
    const name = s.slice(at, j);
    this.i = j + (append ? 2 : 1);
    const nests: Nest[] = [];
    let value: ShellWord;
    if (s[this.i] === '(') {
      const vStart = this.i;
      this.i++;
      this.complex = true;
      for (;;) {
        this.blanks();
        if (s[this.i] === ')') break;
        if (this.i >= s.length || s[this.i] === '\n' || s[this.i] === '#') refuse();
        nests.push(...this.word('arg').nests);
      }
      this.i++;
      value = { unknown: true, text: s.slice(vStart, this.i) };
    } else {
      const k = s.charCodeAt(this.i);
      if (this.i >= s.length || (k < 128 && DELIM[k] === 1)) value = '';
      else {
        const w = this.word('assign');
        nests.push(...w.nests);
        value = w.value ?? { unknown: true, text: s.slice(w.start, w.end) };
      }
    }
    const k = s.charCodeAt(this.i);
    if (this.i < s.length && !(k < 128 && DELIM[k] === 1) && !(s[this.i] === '`' && this.backtick)) refuse();
    if ((s[this.i] === '<' || s[this.i] === '>') && s[this.i + 1] === '(') refuse(); // glued process substitution
    if (append) value = { unknown: true, text: s.slice(at, this.i) };
    return append ? { name, value, nests, append } : { name, value, nests };
  }

  /**
   * One word at i. `arg` words undergo globbing and tilde expansion; `assign` values only tilde
   * expansion (at the start and after `:`); `test`/`pattern` words only matter for what they run.
   */
  word(mode: 'arg' | 'assign' | 'test' | 'pattern'): Word {
    const s = this.s;
    const start = this.i;
    let value = '';
    let dynamic = false;
    const nests: Nest[] = [];
    /** The last character taken is an unquoted `:` (a tilde position in an assignment value). */
    let colon = false;
    while (this.i < s.length) {
      const c = s[this.i]!;
      const k = s.charCodeAt(this.i);
      if (isPlain(k)) {
        let j = this.i + 1;
        while (j < s.length && isPlain(s.charCodeAt(j))) j++;
        value += s.slice(this.i, j);
        colon = s[j - 1] === ':';
        this.i = j;
        continue;
      }
      if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close < 0) refuse();
        if (close > this.i + 1) colon = false;
        value += s.slice(this.i + 1, close);
        this.i = close + 1;
      } else if (c === '"') {
        if (this.doubleQuoted(nests)) dynamic = true;
        else {
          if (this.lastString !== '') colon = false;
          value += this.lastString;
        }
      } else if (c === '\\') {
        colon = false;
        // the grammar splits a word at a backslash after a quote or an expansion (`"$x"\$`)
        if (this.i > start && !isPlain(s.charCodeAt(this.i - 1))) refuse();
        const n = s[this.i + 1];
        if (n === undefined || n === '\n' || n === ' ' || n === '\t' || n === '\r' || this.backtick) refuse();
        if (s.charCodeAt(this.i + 1) >= 0xd800 && s.charCodeAt(this.i + 1) <= 0xdfff) refuse();
        value += n;
        this.i += 2;
      } else if (c === '$') {
        if (s[this.i + 1] === "'") {
          const v = this.ansiC();
          if (v !== '') colon = false;
          value += v;
        } else {
          if (this.dollar(mode, nests) === 0) refuse();
          dynamic = true;
        }
      } else if (c === '`') {
        if (this.backtick) break;
        if (this.i !== start) refuse(); // the grammar splits `"a"\`b\`` into two words
        this.backticks(nests);
        dynamic = true;
        const k2 = s.charCodeAt(this.i);
        if (this.i < s.length && (k2 >= 128 || DELIM[k2] !== 1)) refuse();
      } else if (c === '*' || c === '?') {
        if (mode === 'assign') value += c;
        else dynamic = true;
        colon = false;
        this.i++;
      } else if (c === '~') {
        if (value.length === 0 || (mode === 'assign' && colon)) dynamic = true;
        colon = false;
        value += c;
        this.i++;
      } else if (c === '#' && this.i > start) {
        colon = false;
        value += c;
        this.i++;
      } else if ((c === '<' || c === '>') && s[this.i + 1] === '(' && this.i === start && mode === 'arg') {
        this.i += 2;
        this.enter();
        const list = this.list([')']);
        this.depth--;
        this.i++;
        nests.push({ ctx: 'process_substitution', list });
        dynamic = true;
        break;
      } else {
        break;
      }
    }
    if (this.i === start) refuse();
    // `a<(b)`: the grammar glues a process substitution to the word before it
    if ((s[this.i] === '<' || s[this.i] === '>') && s[this.i + 1] === '(') refuse();
    if (this.i < s.length) {
      const k = s.charCodeAt(this.i);
      if (k >= 128 || DELIM[k] !== 1) {
        if (!(s[this.i] === '`' && this.backtick)) refuse();
      }
    }
    return { value: dynamic ? null : value, start, end: this.i, nests };
  }

  private lastString = '';

  /** `"..."` at i; true when it expands (then lastString is meaningless). */
  private doubleQuoted(nests: Nest[]): boolean {
    const s = this.s;
    this.i++;
    let value = '';
    let dynamic = false;
    for (;;) {
      if (this.i >= s.length) refuse();
      const c = s[this.i]!;
      if (c === '"') {
        this.i++;
        break;
      }
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === undefined || n === '\n' || this.backtick) refuse();
        if (n === '$' || n === '`' || n === '"' || n === '\\') {
          value += n;
          this.i += 2;
        } else {
          value += '\\';
          this.i++;
        }
        continue;
      }
      if (c === '$') {
        if (s[this.i + 1] === '"' || s[this.i + 1] === "'") refuse();
        if (this.dollar('quoted', nests) === 0) refuse();
        dynamic = true;
        continue;
      }
      if (c === '`') {
        if (this.backtick) refuse();
        this.backticks(nests);
        dynamic = true;
        continue;
      }
      if (c === '!' || c === '\r') refuse();
      value += c;
      this.i++;
    }
    this.lastString = value;
    return dynamic;
  }

  private ansiC(): string {
    const s = this.s;
    let j = this.i + 2;
    while (j < s.length && s[j] !== "'") j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) refuse();
    const body = s.slice(this.i + 2, j);
    this.i = j + 1;
    return decodeAnsiC(body, 0);
  }

  private backticks(nests: Nest[]): void {
    this.i++;
    this.enter();
    this.backtick = true;
    const list = this.list(['`']);
    this.backtick = false;
    this.depth--;
    if (this.s[this.i] !== '`') refuse();
    this.i++;
    nests.push({ ctx: 'backticks', list });
  }

  /**
   * An expansion starting with `$` at i: `$NAME`, `$?`, `${...}`, `$(...)`, `$((...))`.
   * Returns its length (0 when it is none of these), collecting nested lists.
   */
  private dollar(mode: 'arg' | 'assign' | 'test' | 'pattern' | 'quoted' | 'heredoc' | 'arith', nests: Nest[]): number {
    const s = this.s;
    const at = this.i;
    const n = s[at + 1];
    if (n === undefined) return 0;
    const k = s.charCodeAt(at + 1);
    if (isNameStart(k)) {
      let j = at + 2;
      while (isName(s.charCodeAt(j))) j++;
      if (s[j] === '\\') refuse();
      this.i = j;
      return j - at;
    }
    if (SPECIAL.has(n)) {
      if (mode === 'heredoc' && n !== '?' && n !== '$' && !(n >= '0' && n <= '9')) return 0;
      if (s[at + 2] === '\\') refuse(); // the grammar splits `$?\$` in two words
      this.i = at + 2;
      return 2;
    }
    if (n === '{') return this.braceExpansion(nests);
    if (n === '(') {
      if (this.backtick) refuse();
      if (s[at + 2] === '(') {
        // Inside `[[ ]]` the grammar reads `$((…))` as a substitution of a subshell; leave such
        // lines to it (it over-reports, the safe side) so both paths keep one answer.
        if (mode === 'test') refuse();
        return this.arithmetic(nests);
      }
      this.i = at + 2;
      this.enter();
      const list = this.list([')']);
      this.depth--;
      this.i++;
      nests.push({ ctx: 'command_substitution', list });
      return this.i - at;
    }
    return 0;
  }

  /** `${NAME}`, `${#NAME}` or `${NAME<op>word}`; the word may hold more expansions. */
  private braceExpansion(nests: Nest[]): number {
    const s = this.s;
    const at = this.i;
    let j = at + 2;
    if (s[j] === '#' && isNameStart(s.charCodeAt(j + 1))) j++;
    if (!isNameStart(s.charCodeAt(j))) return 0;
    while (isName(s.charCodeAt(j))) j++;
    if (s[j] === '}') {
      this.i = j + 1;
      return this.i - at;
    }
    if (s[at + 2] === '#') return 0;
    const op = EXPANSION_OPS.find((o) => s.startsWith(o, j));
    if (!op) return 0;
    this.i = j + op.length;
    this.enter();
    // the operand: plain text, quotes and expansions, no blanks
    for (;;) {
      const c = s[this.i];
      if (c === undefined) refuse();
      if (c === '}') break;
      const ck = s.charCodeAt(this.i);
      if (isPlain(ck)) {
        this.i++;
      } else if (c === "'") {
        const close = s.indexOf("'", this.i + 1);
        if (close < 0) refuse();
        this.i = close + 1;
      } else if (c === '"') {
        this.doubleQuoted(nests);
      } else if (c === '$') {
        if (s[this.i + 1] === "'" || this.dollar('arg', nests) === 0) refuse();
      } else {
        refuse();
      }
    }
    this.depth--;
    this.i++;
    return this.i - at;
  }

  /** `$(( ... ))`: names, numbers and operators, with nested expansions. */
  private arithmetic(nests: Nest[]): number {
    const s = this.s;
    const at = this.i;
    this.i = at + 3;
    this.enter();
    const inner: Nest[] = [];
    let parens = 0;
    for (;;) {
      const c = s[this.i];
      if (c === undefined) refuse();
      if (c === ')') {
        if (parens === 0) {
          if (s[this.i + 1] !== ')') refuse();
          this.i += 2;
          break;
        }
        parens--;
        this.i++;
      } else if (c === '(') {
        parens++;
        this.i++;
      } else if (c === '$') {
        if (this.dollar('arith', inner) === 0) refuse();
      } else if (ARITH.test(c)) {
        this.i++;
      } else {
        refuse();
      }
    }
    this.depth--;
    nests.push({ ctx: 'arithmetic', nests: inner });
    return this.i - at;
  }
}

/** Parses a whole line; null when it is outside the subset (the grammar path decides). */
export function parseFast(line: string): Stmt[] | null {
  if (line.includes('\\\n') || line.includes('\r')) return null; // continuations and CRs: the grammar path handles them
  const p = new Parser(line);
  try {
    return p.list([], true);
  } catch (e) {
    if (e === REFUSE) return null;
    if (e instanceof RangeError) return null;
    if (e instanceof Error && e.name === 'ShellError') return null;
    if (e !== null && typeof e === 'object' && 'code' in e) return null;
    throw e;
  }
}

