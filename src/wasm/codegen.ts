// IR → binaryen functions. Every IR value is an i32 handle into the runtime's heap (0 = undefined).
// Control flow: each IR block is a wasm `block`; a failing statement branches to the end of its
// innermost IR block. A stack of frames maps IR block depth to wasm labels and records the With
// statements in between, so a Break that leaves a With restores the local first.
import binaryen from 'binaryen';
import type { Block, Func, Operand, Plan, Policy, Stmt } from '../rego/ir.ts';

const L = (local: number): Operand => ({ type: 'local', local });

/** Runtime functions the generated code calls, by their exported (API) name. */
export const RUNTIME_API = [
  'opa_null', 'opa_boolean', 'opa_number_int', 'opa_number_ref', 'opa_string',
  'opa_array_with_cap', 'opa_object', 'opa_set',
  'opa_array_append', 'opa_object_insert', 'opa_object_insert_once', 'opa_set_add',
  'opa_value_type', 'opa_value_get', 'opa_value_key_at', 'opa_value_value_at', 'opa_value_length',
  'portcullis_value_sorted',
  'opa_value_equal', 'opa_value_merge', 'opa_value_patch',
  'portcullis_kept', 'portcullis_keeping', 'portcullis_keep_begin', 'portcullis_keep_end',
] as const;
export type RuntimeFn = (typeof RUNTIME_API)[number];

/** Value type codes returned by opa_value_type. */
const T_STRING = 4;
const T_ARRAY = 5;
const T_OBJECT = 6;
const T_SET = 7;

const JSON_NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;

export const CONFLICT_COMPLETE = 'eval_conflict_error: complete rules must not produce multiple outputs';
export const CONFLICT_OBJECT = 'eval_conflict_error: object keys must be unique';

export class CodegenError extends Error {
  constructor(readonly code: string, message: string, readonly position: string) {
    super(`${code}: ${message} (at ${position})`);
    this.name = 'CodegenError';
  }
}

/** How generated code reaches the runtime; filled by the linker from the runtime module. */
export interface RuntimeBinding {
  /** Internal name and result type of each API function. */
  api: Record<RuntimeFn, { name: string; results: binaryen.Type }>;
  /** Natively implemented builtins: Rego name → internal function name and arity, or why not usable. */
  natives: ReadonlyMap<string, { name: string; arity: number } | { error: string }>;
  /** Internal names of the `env.opa_abort` and `env.opa_builtin0..4` imports. */
  abort: string;
  hostBuiltin: readonly string[];
  /**
   * Constants (strings, integers, booleans, null) as values laid out in the data segment, per the
   * runtime's documented layouts (docs/runtime.md), instead of constructor calls at each use: no
   * allocation, and a string's cached hash survives across evaluations.
   */
  staticValues: boolean;
}

/** Static bytes placed in linear memory by the linker; returns absolute addresses. */
export interface StaticData {
  /** A constant runtime value laid out in memory, shared by key. */
  value(key: string, bytes: Uint8Array, align: number): number;
  /**
   * A constant string value (layout in docs/runtime.md) with its hash filled in, shared by text.
   * The linker lists every one in the intern table the runtime's JSON parser consults.
   */
  stringValue(text: string): number;
  /** UTF-8 bytes of a string, not terminated; equal strings share storage. */
  utf8(s: string): { ptr: number; len: number };
  /** NUL-terminated UTF-8 bytes (for opa_abort). */
  cstring(s: string): number;
}

export interface Generated {
  /** Internal function name of plan i (entrypoint id i). */
  plans: string[];
  /** Every function added to the module. */
  functions: string[];
  /** Every global added to the module. */
  globals: string[];
  /** Memo flags (globals) the dispatcher clears when an evaluation starts. */
  memoStates: string[];
  /** Data-only rules whose values portcullis_keep computes: wrapper function and slot global. */
  kept: Array<{ func: string; slot: string }>;
  /** Host builtins called through opa_builtinN, by id. */
  hostBuiltins: string[];
}

export const PLAN_PREFIX = 'pc:plan:';
export const FUNC_PREFIX = 'pc:func:';
const IMPL_PREFIX = 'pc:impl:';

