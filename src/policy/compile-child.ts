// Compiles Rego in a short-lived child process, so the compiler (binaryen alone is ~77 MB resident)
// and the garbage of a compile never live in the engine's process. A worker thread was measured
// first and rejected: after `terminate()` the process kept ~130 MB of the worker's memory (the
// allocator does not hand it back), while a child's memory goes back in full when it exits.
// Errors cross the process boundary as data and are rebuilt here, so a RegoErrors keeps its
// codes and file:line:col positions exactly.
import { fork } from 'node:child_process';
import { RegoError, RegoErrors, type Location, type RegoErrorCode } from '../rego/ast.ts';
import type { SourceModule } from '../compile.ts';
import { loaderArgs, siblingModule } from '../node/sibling.ts';

export interface ChildCompileRequest {
  modules: SourceModule[];
  entrypoints: string[];
  optimize: boolean;
}

interface WireRegoError {
  code: RegoErrorCode;
  details: string;
  loc: Location | null;
}

/** A thrown value as data: toolchain diagnostics keep their fields, anything else its text. */
export type WireError =
  | { kind: 'rego'; errors: WireRegoError[] }
  | { kind: 'rego-one'; error: WireRegoError }
  | { kind: 'other'; name: string; message: string; stack?: string };

export type ChildReply = { ok: true; wasm: Uint8Array } | { ok: false; error: WireError };

const wireOf = (e: RegoError): WireRegoError => ({ code: e.code, details: e.details, loc: e.loc === null ? null : { file: e.loc.file, row: e.loc.row, col: e.loc.col } });

export function toWire(e: unknown): WireError {
  if (e instanceof RegoErrors) return { kind: 'rego', errors: e.errors.map(wireOf) };
  if (e instanceof RegoError) return { kind: 'rego-one', error: wireOf(e) };
  if (e instanceof Error) return { kind: 'other', name: e.name, message: e.message, ...(e.stack === undefined ? {} : { stack: e.stack }) };
  return { kind: 'other', name: 'Error', message: String(e) };
}

export function fromWire(w: WireError): Error {
  const one = (x: WireRegoError): RegoError => new RegoError(x.code, x.details, x.loc);
  if (w.kind === 'rego') return new RegoErrors(w.errors.map(one));
  if (w.kind === 'rego-one') return one(w.error);
  const e = new Error(w.message);
  e.name = w.name;
  if (w.stack !== undefined) e.stack = w.stack;
  return e;
}

/** The worker beside this module: `.js` from dist/, or `.ts` run with the project's loader hooks, whatever the parent was started with. */
const WORKER = siblingModule(import.meta.url, 'compile-worker');

/** Options that say what the parent runs, not how node runs: the child has its own entry. */
const ENTRY_WITH_VALUE = new Set(['-e', '--eval', '-p', '--print', '--input-type', '--watch-path']);
const ENTRY_FLAG = /^(-i|--interactive|-c|--check|--test|--watch|--watch-preserve-output|--test-only)$|^--(eval|print|input-type|watch-path|test-[a-z-]+)=/;

/** The node flags for the compile child, from the parent's (`process.execArgv`). */
export function childExecArgv(parent: readonly string[] = process.execArgv): string[] {
  const out: string[] = [];
  const args = parent;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    // A debugger port is the parent's; two processes cannot listen on it.
    if (/^--inspect|^--debug-port/.test(a)) continue;
    // `node -e code` or `node --test` would make the child run the parent's code, not the worker.
    if (ENTRY_WITH_VALUE.has(a)) {
      i++;
      continue;
    }
    if (ENTRY_FLAG.test(a)) continue;
    // Our hooks are added once below, by an absolute path that does not depend on the cwd.
    if (a === '--import' && /register-ts\.mjs$/.test(args[i + 1] ?? '')) {
      i++;
      continue;
    }
    if (/^--import=.*register-ts\.mjs$/.test(a)) continue;
    out.push(a);
  }
  out.push(...loaderArgs(WORKER));
  // A process that lives for one compile: compiling binaryen's wasm lazily with the baseline tier
  // only, and never optimizing it in the background, measured ~1 s instead of 1.5–3 s per compile
  // of the bundled library (see docs/engine.md).
  out.push('--liftoff-only', '--wasm-lazy-compilation');
  return out;
}

/** A compile that runs longer than this is stopped: a reload must not wait forever on one policy. */
export const DEFAULT_COMPILE_TIMEOUT_MS = 120_000;

/**
 * Compiles in a fresh child process; resolves to the wasm bytes or rejects with what the compiler
 * threw. A child that has not answered after `timeoutMs` is killed and the compile fails.
 */
export function compileInChild(req: ChildCompileRequest, timeoutMs = DEFAULT_COMPILE_TIMEOUT_MS): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let stderr = '';
    const child = fork(WORKER, [], {
      execArgv: childExecArgv(),
      serialization: 'advanced', // structured clone: the wasm comes back as bytes, not JSON
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000); // the end of a crash report is the part that says why
    });
    const timer = setTimeout(() => {
      settle(() => reject(new Error(`compile process gave no answer within ${timeoutMs} ms and was stopped`)));
      child.kill('SIGKILL');
    }, timeoutMs);
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    child.once('message', (m: ChildReply) => {
      settle(() => (m.ok ? resolve(m.wasm) : reject(fromWire(m.error))));
      child.disconnect();
    });
    child.once('error', (e) => settle(() => reject(new Error(`compile process failed to start: ${e.message}`))));
    child.once('exit', (code, signal) => {
      const why = stderr.trim() === '' ? '' : `: ${stderr.trim()}`;
      settle(() => reject(new Error(`compile process exited (${signal ?? `code ${code}`}) before answering${why}`)));
    });
    child.send(req);
  });
}
