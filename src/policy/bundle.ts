// OPA bundles: a gzipped tar holding `/.manifest` (JSON: revision, roots, wasm entrypoints),
// `/data.json` and `/policy.wasm`, the layout `opa build -t wasm` writes and OPA loads.
// The tar (ustar) writer and reader are ours: small, strict, and enough for bundles.
import { gunzipSync, gzipSync } from 'node:zlib';

export class BundleError extends Error {
  constructor(readonly code: 'bundle_format_error' | 'bundle_limit_error', message: string) {
    super(`${code}: ${message}`);
    this.name = 'BundleError';
  }
}

export interface TarEntry {
  /** Path as stored, e.g. `/policy.wasm`. */
  name: string;
  data: Uint8Array;
}

const BLOCK = 512;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

function writeField(h: Uint8Array, offset: number, len: number, text: string): void {
  const b = enc.encode(text);
  if (b.length > len) throw new BundleError('bundle_format_error', `tar field too long: ${text}`);
  h.set(b, offset);
}

/** Octal numeric field: digits, then a NUL, right-aligned as the format asks. */
function writeOctal(h: Uint8Array, offset: number, len: number, n: number): void {
  const digits = n.toString(8).padStart(len - 1, '0');
  if (digits.length > len - 1) throw new BundleError('bundle_limit_error', `tar number too large: ${n}`);
  writeField(h, offset, len, `${digits}\0`);
}

/** Splits a name into ustar's prefix (≤155 bytes) and name (≤100 bytes) at a `/`. */
function splitName(name: string): [string, string] {
  if (enc.encode(name).length <= 100) return ['', name];
  for (let i = name.lastIndexOf('/'); i > 0; i = name.lastIndexOf('/', i - 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (enc.encode(prefix).length <= 155 && enc.encode(rest).length <= 100) return [prefix, rest];
  }
  throw new BundleError('bundle_limit_error', `path too long for a tar header: ${name}`);
}

function header(name: string, size: number, mtime: number): Uint8Array {
  const h = new Uint8Array(BLOCK);
  const [prefix, base] = splitName(name);
  writeField(h, 0, 100, base);
  writeOctal(h, 100, 8, 0o644);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, size);
  writeOctal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  h[156] = 0x30; // '0': regular file
  writeField(h, 257, 6, 'ustar\0');
  writeField(h, 263, 2, '00');
  writeField(h, 345, 155, prefix);
  let sum = 0;
  for (const b of h) sum += b;
  writeField(h, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return h;
}

/** A ustar archive of regular files, ending with the two zero blocks. */
export function writeTar(entries: TarEntry[], mtime = 0): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (const e of entries) {
    const h = header(e.name, e.data.length, mtime);
    const padded = Math.ceil(e.data.length / BLOCK) * BLOCK;
    const body = new Uint8Array(padded);
    body.set(e.data);
    parts.push(h, body);
    total += BLOCK + padded;
  }
  parts.push(new Uint8Array(2 * BLOCK));
  total += 2 * BLOCK;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readString(b: Uint8Array, offset: number, len: number): string {
  let end = offset;
  while (end < offset + len && b[end] !== 0) end++;
  return dec.decode(b.subarray(offset, end));
}

function readOctal(b: Uint8Array, offset: number, len: number, what: string): number {
  const s = readString(b, offset, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new BundleError('bundle_format_error', `bad tar ${what} field: ${JSON.stringify(s)}`);
  return s === '' ? 0 : parseInt(s, 8);
}

export interface ReadLimits {
  /** Largest total of file sizes accepted (default 256 MiB). */
  maxBytes?: number;
  maxEntries?: number;
}

/** Reads regular files from a ustar/pax archive; directories are skipped, links refused. */
export function readTar(tar: Uint8Array, limits: ReadLimits = {}): TarEntry[] {
  const maxBytes = limits.maxBytes ?? 256 * 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 10_000;
  const out: TarEntry[] = [];
  let at = 0;
  let total = 0;
  let paxPath: string | null = null;
  while (at + BLOCK <= tar.length) {
    const h = tar.subarray(at, at + BLOCK);
    if (h.every((b) => b === 0)) return out; // end of archive
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== readOctal(h, 148, 8, 'checksum')) throw new BundleError('bundle_format_error', `tar header checksum mismatch at offset ${at}`);
    const size = readOctal(h, 124, 12, 'size');
    const type = String.fromCharCode(h[156]!);
    const prefix = readString(h, 345, 155);
    const base = readString(h, 0, 100);
    const name = paxPath ?? (prefix ? `${prefix}/${base}` : base);
    const start = at + BLOCK;
    if (start + size > tar.length) throw new BundleError('bundle_format_error', `tar entry ${name} is truncated`);
    const data = tar.subarray(start, start + size);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      // pax extended header: only `path` matters here.
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(data));
      paxPath = m ? m[1]! : null;
      continue;
    }
    paxPath = null;
    if (type === 'g' || type === '5') continue;
    if (type !== '0' && type !== '\0') throw new BundleError('bundle_format_error', `unsupported tar entry type ${JSON.stringify(type)} for ${name}`);
    total += size;
    if (total > maxBytes) throw new BundleError('bundle_limit_error', `bundle larger than ${maxBytes} bytes`);
    if (out.length >= maxEntries) throw new BundleError('bundle_limit_error', `bundle has more than ${maxEntries} files`);
    out.push({ name, data: data.slice() });
  }
  throw new BundleError('bundle_format_error', 'tar archive ends without its end-of-archive blocks');
}