/** Adds one wasm function per IR function and plan to `mod`. */
export interface GenerateOptions {
  /** Compute rules without arguments once per evaluation (default in the linker). */
  memoize: boolean;
  /** Keep the values of data-only rules across evaluations (needs memoize). */
  keep: boolean;
}

export function generate(mod: binaryen.Module, policy: Policy, rt: RuntimeBinding, data: StaticData, opts: GenerateOptions): Generated {
  const added: string[] = [];
  const funcs = new Map<string, Func>();
  for (const f of policy.funcs) {
    if (funcs.has(f.name)) throw new CodegenError('wasm_duplicate_function', `function ${f.name} defined twice`, `func ${f.name}`);
    funcs.set(f.name, f);
  }
  // Host builtin ids follow declaration order so `builtins()` is stable for a given policy.
  const hostIds = new Map<string, number>();
  const hostBuiltins: string[] = [];
  const declared = new Map<string, number>();
  for (const b of policy.builtins) {
    declared.set(b.name, b.arity);
    if (funcs.has(b.name) || rt.natives.has(b.name) || hostIds.has(b.name)) continue;
    if (b.arity > 4) {
      throw new CodegenError('wasm_builtin_arity', `builtin ${b.name} takes ${b.arity} arguments; host builtins take at most 4`, `builtin ${b.name}`);
    }
    hostIds.set(b.name, hostBuiltins.length);
    hostBuiltins.push(b.name);
  }
  const ctx: ModuleCtx = { mod, policy, rt, data, funcs, hostIds, declared, added, globals: [], memoStates: [], kept: [], memoize: opts.memoize, keep: opts.keep };
  for (const f of policy.funcs) genFunc(ctx, f);
  const plans = policy.plans.map((p, i) => genPlan(ctx, p, i));
  return { plans, hostBuiltins, functions: added, globals: ctx.globals, memoStates: ctx.memoStates, kept: ctx.kept };
}

interface ModuleCtx {
  mod: binaryen.Module;
  policy: Policy;
  rt: RuntimeBinding;
  data: StaticData;
  funcs: Map<string, Func>;
  hostIds: Map<string, number>;
  declared: Map<string, number>;
  added: string[];
  globals: string[];
  memoStates: string[];
  kept: Generated['kept'];
  memoize: boolean;
  keep: boolean;
}

type Frame =
  | { kind: 'block'; label: string }
  | { kind: 'with'; restore: () => binaryen.ExpressionRef };

/** State for one wasm function being generated. */
class FnGen {
  readonly m: binaryen.Module;
  private readonly map = new Map<number, number>();
  private readonly vars: binaryen.Type[] = [];
  private labels = 0;
  readonly frames: Frame[] = [];
  /** Set in plans: the wasm local holding the result set. */
  resultSet = -1;
  /** The IR local holding `input`, which is undefined when no input is given. */
  input = -1;

  constructor(readonly ctx: ModuleCtx, readonly nparams: number, readonly where: string, readonly reads: ReadonlySet<number>) {
    this.m = ctx.mod;
  }

  bindParam(irLocal: number, index: number): void {
    this.map.set(irLocal, index);
  }

  /** The wasm local index of an IR local, allocated on first use. */
  loc(l: number): number {
    let i = this.map.get(l);
    if (i === undefined) {
      i = this.temp();
      this.map.set(l, i);
    }
    return i;
  }

  temp(): number {
    this.vars.push(binaryen.i32);
    return this.nparams + this.vars.length - 1;
  }

  private readonly scratchLocals: number[] = [];

  /** A local for values that live within one statement (no statement nests inside another's use). */
  scratch(n: 0 | 1): number {
    let i = this.scratchLocals[n];
    if (i === undefined) {
      i = this.temp();
      this.scratchLocals[n] = i;
    }
    return i;
  }

  get varTypes(): binaryen.Type[] {
    return this.vars;
  }

  label(prefix: string): string {
    return `${prefix}${this.labels++}`;
  }

  get(l: number): binaryen.ExpressionRef {
    return this.m.local.get(this.loc(l), binaryen.i32);
  }

