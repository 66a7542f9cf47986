// The Engine: one loaded policy revision at a time, `decide(input)` and `check(kind, request, who)`
// (normalize + decide), both synchronous, and hot reload that swaps revisions atomically.
//
// Atomicity comes from the event loop: a decision reads `this.active` once and evaluates to the
// end synchronously; a reload builds the next revision completely (compiled, instantiated, data
// loaded, entrypoint resolved) before one assignment makes it active. No decision can see a
// half-loaded revision, and none is dropped while a reload runs.
import {
  initActions, normalize, ACTION_KINDS,
  type ActionKind, type ActionOptions, type ActionRequests, type ActionDocument,
} from '../actions/index.ts';
import type { SqlDialect } from '../actions/sql/index.ts';
import { hostBuiltins } from '../policy/builtins/index.ts';
import {
  compileModule, createEvaluator, describeThrown,
  type EvaluatorMode, type HostBuiltins, type PolicyEvaluator,
} from '../policy/evaluator.ts';
import { mergeData } from '../policy/data.ts';
import { loadPolicySource, PolicyLoadError, type CompileWhere, type PolicyKind, type PolicySource } from '../policy/load.ts';
import { PolicyWatcher, type WatchOptions } from '../policy/reload.ts';
import { inputJson } from './input-json.ts';
import { checkInput, deepFreeze, denied, fromResultSet, type Checked } from './decision.ts';
import { INPUT_VERSION, type Connection, type Context, type Decision, type EngineError, type Identity, type PolicyInput } from './schema.ts';

export const DEFAULT_ENTRYPOINT = 'portcullis/decision';

export interface ReloadEvent {
  ok: boolean;
  /** The revision running after this reload (the old one when the reload failed). */
  revision: string;
  /** True when a new revision became active. */
  changed: boolean;
  error?: { code: string; message: string };
}

export interface EngineOptions {
  /** A directory of .rego files, an OPA bundle (.tar.gz), a .wasm file, `{ modules }` or `{ wasm }`. */
  policy: PolicySource;
  /** Optimize wasm compiled from Rego (default true). */
  optimize?: boolean;
  /**
   * Where Rego is compiled, at create and at every reload: 'process' (default) in a short-lived
   * child process, so the compiler never occupies this one; 'inline' in this thread.
   */
  compile?: CompileWhere;
  /** Data document, merged over the bundle's or directory's own data. */
  data?: unknown;
  /** Entrypoint as `pkg/rule` (default `portcullis/decision`). */
  entrypoint?: string;
  /** Reload when the policy path changes (true, or debounce/poll settings). */
  watch?: boolean | WatchOptions;
  onReload?: (e: ReloadEvent) => void;
  /** 'direct' (default) writes input straight into wasm memory; 'sdk' uses LoadedPolicy.evaluate. */
  mode?: EvaluatorMode;
  /** Host builtins passed to the SDK (default: ours, src/policy/builtins). */
  builtins?: HostBuiltins;
  /** Inputs whose JSON is longer than this many UTF-16 units are denied (default 1 MiB). */
  maxInputLength?: number;
  /** Decisions remembered per revision by result text (direct mode; default 1024, 0 = off). */
  cacheSize?: number;
  /** Validate the input envelope on every decide (default true). */
  validateInput?: boolean;
  /** Action kinds whose parsers are loaded by create() for check() (default all four). */
  actionKinds?: readonly ActionKind[];
  /**
   * SQL dialects whose parsers create() loads (default both). ['pg'] leaves the MySQL parser
   * (about 20 MB) out; a MySQL check() then denies with `not_initialized`.
   */
  sqlDialects?: readonly SqlDialect[];
  /** Normalizer options per kind; a check() call's own options win. */
  actions?: Partial<ActionOptions>;
}

/** Who is asking, over which connection; context fields left out get defaults (now, {}, []). */
export interface Who {
  identity: Identity;
  connection: Connection;
  context?: Partial<Context>;
}

export class EngineInitError extends Error {
  constructor(readonly code: string, message: string, override readonly cause?: unknown) {
    super(`${code}: ${message}`);
    this.name = 'EngineInitError';
  }
}

/** One complete, immutable policy revision plus its evaluator. */
class Active {
  private evaluator: PolicyEvaluator;
  readonly cache = new Map<string, Checked>();
  constructor(
    readonly revision: string,
    readonly kind: PolicyKind,
    readonly entrypoint: string,
    readonly entrypointId: number,
    private readonly make: () => PolicyEvaluator,
    first: PolicyEvaluator,
  ) {
    this.evaluator = first;
  }
  get current(): PolicyEvaluator {
    return this.evaluator;
  }
  /** After a throw mid-evaluation the instance's state is not trusted: take a fresh one. */
  reset(): void {
    this.cache.clear();
    try {
      this.evaluator = this.make();
    } catch {
      // keep the old instance: opa_eval resets its heap on the next call anyway
    }
  }
}

