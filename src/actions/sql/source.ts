// Source-text helpers: parsers report UTF-8 byte offsets, documents use character offsets, and
// quoted-ness of a name is read back from the text because the AST has already folded it.

export class Source {
  private map: Int32Array | null = null;
  readonly ascii: boolean;
  constructor(readonly text: string) {
    // One UTF-8 byte per UTF-16 unit only when every unit is ASCII; byteLength is native and
    // an order of magnitude faster than a regex scan.
    this.ascii = Buffer.byteLength(text, 'utf8') === text.length;
  }

  /** UTF-8 byte offset → UTF-16 character offset. */
  charAt(byte: number): number {
    if (this.ascii) return byte;
    if (!this.map) this.map = buildMap(this.text);
    return byte >= 0 && byte < this.map.length ? this.map[byte]! : this.text.length;
  }

  /**
   * Quoting of each part of a dotted name starting at a character offset, or null when the text
   * there does not look like a name with the expected number of parts.
   */
  quotedParts(pos: number, parts: number): boolean[] | null {
    const s = this.text;
    const out: boolean[] = [];
    let i = pos;
    for (;;) {
      if (i >= s.length) return null;
      const c = s[i]!;
      if (c === '"' || ((c === 'U' || c === 'u') && s[i + 1] === '&' && s[i + 2] === '"')) {
        i = closeQuote(s, c === '"' ? i : i + 2);
        out.push(true);
      } else if (c === '`') {
        const e = s.indexOf('`', i + 1);
        if (e < 0) return null;
        i = e + 1;
        out.push(true);
      } else {
        const e = bareEnd(s, i);
        if (e === i) return null;
        i = e;
        out.push(false);
      }
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      if (s[i] !== '.' || out.length >= parts) break;
      i++;
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
    }
    return out.length === parts ? out : null;
  }
}

/**
 * End of the bare identifier starting at i (i itself when there is none): a letter, "_" or any
 * non-ASCII unit, then also digits and "$". A loop, not a sticky regex: names are short and many.
 */
function bareEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (!(c >= 128 || c === 95 || ((c | 32) >= 97 && (c | 32) <= 122))) return i;
  let j = i + 1;
  for (; j < s.length; j++) {
    const d = s.charCodeAt(j);
    if (!(d >= 128 || d === 95 || d === 36 || (d >= 48 && d <= 57) || ((d | 32) >= 97 && (d | 32) <= 122))) break;
  }
  return j;
}

/** /\s/ on one UTF-16 unit, without a regex call for ASCII. */
function isSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  return /\s/.test(String.fromCharCode(c));
}

function closeQuote(s: string, i: number): number {
  let j = i + 1;
  while (j < s.length) {
    if (s[j] === '"') {
      if (s[j + 1] === '"') { j += 2; continue; }
      return j + 1;
    }
    j++;
  }
  return j;
}

function buildMap(text: string): Int32Array {
  const bytes = Buffer.byteLength(text, 'utf8');
  const map = new Int32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < len; k++) map[b + k] = i;
    b += len;
    if (cp >= 0x10000) i++;
  }
  map[bytes] = text.length;
  return map;
}
