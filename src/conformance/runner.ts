// Runs a suite: excluded cases are skipped with their reason; the rest run in a child process,
// one after another, each inside a time box. A case that outlives it (or kills the process) is
// failed and the child is restarted for the cases after it.
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { excludeKey, type ConformanceCase, type Suite } from './cases.ts';
import type { FromChild, ToChild } from './child.ts';
import { buildReport, type CaseResult, type Report } from './report.ts';
import type { CaseOutcome } from './run-case.ts';
import { loaderArgs, siblingModule } from '../node/sibling.ts';

export interface RunOptions {
  /** Per-case time box in milliseconds (compile + load + evaluate). */
  timeoutMs?: number;
  /** A module URL exporting `deps: CaseDeps` to use instead of the real toolchain (tests). */
  depsModule?: string;
  /** Run binaryen's optimizer on each case's module (slower; off by default). */
  optimize?: boolean;
  /** Child processes running cases side by side (default: 2, or 1 on a single core). */
  jobs?: number;
  /** Only cases for which this returns true run; the others are left out of the report. */
  filter?: (c: ConformanceCase) => boolean;
  onResult?: (c: ConformanceCase, r: CaseResult) => void;
}

const CHILD = siblingModule(import.meta.url, 'child');

interface Batch {
  cases: ConformanceCase[];
}

/** Runs `batch.cases` in one child; resolves with how many it finished (the rest need a new child). */
function runInChild(batch: Batch, opts: RunOptions, record: (c: ConformanceCase, o: CaseOutcome) => void): Promise<number> {
  return new Promise((resolve) => {
    const child: ChildProcess = fork(CHILD, [], {
      // Memory is bounded per case by the time box (a heap limit would also bind the loader thread).
      execArgv: loaderArgs(CHILD),
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-2000);
    });
    let current = -1;
    let done = 0;
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      if (timer) clearTimeout(timer);
      resolve(done);
    };
    child.on('message', (m: FromChild) => {
      if (m.type === 'start') {
        current = m.i;
        timer = setTimeout(() => {
          record(batch.cases[current]!, { status: 'failed', reason: `timeout: no answer within ${opts.timeoutMs ?? 5000} ms` });
          done = current + 1;
          child.kill('SIGKILL');
        }, opts.timeoutMs ?? 5000);
      } else if (m.type === 'done') {
        if (timer) clearTimeout(timer);
        record(batch.cases[m.i]!, m.outcome);
        done = m.i + 1;
        current = -1;
      } else {
        for (const c of batch.cases.slice(done)) record(c, { status: 'failed', reason: `no toolchain: ${m.message}` });
        done = batch.cases.length;
      }
    });
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (current >= done && current >= 0) {
        // Died inside a case without a timeout of ours: out of memory, a native crash, exit().
        const tail = stderr.trim().split('\n').slice(-1)[0] ?? '';
        record(batch.cases[current]!, { status: 'failed', reason: `crash: case process exited (${signal ?? code}) ${tail}`.trim() });
        done = current + 1;
      } else if (done < batch.cases.length && current < 0 && done === 0 && code !== 0) {
        // Could not even start: report every case instead of looping.
        const tail = stderr.trim().split('\n').slice(-12).join(' ');
        for (const c of batch.cases) record(c, { status: 'failed', reason: `no toolchain: case process failed to start: ${tail}` });
        done = batch.cases.length;
      }
      finish();
    });
    const msg: ToChild = { cases: batch.cases, optimize: opts.optimize ?? false };
    if (opts.depsModule !== undefined) msg.depsModule = opts.depsModule;
    child.send(msg);
  });
}

export async function runSuite(suite: Suite, opts: RunOptions = {}): Promise<Report> {
  const selected = opts.filter ? suite.cases.filter(opts.filter) : suite.cases;
  const byCase = new Map<ConformanceCase, CaseResult>();
  const record = (c: ConformanceCase, o: CaseOutcome): void => {
    if (byCase.has(c)) return;
    const r: CaseResult = { file: c.file, note: c.note, status: o.status, reason: o.reason };
    byCase.set(c, r);
    opts.onResult?.(c, r);
  };
  const runnable: ConformanceCase[] = [];
  for (const c of selected) {
    const why = suite.excluded.get(excludeKey(c.file, c.note));
    if (why !== undefined) record(c, { status: 'skipped', reason: why });
    else runnable.push(c);
  }
  const jobs = Math.max(1, Math.min(opts.jobs ?? Math.min(2, availableParallelism()), runnable.length));
  const shard = async (cases: ConformanceCase[]): Promise<void> => {
    let rest = cases;
    while (rest.length > 0) {
      const done = await runInChild({ cases: rest }, opts, record);
      // Guard against a child that finishes nothing: fail the next case rather than spin.
      if (done === 0) record(rest[0]!, { status: 'failed', reason: 'crash: case process ended before the case' });
      rest = rest.slice(Math.max(done, 1));
    }
  };
  // Interleaved shards, so slow topics spread over the jobs.
  await Promise.all(Array.from({ length: jobs }, (_, j) => shard(runnable.filter((_, i) => i % jobs === j))));
  return buildReport(selected.map((c) => byCase.get(c)!));
}
