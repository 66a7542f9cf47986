// The Rego lexer: one linear pass over the source that yields tokens with their positions and
// whether whitespace or a newline preceded them (refs continue only without whitespace; body
// expressions end at a newline). Bad characters become `Illegal` tokens carrying a message, so the
// parser reports them in source order, next to whatever else is wrong.

export const T = {
  EOF: 0,
  Illegal: 1,
  Ident: 2,
  Number: 3,
  String: 4,
  /** A template string `$"…{expr}…"` or `$`…``; its value is the raw text between the delimiters. */
  Template: 5,
  // keywords
  As: 10,
  Contains: 11,
  Default: 12,
  Else: 13,
  Every: 14,
  False: 15,
  If: 16,
  Import: 17,
  In: 18,
  Not: 19,
  Null: 20,
  Package: 21,
  Some: 22,
  True: 23,
  With: 24,
  // punctuation
  LBrack: 30,
  RBrack: 31,
  LBrace: 32,
  RBrace: 33,
  LParen: 34,
  RParen: 35,
  Comma: 36,
  Colon: 37,
  Semicolon: 38,
  Dot: 39,
  // operators
  Assign: 40, // :=
  Unify: 41, // =
  Equal: 42, // ==
  Neq: 43, // !=
  Lt: 44,
  Lte: 45,
  Gt: 46,
  Gte: 47,
  Add: 48,
  Sub: 49,
  Mul: 50,
  Quo: 51,
  Rem: 52,
  And: 53, // &
  Or: 54, // |
} as const;

export type Tok = (typeof T)[keyof typeof T];

export const KEYWORDS: ReadonlyMap<string, Tok> = new Map<string, Tok>([
  ['as', T.As],
  ['contains', T.Contains],
  ['default', T.Default],
  ['else', T.Else],
  ['every', T.Every],
  ['false', T.False],
  ['if', T.If],
  ['import', T.Import],
  ['in', T.In],
  ['not', T.Not],
  ['null', T.Null],
  ['package', T.Package],
  ['some', T.Some],
  ['true', T.True],
  ['with', T.With],
]);

// Keywords by first letter, so identifiers are classified without slicing the source.
const BY_FIRST: ReadonlyMap<number, Array<[string, Tok]>> = (() => {
  const m = new Map<number, Array<[string, Tok]>>();
  for (const [w, k] of KEYWORDS) {
    const c = w.charCodeAt(0);
    if (!m.has(c)) m.set(c, []);
    m.get(c)!.push([w, k]);
  }
  return m;
})();

function keywordAt(src: string, i: number, j: number): Tok {
  const cands = BY_FIRST.get(src.charCodeAt(i));
  if (cands) for (const [w, k] of cands) if (w.length === j - i && src.startsWith(w, i)) return k;
  return T.Ident;
}

export function isKeyword(kind: Tok): boolean {
  return kind >= T.As && kind <= T.With;
}

export interface Token {
  kind: Tok;
  /** Offsets into the source (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
  row: number;
  col: number;
  /** Whitespace or a comment precedes the token. */
  ws: boolean;
  /** A newline precedes the token (since the previous token). */
  nl: boolean;
  /** Decoded value of a string token, or the message of an illegal token. */
  value: string | undefined;
}

export interface LexComment {
  /** Text after `#`, without a trailing carriage return. */
  text: string;
  row: number;
  col: number;
}

export interface LexResult {
  tokens: Token[];
  comments: LexComment[];
}

const enum C {
  Tab = 9,
  LF = 10,
  CR = 13,
  Space = 32,
  Quote = 34,
  Hash = 35,
  Dollar = 36,
  Backslash = 92,
  Backtick = 96,
}

function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

