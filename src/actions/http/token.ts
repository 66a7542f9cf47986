// RFC 9110 token characters (tchar) as a table. Methods and header names are checked on every
// request; a table walk also says which case the letters are in, so an already-canonical name
// skips toLowerCase/toUpperCase (and keeps the caller's interned string).

/** Bit set by tokenKinds when the string holds an uppercase letter. */
export const UPPER = 2;
/** Bit set by tokenKinds when the string holds a lowercase letter. */
export const LOWER = 4;

const TCHAR = new Uint8Array(128);
for (const ch of "!#$%&'*+-.^_`|~0123456789") TCHAR[ch.charCodeAt(0)] = 1;
for (let c = 65; c <= 90; c++) TCHAR[c] = UPPER;
for (let c = 97; c <= 122; c++) TCHAR[c] = LOWER;

/**
 * The kinds of characters in s[from..] OR-ed together (1 for a non-letter tchar, UPPER, LOWER);
 * 0 when that part is empty or holds anything that is not a tchar.
 */
export function tokenKinds(s: string, from: number): number {
  let kinds = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = c < 128 ? (TCHAR[c] as number) : 0;
    if (k === 0) return 0;
    kinds |= k;
  }
  return kinds;
}
