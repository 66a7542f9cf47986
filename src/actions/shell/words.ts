// Turns a word node into its value after quote removal, or an unknown marker when bash
// would expand it at run time. Anything the grammar may have mis-tokenized is an error.
import type { Node } from 'web-tree-sitter';
import { decodeAnsiC } from './ansi-c.ts';
import { ShellError } from './errors.ts';
import type { ShellWord } from './types.ts';

/** 'arg': a command word (globs, braces, tilde); 'assign': an assignment value (tilde only). */
export type WordMode = 'arg' | 'assign';

interface Acc {
  chars: string[];
  quoted: boolean[];
  dynamic: boolean;
}

/** Node types whose value is only known at run time. */
const DYNAMIC = new Set([
  'simple_expansion',
  'expansion',
  'command_substitution',
  'arithmetic_expansion',
  'process_substitution',
  'brace_expression',
  'translated_string',
]);

function lit(acc: Acc, s: string, quoted: boolean): void {
  for (const ch of s) {
    acc.chars.push(ch);
    acc.quoted.push(quoted);
  }
}

/** Unquoted word text: backslash quotes the next char, backslash-newline vanishes. */
function unquotedText(acc: Acc, text: string, at: number): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      if (n === undefined) {
        lit(acc, '\\', true);
      } else {
        if (n !== '\n') lit(acc, n, true);
        i++;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      throw new ShellError('grammar_gap', `unexpected quote inside a word`, at + i);
    }
    if (c === '$' && i + 1 < text.length && /[A-Za-z0-9_{(\[@*#?$!\-'"]/.test(text[i + 1]!)) {
      throw new ShellError('grammar_gap', `unparsed expansion inside a word`, at + i);
    }
    if (/[\s;&|<>()]/.test(c)) {
      throw new ShellError('grammar_gap', `unexpected metacharacter inside a word`, at + i);
    }
    lit(acc, c, false);
  }
}

/** Literal text inside double quotes: backslash only quotes $ ` " \ and newline. */
function doubleQuotedText(acc: Acc, text: string, at: number): void {
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      if (n !== undefined && '$`"\\\n'.includes(n)) {
        if (n !== '\n') lit(acc, n, true);
        i++;
        continue;
      }
      lit(acc, '\\', true);
      continue;
    }
    if (c === '`' || (c === '$' && i + 1 < text.length && /[A-Za-z0-9_{(\[@*#?$!\-]/.test(text[i + 1]!))) {
      throw new ShellError('grammar_gap', `unparsed expansion inside double quotes`, at + i);
    }
    if (c === '"') throw new ShellError('grammar_gap', `unexpected quote inside a string`, at + i);
    lit(acc, c, true);
  }
}

function stringNode(acc: Acc, node: Node, src: string): void {
  const start = node.startIndex;
  const end = node.endIndex;
  if (src[start] !== '"' || src[end - 1] !== '"' || end - start < 2) {
    throw new ShellError('grammar_gap', 'malformed double-quoted string', start);
  }
  let pos = start + 1;
  const stop = end - 1;
  for (let i = 0; i < node.namedChildCount; i++) {
    const c = node.namedChild(i)!;
    if (c.type === 'string_content') continue; // literal; covered by the gap scan below
    if (!DYNAMIC.has(c.type)) throw new ShellError('grammar_gap', `unexpected ${c.type} in a string`, c.startIndex);
    if (c.startIndex > pos) doubleQuotedText(acc, src.slice(pos, c.startIndex), pos);
    acc.dynamic = true;
    pos = Math.max(pos, c.endIndex);
  }
  if (stop > pos) doubleQuotedText(acc, src.slice(pos, stop), pos);
}

function part(acc: Acc, node: Node, src: string): void {
  const t = node.type;
  if (t === 'word' || t === 'number' || t === 'extglob_pattern' || t === 'file_descriptor' || t === 'test_operator' || t === 'variable_name') {
    unquotedText(acc, src.slice(node.startIndex, node.endIndex), node.startIndex);
  } else if (t === 'raw_string') {
    const text = src.slice(node.startIndex, node.endIndex);
    if (text.length < 2 || text[0] !== "'" || text[text.length - 1] !== "'") {
      throw new ShellError('grammar_gap', 'malformed single-quoted string', node.startIndex);
    }
    lit(acc, text.slice(1, -1), true);
  } else if (t === 'ansi_c_string') {
    const text = src.slice(node.startIndex, node.endIndex);
    if (text.length < 3 || !text.startsWith("$'") || text[text.length - 1] !== "'") {
      throw new ShellError('grammar_gap', "malformed $'...' string", node.startIndex);
    }
    lit(acc, decodeAnsiC(text.slice(2, -1), node.startIndex + 2), true);
  } else if (t === 'string') {
    stringNode(acc, node, src);
  } else if (t === 'concatenation') {
    let pos = node.startIndex;
    for (let i = 0; i < node.childCount; i++) {
      const c = node.child(i)!;
      if (c.startIndex > pos) unquotedText(acc, src.slice(pos, c.startIndex), pos);
      part(acc, c, src);
      pos = c.endIndex;
    }
    if (node.endIndex > pos) unquotedText(acc, src.slice(pos, node.endIndex), pos);
  } else if (DYNAMIC.has(t)) {
    acc.dynamic = true;
  } else if (t === 'command_name') {
    for (let i = 0; i < node.childCount; i++) part(acc, node.child(i)!, src);
  } else if (!node.isNamed && (t === '{' || t === '}' || t === '$' || t === '..' || t === ',')) {
    // anonymous pieces of a concatenation such as a lone '$' or a brace
    if (t === '$') throw dollarError(src, node.startIndex);
    lit(acc, t, false);
  } else {
    throw new ShellError('grammar_gap', `cannot interpret ${node.isNamed ? node.type : JSON.stringify(t)} as a word`, node.startIndex);
  }
}

/** A lone `$` node: a translated string `$"..."` (unsupported) or a grammar mis-read (`$x,$x`). */
export function dollarError(src: string, at: number): ShellError {
  return src[at + 1] === '"'
    ? new ShellError('unsupported_syntax', '$"..." (translated strings) is not supported', at)
    : new ShellError('grammar_gap', 'a lone $ the grammar could not attach to a word', at);
}

/** Unquoted `[` with a later unquoted `]`, or unquoted `*`/`?`: pathname expansion may apply. */
function hasGlob(acc: Acc): boolean {
  let open = false;
  for (let i = 0; i < acc.chars.length; i++) {
    if (acc.quoted[i]) continue;
    const c = acc.chars[i];
    if (c === '*' || c === '?') return true;
    if (c === '[') open = true;
    else if (c === ']' && open) return true;
  }
  return false;
}

/** Unquoted `{ ... }` holding an unquoted `,` or `..`: brace expansion. */
function hasBrace(acc: Acc): boolean {
  let depth = 0;
  let sep = false;
  for (let i = 0; i < acc.chars.length; i++) {
    if (acc.quoted[i]) continue;
    const c = acc.chars[i];
    if (c === '{') depth++;
    else if (c === '}' && depth > 0) {
      if (sep) return true;
      depth--;
    } else if (depth > 0 && (c === ',' || (c === '.' && acc.chars[i + 1] === '.' && !acc.quoted[i + 1]))) sep = true;
  }
  return false;
}

function hasTilde(acc: Acc, mode: WordMode): boolean {
  for (let i = 0; i < acc.chars.length; i++) {
    if (acc.chars[i] !== '~' || acc.quoted[i]) continue;
    if (i === 0) return true;
    if (mode === 'assign' && acc.chars[i - 1] === ':' && !acc.quoted[i - 1]) return true;
  }
  return false;
}

/** Decodes one word node (or a list of adjacent nodes forming one word). */
export function decodeWord(nodes: Node | Node[], src: string, mode: WordMode = 'arg'): ShellWord {
  const list = Array.isArray(nodes) ? nodes : [nodes];
  const acc: Acc = { chars: [], quoted: [], dynamic: false };
  for (const n of list) part(acc, n, src);
  const first = list[0]!;
  const text = src.slice(first.startIndex, list[list.length - 1]!.endIndex);
  if (acc.dynamic) return { unknown: true, text };
  if (hasTilde(acc, mode)) return { unknown: true, text };
  if (mode === 'arg' && (hasGlob(acc) || hasBrace(acc))) return { unknown: true, text };
  return acc.chars.join('');
}

export function isUnknown(w: ShellWord): w is { unknown: true; text: string } {
  return typeof w !== 'string';
}
