// The built package (dist/, `npm run build`) as a consumer uses it: a plain node process, without
// the project's TypeScript hooks, imports every entry of package.json's `exports` by the package's
// name, compiles a policy, loads it into an engine and decides.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDist, ROOT } from '../../scripts/ensure-dist.ts';

const CONSUMER = `
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const loaded = [];
const { port1, port2 } = new MessageChannel();
port1.on('message', (url) => loaded.push(url));
register('data:text/javascript,' + encodeURIComponent('let port; export function initialize(d) { port = d.port; } export async function load(u, c, next) { port.postMessage(u); return next(u, c); }'), { data: { port: port2 }, transferList: [port2] });
const { Engine } = await import('portcullis');
const { compile } = await import('portcullis/compiler');
const { normalize, initActions } = await import('portcullis/actions');
const { maskText } = await import('portcullis/mask');
const rego = 'package portcullis\\n\\ndecision := {"allow": input.action.kind == "shell"}\\n';
const { wasm } = await compile({ modules: { 'p.rego': rego }, entrypoints: ['portcullis/decision'] });
const engine = await Engine.create({ policy: { wasm }, actionKinds: ['shell', 'http'] });
const who = { identity: { sub: 'ana', groups: ['dev'], claims: {} }, connection: { name: 'h', kind: 'ssh', target: 't' } };
const shell = engine.check('shell', 'ls -l', who);
const http = engine.check('http', { method: 'GET', url: 'https://api.internal/v1/x' }, who);
await initActions(['http']);
const doc = normalize('http', { method: 'GET', url: 'https://api.internal/a/../b' });
const masked = maskText('mail ana@example.com', [{ target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } }]);
engine.close();
await new Promise((r) => setTimeout(r, 50));
port1.close();
process.stdout.write(JSON.stringify({ loaded, shell: shell.allow, http: http.allow, path: doc.path, masked: masked.text }));
`;

test('a plain node process imports every exported entry by name and decides', () => {
  ensureDist();
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', CONSUMER], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  assert.is(r.status, 0, `consumer failed: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { loaded: string[]; shell: boolean; http: boolean; path: string; masked: string };
  assert.is(out.shell, true);
  assert.is(out.http, false);
  assert.is(out.path, '/b');
  assert.not.match(out.masked, 'ana@example.com');
  const ours = out.loaded.filter((u) => u.startsWith(`file://${ROOT}/`) && !u.includes('/node_modules/'));
  assert.ok(ours.length > 0, 'the recorder saw our modules load');
  assert.equal(ours.filter((u) => !u.includes('/dist/')), [], 'every module of ours came from dist/');
  assert.equal(ours.filter((u) => u.endsWith('.ts')), []);
});

test("package.json's exports name files the build writes, with their type declarations", () => {
  ensureDist();
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, { types: string; default: string }> };
  assert.ok(Object.keys(pkg.exports).length >= 4);
  for (const [name, e] of Object.entries(pkg.exports)) {
    for (const f of [e.types, e.default]) assert.ok(readFileSync(join(ROOT, f)).length > 0, `${name}: ${f}`);
  }
});

// What `npm pack` puts in the tarball is what a registry install gets: prepare does not run there,
// so dist/ and the runtime wasm must be inside. The tarball is unpacked as a consumer's
// node_modules/portcullis (its dependencies linked from ours) and used from the consumer's folder.
const FROM_TARBALL = `
import { Engine } from 'portcullis';
const engine = await Engine.create({ policy: process.argv[1] });
const who = { identity: { sub: 'agent-7', groups: ['analysts'], claims: {} }, connection: { name: 'orders-db', kind: 'postgres', target: 'prod' } };
const read = engine.check('sql', 'SELECT id FROM orders', who);
const drop = engine.check('sql', 'DROP TABLE orders', who);
engine.close();
process.stdout.write(JSON.stringify({ read: read.allow, drop: drop.allow, rules: drop.reasons.map((r) => r.rule) }));
`;

test('the packed tarball holds dist/ and the runtime, and a consumer decides with the bundled library from it', () => {
  ensureDist();
  const tmp = mkdtempSync(join(tmpdir(), 'portcullis-pack-'));
  try {
    const pack = spawnSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    assert.is(pack.status, 0, `npm pack failed: ${pack.stderr}`);
    const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const paths = new Set(files.map((f) => f.path));
    for (const f of ['dist/engine/index.js', 'dist/engine/index.d.ts', 'dist/policy/compile-worker.js', 'build/runtime.wasm', 'rego/data.json']) {
      assert.ok(paths.has(f), `${f} is not in the tarball`);
    }
    const modules = join(tmp, 'consumer', 'node_modules');
    const pkg = join(modules, 'portcullis');
    mkdirSync(pkg, { recursive: true });
    const untar = spawnSync('tar', ['-xzf', join(tmp, filename), '-C', pkg, '--strip-components=1'], { encoding: 'utf8' });
    assert.is(untar.status, 0, `tar failed: ${untar.stderr}`);
    for (const dep of readdirSync(join(ROOT, 'node_modules'))) {
      if (dep.startsWith('.')) continue;
      symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep));
    }
    writeFileSync(join(tmp, 'consumer', 'package.json'), '{ "type": "module" }\n');
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', FROM_TARBALL, join(pkg, 'rego')], { cwd: join(tmp, 'consumer'), encoding: 'utf8', timeout: 120_000 });
    assert.is(r.status, 0, `consumer failed: ${r.stderr}`);
    const out = JSON.parse(r.stdout) as { read: boolean; drop: boolean; rules: string[] };
    assert.is(out.read, true);
    assert.is(out.drop, false);
    assert.ok(out.rules.includes('sql.ddl'), out.rules.join(', '));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
