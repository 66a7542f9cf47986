// engine.check end to end (normalize + decide) against the engine test policy, beside the budgets
// (short SQL ≤ 20 µs, shell ≤ 30 µs, HTTP ≤ 10 µs), in both evaluation modes; the same against the
// bundled library; then where the time of one decide goes (input JSON, wasm, result decoding and
// validation), and the fixed cost of one check against a constant policy, which the library's
// figures are also given as ratios of.
// Run: node --import ./scripts/register-ts.mjs bench/engine.bench.ts   (or npm run bench -- engine)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from '../src/compile.ts';
import { hostBuiltins } from '../src/policy/builtins/index.ts';
import { compileModule, createEvaluator } from '../src/policy/evaluator.ts';
import { normalize } from '../src/actions/index.ts';
import { checkInput } from '../src/engine/decision.ts';
import { Engine, type PolicyInput, type Who } from '../src/engine/index.ts';
import type { HttpRequest } from '../src/actions/index.ts';
import { spread, timePaired, timeWindows, type WindowStats } from './windows.ts';

const POLICY = fileURLToPath(new URL('../test/engine/policies', import.meta.url));
const LIBRARY = fileURLToPath(new URL('../rego', import.meta.url));

const SQL = 'SELECT id, email FROM public.users WHERE id = $1';
const SHELL = 'ls -la /var/log | grep -v DEBUG';
const HTTP: HttpRequest = {
  method: 'GET',
  url: '/api/v1/projects/42/issues?state=open&per_page=50',
  headers: { host: 'api.example.com', accept: 'application/json', authorization: 'Bearer abc.def.ghi' },
};

const who: Who = {
  identity: { sub: 'agent-7', groups: ['dev'], claims: { iss: 'https://idp.example.com' } },
  connection: { name: 'orders-db', kind: 'postgres', target: 'prod' },
  context: { time: '2025-01-01T00:00:00Z', session: { id: 's-1' }, approvals: [] },
};

/** Windows per figure: slow spells of the shared machine last seconds (see windows.ts). */
const WINDOWS = 10;

function measure(fn: () => unknown, n: number): WindowStats {
  return timeWindows(fn, Math.max(1, Math.floor(n / WINDOWS)), WINDOWS);
}

const fmt = (s: WindowStats): string => `median ${s.median.toFixed(2).padStart(6)} µs  p99 ${s.p99.toFixed(1).padStart(6)} µs`;

/** One figure; `ratio` (to the fixed cost, timed in the same windows) is printed beside it. */
function line(what: string, s: WindowStats & { ratio?: number }, budget?: number): void {
  const b = budget === undefined ? '' : `; budget ≤ ${budget} µs${s.median > budget ? ', OVER' : ''}`;
  const r = s.ratio === undefined ? '' : `; ${s.ratio.toFixed(2)}× the fixed cost`;
  console.log(`${what.padEnd(44)} ${fmt(s)}  (${spread(s)}${b}${r})`);
}

