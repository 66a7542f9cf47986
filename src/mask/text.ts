// Streaming masking of free text (terminal output, logs). Matches that straddle chunk boundaries
// are still found: the masker holds back the suffix in which an unfinished match may start, plus
// a little already-emitted left context for boundary checks. Memory stays bounded by the longest
// possible match (a private key block) whatever the total size.

import { LOOKBEHIND } from './detectors/index.ts';
import { MaskError } from './errors.ts';
import { compilePlan, emptyCounts } from './plan.ts';
import type { MaskPlan } from './plan.ts';
import { applySpans, findSpans, maskString } from './scan.ts';
import type { DetectorPlan } from './scan.ts';
import type { MaskOptions, MaskReport } from './types.ts';

export interface TextMasker {
  /** Masks what can be decided so far and returns it (possibly ""). */
  push(chunk: string): string;
  /** Returns the rest; the masker cannot be used afterwards. */
  end(): string;
  /** Emits everything held, deciding with what is known now (for an idle interactive session). A
   *  secret split across a flush is not recognised. */
  flush(): string;
  /** Bytes held back right now, in UTF-16 units. */
  readonly held: number;
  report(): MaskReport;
}

// A match touching the end of the buffer may still grow (detectors hold these too; belt and braces).
const RIGHT_GUARD = 1;
// Re-scanning a large held suffix on every tiny chunk would be quadratic: past this size, wait
// until the suffix has grown by half before scanning again.
const RESCAN_FREE = 1024;

export function createTextMasker(masks: unknown, opts?: MaskOptions): TextMasker {
  const plan = compilePlan(masks, opts);
  return textMaskerFromPlan(plan);
}

export function textMaskerFromPlan(plan: MaskPlan): TextMasker {
  const counts = emptyCounts();
  const inapplicable = [...plan.labels.column, ...plan.labels.jsonpath];
  const detect = plan.detect;
  let ctx = '';
  let pend = '';
  let nextScanAt = 0;
  let ended = false;

  const step = (final: boolean): string => {
    if (detect === null) { const out = pend; pend = ''; return out; }
    const buf = ctx + pend;
    const base = ctx.length;
    const spans = findSpans(buf, base, detect);
    let cut = buf.length;
    if (!final) {
      cut = buf.length - Math.min(maxPending(buf, detect), buf.length - base);
      for (const s of spans) {
        if (s.start >= cut) break;
        if (s.end > cut || s.end > buf.length - RIGHT_GUARD) { cut = s.start; break; }
      }
      // Keep surrogate pairs together.
      if (cut > base && cut < buf.length && isHighSurrogate(buf.charCodeAt(cut - 1))) cut--;
    }
    const out = applySpans(buf, base, cut, spans, detect, counts);
    ctx = buf.slice(Math.max(0, cut - LOOKBEHIND), cut);
    pend = buf.slice(cut);
    nextScanAt = pend.length > RESCAN_FREE ? pend.length + (pend.length >> 1) : 0;
    return out;
  };

  const live = (): void => {
    if (ended) throw new MaskError('stream_ended', 'the text masker was already ended');
  };

  return {
    push(chunk) {
      live();
      if (typeof chunk !== 'string') throw new MaskError('invalid_input', 'push() takes a string');
      pend += chunk;
      if (pend.length < nextScanAt) return '';
      return step(false);
    },
    end() {
      live();
      const out = step(true);
      ended = true;
      ctx = '';
      return out;
    },
    flush() {
      live();
      return step(true);
    },
    get held() { return pend.length; },
    report() {
      return { counts: { ...counts }, failClosed: [], inapplicable: [...inapplicable] };
    },
  };
}

function maxPending(buf: string, detect: DetectorPlan): number {
  let hold = 0;
  for (const d of detect.detectors) hold = Math.max(hold, d.pending(buf));
  return hold;
}

const isHighSurrogate = (c: number): boolean => c >= 0xd800 && c <= 0xdbff;

/** Masks a whole string at once (same result as streaming it in any chunks). */
export function maskText(text: string, masks: unknown, opts?: MaskOptions): { text: string; report: MaskReport } {
  const plan = compilePlan(masks, opts);
  const counts = emptyCounts();
  const out = plan.detect === null ? text : maskString(text, plan.detect, counts);
  return { text: out, report: { counts: { ...counts }, failClosed: [], inapplicable: [...plan.labels.column, ...plan.labels.jsonpath] } };
}
