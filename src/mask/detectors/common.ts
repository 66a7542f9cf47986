// What every detector provides, and the small helpers they share.

import type { DetectorName } from '../types.ts';

export interface Detector {
  readonly name: DetectorName;
  /** On two matches with the same span, the lower priority number wins (the more specific one). */
  readonly priority: number;
  /** Reports every validated match that starts at or after `from` as [start, end). It may read up to
   *  LOOKBEHIND characters before `from` for boundary checks; a match touching the end of `text`
   *  treats the end as a boundary. */
  scan(text: string, from: number, found: (start: number, end: number) => void): void;
  /** Length of the suffix of `text` in which a match may start whose outcome depends on characters
   *  not yet seen. A streaming masker holds that suffix back. */
  pending(text: string): number;
}

/** Characters of left context a detector may need before its match. */
export const LOOKBEHIND = 32;

export type CharTable = Uint8Array;

/** A lookup table over ASCII for a set of characters given as a string of ranges ("a-z0-9_"). */
export function charTable(spec: string): CharTable {
  const t = new Uint8Array(128);
  for (let i = 0; i < spec.length; i++) {
    const c = spec.charCodeAt(i);
    if (spec[i + 1] === '-' && i + 2 < spec.length) {
      const hi = spec.charCodeAt(i + 2);
      for (let x = c; x <= hi; x++) t[x] = 1;
      i += 2;
    } else t[c] = 1;
  }
  return t;
}

export const inTable = (t: CharTable, code: number): boolean => code < 128 && t[code] === 1;

/** How many characters at the end of `text` belong to `table`, counting at most `limit`. */
export function runBack(text: string, table: CharTable, limit: number): number {
  let n = 0;
  for (let i = text.length - 1; i >= 0 && n < limit && inTable(table, text.charCodeAt(i)); i--) n++;
  return n;
}

/** Like runBack, but the suffix must begin with a character of `first` (where a match can start). */
export function runBackFrom(text: string, table: CharTable, first: CharTable, limit: number): number {
  let n = runBack(text, table, limit);
  while (n > 0 && !inTable(first, text.charCodeAt(text.length - n))) n--;
  return n;
}

/** Runs a global regex from `from`, trying every start position (so results do not depend on where
 *  scanning began), and reports the matches `accept` approves. */
export function scanRegex(
  re: RegExp,
  text: string,
  from: number,
  accept: (m: RegExpExecArray) => boolean,
  found: (start: number, end: number) => void,
): void {
  re.lastIndex = from;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (accept(m)) found(m.index, m.index + m[0].length);
    re.lastIndex = m.index + 1;
  }
}

/** Length of the longest suffix of `text` that is a proper, non-empty prefix of `word`. */
export function partialSuffix(text: string, word: string, caseInsensitive = false): number {
  const t = caseInsensitive ? text.slice(-word.length).toLowerCase() : text.slice(-word.length);
  for (let n = Math.min(word.length - 1, t.length); n > 0; n--) {
    if (t.endsWith(word.slice(0, n))) return n;
  }
  return 0;
}