const SQL_DIALECTS: Record<string, SqlDialect> = {
  pg: 'pg', postgres: 'pg', postgresql: 'pg', mysql: 'mysql', mariadb: 'mysql',
};

export class Engine {
  private active: Active;
  private watcher: PolicyWatcher | null = null;
  private watchOpts: WatchOptions | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private queued: Promise<ReloadEvent> | null = null;
  private readonly listeners = new Set<(e: ReloadEvent) => void>();
  private readonly maxInput: number;
  private readonly cacheSize: number;
  private readonly validate: boolean;

  private constructor(private source: PolicySource, private readonly o: EngineOptions, first: Active) {
    this.active = first;
    this.maxInput = o.maxInputLength ?? 1024 * 1024;
    this.cacheSize = o.cacheSize ?? 1024;
    this.validate = o.validateInput ?? true;
    if (o.onReload) this.listeners.add(o.onReload);
  }

  /** Loads (compiling if needed) the policy and the action parsers; throws EngineInitError. */
  static async create(o: EngineOptions): Promise<Engine> {
    const kinds = o.actionKinds ?? ACTION_KINDS;
    const [active] = await Promise.all([Engine.build(o.policy, o), kinds.length > 0 ? initActions(kinds, { sqlDialects: o.sqlDialects }) : Promise.resolve()]);
    const e = new Engine(o.policy, o, active);
    if (o.watch) e.startWatching(o.watch === true ? {} : o.watch);
    return e;
  }

  private static async build(source: PolicySource, o: EngineOptions): Promise<Active> {
    const entrypoint = o.entrypoint ?? DEFAULT_ENTRYPOINT;
    let rev;
    try {
      rev = await loadPolicySource(source, { entrypoint, optimize: o.optimize ?? true, compile: o.compile ?? 'process' });
    } catch (e) {
      if (e instanceof PolicyLoadError) throw new EngineInitError(e.code, e.message.replace(/^\w+: /, ''), e.cause ?? e);
      throw new EngineInitError('policy_load_error', describeThrown(e), e);
    }
    const data = o.data === undefined ? rev.data : mergeData(rev.data, o.data);
    const dataJson = JSON.stringify(data ?? {});
    try {
      const module = compileModule(rev.wasm);
      const make = (): PolicyEvaluator => createEvaluator(module, { mode: o.mode ?? 'direct', builtins: o.builtins ?? hostBuiltins, dataJson });
      const first = make();
      const id = first.entrypoints[entrypoint];
      if (id === undefined) {
        const offered = Object.keys(first.entrypoints).join(', ') || 'none';
        throw new EngineInitError('policy_entrypoint_error', `the policy has no entrypoint ${entrypoint} (it offers: ${offered})`);
      }
      return new Active(rev.revision, rev.kind, entrypoint, id, make, first);
    } catch (e) {
      if (e instanceof EngineInitError) throw e;
      throw new EngineInitError('policy_load_error', describeThrown(e), e);
    }
  }

  get revision(): string {
    return this.active.revision;
  }

  get entrypoint(): string {
    return this.active.entrypoint;
  }

  get mode(): EvaluatorMode {
    return this.active.current.mode;
  }

  /** Bytes of wasm memory of the active revision's instance. */
  memoryBytes(): number {
    return this.active.current.memoryBytes();
  }