export interface WasmEntrypoint {
  /** `pkg/rule`, as OPA writes it. */
  entrypoint: string;
  module: string;
}

export interface Manifest {
  revision: string;
  roots: string[];
  wasm: WasmEntrypoint[];
  metadata?: Record<string, unknown>;
}

export interface Bundle {
  manifest: Manifest;
  data: unknown;
  wasm: Uint8Array;
  /** Other files in the archive (e.g. `.rego` sources), by normalized path. */
  files: Map<string, Uint8Array>;
}

/**
 * Roots: the smallest set of path prefixes covering every package and every top-level data key,
 * so OPA's ownership check accepts the bundle and it claims nothing more.
 */
export function computeRoots(packages: string[][], data: unknown): string[] {
  const paths = packages.map((p) => p.join('/'));
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) paths.push(...Object.keys(data));
  const uniq = [...new Set(paths)].sort();
  if (uniq.includes('')) return [''];
  return uniq.filter((p) => !uniq.some((q) => q !== p && p.startsWith(`${q}/`)));
}

export interface WriteBundleOptions {
  wasm: Uint8Array;
  entrypoints: string[];
  data?: unknown;
  revision?: string;
  roots: string[];
  /** Source files to include, by path inside the bundle (e.g. `authz/policy.rego`). */
  sources?: Array<{ path: string; text: string }>;
}

export function writeBundle(o: WriteBundleOptions): Uint8Array {
  const manifest: Manifest = {
    revision: o.revision ?? '',
    roots: o.roots,
    wasm: o.entrypoints.map((entrypoint) => ({ entrypoint, module: '/policy.wasm' })),
  };
  const entries: TarEntry[] = [
    { name: '/.manifest', data: enc.encode(JSON.stringify(manifest)) },
    { name: '/data.json', data: enc.encode(JSON.stringify(o.data ?? {})) },
    { name: '/policy.wasm', data: o.wasm },
  ];
  for (const s of o.sources ?? []) entries.push({ name: `/${s.path.replace(/^\/+/, '')}`, data: enc.encode(s.text) });
  // mtime 0: the same inputs give the same bytes.
  return gzipSync(writeTar(entries, 0));
}

const normalize = (name: string): string => name.replace(/^(\.?\/)+/, '');

/** Puts `value` at `path` inside `doc`, creating objects; refuses to overwrite a non-object. */
function placeAt(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
  const root = isObj(doc) ? doc : {};
  let node = root;
  for (const key of path.slice(0, -1)) {
    const next = node[key] ?? {};
    if (!isObj(next)) throw new BundleError('bundle_format_error', `data.json under ${path.join('/')} conflicts with a value at ${key}`);
    node[key] = next;
    node = next;
  }
  const last = path[path.length - 1]!;
  if (last in node) throw new BundleError('bundle_format_error', `data at ${path.join('/')} is given twice`);
  node[last] = value;
  return root;
}

export function readBundle(gz: Uint8Array, limits: ReadLimits = {}): Bundle {
  let tar: Uint8Array;
  try {
    tar = gunzipSync(gz, { maxOutputLength: limits.maxBytes ?? 256 * 1024 * 1024 });
  } catch (e) {
    throw new BundleError('bundle_format_error', `not a gzip archive: ${(e as Error).message}`);
  }
  const files = new Map<string, Uint8Array>();
  for (const e of readTar(tar, limits)) {
    const n = normalize(e.name);
    if (files.has(n)) throw new BundleError('bundle_format_error', `duplicate file in bundle: ${n}`);
    files.set(n, e.data);
  }
  const json = (name: string): unknown => {
    const b = files.get(name);
    if (!b) return undefined;
    try {
      return JSON.parse(dec.decode(b));
    } catch (e) {
      throw new BundleError('bundle_format_error', `${name}: ${(e as Error).message}`);
    }
  };
  const m = json('.manifest') as Partial<Manifest> | undefined;
  if (m === undefined || m === null || typeof m !== 'object') throw new BundleError('bundle_format_error', 'bundle has no .manifest');
  const wasmList = m.wasm ?? [];
  if (!Array.isArray(wasmList) || wasmList.some((w) => typeof w?.entrypoint !== 'string' || typeof w?.module !== 'string')) {
    throw new BundleError('bundle_format_error', '.manifest: wasm must be a list of {entrypoint, module}');
  }
  const modules = new Set(wasmList.map((w) => normalize(w.module)));
  if (modules.size > 1) throw new BundleError('bundle_format_error', '.manifest: more than one wasm module is not supported');
  const modPath = [...modules][0] ?? 'policy.wasm';
  const wasm = files.get(modPath);
  if (!wasm) throw new BundleError('bundle_format_error', `bundle has no ${modPath}`);
  files.delete('.manifest');
  files.delete(modPath);
  // `a/b/data.json` holds the document at data.a.b (OPA's layout); the root one at data.
  let data: unknown = json('data.json') ?? {};
  files.delete('data.json');
  for (const name of [...files.keys()].filter((n) => n.endsWith('/data.json')).sort()) {
    data = placeAt(data, name.split('/').slice(0, -1), json(name));
    files.delete(name);
  }
  const manifest: Manifest = {
    revision: typeof m.revision === 'string' ? m.revision : '',
    roots: Array.isArray(m.roots) ? m.roots.map(String) : [''],
    wasm: wasmList,
  };
  if (m.metadata !== undefined) manifest.metadata = m.metadata;
  return { manifest, data, wasm, files };
}