export function lex(src: string): LexResult {
  const tokens: Token[] = [];
  const comments: LexComment[] = [];
  const n = src.length;
  let i = 0;
  let row = 1;
  let lineStart = 0;
  let ws = false;
  let nl = false;
  // A byte-order mark is allowed only at the very start.
  if (n > 0 && src.charCodeAt(0) === 0xfeff) {
    i = 1;
    lineStart = 1;
  }

  const push = (kind: Tok, start: number, end: number, r: number, col: number, value?: string): void => {
    tokens.push({ kind, start, end, row: r, col, ws, nl, value }); // one shape for every token
    ws = false;
    nl = false;
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === C.Space || c === C.Tab || c === C.CR) {
      ws = true;
      i++;
      continue;
    }
    if (c === C.LF) {
      ws = true;
      nl = true;
      i++;
      row++;
      lineStart = i;
      continue;
    }
    const col = i - lineStart + 1;
    if (c === C.Hash) {
      let j = i + 1;
      while (j < n && src.charCodeAt(j) !== C.LF) j++;
      let end = j;
      if (end > i + 1 && src.charCodeAt(end - 1) === C.CR) end--;
      comments.push({ text: src.slice(i + 1, end), row, col });
      ws = true;
      i = j;
      continue;
    }
    if (isLetter(c)) {
      let j = i + 1;
      while (j < n) {
        const d = src.charCodeAt(j);
        if (isLetter(d) || isDigit(d)) j++;
        else break;
      }
      push(j - i <= 8 ? keywordAt(src, i, j) : T.Ident, i, j, row, col);
      i = j;
      continue;
    }
    if (isDigit(c)) {
      i = lexNumber(i, row, col);
      continue;
    }
    if (c === C.Quote) {
      i = lexString(i, row, col);
      continue;
    }
    if (c === C.Dollar && (src.charCodeAt(i + 1) === C.Quote || src.charCodeAt(i + 1) === C.Backtick)) {
      const end = templateEnd(src, i + 1);
      if (end < 0) {
        push(T.Illegal, i, n, row, col, 'unterminated template string: add the closing delimiter (and close every `{`)');
        i = n;
        continue;
      }
      push(T.Template, i, end, row, col, src.slice(i + 2, end - 1));
      // Backtick templates may span lines: keep row/col bookkeeping in step.
      for (let k = i; k < end; k++) {
        if (src.charCodeAt(k) === C.LF) {
          row++;
          lineStart = k + 1;
        }
      }
      i = end;
      continue;
    }
    if (c === C.Backtick) {
      // Raw strings may span lines: keep row/col bookkeeping in step.
      let j = i + 1;
      let r = row;
      let ls = lineStart;
      while (j < n && src.charCodeAt(j) !== C.Backtick) {
        if (src.charCodeAt(j) === C.LF) {
          r++;
          ls = j + 1;
        }
        j++;
      }
      if (j >= n) {
        push(T.Illegal, i, n, row, col, 'unterminated raw string: add a closing backtick');
        i = n;
        row = r;
        lineStart = ls;
        continue;
      }
      push(T.String, i, j + 1, row, col, src.slice(i + 1, j));
      i = j + 1;
      row = r;
      lineStart = ls;
      continue;
    }
    const c2 = i + 1 < n ? src.charCodeAt(i + 1) : -1;
    let kind: Tok | -1 = -1;
    let len = 1;
    switch (c) {
      case 91: kind = T.LBrack; break; // [
      case 93: kind = T.RBrack; break; // ]
      case 123: kind = T.LBrace; break; // {
      case 125: kind = T.RBrace; break; // }
      case 40: kind = T.LParen; break; // (
      case 41: kind = T.RParen; break; // )
      case 44: kind = T.Comma; break; // ,
      case 59: kind = T.Semicolon; break; // ;
      case 46: kind = T.Dot; break; // .
      case 43: kind = T.Add; break; // +
      case 45: kind = T.Sub; break; // -
      case 42: kind = T.Mul; break; // *
      case 47: kind = T.Quo; break; // /
      case 37: kind = T.Rem; break; // %
      case 38: kind = T.And; break; // &
      case 124: kind = T.Or; break; // |
      case 58: // :
        if (c2 === 61) { kind = T.Assign; len = 2; } else kind = T.Colon;
        break;
      case 61: // =
        if (c2 === 61) { kind = T.Equal; len = 2; } else kind = T.Unify;
        break;
      case 60: // <
        if (c2 === 61) { kind = T.Lte; len = 2; } else kind = T.Lt;
        break;
      case 62: // >
        if (c2 === 61) { kind = T.Gte; len = 2; } else kind = T.Gt;
        break;
      case 33: // !
        if (c2 === 61) { kind = T.Neq; len = 2; }
        break;
    }
    if (kind !== -1) {
      push(kind, i, i + len, row, col);
      i += len;
      continue;
    }
    push(T.Illegal, i, i + 1, row, col, illegalMessage(src, i));
    i++;
  }
  push(T.EOF, n, n, row, n - lineStart + 1);
  return { tokens, comments };

  function lexNumber(s: number, r: number, col: number): number {
    let j = s;
    while (j < n && isDigit(src.charCodeAt(j))) j++;
    let msg: string | null = null;
    if (j < n && src.charCodeAt(j) === 46 /* . */) {
      j++;
      const f = j;
      while (j < n && isDigit(src.charCodeAt(j))) j++;
      if (j === f) msg = 'invalid number: expected digits after the decimal point';
    }
    if (msg === null && j < n && (src.charCodeAt(j) | 32) === 101 /* e */) {
      j++;
      if (j < n && (src.charCodeAt(j) === 43 || src.charCodeAt(j) === 45)) j++;
      const e = j;
      while (j < n && isDigit(src.charCodeAt(j))) j++;
      if (j === e) msg = 'invalid number: expected digits in the exponent';
    }
    if (j < n && isLetter(src.charCodeAt(j))) {
      while (j < n && (isLetter(src.charCodeAt(j)) || isDigit(src.charCodeAt(j)))) j++;
      msg ??= `invalid number \`${src.slice(s, j)}\`: names cannot start with a digit`;
    }
    if (msg === null && src.charCodeAt(s) === 48 && j - s > 1 && isDigit(src.charCodeAt(s + 1))) {
      msg = `invalid number \`${src.slice(s, j)}\`: numbers cannot have leading zeros`;
    }
    if (msg !== null) push(T.Illegal, s, j, r, col, msg);
    else push(T.Number, s, j, r, col);
    return j;
  }

  function lexString(s: number, r: number, col: number): number {
    let j = s + 1;
    let out: string[] | null = null; // only allocated when there are escapes
    let chunk = j;
    while (true) {
      if (j >= n || src.charCodeAt(j) === C.LF) {
        push(T.Illegal, s, j, r, col, 'unterminated string: add a closing `"` (strings cannot span lines; raw strings in backticks can)');
        return j;
      }
      const d = src.charCodeAt(j);
      if (d === C.Quote) break;
      if (d !== C.Backslash) {
        j++;
        continue;
      }
      out ??= [];
      if (j > chunk) out.push(src.slice(chunk, j));
      const e = j + 1 < n ? src.charCodeAt(j + 1) : -1;
      let piece: string | null = null;
      switch (e) {
        case 34: piece = '"'; break;
        case 92: piece = '\\'; break;
        case 47: piece = '/'; break;
        case 98: piece = '\b'; break;
        case 102: piece = '\f'; break;
        case 110: piece = '\n'; break;
        case 114: piece = '\r'; break;
        case 116: piece = '\t'; break;
        case 117: { // \uXXXX
          if (j + 6 <= n && isHex(src.charCodeAt(j + 2)) && isHex(src.charCodeAt(j + 3)) && isHex(src.charCodeAt(j + 4)) && isHex(src.charCodeAt(j + 5))) {
            out.push(String.fromCharCode(parseInt(src.slice(j + 2, j + 6), 16)));
            j += 6;
            chunk = j;
            continue;
          }
          const bad = src.slice(j, Math.min(n, j + 6)).split('\n')[0];
          return illegalString(s, j, r, col, `invalid escape \`${bad}\` in string: \\u must be followed by four hex digits`);
        }
      }
      if (piece === null) {
        const bad = e === -1 || e === C.LF ? '\\' : src.slice(j, j + 2);
        return illegalString(s, j, r, col, `invalid escape \`${bad}\` in string: use one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`);
      }
      out.push(piece);
      j += 2;
      chunk = j;
    }
    let value: string;
    if (out === null) value = src.slice(s + 1, j);
    else {
      if (j > chunk) out.push(src.slice(chunk, j));
      value = fixSurrogates(out.join(''));
    }
    push(T.String, s, j + 1, r, col, value);
    return j + 1;
  }

  // Reports an escape error at the backslash and skips the rest of the string.
  function illegalString(s: number, at: number, r: number, col: number, msg: string): number {
    let j = at + 1;
    while (j < n && src.charCodeAt(j) !== C.LF) {
      const d = src.charCodeAt(j);
      if (d === C.Backslash) j += 2;
      else if (d === C.Quote) { j++; break; }
      else j++;
    }
    push(T.Illegal, s, Math.min(j, n), r, col + (at - s), msg);
    return Math.min(j, n);
  }
}

