// Bearer tokens: the credential after "Bearer " (any case) in text or an Authorization header. The
// word "Bearer" stays visible; the token is masked.

import { charTable, partialSuffix, runBack } from './common.ts';
import type { Detector } from './common.ts';

const MAX = 8192;
const WORD_RE = /(?<![A-Za-z0-9_-])bearer[ \t]{1,8}/gi;
// No right boundary: a token longer than MAX still has its first MAX characters masked.
const TOKEN = new RegExp(`[A-Za-z0-9\\-._~+/]{1,${MAX}}={0,4}`, 'y');
const RUN = charTable('A-Za-z0-9-._~+/=');
const WORD = charTable('A-Za-z0-9_-');
const BEFORE = /(?<![A-Za-z0-9_-])bearer[ \t]{1,8}$/i;
const PROSE_GUARD = /[0-9\-._~+/=]/;

// "Bearer authentication" is prose; a credential has a digit or symbol, or is long and mixed-case.
function looksLikeToken(t: string): boolean {
  if (t.length < 8) return false;
  if (PROSE_GUARD.test(t)) return true;
  return t.length >= 20 && /[a-z]/.test(t) && /[A-Z]/.test(t);
}

export const bearerToken: Detector = {
  name: 'bearer_token',
  priority: 3,
  scan(text, from, found) {
    // The word may sit in the left context, before `from`; the token may not.
    WORD_RE.lastIndex = Math.max(0, from - 15);
    for (let m = WORD_RE.exec(text); m !== null; m = WORD_RE.exec(text)) {
      const start = m.index + m[0].length;
      WORD_RE.lastIndex = m.index + 1;
      if (start < from) continue;
      TOKEN.lastIndex = start;
      const t = TOKEN.exec(text);
      if (t !== null && looksLikeToken(t[0])) found(start, start + t[0].length);
    }
  },
  pending(text) {
    const run = runBack(text, RUN, MAX + 5);
    const runStart = text.length - run;
    if (BEFORE.test(text.slice(Math.max(0, runStart - 16), runStart))) return run;
    // The word itself may be arriving: "Bea", "Bearer" (the "!" makes the whole word a proper prefix).
    const k = run <= 6 ? partialSuffix(text, 'bearer!', true) : 0;
    if (k > 0 && k === run) {
      const c = runStart > 0 ? text.charCodeAt(runStart - 1) : 32;
      if (!(c < 128 && WORD[c] === 1)) return k;
    }
    return 0;
  },
};
