// E-mail addresses: a plausible local part, '@', and a domain with a letters-only TLD.

import { charTable, runBack } from './common.ts';
import type { Detector } from './common.ts';

// Anchored on '@' (cheaper than trying every word start): the local part is the whole run of local
// characters before it, which must not be glued to another '@'.
const LOCAL = charTable('A-Za-z0-9._%+-');
const RUN = charTable('A-Za-z0-9._%+-@');
const DOMAIN = /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,8}[A-Za-z]{2,63}(?![A-Za-z0-9\-@_])/y;
// The domain pattern never reads further than this past the '@'.
const REACH = 64 + 1 + 8 * 64 + 63 + 1;

const isIn = (t: Uint8Array, c: number): boolean => c < 128 && t[c] === 1;

export const email: Detector = {
  name: 'email',
  priority: 7,
  scan(text, from, found) {
    for (let at = text.indexOf('@', from); at >= 0; at = text.indexOf('@', at + 1)) {
      let s = at;
      while (s > 0 && at - s <= 64 && isIn(LOCAL, text.charCodeAt(s - 1))) s--;
      const localLen = at - s;
      if (localLen === 0 || localLen > 64 || s < from) continue;
      if (s > 0 && isIn(RUN, text.charCodeAt(s - 1))) continue;
      const local = text.slice(s, at);
      if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) continue;
      DOMAIN.lastIndex = at + 1;
      if (!DOMAIN.test(text)) continue;
      const end = DOMAIN.lastIndex;
      if (end - s <= 254) found(s, end);
    }
  },
  pending(text) {
    const run = runBack(text, RUN, REACH + 1);
    return run <= REACH ? run : 0;
  },
};
