// Decodes the body of a $'...' string the way bash does (quote removal included).
import { ShellError } from './errors.ts';

const SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

const isHex = (c: string | undefined): boolean => c !== undefined && /[0-9a-fA-F]/.test(c);
const isOct = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '7';

/** `body` is the text between `$'` and the closing `'`; `at` is its offset for errors. */
export function decodeAnsiC(body: string, at: number): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      i++;
      continue;
    }
    const n = body[i + 1]!;
    i += 2;
    const simple = SIMPLE[n];
    if (simple !== undefined) {
      out += simple;
    } else if (isOct(n)) {
      let v = n;
      while (v.length < 3 && isOct(body[i])) v += body[i++];
      out += String.fromCharCode(parseInt(v, 8) & 0xff);
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      let v = '';
      while (v.length < max && isHex(body[i])) v += body[i++];
      if (v === '') {
        out += '\\' + n; // bash keeps an escape with no digits literally
      } else {
        const cp = parseInt(v, 16);
        if (cp > 0x10ffff) throw new ShellError('ansi_c_escape', `code point out of range in $'...'`, at + i);
        out += String.fromCodePoint(cp);
      }
    } else if (n === 'c') {
      const ch = body[i];
      if (ch === undefined) {
        out += '\\c';
      } else {
        i++;
        out += String.fromCharCode(ch.toUpperCase().charCodeAt(0) & 0x1f);
      }
    } else {
      out += '\\' + n; // unknown escapes stay as written
    }
  }
  // bash truncates the word at a NUL produced by an escape.
  const nul = out.indexOf('\0');
  return nul >= 0 ? out.slice(0, nul) : out;
}
