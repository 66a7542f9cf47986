// Fast path for the plainest lines: literal words, quotes, $NAME and ${NAME}, globs, a leading
// tilde, comments, lists, pipelines and simple file redirections. The bash grammar costs 10–600 µs a line in WebAssembly; most
// agent commands need none of it. Anything outside this strict subset returns null and goes
// to the full parser; a differential test checks both paths agree on the subset.
import type { ShellRedirection, ShellWord } from './types.ts';
import type { RawCommand, WalkOutput } from './walk.ts';

/** Characters of an unquoted word that bash never treats specially (by char code). */
const PLAIN = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-./=:,@%+^') PLAIN[c.charCodeAt(0)] = 1;
const plain = (s: string, i: number): boolean => {
  const k = s.charCodeAt(i);
  return k < 128 && PLAIN[k] === 1;
};
/** Words that are syntax at the start of a command, and builtins whose arguments assign. */
const RESERVED = new Set([
  'if', 'then', 'else', 'elif', 'fi', 'case', 'esac', 'for', 'select', 'while', 'until', 'do', 'done', 'in', 'function', 'time', 'coproc',
  'export', 'declare', 'local', 'readonly', 'typeset', 'unset',
]);

interface Word {
  /** Value after quote removal; null when bash expands the word at run time. */
  value: string | null;
  raw: string;
  start: number;
  end: number;
}

/** `$NAME` or `${NAME}` at i: its length, or 0 for anything else. */
function simpleExpansion(s: string, i: number): number {
  const m = /^\$(?:[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_]*\})/.exec(s.slice(i, i + 256));
  return m ? m[0].length : 0;
}

/** Reads one word at i; null when it holds anything outside the subset. */
function readWord(s: string, i: number): Word | null {
  const start = i;
  let value = '';
  let dynamic = false;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") {
      const close = s.indexOf("'", i + 1);
      if (close < 0) return null;
      value += s.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let from = j;
      while (j < s.length && s[j] !== '"') {
        const d = s[j]!;
        if (d === '$') {
          const n = simpleExpansion(s, j);
          if (n === 0) return null;
          value += s.slice(from, j);
          dynamic = true;
          j += n;
          from = j;
          continue;
        }
        if (d === '`' || d === '\\' || d === '!' || d === '\r') return null;
        j++;
      }
      if (j >= s.length) return null;
      value += s.slice(from, j);
      i = j + 1;
    } else if (plain(s, i)) {
      let j = i + 1;
      while (j < s.length && plain(s, j)) j++;
      value += s.slice(i, j);
      i = j;
    } else if (c === '$') {
      const n = simpleExpansion(s, i);
      if (n === 0) return null;
      dynamic = true;
      i += n;
    } else if (c === '*' || c === '?' || (c === '~' && i === start)) {
      dynamic = true; // pathname or tilde expansion
      i++;
    } else if ((c === '#' || c === '~') && i > start) {
      value += c; // inside a word these are plain characters
      i++;
    } else {
      break;
    }
  }
  return i === start ? null : { value: dynamic ? null : value, raw: s.slice(start, i), start, end: i };
}

const skipBlanks = (s: string, i: number): number => {
  while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  return i;
};

