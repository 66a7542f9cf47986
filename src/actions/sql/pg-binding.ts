// Our own binding over libpg-query's emscripten module (the PostgreSQL server grammar in wasm).
// Owning the instance lets initSql load it only when asked, reuse one input buffer instead of a
// malloc per call, and read the JSON tree straight from wasm memory (pg-tree.ts).
// Struct layouts (libpg_query's PgQueryParseResult and PgQueryError, wasm32):
//   result: parse_tree +0, stderr_buffer +4, error +8
//   error:  message +0, funcname +4, filename +8, lineno +12, cursorpos +16 (1-based, 0 = none)
import type { J } from './json.ts';
import { readPgTree } from './pg-tree.ts';

/** The part of the emscripten module this binding uses. */
interface PgModule {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _wasm_parse_query_raw(input: number): number;
  _wasm_free_parse_result(result: number): void;
  _wasm_parse_plpgsql(input: number): number;
  _wasm_free_string(ptr: number): void;
}
type PgFactory = (opts?: object) => Promise<PgModule>;

/** A syntax error reported by the server grammar; position is a 0-based character offset. */
export class PgSyntaxError extends Error {
  readonly code = 'syntax_error';
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

export interface PgBinding {
  /** Parse tree of all statements; throws PgSyntaxError. */
  parse(sql: string): J;
  /** PL/pgSQL tree of a CREATE FUNCTION text; throws Error with the parser's message. */
  parsePlpgsql(createFunctionSql: string): J;
}

const MIN_INPUT = 4096;
/** Larger texts get a buffer of their own for the one call. */
const MAX_REUSED = 64 * 1024;
const utf8 = new TextDecoder();
const encoder = new TextEncoder();

class Binding implements PgBinding {
  private input = 0;
  private cap = 0;
  constructor(private readonly m: PgModule) {}

  parse(sql: string): J {
    if (sql === '') throw new Error('Query cannot be empty');
    const m = this.m;
    const res = this.call(sql, m._wasm_parse_query_raw);
    if (res === 0) throw new Error('Failed to parse query: memory allocation failed');
    try {
      const u32 = m.HEAPU32;
      const tree = u32[res >>> 2]!;
      const err = u32[(res + 8) >>> 2]!;
      if (err !== 0) {
        const msgPtr = u32[err >>> 2]!;
        const cursor = u32[(err + 16) >>> 2]! | 0;
        throw new PgSyntaxError(msgPtr ? this.cString(msgPtr) : 'Unknown error', cursor > 0 ? cursor - 1 : 0);
      }
      if (tree === 0) throw new Error('No parse tree generated');
      return this.json(tree);
    } finally {
      m._wasm_free_parse_result(res);
    }
  }

  parsePlpgsql(sql: string): J {
    const m = this.m;
    const res = this.call(sql, m._wasm_parse_plpgsql);
    try {
      // Success is a JSON object; anything else is the parser's message.
      if (res === 0 || m.HEAPU8[res] !== 123 /* { */) throw new Error(res === 0 ? '' : this.cString(res));
      return this.json(res);
    } finally {
      if (res !== 0) m._wasm_free_string(res);
    }
  }

  /** Runs `fn` on the text written into wasm memory, and frees the text's buffer after. */
  private call(sql: string, fn: (at: number) => number): number {
    const input = this.write(sql);
    try {
      return fn(input);
    } finally {
      this.release(input);
    }
  }

  /**
   * Copy the text, NUL-terminated, into wasm memory: the reusable buffer when it fits there,
   * else a buffer of its own that release() frees (so one huge text does not pin its size).
   */
  private write(sql: string): number {
    const m = this.m;
    const need = sql.length * 3 + 1; // UTF-8 never takes more than 3 bytes per UTF-16 unit
    let at = this.input;
    let cap = this.cap;
    if (need > cap) {
      if (need <= MAX_REUSED) {
        if (this.input !== 0) m._free(this.input);
        this.input = 0;
        this.cap = 0;
      }
      cap = Math.max(MIN_INPUT, need);
      at = m._malloc(cap);
      if (at === 0) throw new RangeError('out of wasm memory for the SQL text');
      if (need <= MAX_REUSED) { this.input = at; this.cap = cap; }
    }
    // A lone surrogate becomes U+FFFD (3 bytes, as Source counts it). The package's own encoder
    // under-counted such texts and cut their end off, hiding trailing statements.
    const heap = m.HEAPU8;
    const { read, written } = encoder.encodeInto(sql, heap.subarray(at, at + cap - 1));
    if (read !== sql.length) { this.release(at); throw new RangeError('SQL text did not fit the input buffer'); }
    heap[at + written] = 0;
    return at;
  }

  private release(at: number): void {
    if (at !== this.input) this.m._free(at);
  }

  private cString(ptr: number): string {
    const heap = this.m.HEAPU8;
    return utf8.decode(heap.subarray(ptr, heap.indexOf(0, ptr)));
  }

  private json(ptr: number): J {
    const heap = this.m.HEAPU8;
    return readPgTree(heap, ptr) ?? (JSON.parse(this.cString(ptr)) as J);
  }
}

/** Instantiate the wasm module (about 16 MB of memory once warm) and bind it. */
export async function loadPgBinding(): Promise<PgBinding> {
  // The factory is CommonJS without types; the specifier is kept dynamic so nothing loads before this.
  const specifier: string = 'libpg-query/wasm/libpg-query.js';
  const mod = (await import(specifier)) as { default: PgFactory };
  return new Binding(await mod.default());
}
