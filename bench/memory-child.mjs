// One memory-bench scenario in a fresh process (see memory.bench.ts). Plain JavaScript, so that
// it runs in a node without the TypeScript hooks, as a consumer of the built package does; it
// imports the engine from the entry it is given (`portcullis` for the build, or a `.ts` source
// under the hooks). Prints one JSON line on stdout.
const s = JSON.parse(process.argv[2]);

const mb = (x) => Math.round((x / 1048576) * 10) / 10;
const sample = () => {
  const m = process.memoryUsage();
  return { rss: mb(m.rss), heap: mb(m.heapUsed), external: mb(m.external) };
};
const who = (groups, name, kind, target) => ({
  identity: { sub: 'agent-7', groups, claims: {} },
  connection: { name, kind, target },
  context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
});

const start = sample();
const { Engine } = await import(s.entry);
const t0 = performance.now();
const engine = await Engine.create({ policy: s.policy, compile: s.compile });
const createMs = Math.round(performance.now() - t0);
const create = sample();
const sqlWho = who(['analysts'], 'orders-db', 'postgres', 'prod');
const shellWho = who(['sre'], 'app-hosts', 'ssh', 'staging');
const httpWho = who(['developers'], 'internal-api', 'http', 'prod');
let allowed = 0;
const t1 = performance.now();
// Varied text, so that caches fill as in real traffic.
for (let i = 0; i < s.n; i++) if (engine.check('sql', `SELECT id, total FROM orders WHERE id = ${i}`, sqlWho).allow) allowed++;
for (let i = 0; i < s.n; i++) if (engine.check('shell', `kubectl get pods -n team-${i}`, shellWho).allow) allowed++;
for (let i = 0; i < s.n; i++) {
  const req = { method: 'GET', url: `https://api.internal/v1/orders?id=${i}`, headers: { accept: 'application/json' } };
  if (engine.check('http', req, httpWho).allow) allowed++;
}
const checkUs = Math.round(((performance.now() - t1) * 1000) / (3 * s.n));
const loop = sample();
globalThis.gc?.();
const report = { start, create, loop, gc: sample(), createMs, checkUs, allowed };
if (s.reload) {
  const t2 = performance.now();
  const ev = await engine.reload(s.policy);
  if (!ev.ok) throw new Error(`memory bench: reload failed: ${JSON.stringify(ev.error)}`);
  report.reloadMs = Math.round(performance.now() - t2);
  globalThis.gc?.();
  report.reload = sample();
}
engine.close();
process.stdout.write(`${JSON.stringify(report)}\n`);
