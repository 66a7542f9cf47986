// A stand-in runtime for codegen tests: a tiny wasm module whose value API is imported from JS,
// so control-flow semantics of generated code can be checked without the real runtime.
// Values live in a JS handle table; `eval(ep, input, data)` calls the generated dispatcher.
import binaryen from 'binaryen';
import { WA } from './wasm-api.ts';

type V =
  | { t: 'null' }
  | { t: 'bool'; v: boolean }
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'arr'; items: number[] }
  | { t: 'obj'; m: Map<string, [number, number]> }
  | { t: 'set'; m: Map<string, number> };

const SIGS: Array<[string, binaryen.Type[], binaryen.Type]> = [
  ['opa_null', [], binaryen.i32],
  ['opa_boolean', [binaryen.i32], binaryen.i32],
  ['opa_number_int', [binaryen.i64], binaryen.i32],
  ['opa_number_ref', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_string', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_array_with_cap', [binaryen.i32], binaryen.i32],
  ['opa_object', [], binaryen.i32],
  ['opa_set', [], binaryen.i32],
  ['opa_array_append', [binaryen.i32, binaryen.i32], binaryen.none],
  ['opa_object_insert', [binaryen.i32, binaryen.i32, binaryen.i32], binaryen.none],
  ['opa_object_insert_once', [binaryen.i32, binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_set_add', [binaryen.i32, binaryen.i32], binaryen.none],
  ['opa_value_type', [binaryen.i32], binaryen.i32],
  ['opa_value_get', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_value_key_at', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_value_value_at', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_value_length', [binaryen.i32], binaryen.i32],
  ['portcullis_value_sorted', [binaryen.i32], binaryen.i32],
  ['opa_value_equal', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_value_merge', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_value_patch', [binaryen.i32, binaryen.i32, binaryen.i32], binaryen.i32],
  ['opa_json_parse', [binaryen.i32, binaryen.i32], binaryen.i32],
  ['portcullis_keep_begin', [binaryen.i32, binaryen.i32], binaryen.none],
  ['portcullis_keep_end', [], binaryen.i32],
  ['portcullis_kept', [binaryen.i32], binaryen.i32],
  ['portcullis_keeping', [binaryen.i32], binaryen.i32],
  ['mock_count', [binaryen.i32], binaryen.i32],
];

/** Natives table matching the mock: `count` is "native" here. */
export const MOCK_NATIVES = { count: { export: 'mock_count', arity: 1 } } as const;

let built: Uint8Array | undefined;

/** The mock runtime module's bytes (built once). */
export function mockRuntime(): Uint8Array {
  if (built !== undefined) return built;
  const m = new binaryen.Module();
  m.addMemoryImport('mem', 'env', 'memory');
  m.setMemory(1, -1, 'memory', [{ offset: m.i32.const(1024), data: new TextEncoder().encode('runtime data') }], false, false, 'mem');
  m.addMemoryImport('mem', 'env', 'memory');
  m.addGlobalImport('hb', 'env', '__heap_base', binaryen.i32, false);
  m.addFunctionImport('dispatch', 'env', 'portcullis_eval_plan', binaryen.createType([binaryen.i32, binaryen.i32, binaryen.i32]), binaryen.i32);
  for (const [name, params, result] of SIGS) {
    m.addFunctionImport(`i:${name}`, 'mock', name, binaryen.createType(params), result);
    m.addFunctionExport(`i:${name}`, name);
  }
  const p = (i: number): binaryen.ExpressionRef => m.local.get(i, binaryen.i32);
  m.addFunction('eval', binaryen.createType([binaryen.i32, binaryen.i32, binaryen.i32]), binaryen.i32, [],
    m.call('dispatch', [p(0), p(1), p(2)], binaryen.i32));
  m.addFunctionExport('eval', 'eval');
  m.addFunction('heap', binaryen.none, binaryen.i32, [], m.global.get('hb', binaryen.i32));
  m.addFunctionExport('heap', 'opa_heap_ptr_get');
  if (!m.validate()) throw new Error('mock runtime does not validate');
  built = m.emitBinary();
  m.dispose();
  return built;
}

export type HostBuiltins = Record<string, (...args: unknown[]) => unknown>;

/** One instance of a linked module over the mock runtime. */
export class MockInstance {
  private readonly vals: V[] = [{ t: 'null' }];
  private readonly exports: Record<string, (...a: number[]) => number>;
  readonly memory = new WA.Memory({ initial: 5 });
  private builtinNames: string[] = [];

  constructor(wasm: Uint8Array, host: HostBuiltins = {}) {
    const mem = this.memory;
    const cstr = (addr: number): string => {
      const b = new Uint8Array(mem.buffer);
      let e = addr;
      while (b[e] !== 0) e++;
      return new TextDecoder().decode(b.subarray(addr, e));
    };
    const callHost = (id: number, ...args: number[]): number => {
      const name = this.builtinNames[id];
      const f = name === undefined ? undefined : host[name];
      if (f === undefined) throw new Error(`no host builtin ${id}`);
      const r = f(...args.map((a) => this.toJS(a)));
      return r === undefined ? 0 : this.fromJS(r);
    };
    const env = {
      memory: mem,
      opa_abort: (addr: number): never => {
        throw new Error(cstr(addr));
      },
      opa_println: (addr: number): void => {
        console.log(cstr(addr));
      },
      opa_builtin0: (id: number) => callHost(id),
      opa_builtin1: (id: number, _c: number, a: number) => callHost(id, a),
      opa_builtin2: (id: number, _c: number, a: number, b: number) => callHost(id, a, b),
      opa_builtin3: (id: number, _c: number, a: number, b: number, c: number) => callHost(id, a, b, c),
      opa_builtin4: (id: number, _c: number, a: number, b: number, c: number, d: number) => callHost(id, a, b, c, d),
    };
    const inst = new WA.Instance(new WA.Module(wasm), { env, mock: this.api() });
    this.exports = inst.exports as unknown as Record<string, (...a: number[]) => number>;
    const b = this.toJS(this.exports['builtins']!()) as Record<string, number>;
    for (const [k, v] of Object.entries(b)) this.builtinNames[v] = k;
  }

  entrypoints(): Record<string, number> {
    return this.toJS(this.exports['entrypoints']!()) as Record<string, number>;
  }

  heapBase(): number {
    return this.exports['opa_heap_ptr_get']!();
  }

  bytes(ptr: number, len: number): string {
    return new TextDecoder().decode(new Uint8Array(this.memory.buffer, ptr, len));
  }

  /** Result set of plan `ep` as an array (sorted canonically), or undefined if the plan id is unknown. */
  eval(ep: number, input: unknown, data: unknown = {}): unknown[] | undefined {
    const rs = this.exports['eval']!(ep, input === undefined ? 0 : this.fromJS(input), this.fromJS(data));
    if (rs === 0) return undefined;
    return this.toJS(rs) as unknown[];
  }

  private add(v: V): number {
    this.vals.push(v);
    return this.vals.length - 1;
  }

  private v(h: number): V {
    const v = this.vals[h];
    if (h === 0 || v === undefined) throw new Error(`bad handle ${h}`);
    return v;
  }

  canon(h: number): string {
    const v = this.v(h);
    switch (v.t) {
      case 'null': return 'null';
      case 'bool': return String(v.v);
      case 'num': return String(v.v);
      case 'str': return JSON.stringify(v.v);
      case 'arr': return `[${v.items.map((i) => this.canon(i)).join(',')}]`;
      case 'obj': return `{${[...v.m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, [, x]]) => `${k}:${this.canon(x)}`).join(',')}}`;
      case 'set': return `set(${[...v.m.keys()].sort().join(',')})`;
    }
  }

  fromJS(x: unknown): number {
    if (x === null) return this.add({ t: 'null' });
    if (typeof x === 'boolean') return this.add({ t: 'bool', v: x });
    if (typeof x === 'number') return this.add({ t: 'num', v: x });
    if (typeof x === 'string') return this.add({ t: 'str', v: x });
    if (Array.isArray(x)) return this.add({ t: 'arr', items: x.map((i) => this.fromJS(i)) });
    if (x instanceof Set) {
      const h = this.add({ t: 'set', m: new Map() });
      for (const e of x) this.setAdd(h, this.fromJS(e));
      return h;
    }
    if (typeof x === 'object') {
      const h = this.add({ t: 'obj', m: new Map() });
      for (const [k, val] of Object.entries(x as Record<string, unknown>)) this.insert(h, this.fromJS(k), this.fromJS(val));
      return h;
    }
    throw new Error(`cannot convert ${String(x)}`);
  }

  toJS(h: number): unknown {
    const v = this.v(h);
    switch (v.t) {
      case 'null': return null;
      case 'bool': case 'num': case 'str': return v.v;
      case 'arr': return v.items.map((i) => this.toJS(i));
      case 'obj': {
        const o: Record<string, unknown> = {};
        for (const [k, x] of v.m.values()) o[String(this.toJS(k))] = this.toJS(x);
        return o;
      }
      case 'set': return [...v.m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, x]) => this.toJS(x));
    }
  }

  private insert(o: number, k: number, val: number): void {
    const v = this.v(o);
    if (v.t !== 'obj') throw new Error('insert into a non-object');
    v.m.set(this.canon(k), [k, val]);
  }

  private setAdd(s: number, e: number): void {
    const v = this.v(s);
    if (v.t !== 'set') throw new Error('add to a non-set');
    v.m.set(this.canon(e), e);
  }

  private api(): Record<string, (...a: never[]) => number | void> {
    const dec = new TextDecoder();
    const str = (p: number, l: number): string => dec.decode(new Uint8Array(this.memory.buffer, p, l));
    const types = { null: 1, bool: 2, num: 3, str: 4, arr: 5, obj: 6, set: 7 } as const;
    const keysOf = (h: number): number[] => {
      const v = this.v(h);
      if (v.t === 'arr') return v.items.map((_, i) => this.add({ t: 'num', v: i }));
      if (v.t === 'obj') return [...v.m.values()].map(([k]) => k);
      if (v.t === 'set') return [...v.m.values()];
      return [];
    };
    return {
      opa_null: () => this.add({ t: 'null' }),
      opa_boolean: (b: number) => this.add({ t: 'bool', v: b !== 0 }),
      opa_number_int: (n: bigint) => this.add({ t: 'num', v: Number(n) }),
      opa_number_ref: (p: number, l: number) => this.add({ t: 'num', v: Number(str(p, l)) }),
      opa_string: (p: number, l: number) => this.add({ t: 'str', v: str(p, l) }),
      opa_array_with_cap: () => this.add({ t: 'arr', items: [] }),
      opa_object: () => this.add({ t: 'obj', m: new Map() }),
      opa_set: () => this.add({ t: 'set', m: new Map() }),
      opa_array_append: (a: number, x: number) => {
        const v = this.v(a);
        if (v.t !== 'arr') throw new Error('append to a non-array');
        v.items.push(x);
      },
      opa_object_insert: (o: number, k: number, x: number) => this.insert(o, k, x),
      opa_object_insert_once: (o: number, k: number, x: number) => {
        const v = this.v(o);
        if (v.t !== 'obj') throw new Error('insert into a non-object');
        const have = v.m.get(this.canon(k));
        if (have !== undefined) return this.canon(have[1]) === this.canon(x) ? 0 : 1;
        this.insert(o, k, x);
        return 0;
      },
      opa_set_add: (s: number, x: number) => this.setAdd(s, x),
      opa_value_type: (h: number) => types[this.v(h).t],
      opa_value_get: (h: number, k: number) => {
        const v = this.v(h);
        if (v.t === 'obj') return v.m.get(this.canon(k))?.[1] ?? 0;
        if (v.t === 'set') return v.m.get(this.canon(k)) ?? 0;
        if (v.t === 'arr') {
          const kv = this.v(k);
          return kv.t === 'num' && Number.isInteger(kv.v) ? (v.items[kv.v] ?? 0) : 0;
        }
        return 0;
      },
      opa_value_key_at: (h: number, i: number) => keysOf(h)[i] ?? 0,
      opa_value_value_at: (h: number, i: number) => {
        const v = this.v(h);
        if (v.t === 'arr') return v.items[i] ?? 0;
        if (v.t === 'obj') return [...v.m.values()][i]?.[1] ?? 0;
        if (v.t === 'set') return [...v.m.values()][i] ?? 0;
        return 0;
      },
      opa_value_length: (h: number) => {
        const v = this.v(h);
        if (v.t === 'str') return [...v.v].length;
        if (v.t === 'arr') return v.items.length;
        if (v.t === 'obj' || v.t === 'set') return v.m.size;
        return 0;
      },
      // The mock's maps stay in insertion order: scans visit them as built.
      portcullis_value_sorted: (h: number) => h,
      opa_value_equal: (a: number, b: number) => (this.canon(a) === this.canon(b) ? 1 : 0),
      opa_value_merge: (a: number, b: number) => {
        const merge = (x: number, y: number): number => {
          const vx = this.v(x);
          const vy = this.v(y);
          if (vx.t !== 'obj' || vy.t !== 'obj') return x;
          const out = this.add({ t: 'obj', m: new Map(vy.m) });
          for (const [c, [k, val]] of vx.m) {
            const other = vy.m.get(c);
            (this.v(out) as { m: Map<string, [number, number]> }).m.set(c, [k, other === undefined ? val : merge(val, other[1])]);
          }
          return out;
        };
        return this.v(a).t === 'obj' && this.v(b).t === 'obj' ? merge(a, b) : 0;
      },
      opa_value_patch: (root: number, path: number, x: number) => {
        const js = root === 0 ? {} : this.toJS(root);
        const keys = this.toJS(path) as string[];
        const copy = (keys.length === 0 ? undefined : structuredClone(js)) as Record<string, unknown>;
        if (keys.length === 0) return x;
        let cur = copy;
        keys.slice(0, -1).forEach((k) => {
          if (cur[k] === null || typeof cur[k] !== 'object') cur[k] = {};
          cur = cur[k] as Record<string, unknown>;
        });
        cur[keys[keys.length - 1]!] = this.toJS(x);
        return this.fromJS(copy);
      },
      opa_json_parse: (p: number, l: number) => this.fromJS(JSON.parse(str(p, l))),
      // The stand-in keeps nothing across evaluations: every rule is computed each time.
      portcullis_keep_begin: () => undefined,
      portcullis_keep_end: () => 0,
      portcullis_kept: () => 0,
      portcullis_keeping: () => 0,
      mock_count: (h: number) => {
        const v = this.v(h);
        if (v.t === 'arr') return this.add({ t: 'num', v: v.items.length });
        if (v.t === 'obj' || v.t === 'set') return this.add({ t: 'num', v: v.m.size });
        return 0;
      },
    };
  }
}
