// Finds detector matches in text, resolves overlaps, and writes the masked text.

import type { Detector } from './detectors/index.ts';
import type { CompiledStrategy } from './strategy.ts';
import type { DetectorName } from './types.ts';

export interface Span {
  start: number;
  end: number;
  /** Detectors whose matches make up this span; the first one decides the replacement label. */
  detectors: DetectorName[];
}

/** Compiled detector targets: which detectors run and the strategy for each. */
export interface DetectorPlan {
  detectors: readonly Detector[];
  strategies: ReadonlyMap<DetectorName, CompiledStrategy>;
}

interface Hit { start: number; end: number; priority: number; name: DetectorName }

/** Non-overlapping spans of matches starting at or after `from`, sorted. A match inside another is
 *  dropped; partly overlapping matches merge into one span (both are masked). */
export function findSpans(text: string, from: number, plan: DetectorPlan): Span[] {
  const hits: Hit[] = [];
  for (const d of plan.detectors) {
    d.scan(text, from, (start, end) => { if (end > start) hits.push({ start, end, priority: d.priority, name: d.name }); });
  }
  if (hits.length === 0) return [];
  hits.sort((a, b) => a.start - b.start || b.end - a.end || a.priority - b.priority);
  const spans: Span[] = [];
  let last: Span | undefined;
  for (const h of hits) {
    if (last !== undefined && h.start < last.end) {
      if (h.end > last.end) {
        last.end = h.end;
        if (!last.detectors.includes(h.name)) last.detectors.push(h.name);
      }
      continue;
    }
    last = { start: h.start, end: h.end, detectors: [h.name] };
    spans.push(last);
  }
  return spans;
}

/** text[from, to) with every span in it replaced; counts land in `counts` under "detector:<name>". */
export function applySpans(
  text: string,
  from: number,
  to: number,
  spans: readonly Span[],
  plan: DetectorPlan,
  counts: Record<string, number>,
): string {
  let out = '';
  let at = from;
  for (const s of spans) {
    if (s.start < from || s.end > to) continue;
    let strategy = plan.strategies.get(s.detectors[0] as DetectorName) as CompiledStrategy;
    for (const name of s.detectors) {
      const other = plan.strategies.get(name) as CompiledStrategy;
      if (other.rank > strategy.rank) strategy = other;
      const label = `detector:${name}`;
      counts[label] = (counts[label] ?? 0) + 1;
    }
    out += text.slice(at, s.start) + strategy.text(text.slice(s.start, s.end));
    at = s.end;
  }
  return out + text.slice(at, to);
}

/** One-shot masking of a whole string. */
export function maskString(text: string, plan: DetectorPlan, counts: Record<string, number>): string {
  const spans = findSpans(text, 0, plan);
  return spans.length === 0 ? text : applySpans(text, 0, text.length, spans, plan, counts);
}