// JSON decoding (as OPA does it) turns unpaired surrogates from \u escapes into U+FFFD.
function fixSurrogates(s: string): string {
  let bad = false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) k++;
      else { bad = true; break; }
    } else if (c >= 0xdc00 && c <= 0xdfff) { bad = true; break; }
  }
  if (!bad) return s;
  let out = '';
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(k + 1);
      if (d >= 0xdc00 && d <= 0xdfff) { out += s[k]! + s[k + 1]!; k++; }
      else out += '\ufffd';
    } else if (c >= 0xdc00 && c <= 0xdfff) out += '\ufffd';
    else out += s[k]!;
  }
  return out;
}

/**
 * The offset just past the template string whose opening delimiter is at `q`, or -1.
 * Literal text may escape `{` as `\{` in quoted templates; `{…}` holds a Rego expression.
 */
export function templateEnd(src: string, q: number): number {
  const close = src.charCodeAt(q);
  const raw = close === C.Backtick;
  let i = q + 1;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === close) return i + 1;
    if (!raw && c === C.LF) return -1;
    if (c === C.Backslash && (!raw || src.charCodeAt(i + 1) === 123)) i += 2;
    else if (c === 123) {
      i = braceEnd(src, i);
      if (i < 0) return -1;
    } else i++;
  }
  return -1;
}

