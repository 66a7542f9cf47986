// PEM (and PGP armour) private key blocks, masked whole from BEGIN to END. A block without its END
// line (truncated output) is masked up to the first character that cannot belong to it.

import { partialSuffix } from './common.ts';
import type { Detector } from './common.ts';

/** Longest body masked as one block. */
export const PEM_MAX_BODY = 65536;
const NAME = '(?:[A-Z0-9]+ ){0,4}PRIVATE KEY(?: BLOCK)?-----';
const HEADER = `-----BEGIN ${NAME}`;
const FOOTER = `-----END ${NAME}`;
// Base64, header lines (Proc-Type: 4,ENCRYPTED), and backslash escapes of JSON-encoded keys.
const BODY = '[A-Za-z0-9+/=\\s:,.\\\\-]';
const RE = new RegExp(`${HEADER}(?:${BODY}{0,${PEM_MAX_BODY}}?${FOOTER}|${BODY}{0,${PEM_MAX_BODY}})`, 'g');
const HEADER_AT = new RegExp(HEADER, 'y');
const FOOTER_ANY = new RegExp(FOOTER);
const HEADER_PREFIX = /^-----BEGIN[A-Z0-9 -]*$/;
const REACH = PEM_MAX_BODY + 128;

export const privateKey: Detector = {
  name: 'private_key',
  priority: 0,
  scan(text, from, found) {
    const first = text.indexOf('-----BEGIN', from);
    if (first < 0) return;
    RE.lastIndex = first;
    for (let m = RE.exec(text); m !== null; m = RE.exec(text)) {
      found(m.index, m.index + m[0].length);
      RE.lastIndex = m.index + 1;
    }
  },
  pending(text) {
    let hold = partialSuffix(text, '-----BEGIN');
    const p = text.lastIndexOf('-----BEGIN');
    if (p >= 0 && text.length - p <= REACH) {
      HEADER_AT.lastIndex = p;
      if (HEADER_AT.test(text)) {
        if (!FOOTER_ANY.test(text.slice(HEADER_AT.lastIndex))) hold = Math.max(hold, text.length - p);
      } else if (text.length - p < 96 && HEADER_PREFIX.test(text.slice(p))) {
        hold = Math.max(hold, text.length - p);
      }
    }
    return hold;
  },
};
