// US social security numbers written with separators (123-45-6789 or 123 45 6789). Bare nine-digit
// numbers are too often other identifiers; columns holding SSNs are masked by column targets.

import { charTable, runBackFrom, scanRegex } from './common.ts';
import type { Detector } from './common.ts';

const RE = /(?<![A-Za-z0-9]|[0-9]-)([0-9]{3})([ -])([0-9]{2})\2([0-9]{4})(?![A-Za-z0-9]|-[0-9])/g;
const FIRST = charTable('0-9');
const RUN = charTable('0-9 -');
const REACH = 11 + 2;

// Never issued: area 000, 666 or 900-999; group 00; serial 0000.
function valid(area: string, group: string, serial: string): boolean {
  return area !== '000' && area !== '666' && area[0] !== '9' && group !== '00' && serial !== '0000';
}

export const usSsn: Detector = {
  name: 'us_ssn',
  priority: 6,
  scan(text, from, found) {
    scanRegex(RE, text, from, (m) => valid(m[1] as string, m[3] as string, m[4] as string), found);
  },
  pending(text) {
    return runBackFrom(text, RUN, FIRST, REACH);
  },
};
