// Compiles validated mask obligations into what the maskers run.

import { DETECTORS } from './detectors/index.ts';
import type { Detector } from './detectors/index.ts';
import { splitQualified } from './names.ts';
import { targetLabel, validateMasks } from './spec.ts';
import { compileStrategy, DEFAULT_REPLACEMENT } from './strategy.ts';
import type { CompiledStrategy } from './strategy.ts';
import type { DetectorPlan } from './scan.ts';
import { DETECTOR_NAMES } from './types.ts';
import type { DetectorName, MaskOptions, MaskTarget } from './types.ts';

export interface ColumnRule {
  /** Split, lowercased table name. */
  table: string[];
  /** Lowercased column name, or "*". */
  column: string;
  strategy: CompiledStrategy;
  label: string;
}

export interface JsonPathRule {
  path: string;
  strategy: CompiledStrategy;
  label: string;
}

export interface MaskPlan {
  columns: ColumnRule[];
  jsonpaths: JsonPathRule[];
  /** null when no detector target is present. */
  detect: DetectorPlan | null;
  /** Labels of every target by kind, for reporting the ones a masker cannot apply. */
  labels: Record<MaskTarget['kind'], string[]>;
}

export function compilePlan(masks: unknown, opts: MaskOptions = {}): MaskPlan {
  const specs = validateMasks(masks);
  const plan: MaskPlan = { columns: [], jsonpaths: [], detect: null, labels: { column: [], jsonpath: [], detector: [] } };
  const byDetector = new Map<DetectorName, CompiledStrategy>();
  specs.forEach((spec, i) => {
    const at = `/${i}/strategy`;
    const t = spec.target;
    const label = targetLabel(t);
    if (!plan.labels[t.kind].includes(label)) plan.labels[t.kind].push(label);
    if (t.kind === 'column') {
      plan.columns.push({
        table: splitQualified(t.table) as string[],
        column: t.column === '*' ? '*' : t.column.toLowerCase(),
        strategy: compileStrategy(spec.strategy, DEFAULT_REPLACEMENT, opts.hashKeys, at),
        label,
      });
    } else if (t.kind === 'jsonpath') {
      plan.jsonpaths.push({ path: t.path, strategy: compileStrategy(spec.strategy, DEFAULT_REPLACEMENT, opts.hashKeys, at), label });
    } else {
      const names: readonly DetectorName[] = t.detector === 'all' ? DETECTOR_NAMES : [t.detector];
      for (const name of names) {
        const s = compileStrategy(spec.strategy, `[REDACTED:${name}]`, opts.hashKeys, at);
        const prev = byDetector.get(name);
        if (prev === undefined || s.rank > prev.rank) byDetector.set(name, s);
      }
    }
  });
  if (byDetector.size > 0) {
    const detectors: Detector[] = DETECTOR_NAMES.filter((n) => byDetector.has(n)).map((n) => DETECTORS[n]);
    plan.detect = { detectors, strategies: byDetector };
  }
  return plan;
}

export function emptyCounts(): Record<string, number> {
  return Object.create(null) as Record<string, number>;
}