  set(l: number, v: binaryen.ExpressionRef): binaryen.ExpressionRef {
    return this.m.local.set(this.loc(l), v);
  }

  getT(i: number): binaryen.ExpressionRef {
    return this.m.local.get(i, binaryen.i32);
  }

  rt(name: RuntimeFn, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    const f = this.ctx.rt.api[name];
    return this.m.call(f.name, args, f.results);
  }

  /** A runtime call in statement position. */
  rtStmt(name: RuntimeFn, args: binaryen.ExpressionRef[]): binaryen.ExpressionRef {
    const e = this.rt(name, args);
    return this.ctx.rt.api[name].results === binaryen.none ? e : this.m.drop(e);
  }

  operand(o: Operand): binaryen.ExpressionRef {
    switch (o.type) {
      case 'local': return this.get(o.local);
      case 'bool':
        if (this.ctx.rt.staticValues) return this.m.i32.const(this.ctx.data.value(`b:${o.value}`, staticBool(o.value), 4));
        return this.rt('opa_boolean', [this.m.i32.const(o.value ? 1 : 0)]);
      case 'string': return this.constString(this.str(o.index));
    }
  }

  constString(text: string): binaryen.ExpressionRef {
    if (this.ctx.rt.staticValues) return this.m.i32.const(this.ctx.data.stringValue(text));
    const { ptr, len } = this.ctx.data.utf8(text);
    return this.rt('opa_string', [this.m.i32.const(ptr), this.m.i32.const(len)]);
  }

  constInt(n: bigint): binaryen.ExpressionRef {
    if (this.ctx.rt.staticValues) return this.m.i32.const(this.ctx.data.value(`i:${n}`, staticInt(n), 8));
    // binaryen 132 takes one bigint (its .d.ts still declares low/high words).
    const i64 = this.m.i64.const as unknown as (v: bigint) => binaryen.ExpressionRef;
    return this.rt('opa_number_int', [i64(n)]);
  }

  str(index: number): string {
    const s = this.ctx.policy.strings[index];
    if (s === undefined) throw new CodegenError('wasm_bad_string', `string index ${index} is not in the string table`, this.where);
    return s;
  }

