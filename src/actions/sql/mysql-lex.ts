// MySQL lexical rules, used to split statements and to find the clauses sqlparser does not model
// (INTO OUTFILE/DUMPFILE, LOAD DATA, PREPARE ... FROM, DO, HANDLER).
// Rules followed: backslash escapes in '..' and "..", doubled quotes, `ident`, "#" and "-- "
// comments, "/* */" (not nested), "/*! ... */" whose content is executed (any version: we assume
// the server is new enough, which over- rather than under-reports).

export type MyTokKind = 'word' | 'qident' | 'string' | 'var' | 'punct' | 'semi';

export interface MyTok {
  kind: MyTokKind;
  /** Word text, identifier/string value (unescaped), or punctuation. */
  value: string;
  start: number;
  end: number;
}

export interface MyStatement {
  tokens: MyTok[];
  start: number;
  end: number;
}

export class MyLexError extends Error {
  constructor(message: string, readonly position: number) { super(message); }
}

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

export function lexMysql(s: string): MyTok[] {
  const out: MyTok[] = [];
  let i = 0;
  let execComment = false;
  const n = s.length;
  while (i < n) {
    const c = s[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#') { i = eol(s, i); continue; }
    if (c === '-' && s[i + 1] === '-' && (i + 2 >= n || /[\s\x00-\x1f]/.test(s[i + 2]!))) { i = eol(s, i); continue; }
    if (c === '/' && s[i + 1] === '*') {
      if (s[i + 2] === '!') {
        if (execComment) throw new MyLexError('nested executable comment', i);
        execComment = true;
        i += 3;
        while (i < n && /[0-9]/.test(s[i]!)) i++;
        continue;
      }
      const e = s.indexOf('*/', i + 2);
      if (e < 0) throw new MyLexError('unterminated comment', i);
      i = e + 2;
      continue;
    }
    if (execComment && c === '*' && s[i + 1] === '/') { execComment = false; i += 2; continue; }
    if (c === "'" || c === '"') {
      const [value, end] = quoted(s, i, c, true);
      out.push({ kind: 'string', value, start: i, end });
      i = end;
      continue;
    }
    if (c === '`') {
      const [value, end] = quoted(s, i, '`', false);
      out.push({ kind: 'qident', value, start: i, end });
      i = end;
      continue;
    }
    if (c === '@') {
      let j = i + 1;
      if (s[j] === '@') j++;
      if (s[j] === '`' || s[j] === "'" || s[j] === '"') {
        j = quoted(s, j, s[j]!, s[j] !== '`')[1];
      } else {
        while (j < n && (WORD.test(s[j]!) || s[j] === '.')) j++;
      }
      out.push({ kind: 'var', value: s.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (WORD.test(c)) {
      let j = i + 1;
      while (j < n && WORD.test(s[j]!)) j++;
      out.push({ kind: 'word', value: s.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    out.push({ kind: c === ';' ? 'semi' : 'punct', value: c, start: i, end: i + 1 });
    i++;
  }
  if (execComment) throw new MyLexError('unterminated executable comment', n);
  return out;
}

function eol(s: string, i: number): number {
  const e = s.indexOf('\n', i);
  return e < 0 ? s.length : e + 1;
}

const ESC: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

function quoted(s: string, i: number, q: string, backslash: boolean): [string, number] {
  let j = i + 1;
  let v = '';
  while (j < s.length) {
    const ch = s[j]!;
    if (backslash && ch === '\\' && j + 1 < s.length) {
      const nx = s[j + 1]!;
      v += ESC[nx] ?? nx;
      j += 2;
      continue;
    }
    if (ch === q) {
      if (s[j + 1] === q) { v += q; j += 2; continue; }
      return [v, j + 1];
    }
    v += ch;
    j++;
  }
  throw new MyLexError('unterminated quoted text', i);
}

/** Split tokens into statements at ";"; statements without tokens are dropped (the server skips them). */
export function splitMysql(tokens: MyTok[]): MyStatement[] {
  const out: MyStatement[] = [];
  let cur: MyTok[] = [];
  for (const t of tokens) {
    if (t.kind === 'semi') {
      if (cur.length) out.push({ tokens: cur, start: cur[0]!.start, end: cur[cur.length - 1]!.end });
      cur = [];
    } else cur.push(t);
  }
  if (cur.length) out.push({ tokens: cur, start: cur[0]!.start, end: cur[cur.length - 1]!.end });
  return out;
}

export function isWord(t: MyTok | undefined, ...words: string[]): boolean {
  return !!t && t.kind === 'word' && words.includes(t.value.toUpperCase());
}
