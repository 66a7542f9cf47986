// Checks made before any parser sees the text: NUL bytes, length, bracket nesting.
// The nesting scan skips strings and comments in the dialect's own lexical rules, so a string full
// of "(" is not counted; if it misjudges, the parser still decides (and its failures fail closed).
import type { SqlDialect, SqlParseError } from './types.ts';

export const DEFAULT_MAX_LENGTH = 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 200;

export function guardText(text: string, dialect: SqlDialect, maxLength: number, maxDepth: number): SqlParseError | null {
  if (typeof text !== 'string') return { code: 'invalid_input', message: 'SQL text must be a string' };
  if (text.length > maxLength) {
    return { code: 'too_long', message: `SQL text is ${text.length} characters, limit is ${maxLength}`, position: maxLength };
  }
  const nul = text.indexOf('\0');
  if (nul >= 0) return { code: 'nul_byte', message: 'SQL text contains a NUL byte', position: nul };
  const deep = deepestAt(text, dialect, maxDepth);
  if (deep >= 0) return { code: 'too_deep', message: `nesting deeper than ${maxDepth}`, position: deep };
  if (text.trim() === '') return { code: 'empty', message: 'SQL text is empty', position: 0 };
  return null;
}

/** ASCII characters that can open or close a bracket, quote or comment; the rest are skipped fast. */
const SPECIAL = new Uint8Array(128);
for (const c of '()[]\'"`-#/$') SPECIAL[c.charCodeAt(0)] = 1;

/** Offset where bracket depth first exceeds max, or -1. */
function deepestAt(s: string, dialect: SqlDialect, max: number): number {
  // Depth never exceeds the number of opening brackets, wherever they stand: most texts have too
  // few to matter, and counting them (indexOf is vectorized) costs far less than the lexical scan.
  if (openers(s, max) <= max) return -1;
  let depth = 0;
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c >= 128 || SPECIAL[c] === 0) {
      i++;
    } else if (c === 40 /* ( */ || c === 91 /* [ */) {
      if (++depth > max) return i;
      i++;
    } else if (c === 41 || c === 93) {
      if (depth > 0) depth--;
      i++;
    } else if (c === 39 /* ' */) {
      const backslash = dialect === 'mysql' || (i > 0 && (s[i - 1] === 'E' || s[i - 1] === 'e'));
      i = skipQuoted(s, i, "'", backslash);
    } else if (c === 34 /* " */) {
      i = skipQuoted(s, i, '"', dialect === 'mysql');
    } else if (c === 96 /* ` */ && dialect === 'mysql') {
      i = skipQuoted(s, i, '`', false);
    } else if (c === 45 /* - */ && s.charCodeAt(i + 1) === 45) {
      // MySQL needs whitespace (or end) after "--" for a comment.
      if (dialect === 'mysql' && i + 2 < n && !/\s/.test(s[i + 2]!)) { i += 2; continue; }
      i = lineEnd(s, i);
    } else if (c === 35 /* # */ && dialect === 'mysql') {
      i = lineEnd(s, i);
    } else if (c === 47 /* / */ && s.charCodeAt(i + 1) === 42 /* * */) {
      if (dialect === 'mysql' && (s[i + 2] === '!' || s[i + 2] === '+')) { i += 3; continue; }
      i = skipBlockComment(s, i, dialect === 'pg');
    } else if (c === 36 /* $ */ && dialect === 'pg') {
      i = skipDollar(s, i);
    } else {
      i++;
    }
  }
  return -1;
}

/** Number of "(" and "[" in s, counted up to just past max. */
function openers(s: string, max: number): number {
  let n = 0;
  for (let i = s.indexOf('('); i >= 0 && n <= max; i = s.indexOf('(', i + 1)) n++;
  for (let i = s.indexOf('['); i >= 0 && n <= max; i = s.indexOf('[', i + 1)) n++;
  return n;
}

function skipQuoted(s: string, i: number, q: string, backslash: boolean): number {
  const qc = q.charCodeAt(0);
  let j = i + 1;
  while (j < s.length) {
    const ch = s.charCodeAt(j);
    if (backslash && ch === 92 /* \\ */) { j += 2; continue; }
    if (ch === qc) {
      if (s.charCodeAt(j + 1) === qc) { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return j;
}

function lineEnd(s: string, i: number): number {
  const e = s.indexOf('\n', i);
  return e < 0 ? s.length : e + 1;
}

function skipBlockComment(s: string, i: number, nests: boolean): number {
  let level = 0;
  let j = i;
  while (j < s.length) {
    if (s[j] === '/' && s[j + 1] === '*') {
      if (level === 0 || nests) level++;
      j += 2;
    } else if (s[j] === '*' && s[j + 1] === '/') {
      level--;
      j += 2;
      if (level === 0) return j;
    } else j++;
  }
  return j;
}

const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

function skipDollar(s: string, i: number): number {
  // "$1" parameters and identifiers containing "$" are not quotes.
  if (i > 0 && /[A-Za-z0-9_$\u0080-\uffff]/.test(s[i - 1]!)) return i + 1;
  DOLLAR_TAG.lastIndex = i;
  const m = DOLLAR_TAG.exec(s);
  if (!m) return i + 1;
  const end = s.indexOf(m[0], i + m[0].length);
  return end < 0 ? s.length : end + m[0].length;
}
