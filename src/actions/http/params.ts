// application/x-www-form-urlencoded parsing, shared by the query string and form bodies:
// multi-valued (name → values in order), '+' is a space, decoded once, secret values redacted.

import { decodeOnce, type DecodeNotes } from './percent.ts';
import { append, type MultiMap } from './multimap.ts';
import { isSecretKey, REDACTED } from './secrets.ts';

export interface ParamsResult {
  params: MultiMap;
  notes: DecodeNotes;
  secret: boolean;
  nul: boolean;
}

export function parseParams(raw: string): ParamsResult {
  return parseParamsFast(raw) ?? parseParamsGeneral(raw);
}

/**
 * Nothing to decode (no '%', '+') and no NUL: names and values are cut straight from `raw` in one
 * pass, without split or decodeOnce. Returns null otherwise, for parseParamsGeneral; where it
 * answers, it answers exactly what parseParamsGeneral would.
 */
export function parseParamsFast(raw: string): ParamsResult | null {
  const params: MultiMap = {};
  let secret = false;
  let start = 0;
  let eq = -1;
  const n = raw.length;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? raw.charCodeAt(i) : 38; // the end closes the last piece like a '&'
    if (c === 38 /* & */) {
      if (i > start) {
        const name = raw.slice(start, eq >= 0 ? eq : i);
        let value = eq >= 0 ? raw.slice(eq + 1, i) : '';
        if (value !== '' && isSecretKey(name)) {
          value = REDACTED;
          secret = true;
        }
        append(params, name, value);
      }
      start = i + 1;
      eq = -1;
    } else if (c === 61 /* = */) {
      if (eq < 0) eq = i;
    } else if (c === 37 /* % */ || c === 43 /* + */ || c === 0) {
      return null;
    }
  }
  return { params, notes: { invalidPercent: false, invalidUtf8: false, doubleEncoded: false }, secret, nul: false };
}

export function parseParamsGeneral(raw: string): ParamsResult {
  const params: MultiMap = {};
  const notes: DecodeNotes = { invalidPercent: false, invalidUtf8: false, doubleEncoded: false };
  let secret = false;
  let nul = false;
  if (raw === '') return { params, notes, secret, nul };
  for (const piece of raw.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const name = decodeOnce(eq >= 0 ? piece.slice(0, eq) : piece, true, notes);
    let value = eq >= 0 ? decodeOnce(piece.slice(eq + 1), true, notes) : '';
    if (name.indexOf('\0') !== -1 || value.indexOf('\0') !== -1) nul = true;
    if (value !== '' && isSecretKey(name)) {
      value = REDACTED;
      secret = true;
    }
    append(params, name, value);
  }
  return { params, notes, secret, nul };
}
