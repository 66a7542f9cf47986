// Loads a policy from any of the forms the engine accepts and returns one immutable revision:
// the wasm bytes, the data document, the entrypoints it offers and a revision id. Sources:
// - a directory: every `.rego` file below it (tests and dot-folders left out), compiled, plus
//   `data.json` files placed at their folder's path (OPA's convention);
// - an OPA bundle (`.tar.gz`/`.tgz`), ours or one written by `opa build -t wasm`;
// - a `.wasm` file;
// - in memory: `{ modules }` (Rego text) or `{ wasm }` (with optional `data`).
// Rego is compiled in a short-lived child process by default (compile-child.ts), or in this thread
// with `compile: 'inline'`; either way the compiler is only loaded when Rego must be compiled, so
// a policy from a bundle or a .wasm file never loads it (nor binaryen).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { SourceModule } from '../compile.ts';
import { RegoErrors } from '../rego/ast.ts';
import { BundleError, readBundle } from './bundle.ts';
import { compileInChild } from './compile-child.ts';
import { mergeData } from './data.ts';

export type PolicySource =
  | string
  | { modules: SourceModule[] | Record<string, string>; data?: unknown }
  | { wasm: Uint8Array; data?: unknown; revision?: string };

export type PolicyKind = 'directory' | 'bundle' | 'wasm' | 'modules' | 'memory-wasm';

export interface PolicyRevision {
  kind: PolicyKind;
  /** Content hash (or the bundle manifest's revision), so equal content gives an equal revision. */
  revision: string;
  wasm: Uint8Array;
  data: unknown;
  /** Entrypoints the manifest or the compile step names (the module's own list is authoritative). */
  entrypoints: string[];
  /** Bundle roots, when the policy came from a bundle. */
  roots?: string[];
}

export type PolicyLoadCode = 'policy_not_found' | 'policy_compile_error' | 'policy_bundle_error' | 'policy_data_error';

export class PolicyLoadError extends Error {
  constructor(readonly code: PolicyLoadCode, message: string, override readonly cause?: unknown) {
    super(`${code}: ${message}`);
    this.name = 'PolicyLoadError';
  }
}

/** Where Rego is compiled: 'process' (default), a child that exits after it; 'inline', this thread. */
export type CompileWhere = 'process' | 'inline';

export interface LoadOptions {
  /** Entrypoint to compile Rego sources for, e.g. `portcullis/decision`. */
  entrypoint: string;
  /** Run the optimizer when compiling Rego (default true; false compiles about twice as fast). */
  optimize?: boolean;
  /**
   * 'process' (default) keeps the compiler and its garbage out of this process, at the cost of a
   * fresh Node process per compile; 'inline' suits tools that load the compiler anyway.
   */
  compile?: CompileWhere;
}

const hash = (parts: Array<string | Uint8Array>): string => {
  const h = createHash('sha256');
  for (const p of parts) {
    h.update(typeof p === 'string' ? p : Buffer.from(p.buffer, p.byteOffset, p.byteLength));
    h.update('\0');
  }
  return `sha256:${h.digest('hex').slice(0, 16)}`;
};

interface DirFiles {
  rego: SourceModule[];
  data: Array<{ path: string[]; file: string; text: string }>;
}

function walk(root: string, dir: string, out: DirFiles): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    const rel = relative(root, p).split(sep).join('/');
    if (e.isDirectory()) walk(root, p, out);
    else if (!e.isFile()) continue;
    else if (e.name.endsWith('.rego') && !e.name.endsWith('_test.rego')) out.rego.push({ file: rel, text: readFileSync(p, 'utf8') });
    else if (e.name === 'data.json') out.data.push({ path: rel.split('/').slice(0, -1), file: rel, text: readFileSync(p, 'utf8') });
  }
}

/** The files a directory policy is made of, for watchers: path → "mtime:size". */
export function fingerprint(dir: string): string {
  const parts: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && (e.name.endsWith('.rego') || e.name === 'data.json')) {
        const s = statSync(p);
        parts.push(`${p}:${s.mtimeMs}:${s.size}`);
      }
    }
  };
  try {
    if (statSync(dir).isDirectory()) visit(dir);
    else {
      const s = statSync(dir);
      parts.push(`${dir}:${s.mtimeMs}:${s.size}`);
    }
  } catch {
    return 'missing';
  }
  return parts.sort().join('\n');
}

function parseData(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new PolicyLoadError('policy_data_error', `${file}: ${(e as Error).message}`);
  }
}