  /** Label of the innermost IR block: where a failing statement goes. */
  failLabel(): string {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'block') return f.label;
    }
    throw new CodegenError('wasm_internal', 'statement outside of any block', this.where);
  }

  fail(cond: binaryen.ExpressionRef): binaryen.ExpressionRef {
    return this.m.br(this.failLabel(), cond);
  }

  /** Leave the n-th enclosing IR block, restoring the locals of every With left on the way. */
  breakOut(n: number): binaryen.ExpressionRef {
    const restores: binaryen.ExpressionRef[] = [];
    let seen = 0;
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const f = this.frames[i]!;
      if (f.kind === 'with') {
        restores.push(f.restore());
        continue;
      }
      if (seen === n) {
        // A With frame sits outside its own body block, so one found before the target block
        // is one this branch leaves.
        restores.push(this.m.br(f.label));
        return restores.length === 1 ? restores[0]! : this.m.block(null, restores);
      }
      seen++;
    }
    throw new CodegenError('wasm_bad_break', `Break ${n} leaves more blocks than enclose it`, this.where);
  }

  abort(message: string): binaryen.ExpressionRef {
    const ptr = this.ctx.data.cstring(message);
    return this.m.block(null, [
      this.m.call(this.ctx.rt.abort, [this.m.i32.const(ptr)], binaryen.none),
      this.m.unreachable(),
    ]);
  }

  block(b: Block, label?: string): binaryen.ExpressionRef {
    const l = label ?? this.label('b');
    this.frames.push({ kind: 'block', label: l });
    const body: binaryen.ExpressionRef[] = [];
    b.stmts.forEach((s, i) => {
      body.push(...this.stmt(s, i));
    });
    this.frames.pop();
    return this.m.block(l, body);
  }

  stmt(s: Stmt, index: number): binaryen.ExpressionRef[] {
    const m = this.m;
    switch (s.type) {
      case 'ArrayAppend':
        return [...this.defined(s.value), this.rtStmt('opa_array_append', [this.get(s.array), this.operand(s.value)])];
      case 'AssignVar':
        return [this.set(s.target, this.operand(s.source))];
      case 'AssignVarOnce': {
        const t = this.scratch(0);
        return [
          m.local.set(t, this.operand(s.source)),
          m.if(
            m.i32.eqz(this.get(s.target)),
            this.set(s.target, this.getT(t)),
            m.if(m.i32.eqz(this.rt('opa_value_equal', [this.get(s.target), this.getT(t)])), this.abort(CONFLICT_COMPLETE)),
          ),
        ];
      }
      case 'Block':
        return s.blocks.map((b) => this.block(b));
      case 'Break':
        if (!Number.isInteger(s.index) || s.index < 0) {
          throw new CodegenError('wasm_bad_break', `Break index ${s.index} is not a non-negative integer`, `${this.where}, stmt ${index}`);
        }
        return [this.breakOut(s.index)];
      case 'Call':
        return this.call(s.func, s.args, s.result, index);
      case 'Dot': {
        const t = this.scratch(0);
        return [
          ...this.defined(s.source, s.key),
          m.local.set(t, this.rt('opa_value_get', [this.operand(s.source), this.operand(s.key)])),
          this.fail(m.i32.eqz(this.getT(t))),
          this.set(s.target, this.getT(t)),
        ];
      }
      case 'Equal':
        return [...this.defined(s.a, s.b), this.fail(m.i32.eqz(this.rt('opa_value_equal', [this.operand(s.a), this.operand(s.b)])))];
      case 'NotEqual':
        return [...this.defined(s.a, s.b), this.fail(this.rt('opa_value_equal', [this.operand(s.a), this.operand(s.b)]))];
      case 'IsArray': return this.isType(s.source, T_ARRAY);
      case 'IsObject': return this.isType(s.source, T_OBJECT);
      case 'IsSet': return this.isType(s.source, T_SET);
      case 'IsDefined':
        return [this.fail(m.i32.eqz(this.get(s.source)))];
      case 'IsUndefined':
        return [this.fail(this.get(s.source))];
      case 'Len': {
        const v = this.scratch(0);
        const ty = this.scratch(1);
        return [
          ...this.defined(s.source),
          m.local.set(v, this.operand(s.source)),
          m.local.set(ty, this.rt('opa_value_type', [this.getT(v)])),
          // Only strings and collections have a length.
          this.fail(m.i32.ge_u(m.i32.sub(this.getT(ty), m.i32.const(T_STRING)), m.i32.const(T_SET - T_STRING + 1))),
          this.set(s.target, this.rt('opa_number_int', [m.i64.extend_u(this.rt('opa_value_length', [this.getT(v)]))])),
        ];
      }
      case 'MakeNull':
        if (this.ctx.rt.staticValues) return [this.set(s.target, m.i32.const(this.ctx.data.value('null', staticNull(), 4)))];
        return [this.set(s.target, this.rt('opa_null', []))];
      case 'MakeNumberInt': {
        if (!Number.isSafeInteger(s.value)) {
          throw new CodegenError('wasm_bad_number', `MakeNumberInt ${s.value} is not a safe integer`, `${this.where}, stmt ${index}`);
        }
        return [this.set(s.target, this.constInt(BigInt(s.value)))];
      }
      case 'MakeNumberRef': {
        const text = this.str(s.index);
        if (!JSON_NUMBER.test(text)) {
          throw new CodegenError('wasm_bad_number', `MakeNumberRef ${JSON.stringify(text)} is not a JSON number`, `${this.where}, stmt ${index}`);
        }
        // Integers of up to 18 digits are INT numbers however they are made (docs/runtime.md).
        if (/^-?[0-9]{1,18}$/.test(text)) return [this.set(s.target, this.constInt(BigInt(text)))];
        const { ptr, len } = this.ctx.data.utf8(text);
        return [this.set(s.target, this.rt('opa_number_ref', [m.i32.const(ptr), m.i32.const(len)]))];
      }
      case 'MakeArray':
        return [this.set(s.target, this.rt('opa_array_with_cap', [m.i32.const(Math.max(0, s.capacity | 0))]))];
      case 'MakeObject':
        return [this.set(s.target, this.rt('opa_object', []))];
      case 'MakeSet':
        return [this.set(s.target, this.rt('opa_set', []))];
      case 'Not': {
        // Running the block to its end makes Not undefined: branch to the enclosing block's end.
        // Stopping early falls out of the inner block and continues.
        const outer = this.failLabel();
        const label = this.label('n');
        this.frames.push({ kind: 'block', label });
        const body: binaryen.ExpressionRef[] = [];
        s.block.stmts.forEach((st, i) => body.push(...this.stmt(st, i)));
        this.frames.pop();
        body.push(m.br(outer));
        return [m.block(label, body)];
      }
      case 'ObjectInsert':
        return [...this.defined(s.key, s.value), this.rtStmt('opa_object_insert', [this.get(s.object), this.operand(s.key), this.operand(s.value)])];
      case 'ObjectInsertOnce':
        // The runtime answers 0 when inserted (or the same value was there), 1 on a conflict.
        return [...this.defined(s.key, s.value), m.if(
          this.rt('opa_object_insert_once', [this.get(s.object), this.operand(s.key), this.operand(s.value)]),
          this.abort(CONFLICT_OBJECT),
        )];
      case 'ObjectMerge': {
        const t = this.scratch(0);
        return [
          ...this.defined(L(s.a), L(s.b)),
          m.local.set(t, this.rt('opa_value_merge', [this.get(s.a), this.get(s.b)])),
          this.fail(m.i32.eqz(this.getT(t))),
          this.set(s.target, this.getT(t)),
        ];
      }
      case 'ResetLocal':
        return [this.set(s.target, m.i32.const(0))];
      case 'ResultSetAdd':
        if (this.resultSet < 0) {
          throw new CodegenError('wasm_bad_stmt', 'ResultSetAdd outside of a plan', `${this.where}, stmt ${index}`);
        }
        return [this.rtStmt('opa_set_add', [this.getT(this.resultSet), this.get(s.value)])];
      case 'ReturnLocal':
        if (this.resultSet >= 0) {
          throw new CodegenError('wasm_bad_stmt', 'ReturnLocal inside a plan', `${this.where}, stmt ${index}`);
        }
        return [m.return(this.get(s.source))];
      case 'Scan':
        return [this.scan(s)];
      case 'SetAdd':
        return [...this.defined(s.value), this.rtStmt('opa_set_add', [this.get(s.set), this.operand(s.value)])];
      case 'With':
        return this.with(s);
      case 'Abort':
        return [this.abort(`${this.str(s.code)}: ${this.str(s.message)}`)];
    }
  }

  /**
   * Fails when an operand is the `input` local and input is undefined (no input given): other
   * locals are defined whenever a statement reads them, and runtime calls never get handle 0.
   */
  private defined(...ops: Operand[]): binaryen.ExpressionRef[] {
    const out: binaryen.ExpressionRef[] = [];
    for (const o of ops) {
      if (o.type === 'local' && o.local === this.input) out.push(this.fail(this.m.i32.eqz(this.get(o.local))));
    }
    return out;
  }

  private isType(o: Operand, type: number): binaryen.ExpressionRef[] {
    const m = this.m;
    if (o.type !== 'local') return [m.br(this.failLabel())]; // booleans and strings never are
    return [...this.defined(o), this.fail(m.i32.ne(this.rt('opa_value_type', [this.get(o.local)]), m.i32.const(type)))];
  }

  private scan(s: Extract<Stmt, { type: 'Scan' }>): binaryen.ExpressionRef {
    const m = this.m;
    const src = this.temp();
    const n = this.temp();
    const i = this.temp();
    const ty = this.temp();
    const end = this.label('se');
    const loop = this.label('sl');
    // Objects and sets are put in key order first (once per map; kept until the next
    // out-of-order insertion): iteration follows OPA's order, and nothing in the body that
    // compares or dumps the collection can reorder it under the loop.
    // Positional access: no key lookup per step, and no key value built when nothing reads it
    // (array keys are numbers allocated on demand).
    const step: binaryen.ExpressionRef[] = [m.br(end, m.i32.ge_u(this.getT(i), this.getT(n)))];
    if (this.reads.has(s.key)) {
      step.push(this.set(s.key, this.rt('opa_value_key_at', [this.getT(src), this.getT(i)])));
    }
    if (this.reads.has(s.value)) step.push(this.set(s.value, this.rt('opa_value_value_at', [this.getT(src), this.getT(i)])));
    step.push(m.local.set(i, m.i32.add(this.getT(i), m.i32.const(1))), this.block(s.block), m.br(loop));
    return m.block(end, [
      m.local.set(src, this.get(s.source)),
      m.br(end, m.i32.eqz(this.getT(src))),
      m.local.set(ty, this.rt('opa_value_type', [this.getT(src)])),
      // Only arrays, objects and sets are scanned.
      m.br(end, m.i32.lt_u(this.getT(ty), m.i32.const(T_ARRAY))),
      m.if(m.i32.gt_u(this.getT(ty), m.i32.const(T_ARRAY)), m.drop(this.rt('portcullis_value_sorted', [this.getT(src)]))),
      m.local.set(n, this.rt('opa_value_length', [this.getT(src)])),
      m.local.set(i, m.i32.const(0)),
      m.loop(loop, m.block(null, step)),
    ]);
  }

  private with(s: Extract<Stmt, { type: 'With' }>): binaryen.ExpressionRef[] {
    const m = this.m;
    const saved = this.temp();
    let value: binaryen.ExpressionRef;
    if (s.path.length === 0) {
      value = this.operand(s.value);
    } else {
      const path = this.scratch(1);
      const build: binaryen.ExpressionRef[] = [m.local.set(path, this.rt('opa_array_with_cap', [m.i32.const(s.path.length)]))];
      for (const p of s.path) {
        build.push(this.rtStmt('opa_array_append', [this.getT(path), this.operand({ type: 'string', index: p })]));
      }
      value = m.block(null, [...build, this.rt('opa_value_patch', [this.get(s.local), this.getT(path), this.operand(s.value)])], binaryen.i32);
    }
    const restore = (): binaryen.ExpressionRef => this.set(s.local, this.getT(saved));
    const out: binaryen.ExpressionRef[] = [...this.defined(s.value), m.local.set(saved, this.get(s.local)), this.set(s.local, value)];
    this.frames.push({ kind: 'with', restore });
    out.push(this.block(s.block));
    this.frames.pop();
    out.push(restore());
    return out;
  }

  private call(name: string, args: Operand[], result: number, index: number): binaryen.ExpressionRef[] {
    const m = this.m;
    const where = `${this.where}, stmt ${index} (Call ${name})`;
    const argv = (): binaryen.ExpressionRef[] => args.map((a) => this.operand(a));
    const f = this.ctx.funcs.get(name);
    // Builtins never see undefined; policy functions do take an undefined input.
    const guards = f === undefined ? this.defined(...args) : [];
    let call: binaryen.ExpressionRef;
    const native = this.ctx.rt.natives.get(name);
    const host = this.ctx.hostIds.get(name);
    if (f !== undefined) {
      if (args.length !== f.params.length) {
        throw new CodegenError('wasm_call_arity', `${name} takes ${f.params.length} arguments, called with ${args.length}`, where);
      }
      call = m.call(FUNC_PREFIX + name, argv(), binaryen.i32);
    } else if (native !== undefined) {
      if ('error' in native) throw new CodegenError('wasm_runtime_api', `native builtin ${name}: ${native.error}`, where);
      if (args.length !== native.arity) {
        throw new CodegenError('wasm_call_arity', `builtin ${name} takes ${native.arity} arguments, called with ${args.length}`, where);
      }
      call = m.call(native.name, argv(), binaryen.i32);
    } else if (host !== undefined) {
      const arity = this.ctx.declared.get(name);
      if (arity !== args.length) {
        throw new CodegenError('wasm_call_arity', `builtin ${name} takes ${arity} arguments, called with ${args.length}`, where);
      }
      const imp = this.ctx.rt.hostBuiltin[args.length];
      if (imp === undefined) throw new CodegenError('wasm_builtin_arity', `builtin ${name} takes more than 4 arguments`, where);
      call = m.call(imp, [m.i32.const(host), m.i32.const(0), ...argv()], binaryen.i32);
    } else {
      throw new CodegenError('wasm_unknown_function', `${name} is neither a policy function nor a declared builtin`, where);
    }
    const t = this.scratch(0);
    return [...guards, m.local.set(t, call), this.fail(m.i32.eqz(this.getT(t))), this.set(result, this.getT(t))];
  }
}

