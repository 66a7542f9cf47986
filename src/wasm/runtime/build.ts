// Builds the AssemblyScript runtime into build/runtime.wasm and checks the module contract:
// only the allowed imports, no start function, no AssemblyScript-managed runtime code, small
// initial memory, every export listed in exports.ts. Skips the work when a stamp of the
// sources matches. Run: node --import ./scripts/register-ts.mjs src/wasm/runtime/build.ts [--force]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ABI_EXPORTS, KEEP_API, RUNTIME_GLOBALS, RUNTIME_IMPORTS, VALUE_API } from './exports.ts';
import { NATIVE_BUILTINS } from './builtins.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const assemblyDir = join(here, 'assembly');
const configFile = join(here, 'asconfig.json');

export const RUNTIME_WASM = join(root, 'build', 'runtime.wasm');
const STAMP = `${RUNTIME_WASM}.stamp`;

/** Largest initial memory the SDK accepts without a memory descriptor (its default). */
const MAX_INITIAL_PAGES = 5;

export class RuntimeBuildError extends Error {
  constructor(readonly code: string, message: string, readonly position: string) {
    super(`${code}: ${message} (at ${position})`);
    this.name = 'RuntimeBuildError';
  }
}

export interface RuntimeBuild {
  path: string;
  rebuilt: boolean;
  /** asc compile time in ms (0 when skipped). */
  compileMs: number;
  bytes: number;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (name.endsWith('.ts') || name.endsWith('.json')) out.push(p);
  }
  return out;
}

function stampOf(ascVersion: string): string {
  const h = createHash('sha256');
  h.update(`asc ${ascVersion}\n`);
  for (const f of [...sourceFiles(assemblyDir), configFile, fileURLToPath(import.meta.url), join(here, 'exports.ts'), join(here, 'builtins.ts')]) {
    h.update(relative(root, f));
    h.update('\0');
    h.update(readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex');
}

/** Checks the compiled module against the contract; throws RuntimeBuildError. */
export async function checkRuntime(bytes: Uint8Array): Promise<void> {
  const { default: binaryen } = await import('binaryen');
  binaryen.setDebugInfo(true);
  const mod = binaryen.readBinary(bytes);
  try {
    const where = 'build/runtime.wasm';
    if (mod.getStart() !== 0) throw new RuntimeBuildError('runtime_start_function', 'the module has a start function', where);
    const imports = new Set<string>();
    const exports = new Set<string>();
    for (let i = 0; i < mod.getNumFunctions(); i++) {
      const info = binaryen.getFunctionInfo(mod.getFunctionByIndex(i));
      if (info.module) {
        imports.add(`${info.module}.${info.base}`);
      } else if (/^~lib\/rt\//.test(info.name) || /^~lib\/(array|string|staticarray|map|set)\//.test(info.name)) {
        throw new RuntimeBuildError('runtime_managed_code', `managed AssemblyScript code ${info.name} shares the heap`, where);
      }
    }
    for (let i = 0; i < mod.getNumExports(); i++) exports.add(binaryen.getExportInfo(mod.getExportByIndex(i)).name);
    const allowed = new Set(RUNTIME_IMPORTS.map((x) => `env.${x}`));
    for (const imp of imports) {
      if (!allowed.has(imp)) throw new RuntimeBuildError('runtime_import', `unexpected import ${imp}`, where);
    }
    for (const want of allowed) {
      if (!imports.has(want)) throw new RuntimeBuildError('runtime_import', `missing import ${want}`, where);
    }
    const wanted = [...ABI_EXPORTS, ...Object.keys(VALUE_API), ...Object.keys(KEEP_API), ...RUNTIME_GLOBALS, ...Object.values(NATIVE_BUILTINS).map((b) => b.export)];
    for (const name of wanted) {
      if (!exports.has(name)) throw new RuntimeBuildError('runtime_export', `missing export ${name}`, where);
    }
    const mem = mod.getMemoryInfo();
    if (mem.module !== 'env' || mem.base !== 'memory') {
      throw new RuntimeBuildError('runtime_memory', 'memory must be imported as env.memory', where);
    }
    if (mem.initial > MAX_INITIAL_PAGES) {
      throw new RuntimeBuildError('runtime_memory', `initial memory ${mem.initial} pages exceeds ${MAX_INITIAL_PAGES}`, where);
    }
    if (mem.max !== undefined) {
      throw new RuntimeBuildError('runtime_memory', `memory must have no maximum (has ${mem.max})`, where);
    }
  } finally {
    mod.dispose();
  }
}

/** Builds build/runtime.wasm unless its stamp matches the sources. */
export async function buildRuntime(opts: { force?: boolean } = {}): Promise<RuntimeBuild> {
  // The version comes from package.json: importing asc (and binaryen with it) costs seconds.
  const ascPackage = createRequire(import.meta.url).resolve('assemblyscript/package.json');
  const stamp = stampOf((JSON.parse(readFileSync(ascPackage, 'utf8')) as { version: string }).version);
  if (!opts.force && existsSync(RUNTIME_WASM) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === stamp) {
    return { path: RUNTIME_WASM, rebuilt: false, compileMs: 0, bytes: statSync(RUNTIME_WASM).size };
  }
  const { default: asc } = await import('assemblyscript/asc');
  mkdirSync(dirname(RUNTIME_WASM), { recursive: true });
  const tmp = `${RUNTIME_WASM}.${process.pid}.tmp`;
  const started = performance.now();
  const stderr = asc.createMemoryStream();
  const result = await asc.main(
    [relative(root, join(assemblyDir, 'index.ts')), '--config', relative(root, configFile), '--outFile', tmp],
    { stderr, stdout: asc.createMemoryStream() },
  );
  const compileMs = performance.now() - started;
  const log = stderr.toString();
  let bytes: Uint8Array;
  try {
    if (result.error) throw new RuntimeBuildError('runtime_compile', `${result.error.message}\n${log}`, relative(root, assemblyDir));
    if (/ERROR/.test(log)) throw new RuntimeBuildError('runtime_compile', `asc reported errors:\n${log}`, relative(root, assemblyDir));
    if (log.trim() !== '') process.stderr.write(log);
    bytes = readFileSync(tmp);
    await checkRuntime(bytes);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  renameSync(tmp, RUNTIME_WASM);
  writeFileSync(STAMP, stamp);
  return { path: RUNTIME_WASM, rebuilt: true, compileMs, bytes: bytes.length };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildRuntime({ force: process.argv.includes('--force') }).then(
    (r) => {
      const what = r.rebuilt ? `built in ${Math.round(r.compileMs)} ms` : 'up to date';
      console.log(`${relative(root, r.path)}: ${r.bytes} bytes, ${what}`);
    },
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