/** `value` placed at `path` (a data.json in folder a/b is data.a.b), merged into `into`. */
function place(into: unknown, path: string[], value: unknown, file: string): unknown {
  if (path.length === 0 && (typeof value !== 'object' || value === null || Array.isArray(value))) {
    throw new PolicyLoadError('policy_data_error', `${file}: the root data.json must hold an object`);
  }
  let nested = value;
  for (const k of [...path].reverse()) nested = { [k]: nested };
  return mergeData(into, nested);
}


async function compileRego(kind: PolicyKind, modules: SourceModule[], data: unknown, dataText: string, o: LoadOptions): Promise<PolicyRevision> {
  if (modules.length === 0) throw new PolicyLoadError('policy_not_found', 'no .rego files');
  let wasm: Uint8Array;
  try {
    const req = { modules, entrypoints: [o.entrypoint], optimize: o.optimize ?? true };
    if (o.compile === 'inline') {
      const { compile } = await import('../compile.ts'); // loaded on first use, not with the engine
      wasm = (await compile(req)).wasm;
    } else wasm = await compileInChild(req);
  } catch (e) {
    const msg = e instanceof RegoErrors ? e.errors.map((x) => x.message).join('; ') : (e as Error).message;
    throw new PolicyLoadError('policy_compile_error', msg, e);
  }
  const revision = hash([o.entrypoint, ...modules.flatMap((m) => [m.file, m.text]), dataText]);
  return { kind, revision, wasm, data, entrypoints: [o.entrypoint] };
}

async function loadDirectory(dir: string, o: LoadOptions): Promise<PolicyRevision> {
  const files: DirFiles = { rego: [], data: [] };
  walk(dir, dir, files);
  if (files.rego.length === 0) throw new PolicyLoadError('policy_not_found', `no .rego files in ${dir}`);
  let data: unknown = {};
  for (const d of files.data) data = place(data, d.path, parseData(d.text, d.file), d.file);
  return compileRego('directory', files.rego, data, files.data.map((d) => `${d.file}\n${d.text}`).join('\n'), o);
}

function loadBundleBytes(bytes: Uint8Array, where: string): PolicyRevision {
  try {
    const b = readBundle(bytes);
    return {
      kind: 'bundle',
      revision: b.manifest.revision !== '' ? b.manifest.revision : hash([bytes]),
      wasm: b.wasm,
      data: b.data,
      entrypoints: b.manifest.wasm.map((w) => w.entrypoint),
      roots: b.manifest.roots,
    };
  } catch (e) {
    if (e instanceof BundleError) throw new PolicyLoadError('policy_bundle_error', `${where}: ${e.message}`, e);
    throw e;
  }
}

const isGzip = (b: Uint8Array): boolean => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;
const isWasm = (b: Uint8Array): boolean => b.length > 4 && b[0] === 0 && b[1] === 0x61 && b[2] === 0x73 && b[3] === 0x6d;

/** Reads and prepares a policy; throws PolicyLoadError with a code. */
export async function loadPolicySource(src: PolicySource, o: LoadOptions): Promise<PolicyRevision> {
  if (typeof src === 'string') {
    let st;
    try {
      st = statSync(src);
    } catch {
      throw new PolicyLoadError('policy_not_found', `no such file or directory: ${src}`);
    }
    if (st.isDirectory()) return loadDirectory(src, o);
    const bytes = new Uint8Array(readFileSync(src));
    if (isGzip(bytes)) return loadBundleBytes(bytes, src);
    if (isWasm(bytes)) return { kind: 'wasm', revision: hash([bytes]), wasm: bytes, data: {}, entrypoints: [] };
    if (src.endsWith('.rego')) return compileRego('modules', [{ file: src.split(sep).pop()!, text: dec(bytes) }], {}, '', o);
    throw new PolicyLoadError('policy_not_found', `${src}: not a directory, OPA bundle (.tar.gz) or .wasm file`);
  }
  if ('modules' in src) {
    const list = Array.isArray(src.modules) ? src.modules : Object.entries(src.modules).map(([file, text]) => ({ file, text }));
    const data = src.data ?? {};
    return compileRego('modules', list, data, JSON.stringify(data), o);
  }
  if ('wasm' in src) {
    if (isGzip(src.wasm)) return { ...loadBundleBytes(src.wasm, '<memory>'), ...(src.data === undefined ? {} : { data: src.data }) };
    const data = src.data ?? {};
    return { kind: 'memory-wasm', revision: src.revision ?? hash([src.wasm, JSON.stringify(data)]), wasm: src.wasm, data, entrypoints: [] };
  }
  throw new PolicyLoadError('policy_not_found', 'policy must be a path, { modules } or { wasm }');
}

const dec = (b: Uint8Array): string => new TextDecoder().decode(b);