function genFunc(ctx: ModuleCtx, f: Func): void {
  const where = `func ${f.name}`;
  const reads = localsRead(f.blocks);
  reads.add(f.result);
  const g = new FnGen(ctx, f.params.length, where, reads);
  f.params.forEach((p, i) => {
    g.bindParam(p, i);
  });
  g.input = f.params[0] ?? -1;
  const body: binaryen.ExpressionRef[] = f.blocks.map((b) => g.block(b));
  body.push(g.get(f.result));
  const params = binaryen.createType(f.params.map(() => binaryen.i32));
  if (f.params.length !== 2 || !ctx.memoize) {
    ctx.added.push(FUNC_PREFIX + f.name);
    ctx.mod.addFunction(FUNC_PREFIX + f.name, params, binaryen.i32, g.varTypes, ctx.mod.block(null, body, binaryen.i32));
    return;
  }
  ctx.added.push(IMPL_PREFIX + f.name, FUNC_PREFIX + f.name);
  ctx.mod.addFunction(IMPL_PREFIX + f.name, params, binaryen.i32, g.varTypes, ctx.mod.block(null, body, binaryen.i32));
  addMemoWrapper(ctx, f.name, params, ctx.keep && f.dataOnly === true);
}

/**
 * A rule without arguments depends only on (input, data), so its result is computed once per
 * evaluation: the wrapper keeps the result with the input and data handles it was computed for.
 * Handles identify values within an evaluation (nothing is freed until the heap is reset, and a
 * With makes a new copy), and the dispatcher clears every memo when an evaluation starts.
 *
 * A data-only rule (`kept`) also has a slot that outlives evaluations: portcullis_keep fills it
 * while the runtime says it is keeping values for this data, and it is read only while the
 * runtime says values kept for this data are still valid (runtime keep.ts).
 */
