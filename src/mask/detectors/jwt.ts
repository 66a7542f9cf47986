// JSON Web Tokens (JWS with three parts, JWE with five) whose header decodes to a JSON object with an
// "alg" string.

import { charTable, runBack, scanRegex } from './common.ts';
import type { Detector } from './common.ts';

const P = '[A-Za-z0-9_-]';
const RE = new RegExp(`(?<!${P})eyJ${P}{0,8189}\\.${P}{0,8192}\\.${P}{0,8192}(?:\\.${P}{0,8192}\\.${P}{0,8192})?(?!${P})`, 'g');
const PART = charTable('A-Za-z0-9_-');
const RUN = charTable('A-Za-z0-9_.-');
const REACH = 5 * 8193 + 1;

function headerHasAlg(b64: string): boolean {
  try {
    const h: unknown = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
    return typeof h === 'object' && h !== null && typeof (h as Record<string, unknown>)['alg'] === 'string';
  } catch {
    return false;
  }
}

const boundaryAt = (text: string, p: number): boolean => {
  if (p === 0) return true;
  const c = text.charCodeAt(p - 1);
  return !(c < 128 && PART[c] === 1);
};

export const jwt: Detector = {
  name: 'jwt',
  priority: 1,
  scan(text, from, found) {
    if (text.indexOf('eyJ', from) < 0) return;
    scanRegex(RE, text, from, (m) => headerHasAlg(m[0].slice(0, m[0].indexOf('.'))), found);
  },
  // A token may start at "eyJ" (or a partial "e", "ey" at the very end) at a part boundary inside the
  // trailing run of token characters.
  pending(text) {
    const run = runBack(text, RUN, REACH);
    const runStart = text.length - run;
    for (let p = text.indexOf('eyJ', runStart); p >= 0; p = text.indexOf('eyJ', p + 1)) {
      if (boundaryAt(text, p)) return text.length - p;
    }
    for (const k of [2, 1]) {
      if (run >= k && text.endsWith('ey'.slice(0, k)) && boundaryAt(text, text.length - k)) return k;
    }
    return 0;
  },
};
