// Child process for loading.test.ts: creates one engine as told by argv[2] (JSON) and prints, as
// JSON on stdout, every module URL this process loaded (and every CommonJS file it required) plus one decision. A load hook registered
// before the engine is imported records the URLs, so the list is exact, not an estimate.
// Run: node --import ./scripts/register-ts.mjs test/engine/graph-child.ts '{"policy":"…"}'
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

interface Spec {
  policy: string | { modules: Record<string, string> };
  compile?: 'process' | 'inline';
  /** Change directory first: the compile process must not depend on the cwd. */
  chdir?: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const loaded: string[] = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url: string) => loaded.push(url));
const HOOK = `let port;
export function initialize(d) { port = d.port; }
export async function load(url, context, next) { port.postMessage(url); return next(url, context); }`;
register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { port: port2 }, transferList: [port2] });

if (spec.chdir !== undefined) process.chdir(spec.chdir);
const { Engine } = await import('../../src/engine/index.ts');
const engine = await Engine.create({ policy: spec.policy, optimize: false, actionKinds: ['shell'], ...(spec.compile ? { compile: spec.compile } : {}) });
const d = engine.check('shell', 'ls', { identity: { sub: 'ana', groups: ['dev'], claims: {} }, connection: { name: 'h', kind: 'ssh', target: 't' } });
// Hook messages travel through a port: give the last ones a turn to arrive.
await new Promise((r) => setTimeout(r, 50));
port1.close();
// CommonJS modules loaded with require() bypass the load hook; the require cache lists them.
const required = Object.keys(createRequire(import.meta.url).cache);
process.stdout.write(JSON.stringify({ loaded, required, revision: engine.revision, allow: d.allow }));
