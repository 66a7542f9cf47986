// Percent-decoding, exactly once, with every oddity reported instead of smoothed over.

export interface DecodeNotes {
  invalidPercent: boolean;
  invalidUtf8: boolean;
  doubleEncoded: boolean;
}

const HEX_PAIR = /%[0-9A-Fa-f]{2}/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/** Decodes %XX once (and '+' as space when `plus`); never throws. */
export function decodeOnce(s: string, plus: boolean, notes: DecodeNotes): string {
  const hasPct = s.indexOf('%') !== -1;
  const hasPlus = plus && s.indexOf('+') !== -1;
  if (!hasPct && !hasPlus) return s;
  const src = hasPlus ? s.replace(/\+/g, ' ') : s;
  if (!hasPct) return src;
  let out: string;
  try {
    out = decodeURIComponent(src);
  } catch {
    out = slowDecode(src, notes);
  }
  if (out.indexOf('%') !== -1 && HEX_PAIR.test(out)) notes.doubleEncoded = true;
  return out;
}

// Byte-level path for malformed input: a '%' not followed by two hex digits stays literal,
// invalid UTF-8 (overlong '.' as %c0%ae, lone surrogates) decodes to U+FFFD and is reported.
function slowDecode(s: string, notes: DecodeNotes): string {
  const bytes: number[] = [];
  const enc = new TextEncoder();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      const h = i + 2 < s.length ? hexVal(s.charCodeAt(i + 1)) : -1;
      const l = h >= 0 ? hexVal(s.charCodeAt(i + 2)) : -1;
      if (h >= 0 && l >= 0) {
        bytes.push(h * 16 + l);
        i += 2;
        continue;
      }
      notes.invalidPercent = true;
      bytes.push(37);
    } else if (c < 128) {
      bytes.push(c);
    } else {
      const cp = s.codePointAt(i) ?? c;
      const chunk = enc.encode(String.fromCodePoint(cp));
      for (const b of chunk) bytes.push(b);
      if (cp > 0xffff) i++;
    }
  }
  const buf = Uint8Array.from(bytes);
  try {
    return strictUtf8.decode(buf);
  } catch {
    notes.invalidUtf8 = true;
    return lossyUtf8.decode(buf);
  }
}
