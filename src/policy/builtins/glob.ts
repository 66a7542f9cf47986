// glob.match / glob.quote_meta with the gobwas/glob syntax OPA uses: `*` (no delimiter), `**`
// (anything), `?` (one non-delimiter character), `[abc]` `[!abc]` `[a-z]` `[!a-z]`, `{a,b}`
// alternatives (nestable) and `\` escapes. Globs compile to RE2 so matching stays linear.
import type { RE2JS } from 're2js';
import { re2js } from './lazy.ts';
import { BoundedCache, isString, type HostBuiltin } from './values.ts';

const SPECIAL = new Set(['*', '?', '\\', '[', ']', '{', '}']);

function isAsciiPunct(ch: string): boolean {
  return /^[!-\/:-@\[-`{-~]$/.test(ch);
}

/** One code point as an RE2 class member. */
function classChar(ch: string): string {
  return isAsciiPunct(ch) ? `\\${ch}` : ch === '\n' ? '\\n' : ch;
}

class GlobSyntaxError extends Error {}

/** Translates a glob to an anchored RE2 pattern; throws GlobSyntaxError when it is malformed. */
export function globToRegex(glob: string, delimiters: string[]): string {
  const chars = [...glob];
  let i = 0;
  const anyChar = delimiters.length === 0 ? '(?s:.)' : `[^${delimiters.map(classChar).join('')}]`;

  // Parses a sequence until EOF, or until `,`/`}` when inside alternatives.
  const sequence = (inTerms: boolean): string => {
    let out = '';
    while (i < chars.length) {
      const ch = chars[i]!;
      if (inTerms && (ch === ',' || ch === '}')) return out;
      i++;
      switch (ch) {
        case '\\': {
          const next = chars[i++];
          if (next === undefined) throw new GlobSyntaxError('trailing escape');
          out += re2js().RE2JS.quote(next);
          break;
        }
        case '*': {
          let stars = 1;
          while (chars[i] === '*') {
            stars++;
            i++;
          }
          out += stars > 1 ? '(?s:.*)' : `${anyChar}*`;
          break;
        }
        case '?':
          out += anyChar;
          break;
        case '[':
          out += range();
          break;
        case '{':
          out += terms();
          break;
        default:
          out += re2js().RE2JS.quote(ch);
      }
    }
    if (inTerms) throw new GlobSyntaxError('unclosed {');
    return out;
  };

  // After `[`: `!`? then either `lo-hi` or a list of characters, then `]`.
  const range = (): string => {
    let not = false;
    if (chars[i] === '!') {
      not = true;
      i++;
    }
    const first = chars[i];
    if (first === undefined || first === ']') throw new GlobSyntaxError('empty range');
    let body: string;
    if (chars[i + 1] === '-') {
      const hi = chars[i + 2];
      if (hi === undefined || chars[i + 3] !== ']') throw new GlobSyntaxError('bad range');
      if ((hi.codePointAt(0) ?? 0) < (first.codePointAt(0) ?? 0)) throw new GlobSyntaxError('bad range');
      body = `${classChar(first)}-${classChar(hi)}`;
      i += 4;
    } else {
      body = '';
      while (i < chars.length && chars[i] !== ']') body += classChar(chars[i++]!);
      if (chars[i] !== ']') throw new GlobSyntaxError('unclosed [');
      i++;
    }
    return `[${not ? '^' : ''}${body}]`;
  };

  // After `{`: alternatives separated by `,` up to the matching `}`.
  const terms = (): string => {
    const alts: string[] = [];
    for (;;) {
      alts.push(sequence(true));
      const sep = chars[i++];
      if (sep === '}') break;
    }
    return `(?:${alts.join('|')})`;
  };

  return `^${sequence(false)}$`;
}

const cache = new BoundedCache<RE2JS | null>(512);

function compileGlob(glob: string, delimiters: string[]): RE2JS | null {
  return cache.get(`${delimiters.join('\u0000')}\u0001${glob}`, () => {
    try {
      return re2js().RE2JS.compile(globToRegex(glob, delimiters));
    } catch {
      return null;
    }
  });
}

const match: HostBuiltin = (pattern, delimiters, value) => {
  if (!isString(pattern) || !isString(value)) return undefined;
  let delims: string[];
  if (delimiters === null) delims = [];
  else if (Array.isArray(delimiters)) {
    if (!delimiters.every(isString)) return undefined;
    delims = delimiters.length === 0 ? ['.'] : delimiters.flatMap((d) => [...d].slice(0, 1));
  } else return undefined;
  const re = compileGlob(pattern, delims);
  return re === null ? undefined : re.testExact(value);
};

const quoteMeta: HostBuiltin = (pattern) => {
  if (!isString(pattern)) return undefined;
  let out = '';
  for (const ch of pattern) out += SPECIAL.has(ch) ? `\\${ch}` : ch;
  return out;
};

export const globBuiltins: Record<string, HostBuiltin> = {
  'glob.match': match,
  'glob.quote_meta': quoteMeta,
};
