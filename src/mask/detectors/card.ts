// Payment card numbers: 13-19 digits, optionally grouped with single spaces or dashes, passing Luhn,
// with a major-network first digit (2-6), so that epoch milliseconds and long ids stay visible.

import { charTable, runBackFrom } from './common.ts';
import type { Detector } from './common.ts';

// A number starts where it is not glued to a letter or digit, nor continues a digit group ("1 4111",
// "DE89 3704 ..."). Its end may be followed by another number ("4111... 123-45-6789" in a table).
const START = /(?<![A-Za-z0-9]|[0-9][ -])[2-6]/g;
const DIGIT = charTable('0-9');
const ALNUM = charTable('A-Za-z0-9');
const FIRST = charTable('0-9');
const RUN = charTable('0-9 -');
const REACH = 19 + 18 + 1;

const isIn = (t: Uint8Array, c: number): boolean => c < 128 && t[c] === 1;

export function luhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export const paymentCard: Detector = {
  name: 'payment_card',
  priority: 4,
  // From each start, the digit groups are read up to 19 digits; every place where 13-19 digits end
  // at a word boundary is a candidate, longest first, and the first passing Luhn is the match
  // ("4111 1111 1111 1111 5" masks the card and leaves the 5).
  scan(text, from, found) {
    START.lastIndex = from;
    const ends: number[] = [];
    const counts: string[] = [];
    for (let m = START.exec(text); m !== null; m = START.exec(text)) {
      const start = m.index;
      START.lastIndex = start + 1;
      ends.length = 0;
      counts.length = 0;
      let digits = '';
      let i = start;
      while (i < text.length && digits.length < 19) {
        const c = text.charCodeAt(i);
        if (isIn(DIGIT, c)) {
          digits += text[i];
          i++;
          if (digits.length >= 13 && !(i < text.length && isIn(ALNUM, text.charCodeAt(i)))) { ends.push(i); counts.push(digits); }
          continue;
        }
        if ((c === 32 || c === 45) && i + 1 < text.length && isIn(DIGIT, text.charCodeAt(i + 1))) { i++; continue; }
        break;
      }
      for (let k = ends.length - 1; k >= 0; k--) {
        if (luhn(counts[k] as string)) { found(start, ends[k] as number); break; }
      }
    }
  },
  pending(text) {
    return runBackFrom(text, RUN, FIRST, REACH);
  },
};
