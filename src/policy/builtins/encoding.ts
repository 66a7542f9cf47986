// base64, base64url, hex and urlquery codecs. Decoders are strict like Go's encoding packages
// (Node's Buffer would silently skip bad characters); invalid input gives undefined.
import { isObject, isString, type HostBuiltin } from './values.ts';

const utf8 = new TextDecoder('utf-8');

const STD = /^[A-Za-z0-9+/]*$/;
const URL = /^[A-Za-z0-9\-_]*$/;

/** Decodes base64 (alphabet per `url`); padding required or forbidden per `padded`. */
function decode64(s: string, url: boolean, padded: 'required' | 'optional'): string | undefined {
  const text = s.replace(/[\r\n]/g, '');
  const body = text.replace(/=+$/, '');
  const pad = text.length - body.length;
  if (!(url ? URL : STD).test(body) || body.length % 4 === 1 || pad > 2) return undefined;
  if (pad > 0 && text.length % 4 !== 0) return undefined;
  if (padded === 'required' && text.length % 4 !== 0) return undefined;
  return utf8.decode(Buffer.from(body, url ? 'base64url' : 'base64'));
}

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

const base64Encode: HostBuiltin = (x) => (isString(x) ? bytes(x).toString('base64') : undefined);
const base64Decode: HostBuiltin = (x) => (isString(x) ? decode64(x, false, 'required') : undefined);
const base64IsValid: HostBuiltin = (x) => isString(x) && decode64(x, false, 'required') !== undefined;

const base64urlEncode: HostBuiltin = (x) => {
  if (!isString(x)) return undefined;
  const s = bytes(x).toString('base64url');
  return s + '='.repeat((4 - (s.length % 4)) % 4);
};
const base64urlEncodeNoPad: HostBuiltin = (x) => (isString(x) ? bytes(x).toString('base64url') : undefined);
const base64urlDecode: HostBuiltin = (x) => (isString(x) ? decode64(x, true, 'optional') : undefined);

const hexEncode: HostBuiltin = (x) => (isString(x) ? bytes(x).toString('hex') : undefined);
const hexDecode: HostBuiltin = (x) => {
  if (!isString(x) || x.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(x)) return undefined;
  return utf8.decode(Buffer.from(x, 'hex'));
};

/** Go's url.QueryEscape: unreserved characters kept, space as `+`, the rest %XX. */
export function queryEscape(s: string): string {
  let out = '';
  for (const b of bytes(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's url.QueryUnescape: `+` is a space; a malformed escape is an error. */
export function queryUnescape(s: string): string | undefined {
  const out: number[] = [];
  const src = bytes(s);
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x25) {
      const hex = String.fromCharCode(src[i + 1] ?? 0, src[i + 2] ?? 0);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(b === 0x2b ? 0x20 : b);
  }
  return utf8.decode(Uint8Array.from(out));
}

const urlEncode: HostBuiltin = (x) => (isString(x) ? queryEscape(x) : undefined);
const urlDecode: HostBuiltin = (x) => (isString(x) ? queryUnescape(x) : undefined);

/** Object of string → string | string[] (sets arrive as arrays), encoded with sorted keys. */
const urlEncodeObject: HostBuiltin = (obj) => {
  if (!isObject(obj)) return undefined;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const v = obj[key];
    const values = isString(v) ? [v] : Array.isArray(v) && v.every(isString) ? v : undefined;
    if (values === undefined) return undefined;
    for (const item of values) parts.push(`${queryEscape(key)}=${queryEscape(item)}`);
  }
  return parts.join('&');
};

const urlDecodeObject: HostBuiltin = (x) => {
  if (!isString(x)) return undefined;
  const out = new Map<string, string[]>();
  for (const part of x.split('&')) {
    if (part === '') continue;
    if (part.includes(';')) return undefined;
    const eq = part.indexOf('=');
    const key = queryUnescape(eq < 0 ? part : part.slice(0, eq));
    const value = queryUnescape(eq < 0 ? '' : part.slice(eq + 1));
    if (key === undefined || value === undefined) return undefined;
    const list = out.get(key);
    if (list === undefined) out.set(key, [value]);
    else list.push(value);
  }
  // fromEntries defines own properties, so a `__proto__` key stays a plain key.
  return Object.fromEntries(out);
};

export const encodingBuiltins: Record<string, HostBuiltin> = {
  'base64.encode': base64Encode,
  'base64.decode': base64Decode,
  'base64.is_valid': base64IsValid,
  'base64url.encode': base64urlEncode,
  'base64url.encode_no_pad': base64urlEncodeNoPad,
  'base64url.decode': base64urlDecode,
  'hex.encode': hexEncode,
  'hex.decode': hexDecode,
  'urlquery.encode': urlEncode,
  'urlquery.decode': urlDecode,
  'urlquery.encode_object': urlEncodeObject,
  'urlquery.decode_object': urlDecodeObject,
};
