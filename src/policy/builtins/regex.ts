// regex.* builtins with RE2 semantics (re2js), matching Go's regexp package as OPA uses it:
// unanchored search, Go's rules for successive empty matches, Go's `$1`/`${name}` expansion.
import type { RE2JS } from 're2js';
import { re2js } from './lazy.ts';
import { BoundedCache, isInteger, isString, type HostBuiltin } from './values.ts';

const cache = new BoundedCache<RE2JS | null>(512);

/** The compiled pattern, or null when it is not valid RE2 syntax. */
export function compileRegex(pattern: string): RE2JS | null {
  return cache.get(pattern, () => {
    try {
      return re2js().RE2JS.compile(pattern);
    } catch {
      return null;
    }
  });
}

interface Match {
  /** [start, end] of the whole match and of each group in UTF-16 units; -1 for an unmatched group. */
  spans: number[];
}

/** All matches, at most `n` (n < 0: no limit), with Go's FindAll rules for empty matches. */
function findAll(re: RE2JS, s: string, n: number): Match[] {
  const out: Match[] = [];
  if (n === 0) return out;
  const m = re.matcher(s);
  const groups = m.groupCount();
  let pos = 0;
  let prevEnd = -1;
  while ((n < 0 || out.length < n) && pos <= s.length) {
    if (!m.find(pos)) break;
    const start = m.start();
    const end = m.end();
    let accept = true;
    if (end === pos) {
      // An empty match right where the previous one ended is skipped; step one code point.
      if (start === prevEnd) accept = false;
      const cp = s.codePointAt(pos);
      pos += cp !== undefined && cp > 0xffff ? 2 : 1;
    } else {
      pos = end;
    }
    prevEnd = end;
    if (accept) {
      const spans: number[] = [start, end];
      for (let g = 1; g <= groups; g++) {
        const gs = m.start(g);
        spans.push(gs, gs < 0 ? -1 : m.end(g));
      }
      out.push({ spans });
    }
  }
  return out;
}

function span(s: string, spans: number[], g: number): string {
  const a = spans[2 * g] ?? -1;
  const b = spans[2 * g + 1] ?? -1;
  return a < 0 || b < 0 ? '' : s.slice(a, b);
}

/** Go's Regexp.Split(s, -1). */
export function regexSplit(re: RE2JS, s: string): string[] {
  if (re.pattern().length > 0 && s.length === 0) return [''];
  const parts: string[] = [];
  let beg = 0;
  let end = 0;
  for (const { spans } of findAll(re, s, -1)) {
    end = spans[0]!;
    if (spans[1] !== 0) parts.push(s.slice(beg, end));
    beg = spans[1]!;
  }
  if (end !== s.length) parts.push(s.slice(beg));
  return parts;
}

const NAME_CHAR = /[A-Za-z0-9_]/;

/** Go's Regexp.Expand template syntax: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, s: string, spans: number[], names: Record<string, number>): string {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = template[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
      continue;
    }
    let name = '';
    let after = i + 1;
    if (next === '{') {
      const close = template.indexOf('}', i + 2);
      const inner = close < 0 ? '' : template.slice(i + 2, close);
      if (close < 0 || inner === '' || ![...inner].every((ch) => NAME_CHAR.test(ch))) {
        out += '$';
        i++;
        continue;
      }
      name = inner;
      after = close + 1;
    } else {
      while (after < template.length && NAME_CHAR.test(template[after]!)) after++;
      name = template.slice(i + 1, after);
      if (name === '') {
        out += '$';
        i++;
        continue;
      }
    }
    const group = /^[0-9]+$/.test(name) ? Number(name) : (names[name] ?? -1);
    if (group >= 0 && 2 * group + 1 < spans.length) out += span(s, spans, group);
    i = after;
  }
  return out;
}

const match: HostBuiltin = (pattern, value) => {
  if (!isString(pattern) || !isString(value)) return undefined;
  const re = compileRegex(pattern);
  return re === null ? undefined : re.test(value);
};

const isValid: HostBuiltin = (pattern) => isString(pattern) && compileRegex(pattern) !== null;

const findN: HostBuiltin = (pattern, value, n) => {
  if (!isString(pattern) || !isString(value) || !isInteger(n)) return undefined;
  const re = compileRegex(pattern);
  if (re === null) return undefined;
  return findAll(re, value, n).map(({ spans }) => span(value, spans, 0));
};

const findAllSubmatch: HostBuiltin = (pattern, value, n) => {
  if (!isString(pattern) || !isString(value) || !isInteger(n)) return undefined;
  const re = compileRegex(pattern);
  if (re === null) return undefined;
  return findAll(re, value, n).map(({ spans }) => {
    const row: string[] = [];
    for (let g = 0; 2 * g < spans.length; g++) row.push(span(value, spans, g));
    return row;
  });
};

const split: HostBuiltin = (pattern, value) => {
  if (!isString(pattern) || !isString(value)) return undefined;
  const re = compileRegex(pattern);
  return re === null ? undefined : regexSplit(re, value);
};

const replace: HostBuiltin = (value, pattern, replacement) => {
  if (!isString(value) || !isString(pattern) || !isString(replacement)) return undefined;
  const re = compileRegex(pattern);
  if (re === null) return undefined;
  const names = re.namedGroups();
  let out = '';
  let last = 0;
  for (const { spans } of findAll(re, value, -1)) {
    out += value.slice(last, spans[0]) + expand(replacement, value, spans, names);
    last = spans[1]!;
  }
  return out + value.slice(last);
};

/**
 * regex.template_match: `template` mixes literal text and regexes between the delimiters
 * (`urn:{[a-z]+}:x`); the whole value must match. Unbalanced delimiters are an error.
 */
const templateMatch: HostBuiltin = (template, value, open, close) => {
  if (!isString(template) || !isString(value) || !isString(open) || !isString(close)) return undefined;
  const o = [...open][0];
  const c = [...close][0];
  if (o === undefined || c === undefined) return undefined;
  const chars = [...template];
  let re = '^';
  let literal = '';
  let depth = 0;
  let inner = '';
  for (const ch of chars) {
    if (depth === 0) {
      if (ch === o) {
        re += re2js().RE2JS.quote(literal);
        literal = '';
        depth = 1;
      } else if (ch === c) {
        return undefined;
      } else {
        literal += ch;
      }
      continue;
    }
    if (ch === o) depth++;
    else if (ch === c) depth--;
    if (depth === 0) {
      re += `(${inner})`;
      inner = '';
    } else {
      inner += ch;
    }
  }
  if (depth !== 0) return undefined;
  re += re2js().RE2JS.quote(literal) + '$';
  const compiled = compileRegex(re);
  return compiled === null ? undefined : compiled.test(value);
};

export const regexBuiltins: Record<string, HostBuiltin> = {
  'regex.match': match,
  'regex.is_valid': isValid,
  'regex.find_n': findN,
  'regex.find_all_string_submatch_n': findAllSubmatch,
  'regex.split': split,
  'regex.replace': replace,
  'regex.template_match': templateMatch,
};