export default async function run(opts: { short: boolean }): Promise<void> {
  const n = opts.short ? 3000 : 30000;
  const engines = {
    direct: await Engine.create({ policy: POLICY, mode: 'direct' }),
    sdk: await Engine.create({ policy: POLICY, mode: 'sdk' }),
  };
  const httpWho: Who = { ...who, connection: { name: 'api', kind: 'http', target: 'prod' } };
  for (const [mode, e] of Object.entries(engines)) {
    if (e.check('sql', SQL, who).allow !== true || e.check('shell', SHELL, who).allow !== true || e.check('http', HTTP, httpWho).allow !== true) {
      throw new Error(`engine bench: unexpected decision in ${mode} mode`);
    }
    line(`check sql short [${mode}]`, measure(() => e.check('sql', SQL, who), n), 20);
    line(`check sql short, text uncached [${mode}]`, measure(() => e.check('sql', SQL, who, { dialect: 'pg', noCache: true }), n), 20);
    line(`check shell line [${mode}]`, measure(() => e.check('shell', SHELL, who), n), 30);
    line(`check http GET [${mode}]`, measure(() => e.check('http', HTTP, httpWho), n), 10);
  }

  // The same requests against the bundled least-privilege library (rego/, with rego/data.json).
  const lib = await Engine.create({ policy: LIBRARY });
  const libWho = (groups: string[], name: string, kind: string, target: string): Who => ({
    identity: { sub: 'agent-7', groups, claims: {} },
    connection: { name, kind, target },
    context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
  });
  // The same HTTP check runs against the library and, below, against a constant policy.
  const libHttp = (e: Engine): ReturnType<Engine['check']> =>
    e.check('http', { method: 'GET', url: 'https://api.internal/v1/orders?id=7', headers: { accept: 'application/json' } }, libWho(['developers'], 'internal-api', 'http', 'prod'));
  const libCases: Array<[string, () => ReturnType<Engine['check']>, number]> = [
    ['sql short', () => lib.check('sql', 'SELECT id, total FROM orders WHERE id = 1', libWho(['analysts'], 'orders-db', 'postgres', 'prod')), 20],
    ['sql short, text uncached', () => lib.check('sql', 'SELECT id, total FROM orders WHERE id = 1', libWho(['analysts'], 'orders-db', 'postgres', 'prod'), { dialect: 'pg', noCache: true }), 20],
    ['shell line', () => lib.check('shell', 'kubectl get pods -n default', libWho(['sre'], 'app-hosts', 'ssh', 'staging')), 30],
    ['http GET', () => libHttp(lib), 10],
  ];
  // The fixed cost of a decision: the same HTTP check against a constant decision (normalize,
  // input JSON, the wasm call with its input parse and result dump, decoding). Whatever a policy
  // does comes on top of this. It is also the baseline of the library's figures, timed in the
  // same windows: a slow spell of the machine (windows.ts) moves both alike, so the ratio holds.
  const constant = await Engine.create({
    policy: { modules: { 'constant.rego': 'package portcullis\n\ndecision := {"allow": true, "reasons": [], "approval": {"required": false, "approvers": [], "ttl": 0}, "masks": [], "record": {"level": "full"}}\n' } },
  });
  if (libHttp(constant).allow !== true) throw new Error('engine bench: the constant policy did not allow');
  const fixed = (): unknown => libHttp(constant);
  for (const [what, fn, budget] of libCases) {
    const d = fn();
    if (d.allow !== true || (d.diagnostics?.errors ?? []).length > 0) throw new Error(`engine bench: the library did not allow ${what}: ${JSON.stringify(d.reasons)}`);
    line(`check ${what} [bundled library]`, timePaired(fn, fixed, Math.max(1, Math.floor(n / WINDOWS)), WINDOWS), budget);
  }
  lib.close();
  line('check http GET [constant policy: fixed cost]', measure(fixed, n), 10);
  constant.close();

  // Where the time goes: the same SQL decision taken apart.
  const e = engines.direct;
  const action = normalize('sql', SQL, { dialect: 'pg' });
  const input: PolicyInput = { version: 1, action, identity: who.identity, connection: who.connection, context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] } };
  const json = JSON.stringify(input);
  console.log(`parts of one SQL decision (input JSON ${json.length} B):`);
  line('  normalize sql (text cache hit)', measure(() => normalize('sql', SQL, { dialect: 'pg' }), n));
  line('  normalize sql (no cache)', measure(() => normalize('sql', SQL, { dialect: 'pg', noCache: true }), n));
  line('  normalize shell', measure(() => normalize('shell', SHELL), n));
  line('  normalize http', measure(() => normalize('http', HTTP), n));
  line('  checkInput (ajv envelope)', measure(() => checkInput(input), n));
  line('  JSON.stringify(input)', measure(() => JSON.stringify(input), n));
  line('  decide [direct, decision cache]', measure(() => e.decide(input), n));
  const noCache = await Engine.create({ policy: POLICY, cacheSize: 0, actionKinds: [] });
  line('  decide [direct, no decision cache]', measure(() => noCache.decide(input), n));
  const raw = await Engine.create({ policy: POLICY, cacheSize: 0, validateInput: false, actionKinds: [] });
  line('  decide [direct, no cache, no input check]', measure(() => raw.decide(input), n));
  line('  decide [sdk]', measure(() => engines.sdk.decide(input), n));
  // The module alone: opa_eval on input text already made (input parse in wasm + policy + dump).
  const mod = async (text: string) => createEvaluator(compileModule((await compile({ modules: { 'p.rego': text }, entrypoints: ['portcullis/decision'] })).wasm), { builtins: hostBuiltins });
  const testPolicy = await mod(readFileSync(join(POLICY, 'decision.rego'), 'utf8'));
  const trivial = await mod('package portcullis\n\ndecision := {"allow": true}\n');
  line('  wasm only: opa_eval, test policy', measure(() => testPolicy.evaluate(json, 0), n));
  line('  wasm only: opa_eval, trivial policy', measure(() => trivial.evaluate(json, 0), n));
  line('  wasm only: opa_eval, trivial policy, input {}', measure(() => trivial.evaluate('{}', 0), n));
  for (const x of [...Object.values(engines), noCache, raw]) x.close();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await run({ short: process.argv.includes('--short') });
