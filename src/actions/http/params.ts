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
