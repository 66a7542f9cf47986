// A minimal DER reader for the parts of X.509 certificates and PKCS#10 requests that node:crypto
// does not expose: distinguished names, subject alternative names, algorithm identifiers.
// Everything is bounds-checked; malformed input throws DerError.

export class DerError extends Error {}

export interface Tlv { tag: number; start: number; end: number; next: number; bytes: Buffer }

/** The element at `offset`: tag, content range and the offset after it. */
export function readTlv(buf: Buffer, offset: number, limit = buf.length): Tlv {
  if (offset + 2 > limit) throw new DerError('asn1: structure error: truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('asn1: structure error: high tag numbers are not supported');
  let len = buf[offset + 1]!;
  let p = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) throw new DerError('asn1: structure error: bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p + i]!;
    p += n;
  }
  if (p + len > limit) throw new DerError('asn1: structure error: data truncated');
  return { tag, start: p, end: p + len, next: p + len, bytes: buf.subarray(offset, p + len) };
}

/** The children of a constructed element. */
export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let p = parent.start; p < parent.end; ) {
    const t = readTlv(buf, p, parent.end);
    out.push(t);
    p = t.next;
  }
  return out;
}

export function expectTag(t: Tlv | undefined, tag: number): Tlv {
  if (t === undefined || t.tag !== tag) throw new DerError('asn1: structure error: tags don\'t match');
  return t;
}

export function oid(buf: Buffer, t: Tlv): number[] {
  expectTag(t, 0x06);
  const out: number[] = [];
  let v = 0;
  for (let i = t.start; i < t.end; i++) {
    const b = buf[i]!;
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (out.length === 0) out.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else out.push(v);
      v = 0;
    }
  }
  return out;
}

/** A string-ish value (UTF8, Printable, IA5, T61, BMP, Universal strings). */
export function text(buf: Buffer, t: Tlv): string {
  const content = buf.subarray(t.start, t.end);
  if (t.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < content.length; i += 2) s += String.fromCharCode(content.readUInt16BE(i));
    return s;
  }
  if (t.tag === 0x1c) {
    let s = '';
    for (let i = 0; i + 3 < content.length; i += 4) s += String.fromCodePoint(content.readUInt32BE(i));
    return s;
  }
  return content.toString(t.tag === 0x14 ? 'latin1' : 'utf8');
}

export function integer(buf: Buffer, t: Tlv): bigint {
  expectTag(t, 0x02);
  let v = 0n;
  for (let i = t.start; i < t.end; i++) v = (v << 8n) | BigInt(buf[i]!);
  if (t.end > t.start && buf[t.start]! & 0x80) v -= 1n << BigInt(8 * (t.end - t.start));
  return v;
}