  /** Registers a reload listener; returns the function that removes it. */
  onReload(fn: (e: ReloadEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Evaluates the policy for one input. Never throws: anything but a valid decision is a deny. */
  decide(input: PolicyInput): Decision {
    const a = this.active; // the one revision this decision comes from
    const t0 = performance.now();
    if (this.validate) {
      const bad = checkInput(input);
      if (bad !== null) return this.deny(a, t0, bad);
    }
    let json: string | undefined;
    try {
      json = inputJson(input);
    } catch (e) {
      return this.deny(a, t0, { code: 'invalid_input', message: `input is not JSON: ${describeThrown(e)}` });
    }
    if (json === undefined) return this.deny(a, t0, { code: 'invalid_input', message: 'input is not JSON' });
    if (json.length > this.maxInput) return this.deny(a, t0, { code: 'input_too_large', message: `input JSON is ${json.length} long, the limit is ${this.maxInput}` });
    let checked: Checked;
    try {
      const r = a.current.evaluate(json, a.entrypointId);
      if (r.text !== undefined) {
        const hit = a.cache.get(r.text);
        if (hit !== undefined) checked = hit;
        else {
          checked = fromResultSet(JSON.parse(r.text));
          if (this.cacheSize > 0) {
            if (a.cache.size >= this.cacheSize) a.cache.clear();
            a.cache.set(r.text, deepFreeze(checked));
          }
        }
      } else checked = fromResultSet(r.value);
    } catch (e) {
      const d = this.deny(a, t0, { code: 'evaluation_error', message: describeThrown(e) });
      a.reset();
      return d;
    }
    if (!checked.ok) return this.deny(a, t0, checked.error);
    return { ...checked.decision, diagnostics: { eval_us: since(t0), revision: a.revision, entrypoint: a.entrypoint, errors: [] } };
  }

  /** Normalizes a request and decides on it in one call. Never throws. */
  check<K extends ActionKind>(kind: K, request: ActionRequests[K], who: Who, opts?: ActionOptions[K]): Decision {
    // No clock is read here: `eval_us` is the time in decide, and a request that fails to
    // normalize never gets there (a clock read is ~0.1 µs, 1 % of a short check).
    let action: ActionDocument;
    try {
      const o = this.optionsFor(kind, who, opts);
      if (typeof o === 'string') return this.deny(this.active, performance.now(), { code: 'normalize_error', message: o });
      action = (normalize as (k: ActionKind, r: unknown, o?: unknown) => ActionDocument)(kind, request, o);
    } catch (e) {
      return this.deny(this.active, performance.now(), { code: 'normalize_error', message: describeThrown(e) });
    }
    const c = who?.context; // `who` is checked by decide's input validation, not trusted here
    const context: Context = {
      time: c?.time ?? nowIso(),
      session: c?.session ?? {},
      approvals: c?.approvals ?? [],
    };
    return this.decide({ version: INPUT_VERSION, action, identity: who?.identity, connection: who?.connection, context } as PolicyInput);
  }

  /** Normalizer options: the call's, the engine's, or derived from the connection; a string is an error. */
  private optionsFor(kind: ActionKind, who: Who, opts: unknown): unknown {
    if (opts !== undefined) return opts;
    const configured = this.o.actions?.[kind];
    if (configured !== undefined) return configured;
    if (kind === 'sql') {
      const ck = who?.connection?.kind;
      const dialect = typeof ck === 'string' && Object.hasOwn(SQL_DIALECTS, ck) ? SQL_DIALECTS[ck] : undefined;
      return dialect === undefined ? `no SQL dialect for connection kind ${JSON.stringify(ck)}; pass { dialect }` : { dialect };
    }
    if (kind === 'mcp') return { server: who?.connection?.name ?? '' };
    return undefined;
  }

  private deny(a: Active, t0: number, error: EngineError): Decision {
    return { ...denied(error.code, error.message), diagnostics: { eval_us: since(t0), revision: a.revision, entrypoint: a.entrypoint, errors: [error] } };
  }

  /**
   * Loads the policy again (or `source`, which then replaces it) and swaps it in when it loads.
   * Reloads run one at a time; a failed one keeps the running revision and reports why.
   */
  reload(source?: PolicySource): Promise<ReloadEvent> {
    if (source !== undefined) {
      this.source = source;
      if (this.watchOpts !== null) this.startWatching(this.watchOpts);
    } else if (this.queued !== null) return this.queued; // one pending reload reads the latest files anyway
    const run = this.queue.then(() => {
      if (this.queued === run) this.queued = null;
      return this.reloadNow();
    });
    if (source === undefined) this.queued = run;
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async reloadNow(): Promise<ReloadEvent> {
    let ev: ReloadEvent;
    try {
      const next = await Engine.build(this.source, this.o);
      const changed = next.revision !== this.active.revision;
      if (changed) this.active = next; // the swap: one assignment
      ev = { ok: true, revision: this.active.revision, changed };
    } catch (e) {
      const code = e instanceof EngineInitError ? e.code : 'policy_load_error';
      const message = e instanceof EngineInitError ? e.message.replace(/^\w+: /, '') : describeThrown(e);
      ev = { ok: false, revision: this.active.revision, changed: false, error: { code, message } };
    }
    for (const fn of this.listeners) {
      try {
        fn(ev);
      } catch {
        // a listener's failure is its own; the engine keeps running
      }
    }
    return ev;
  }

  private startWatching(o: WatchOptions): void {
    this.watchOpts = o;
    this.watcher?.close();
    this.watcher = null;
    if (typeof this.source !== 'string') return; // nothing on disk to watch
    this.watcher = new PolicyWatcher(this.source, () => void this.reload(), o);
    this.watcher.start();
  }

  /** Stops watching; decisions keep working. */
  close(): void {
    this.watchOpts = null;
    this.watcher?.close();
    this.watcher = null;
  }
}

const since = (t0: number): number => Math.round((performance.now() - t0) * 10000) / 10;

// The current time as RFC 3339 text, formatted once per millisecond (formatting costs ~0.5 µs,
// a fifth of a short check, and a busy gateway decides many times per millisecond).
let isoMs = -1;
let isoText = '';
function nowIso(): string {
  const ms = Date.now();
  if (ms !== isoMs) {
    isoMs = ms;
    isoText = new Date(ms).toISOString();
  }
  return isoText;
}
