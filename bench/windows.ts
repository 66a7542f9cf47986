// Timing in windows. This machine shares its memory system with other work: for seconds at a
// time, everything memory-bound runs up to 1.8x slower (the bare libpg-query call swings between
// 158 and 250 µs with no JavaScript involved; a plain random-access loop moves alike; a
// register-only loop does not). One median lands in either mode, so a bench times several
// windows and reports the quietest one's median (what the code costs) beside the range of all.

export interface WindowStats {
  /** Median of the quietest window (the one with the lowest median). */
  median: number;
  /** 99th percentile within that window. */
  p99: number;
  /** Highest window median (the lowest is `median`). */
  hi: number;
  windows: number;
}

/** Times `t.length` calls of fn into t (µs, from process.hrtime.bigint()); returns median and p99. */
function sample(fn: () => unknown, t: Float64Array): { median: number; p99: number } {
  const runs = t.length;
  for (let i = 0; i < runs; i++) {
    const a = process.hrtime.bigint();
    fn();
    t[i] = Number(process.hrtime.bigint() - a) / 1000;
  }
  t.sort();
  return { median: t[runs >> 1]!, p99: t[Math.min(runs - 1, Math.floor(runs * 0.99))]! };
}

function warm(fn: () => unknown, runs: number, warmMs: number): void {
  const until = performance.now() + warmMs;
  for (let i = 0; i < Math.min(2000, runs) || performance.now() < until; i++) fn();
}

/** Keeps the quietest window's figures in out. */
function note(out: WindowStats, w: { median: number; p99: number }): void {
  out.hi = Math.max(out.hi, w.median);
  if (w.median < out.median) {
    out.median = w.median;
    out.p99 = w.p99;
  }
}

/**
 * Calls fn `runs` times per window, in `windows` windows, after a warm-up of min(runs, 2000)
 * calls lasting at least warmMs. Times in µs from process.hrtime.bigint().
 */
export function timeWindows(fn: () => unknown, runs: number, windows: number, warmMs = 0): WindowStats {
  warm(fn, runs, warmMs);
  const t = new Float64Array(runs);
  const out: WindowStats = { median: Infinity, p99: Infinity, hi: 0, windows };
  for (let w = 0; w < windows; w++) note(out, sample(fn, t));
  return out;
}

/**
 * timeWindows for fn, with a baseline timed right after it in every window. The two medians of
 * one window share the machine's mode, so the median over windows of their ratio is steady where a
 * baseline timed at another moment is not (a slow spell can cover one and miss the other).
 */
export function timePaired(fn: () => unknown, base: () => unknown, runs: number, windows: number): WindowStats & { ratio: number } {
  warm(fn, runs, 0);
  warm(base, runs, 0);
  const t = new Float64Array(runs);
  const out: WindowStats = { median: Infinity, p99: Infinity, hi: 0, windows };
  const ratios: number[] = [];
  for (let w = 0; w < windows; w++) {
    const f = sample(fn, t);
    note(out, f);
    ratios.push(f.median / sample(base, t).median);
  }
  ratios.sort((a, b) => a - b);
  return { ...out, ratio: ratios[ratios.length >> 1]! };
}

/** "quietest of 10 windows, all 10.1–16.9 µs" */
export function spread(s: WindowStats): string {
  return `quietest of ${s.windows} windows, all ${s.median.toFixed(1)}–${s.hi.toFixed(1)} µs`;
}
