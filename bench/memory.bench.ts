// Resident memory of an engine process with the bundled library (rego/), against the budget
// (≤ 150 MB RSS). Every scenario runs in a fresh child process, so one scenario's garbage or loaded
// modules never count toward another's:
// - directory: Engine.create on rego/, compiled in a child process (the default);
// - directory, inline: the same, compiled in the engine's own thread (what tools do);
// - bundle: Engine.create on an OPA bundle of rego/ built beforehand with writeBundle;
// - directory + reload: the default, then one reload() after the loop (a hot reload's cost);
// - bundle, tuned node: the bundle in a process started with V8 flags that trade some speed for
//   memory (a smaller young generation; wasm kept at the baseline tier, which mostly affects the
//   PostgreSQL parser's code) — what a deployment can choose, not what the library sets.
// Each child reports RSS, V8 heap and external memory after startup, after create and after N SQL,
// N shell and N HTTP checks (varied text, so caches fill as in real traffic), then after a GC.
// Run: node --import ./scripts/register-ts.mjs bench/memory.bench.ts [--short]   (or npm run bench -- memory)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompileWhere, Who } from '../src/engine/index.ts';

const BUDGET_MB = 150;
const LIBRARY = fileURLToPath(new URL('../rego', import.meta.url));
const HOOKS = fileURLToPath(new URL('../scripts/register-ts.mjs', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const TUNED = ['--max-semi-space-size=4', '--liftoff-only'];

interface Scenario {
  name: string;
  policy: string;
  compile: CompileWhere;
  reload: boolean;
  n: number;
  /** Extra node flags for the scenario's process. */
  flags?: string[];
}

interface Sample {
  rss: number;
  heap: number;
  external: number;
}

interface ScenarioReport {
  start: Sample;
  create: Sample;
  loop: Sample;
  gc: Sample;
  reload?: Sample;
  createMs: number;
  /** Mean µs per check over the loop (cold start included). */
  checkUs: number;
  reloadMs?: number;
  allowed: number;
}

const mb = (x: number): number => Math.round((x / 1048576) * 10) / 10;
const sample = (): Sample => {
  const m = process.memoryUsage();
  return { rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external) };
};

const who = (groups: string[], name: string, kind: string, target: string): Who => ({
  identity: { sub: 'agent-7', groups, claims: {} },
  connection: { name, kind, target },
  context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
});

/** The child side: one scenario, one JSON line on stdout. */
async function child(s: Scenario): Promise<void> {
  const start = sample();
  const { Engine } = await import('../src/engine/index.ts');
  const t0 = performance.now();
  const engine = await Engine.create({ policy: s.policy, compile: s.compile });
  const createMs = Math.round(performance.now() - t0);
  const create = sample();
  const sqlWho = who(['analysts'], 'orders-db', 'postgres', 'prod');
  const shellWho = who(['sre'], 'app-hosts', 'ssh', 'staging');
  const httpWho = who(['developers'], 'internal-api', 'http', 'prod');
  let allowed = 0;
  const t1 = performance.now();
  for (let i = 0; i < s.n; i++) if (engine.check('sql', `SELECT id, total FROM orders WHERE id = ${i}`, sqlWho).allow) allowed++;
  for (let i = 0; i < s.n; i++) if (engine.check('shell', `kubectl get pods -n team-${i}`, shellWho).allow) allowed++;
  for (let i = 0; i < s.n; i++) {
    if (engine.check('http', { method: 'GET', url: `https://api.internal/v1/orders?id=${i}`, headers: { accept: 'application/json' } }, httpWho).allow) allowed++;
  }
  const checkUs = Math.round(((performance.now() - t1) * 1000) / (3 * s.n));
  const loop = sample();
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const report: ScenarioReport = { start, create, loop, gc: sample(), createMs, checkUs, allowed };
  if (s.reload) {
    const t2 = performance.now();
    const ev = await engine.reload(s.policy);
    if (!ev.ok) throw new Error(`memory bench: reload failed: ${JSON.stringify(ev.error)}`);
    report.reloadMs = Math.round(performance.now() - t2);
    gc?.();
    report.reload = sample();
  }
  engine.close();
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

function runChild(s: Scenario): ScenarioReport {
  const r = spawnSync(process.execPath, ['--expose-gc', ...(s.flags ?? []), '--import', HOOKS, SELF, '--scenario', JSON.stringify(s)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`memory bench: ${s.name} failed (exit ${r.status ?? r.signal}): ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as ScenarioReport;
}

const range = (xs: number[]): string => {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return ` ${(lo === hi ? `${lo}` : `${lo}–${hi}`).padStart(11)}`;
};

/** Builds an OPA bundle of the library with the project's own compile and bundle writer. */
async function buildBundle(dir: string): Promise<string> {
  const { loadPolicySource } = await import('../src/policy/load.ts');
  const { writeBundle } = await import('../src/policy/bundle.ts');
  const rev = await loadPolicySource(LIBRARY, { entrypoint: 'portcullis/decision' });
  const file = join(dir, 'library.tar.gz');
  writeFileSync(file, writeBundle({ wasm: rev.wasm, entrypoints: rev.entrypoints, data: rev.data, revision: rev.revision, roots: [''] }));
  return file;
}

export default async function run(opts: { short: boolean }): Promise<void> {
  const n = opts.short ? 2000 : 20000;
  const runs = opts.short ? 1 : 3;
  const tmp = mkdtempSync(join(tmpdir(), 'portcullis-memory-bench-'));
  try {
    const bundle = await buildBundle(tmp);
    const scenarios: Scenario[] = [
      { name: 'directory (compile: process)', policy: LIBRARY, compile: 'process', reload: false, n },
      { name: 'directory (compile: inline)', policy: LIBRARY, compile: 'inline', reload: false, n },
      { name: 'bundle', policy: bundle, compile: 'process', reload: false, n },
      { name: 'directory + reload', policy: LIBRARY, compile: 'process', reload: true, n },
      { name: 'bundle, tuned node', policy: bundle, compile: 'process', reload: false, n, flags: TUNED },
    ];
    console.log(`engine RSS with the bundled library, MB (${n} SQL + ${n} shell + ${n} HTTP checks; ${runs === 1 ? '1 run' : `range over ${runs} runs`}; budget ≤ ${BUDGET_MB} MB)`);
    for (const s of scenarios) {
      const reps = Array.from({ length: runs }, () => runChild(s));
      const pick = (f: (r: ScenarioReport) => number): number[] => reps.map(f);
      const peak = Math.max(...reps.map((r) => Math.max(r.loop.rss, r.gc.rss, r.reload?.rss ?? 0)));
      const verdict = peak > BUDGET_MB ? `OVER by ${Math.round(peak - BUDGET_MB)}` : 'within';
      if (s.flags) console.log(`${s.name}: node ${s.flags.join(' ')}`);
      console.log(`${s.name.padEnd(30)} rss: start${range(pick((r) => r.start.rss))}  create${range(pick((r) => r.create.rss))}  after loop${range(pick((r) => r.loop.rss))}  after gc${range(pick((r) => r.gc.rss))}${s.reload ? `  after reload${range(pick((r) => r.reload!.rss))}` : ''}  (budget ≤ ${BUDGET_MB}: ${verdict})`);
      console.log(`${''.padEnd(30)} heap: create${range(pick((r) => r.create.heap))}  after loop${range(pick((r) => r.loop.heap))}  after gc${range(pick((r) => r.gc.heap))}; external after loop${range(pick((r) => r.loop.external))}`);
      console.log(`${''.padEnd(30)} create ms${range(pick((r) => r.createMs))}${s.reload ? `  reload ms${range(pick((r) => r.reloadMs!))}` : ''}  µs per check${range(pick((r) => r.checkUs))}  allowed ${reps[0]!.allowed}/${3 * n}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const argv = process.argv;
if (argv[1] === SELF && argv[2] === '--scenario') await child(JSON.parse(argv[3]!) as Scenario);
else if (argv[1] === SELF) await run({ short: argv.includes('--short') });
