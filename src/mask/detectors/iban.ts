// IBANs: country code, check digits and the country's exact length, with the mod-97 checksum.
// Single spaces between characters are allowed (the printed form groups by four); upper case only.

import { charTable, runBackFrom } from './common.ts';
import type { Detector } from './common.ts';

// Lengths from the SWIFT IBAN registry.
const LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};
const START = /(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}/g;
const UPPER_ALNUM = charTable('A-Z0-9');
const ALNUM = charTable('A-Za-z0-9');
const FIRST = charTable('A-Z');
const RUN = charTable('A-Z0-9 ');
const REACH = 34 * 2 + 1;

export function ibanChecksumOk(iban: string): boolean {
  const s = iban.slice(4) + iban.slice(0, 4);
  let r = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 55;
    r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
  }
  return r === 1;
}

const isIn = (t: Uint8Array, c: number): boolean => c < 128 && t[c] === 1;

export const iban: Detector = {
  name: 'iban',
  priority: 5,
  scan(text, from, found) {
    START.lastIndex = from;
    for (let m = START.exec(text); m !== null; m = START.exec(text)) {
      const start = m.index;
      START.lastIndex = start + 1;
      const want = LENGTHS[m[0].slice(0, 2)];
      if (want === undefined) continue;
      let chars = '';
      let i = start;
      while (i < text.length && chars.length < want) {
        const c = text.charCodeAt(i);
        if (isIn(UPPER_ALNUM, c)) { chars += text[i]; i++; continue; }
        if (c === 32 && chars.length > 0 && i + 1 < text.length && isIn(UPPER_ALNUM, text.charCodeAt(i + 1))) { i++; continue; }
        break;
      }
      if (chars.length !== want) continue;
      if (i < text.length && isIn(ALNUM, text.charCodeAt(i))) continue;
      if (ibanChecksumOk(chars)) found(start, i);
    }
  },
  pending(text) {
    return runBackFrom(text, RUN, FIRST, REACH);
  },
};
