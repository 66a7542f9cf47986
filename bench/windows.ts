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

/**
 * Calls fn `runs` times per window, in `windows` windows, after a warm-up of min(runs, 2000)
 * calls lasting at least warmMs. Times in µs from process.hrtime.bigint().
 */
export function timeWindows(fn: () => unknown, runs: number, windows: number, warmMs = 0): WindowStats {
  const until = performance.now() + warmMs;
  for (let i = 0; i < Math.min(2000, runs) || performance.now() < until; i++) fn();
  const t = new Float64Array(runs);
  const out: WindowStats = { median: Infinity, p99: Infinity, hi: 0, windows };
  for (let w = 0; w < windows; w++) {
    for (let i = 0; i < runs; i++) {
      const a = process.hrtime.bigint();
      fn();
      t[i] = Number(process.hrtime.bigint() - a) / 1000;
    }
    t.sort();
    const median = t[runs >> 1]!;
    out.hi = Math.max(out.hi, median);
    if (median < out.median) {
      out.median = median;
      out.p99 = t[Math.min(runs - 1, Math.floor(runs * 0.99))]!;
    }
  }
  return out;
}

/** "quietest of 10 windows, all 10.1–16.9 µs" */
export function spread(s: WindowStats): string {
  return `quietest of ${s.windows} windows, all ${s.median.toFixed(1)}–${s.hi.toFixed(1)} µs`;
}