export function fastParse(s: string): WalkOutput | null {
  const out: WalkOutput = { commands: [], redirections: [], assignments: [], pipes: [] };
  let i = 0;
  let pipeline: Array<[number, number]> = [];
  /** After |, && or ||: a command must follow. */
  let needCommand = false;
  for (;;) {
    i = skipBlanks(s, i);
    if (i >= s.length) break;
    if (s[i] === '#') {
      if (needCommand) return null;
      const nl = s.indexOf('\n', i);
      i = nl < 0 ? s.length : nl;
      continue;
    }
    if (s[i] === '\n') {
      if (needCommand) return null;
      if (pipeline.length > 1) out.pipes.push(pipeline);
      pipeline = [];
      i++;
      continue;
    }
    // one simple command
    const argv: ShellWord[] = [];
    const redirections: ShellRedirection[] = [];
    let start = -1;
    let end = -1;
    for (;;) {
      i = skipBlanks(s, i);
      if (i >= s.length) break;
      const c = s[i]!;
      const digits = c >= '0' && c <= '9' ? /^[0-9]+(?=[<>])/.exec(s.slice(i, i + 12)) : null;
      if (c === '>' || c === '<' || digits || (c === '&' && s[i + 1] === '>')) {
        const at = i;
        let fd: number | null = null;
        if (digits) {
          fd = Number(digits[0]);
          i += digits[0].length;
        }
        let op: string;
        if (s.startsWith('>>', i)) op = '>>';
        else if (s.startsWith('>&', i)) op = '>&';
        else if (s.startsWith('&>', i)) op = s.startsWith('&>>', i) ? '&>>' : '&>';
        else if (s[i] === '>') op = '>';
        else if (s[i] === '<') op = '<';
        else return null;
        if (fd !== null && op.startsWith('&')) return null;
        i += op.length;
        if (s[i] === '>' || s[i] === '<' || s[i] === '&' || s[i] === '|' || s[i] === '(') return null; // <<, <>, >|, <( ...
        if (op === '>&') {
          // only `>&N` (a digit) is in the subset
          const m = /^[0-9]+(?=[ \t\n;&|]|$)/.exec(s.slice(i));
          if (!m) return null;
          redirections.push({ op, dir: 'dup', fd, target: m[0] });
          i += m[0].length;
        } else {
          i = skipBlanks(s, i);
          const w = readWord(s, i);
          if (!w) return null;
          redirections.push({ op, dir: op === '<' ? 'r' : 'w', fd, target: w.value ?? { unknown: true, text: w.raw } });
          i = w.end;
        }
        if (start < 0) start = at; // a leading redirection is part of the command; trailing ones are not
        continue;
      }
      if (c === '#') {
        const nl = s.indexOf('\n', i); // a comment ends the command
        i = nl < 0 ? s.length : nl;
        break;
      }
      const w = readWord(s, i);
      if (!w) break;
      if (argv.length === 0 && (w.raw.includes('=') || RESERVED.has(w.raw))) return null;
      argv.push(w.value ?? { unknown: true, text: w.raw });
      if (start < 0) start = w.start;
      end = w.end;
      i = w.end;
    }
    if (argv.length === 0) return null; // redirection-only or empty command: leave to the parser
    const cmd: RawCommand = { argv, contexts: [], assignments: [], redirections, start, end };
    const index = out.commands.length;
    out.commands.push(cmd);
    out.redirections.push(...redirections);
    pipeline.push([index, index + 1]);
    needCommand = false;
    i = skipBlanks(s, i);
    if (i >= s.length) break;
    const c = s[i]!;
    if (c === '\n') continue;
    if (c === '|' && s[i + 1] === '|') {
      if (pipeline.length > 1) out.pipes.push(pipeline);
      pipeline = [];
      i += 2;
      needCommand = true;
    } else if (c === '|') {
      if (s[i + 1] === '&') return null; // |& also pipes stderr; left to the parser
      i += 1;
      needCommand = true;
    } else if (c === '&' && s[i + 1] === '&') {
      if (pipeline.length > 1) out.pipes.push(pipeline);
      pipeline = [];
      i += 2;
      needCommand = true;
    } else if (c === ';' || c === '&') {
      if (s[i + 1] === ';' || s[i + 1] === '&' || s[i + 1] === '|') return null;
      if (pipeline.length > 1) out.pipes.push(pipeline);
      pipeline = [];
      i += 1;
      const j = skipBlanks(s, i);
      if (s[j] === ';' || s[j] === '&' || s[j] === '|') return null; // `a; ;` is a syntax error
    } else {
      return null;
    }
    const j = skipBlanks(s, i);
    if (needCommand && (j >= s.length || s[j] === '\n')) return null;
  }
  if (needCommand) return null;
  if (pipeline.length > 1) out.pipes.push(pipeline);
  return out;
}
