// Resident memory of an engine process with the bundled library (rego/), against the budget
// (≤ 150 MB RSS). Every scenario runs in a fresh child process (memory-child.mjs), so one
// scenario's garbage or loaded modules never count toward another's. The child is a plain node
// that imports the built package (`import 'portcullis'`, dist/), as a consumer's process does:
// - directory: Engine.create on rego/, compiled in a child process (the default);
// - directory, inline: the same, compiled in the engine's own thread (what tools do);
// - bundle: Engine.create on an OPA bundle of rego/ built beforehand with writeBundle;
// - directory + reload: the default, then one reload() after the loop (a hot reload's cost);
// - bundle, from sources: the engine's TypeScript sources under the project's loader hooks (how
//   the repository's own tools run; the hooks' loader thread adds ~20 MB);
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
import { ensureDist, ROOT } from '../scripts/ensure-dist.ts';
import type { CompileWhere } from '../src/engine/index.ts';

const BUDGET_MB = 150;
const LIBRARY = fileURLToPath(new URL('../rego', import.meta.url));
const HOOKS = fileURLToPath(new URL('../scripts/register-ts.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
/** The engine as a consumer imports it (the package's own name resolves through its exports). */
const BUILT = 'portcullis';
const SOURCES = new URL('../src/engine/index.ts', import.meta.url).href;
const TUNED = ['--max-semi-space-size=4', '--liftoff-only'];

interface Scenario {
  name: string;
  /** What the child imports the engine from: the built package, or the sources under the hooks. */
  entry: string;
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

function runChild(s: Scenario): ScenarioReport {
  const loader = s.entry.endsWith('.ts') ? ['--import', HOOKS] : [];
  const r = spawnSync(process.execPath, ['--expose-gc', ...(s.flags ?? []), ...loader, CHILD, JSON.stringify(s)], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20 });
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
  const runs = opts.short ? 1 : 5;
  const tmp = mkdtempSync(join(tmpdir(), 'portcullis-memory-bench-'));
  try {
    ensureDist();
    const bundle = await buildBundle(tmp);
    const scenarios: Scenario[] = [
      { name: 'directory (compile: process)', entry: BUILT, policy: LIBRARY, compile: 'process', reload: false, n },
      { name: 'directory (compile: inline)', entry: BUILT, policy: LIBRARY, compile: 'inline', reload: false, n },
      { name: 'bundle', entry: BUILT, policy: bundle, compile: 'process', reload: false, n },
      { name: 'directory + reload', entry: BUILT, policy: LIBRARY, compile: 'process', reload: true, n },
      { name: 'bundle, from sources', entry: SOURCES, policy: bundle, compile: 'process', reload: false, n },
      { name: 'bundle, tuned node', entry: BUILT, policy: bundle, compile: 'process', reload: false, n, flags: TUNED },
    ];
    console.log(`engine RSS with the bundled library, MB (built package unless noted; ${n} SQL + ${n} shell + ${n} HTTP checks; ${runs === 1 ? '1 run' : `range over ${runs} runs`}; budget ≤ ${BUDGET_MB} MB)`);
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

if (process.argv[1] === SELF) await run({ short: process.argv.includes('--short') });
