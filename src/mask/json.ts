// Masking JSON values: JSONPath targets (jsonpath-plus) and detectors over string leaves. The input
// is never mutated; only containers on the way to a change are copied.

import { JSONPath } from 'jsonpath-plus';
import { MaskError } from './errors.ts';
import { compilePlan, emptyCounts } from './plan.ts';
import type { JsonPathRule, MaskPlan } from './plan.ts';
import { maskString } from './scan.ts';
import type { DetectorPlan } from './scan.ts';
import { strictest } from './strategy.ts';
import type { CompiledStrategy } from './strategy.ts';
import type { MaskOptions, MaskReport } from './types.ts';

/** Deeper values are refused (fail closed) rather than risking the stack. */
export const MAX_JSON_DEPTH = 1000;

export interface JsonMaskResult {
  value: unknown;
  report: MaskReport;
}

export interface JsonMasker {
  mask(value: unknown): JsonMaskResult;
}

interface Hit { strategies: CompiledStrategy[]; labels: string[] }
type Marks = Map<object, Map<string, Hit>>;

interface PathResult { parent: unknown; parentProperty: unknown }

export function createJsonMasker(masks: unknown, opts?: MaskOptions): JsonMasker {
  return jsonMaskerFromPlan(compilePlan(masks, opts));
}

export function maskJson(value: unknown, masks: unknown, opts?: MaskOptions): JsonMaskResult {
  return createJsonMasker(masks, opts).mask(value);
}

export function jsonMaskerFromPlan(plan: MaskPlan): JsonMasker {
  const inapplicable = [...plan.labels.column];
  return {
    mask(value) {
      const counts = emptyCounts();
      const marks: Marks = new Map();
      let root: Hit | null = null;
      for (let i = 0; i < plan.jsonpaths.length; i++) {
        const rule = plan.jsonpaths[i] as JsonPathRule;
        for (const r of select(rule, value, i)) {
          if (r.parent === null || r.parent === undefined || typeof r.parent !== 'object') {
            root = addHit(root, rule);
            continue;
          }
          let m = marks.get(r.parent);
          if (m === undefined) marks.set(r.parent, (m = new Map()));
          const key = String(r.parentProperty);
          m.set(key, addHit(m.get(key) ?? null, rule));
        }
      }
      const out = root !== null ? replace(value, root, counts) : walk(value, marks, plan.detect, counts, 0);
      return { value: out, report: { counts: { ...counts }, failClosed: [], inapplicable: [...inapplicable] } };
    },
  };
}

// Two passes ("parent", then "parentProperty", in the same order) cost less than resultType "all",
// which formats a path string and a JSON pointer for every result.
function select(rule: JsonPathRule, json: unknown, i: number): PathResult[] {
  const run = (resultType: 'parent' | 'parentProperty'): unknown[] => {
    const res: unknown = JSONPath({ path: rule.path, json: json as null, resultType, wrap: true, eval: 'safe', ignoreEvalErrors: true });
    return Array.isArray(res) ? res : [];
  };
  try {
    const parents = run('parent');
    if (parents.length === 0) return [];
    const props = run('parentProperty');
    if (props.length !== parents.length) throw new Error('result count differs');
    return parents.map((parent, k) => ({ parent, parentProperty: props[k] }));
  } catch {
    throw new MaskError('jsonpath_eval', 'JSONPath evaluation failed', `/${i}/target/path`);
  }
}

function addHit(prev: Hit | null, rule: JsonPathRule): Hit {
  if (prev === null) return { strategies: [rule.strategy], labels: [rule.label] };
  if (!prev.labels.includes(rule.label)) prev.labels.push(rule.label);
  prev.strategies.push(rule.strategy);
  return prev;
}

function replace(v: unknown, hit: Hit, counts: Record<string, number>): unknown {
  if (v === null || v === undefined) return v;
  for (const l of hit.labels) counts[l] = (counts[l] ?? 0) + 1;
  return strictest(hit.strategies).value(v);
}

/** Detectors over every string leaf of a value (used for JSON cells of SQL rows too). */
export function detectInValue(v: unknown, detect: DetectorPlan, counts: Record<string, number>): unknown {
  return walk(v, new Map(), detect, counts, 0);
}

function walk(v: unknown, marks: Marks, detect: DetectorPlan | null, counts: Record<string, number>, depth: number): unknown {
  if (typeof v === 'string') return detect === null ? v : maskString(v, detect, counts);
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array || v instanceof Date) return v;
  if (depth >= MAX_JSON_DEPTH) throw new MaskError('too_deep', `JSON nested deeper than ${MAX_JSON_DEPTH}`);
  const here = marks.get(v);
  if (here === undefined && detect === null && marks.size === 0) return v;
  if (Array.isArray(v)) {
    let out: unknown[] | null = null;
    for (let i = 0; i < v.length; i++) {
      const hit = here?.get(String(i));
      const nv = hit !== undefined ? replace(v[i], hit, counts) : walk(v[i], marks, detect, counts, depth + 1);
      if (nv !== v[i]) {
        out ??= v.slice();
        out[i] = nv;
      }
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  let out: Record<string, unknown> | null = null;
  for (const k of Object.keys(o)) {
    const hit = here?.get(k);
    const nv = hit !== undefined ? replace(o[k], hit, counts) : walk(o[k], marks, detect, counts, depth + 1);
    if (nv !== o[k]) {
      out ??= { ...o };
      // defineProperty: a "__proto__" key stays an own data property.
      Object.defineProperty(out, k, { value: nv, writable: true, enumerable: true, configurable: true });
    }
  }
  return out ?? v;
}
