// Path normalization: decode each segment exactly once, resolve '.' and '..', collapse '//'.
// Encoded slashes stay inside their segment (written %2F in `path`) so `/a%2Fb` never equals `/a/b`.

import { decodeOnce, type DecodeNotes } from './percent.ts';
import type { HttpFlag } from './types.ts';

export type PathResult =
  | { ok: true; path: string; segments: string[] }
  | { ok: false; code: string; message: string; position: number };

function escapeSegment(s: string): string {
  if (s.indexOf('%') === -1 && s.indexOf('/') === -1) return s;
  return s.replace(/%/g, '%25').replace(/\//g, '%2F');
}

export function normalizePath(raw: string, flags: Set<HttpFlag>): PathResult {
  return normalizePathFast(raw) ?? normalizePathGeneral(raw, flags);
}

/**
 * A path with nothing to decode, resolve or collapse (no '%', '\\', ';', '//', no segment starting
 * with '.') is its own normal form: its segments are cut in the same pass that checks it. Returns
 * null for anything else, which normalizePathGeneral then handles (it never adds a flag here).
 */
export function normalizePathFast(raw: string): PathResult | null {
  const n = raw.length;
  if (n === 0 || raw.charCodeAt(0) !== 47) return null;
  const segments: string[] = [];
  let start = 1;
  for (let i = 1; i < n; i++) {
    const c = raw.charCodeAt(i);
    if (c === 47) {
      if (i === start) return null; // '//'
      segments.push(raw.slice(start, i));
      start = i + 1;
    } else if (c === 37 || c === 92 || c === 59 || (c === 46 && i === start)) {
      return null;
    }
  }
  if (start < n) segments.push(raw.slice(start));
  return { ok: true, path: raw, segments };
}

// The general path's own shortcut, as it always was: nothing to decode, resolve or collapse (no
// '%', '\\', ';', '//', no '.' segment).
function isPlain(raw: string): boolean {
  let prev = 0;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 37 || c === 92 || c === 59) return false;
    if (c === 47 && prev === 47) return false;
    if (c === 46 && prev === 47) return false; // a segment starting with '.', maybe '.' or '..'
    prev = c;
  }
  return true;
}

export function normalizePathGeneral(raw: string, flags: Set<HttpFlag>): PathResult {
  if (raw === '*' || raw === '') return { ok: true, path: raw, segments: [] };
  if (isPlain(raw)) {
    const segments = raw.length === 1 ? [] : raw.slice(1, raw.endsWith('/') ? -1 : undefined).split('/');
    return { ok: true, path: raw, segments };
  }
  if (raw.indexOf('\\') !== -1) flags.add('backslash');
  const parts = raw.split('/');
  const out: string[] = [];
  const notes: DecodeNotes = { invalidPercent: false, invalidUtf8: false, doubleEncoded: false };
  let trailing = false;
  let pos = 0;
  for (let i = 1; i < parts.length; i++) {
    const seg = parts[i] as string;
    pos += 1;
    const last = i === parts.length - 1;
    if (seg === '') {
      if (last) trailing = true;
      else flags.add('double_slash');
      continue;
    }
    const d = decodeOnce(seg, false, notes);
    if (d.indexOf('\0') !== -1) return { ok: false, code: 'nul_byte', message: 'encoded NUL byte in path', position: pos };
    if (d === '.' || d === '..') {
      if (d === '..') {
        flags.add('path_traversal');
        out.pop();
      } else {
        flags.add('dot_segment');
      }
      if (last) trailing = true;
      pos += seg.length;
      continue;
    }
    if (d.indexOf('/') !== -1) flags.add('encoded_slash');
    if (d.indexOf('\\') !== -1) flags.add('backslash');
    if (d.indexOf(';') !== -1) {
      flags.add('path_params');
      // Servlet containers drop ';params': '..;' is '..' to them.
      const bare = d.slice(0, d.indexOf(';'));
      if (bare === '..' || bare === '.') flags.add('path_traversal');
    }
    out.push(d);
    pos += seg.length;
  }
  if (notes.invalidPercent) flags.add('invalid_percent_encoding');
  if (notes.invalidUtf8) flags.add('invalid_utf8');
  if (notes.doubleEncoded) flags.add('double_encoding');
  let path = '/' + out.map(escapeSegment).join('/');
  if (trailing && out.length > 0) path += '/';
  return { ok: true, path, segments: out };
}