function addMemoWrapper(ctx: ModuleCtx, name: string, params: binaryen.Type, kept: boolean): void {
  const m = ctx.mod;
  const base = `pc:memo:${ctx.memoStates.length}`;
  const g = { state: `${base}:s`, input: `${base}:i`, data: `${base}:d`, value: `${base}:v` };
  const slot = `${base}:k`;
  for (const n of kept ? [...Object.values(g), slot] : Object.values(g)) {
    m.addGlobal(n, binaryen.i32, true, m.i32.const(0));
    ctx.globals.push(n);
  }
  ctx.memoStates.push(g.state);
  const p = (i: number): binaryen.ExpressionRef => m.local.get(i, binaryen.i32);
  const gg = (n: string): binaryen.ExpressionRef => m.global.get(n, binaryen.i32);
  const rt = (fn: RuntimeFn): binaryen.ExpressionRef => m.call(ctx.rt.api[fn].name, [p(1)], binaryen.i32);
  const body: binaryen.ExpressionRef[] = [];
  // Nested, not i32.and: wasm evaluates both operands, and an empty slot needs no runtime call.
  if (kept) body.push(m.if(gg(slot), m.if(rt('portcullis_kept'), m.return(gg(slot)))));
  body.push(
    m.if(
      m.i32.and(gg(g.state), m.i32.and(m.i32.eq(gg(g.input), p(0)), m.i32.eq(gg(g.data), p(1)))),
      m.return(gg(g.value)),
    ),
    m.global.set(g.value, m.call(IMPL_PREFIX + name, [p(0), p(1)], binaryen.i32)),
    m.global.set(g.input, p(0)),
    m.global.set(g.data, p(1)),
    m.global.set(g.state, m.i32.const(1)),
  );
  if (kept) {
    body.push(m.if(rt('portcullis_keeping'), m.global.set(slot, gg(g.value))));
    ctx.kept.push({ func: FUNC_PREFIX + name, slot });
  }
  body.push(gg(g.value));
  m.addFunction(FUNC_PREFIX + name, params, binaryen.i32, [], m.block(null, body, binaryen.i32));
}