/**
 * The offset just past the `}` matching the `{` at `open`, or -1. The text between is Rego:
 * strings, raw strings and nested templates are skipped whole so their braces do not count.
 */
export function braceEnd(src: string, open: number): number {
  let depth = 0;
  let i = open;
  const n = src.length;
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === C.Quote) {
      i++;
      while (i < n && src.charCodeAt(i) !== C.Quote && src.charCodeAt(i) !== C.LF) i += src.charCodeAt(i) === C.Backslash ? 2 : 1;
      if (i >= n || src.charCodeAt(i) !== C.Quote) return -1;
      i++;
    } else if (c === C.Backtick) {
      const j = src.indexOf('`', i + 1);
      if (j < 0) return -1;
      i = j + 1;
    } else if (c === C.Dollar && (src.charCodeAt(i + 1) === C.Quote || src.charCodeAt(i + 1) === C.Backtick)) {
      i = templateEnd(src, i + 1);
      if (i < 0) return -1;
    } else {
      if (c === 123) depth++;
      else if (c === 125 && --depth === 0) return i + 1;
      i++;
    }
  }
  return -1;
}

function illegalMessage(src: string, i: number): string {
  const c = src.charCodeAt(i);
  const next = src.charCodeAt(i + 1);
  if (c === C.Dollar && (next === C.Quote || next === C.Backtick)) {
    return 'string interpolation (`$"..."`) is not supported: it is newer than Rego 1.0; use sprintf or concat';
  }
  if (c === 33) return 'unexpected `!`: use `not` to negate an expression, or `!=` for inequality';
  if (c === 0) return 'illegal NUL character';
  const cp = src.codePointAt(i) ?? c;
  const shown = cp < 32 || cp === 127 ? `U+${cp.toString(16).toUpperCase().padStart(4, '0')}` : `\`${String.fromCodePoint(cp)}\``;
  return `unexpected character ${shown}: names use ASCII letters, digits and \`_\`; text goes in "strings"`;
}