function genPlan(ctx: ModuleCtx, p: Plan, id: number): string {
  const name = `${PLAN_PREFIX}${id}`;
  const g = new FnGen(ctx, 2, `plan ${p.name}`, localsRead(p.blocks));
  g.bindParam(0, 0);
  g.bindParam(1, 1);
  g.input = 0;
  g.resultSet = g.temp();
  const m = ctx.mod;
  const body: binaryen.ExpressionRef[] = [m.local.set(g.resultSet, g.rt('opa_set', []))];
  for (const b of p.blocks) body.push(g.block(b));
  body.push(g.getT(g.resultSet));
  ctx.added.push(name);
  m.addFunction(name, binaryen.createType([binaryen.i32, binaryen.i32]), binaryen.i32, g.varTypes, m.block(null, body, binaryen.i32));
  return name;
}

/** Every local some statement reads (operands, sources, collections updated in place). */
function localsRead(blocks: Block[]): Set<number> {
  const out = new Set<number>();
  const op = (o: Operand): void => {
    if (o.type === 'local') out.add(o.local);
  };
  const walk = (bs: Block[]): void => {
    for (const b of bs) for (const s of b.stmts) stmt(s);
  };
  const stmt = (s: Stmt): void => {
    switch (s.type) {
      case 'ArrayAppend': out.add(s.array); return op(s.value);
      case 'AssignVar': return op(s.source);
      case 'AssignVarOnce': out.add(s.target); return op(s.source);
      case 'Block': return walk(s.blocks);
      case 'Call': return s.args.forEach(op);
      case 'Dot': op(s.source); return op(s.key);
      case 'Equal': case 'NotEqual': op(s.a); return op(s.b);
      case 'IsArray': case 'IsObject': case 'IsSet': case 'Len': return op(s.source);
      case 'IsDefined': case 'IsUndefined': case 'ReturnLocal': out.add(s.source); return;
      case 'Not': return walk([s.block]);
      case 'ObjectInsert': case 'ObjectInsertOnce': out.add(s.object); op(s.key); return op(s.value);
      case 'ObjectMerge': out.add(s.a); out.add(s.b); return;
      case 'ResultSetAdd': out.add(s.value); return;
      case 'Scan': out.add(s.source); return walk([s.block]);
      case 'SetAdd': out.add(s.set); return op(s.value);
      case 'With': out.add(s.local); op(s.value); return walk([s.block]);
      case 'Break': case 'MakeNull': case 'MakeNumberInt': case 'MakeNumberRef': case 'MakeArray':
      case 'MakeObject': case 'MakeSet': case 'ResetLocal': case 'Abort':
        return;
    }
  };
  walk(blocks);
  return out;
}

// Constant values in the runtime's layouts (docs/runtime.md): a u32 header whose low byte is the
// type (1 null, 2 boolean, 3 number, 4 string) and second byte the subtype, then the fields.
function words(n: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(n);
  return { bytes, view: new DataView(bytes.buffer) };
}

function staticNull(): Uint8Array {
  const { bytes, view } = words(8);
  view.setUint32(0, 1, true);
  return bytes;
}

function staticBool(b: boolean): Uint8Array {
  const { bytes, view } = words(8);
  view.setUint32(0, 2, true);
  view.setUint32(4, b ? 1 : 0, true);
  return bytes;
}

/** Number, subtype INT: [hdr][pad][i64]. */
function staticInt(n: bigint): Uint8Array {
  const { bytes, view } = words(16);
  view.setUint32(0, 3, true);
  view.setBigInt64(8, n, true);
  return bytes;
}

