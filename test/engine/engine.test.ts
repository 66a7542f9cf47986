import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compile } from '../../src/compile.ts';
import { Engine, EngineInitError, type Decision } from '../../src/engine/index.ts';
import { writeBundle, writeTar } from '../../src/policy/bundle.ts';
import { engineCode, POLICY_DIR, POLICY_TEXT, schemaErrors, who } from './helpers.ts';

const data = { tools: { allowed: ['search'] } };
let engine: Engine;
let sdkEngine: Engine;
let wasm: Uint8Array;
const tmp = mkdtempSync(join(tmpdir(), 'portcullis-engine-'));

test.before(async () => {
  engine = await Engine.create({ policy: POLICY_DIR, data });
  wasm = (await compile({ modules: { 'decision.rego': POLICY_TEXT }, entrypoints: ['portcullis/decision'] })).wasm;
  sdkEngine = await Engine.create({ policy: { wasm }, data, mode: 'sdk' });
});

test.after(() => {
  engine.close();
  rmSync(tmp, { recursive: true, force: true });
});

const strip = (d: Decision): Decision => {
  const { diagnostics: _drop, ...rest } = d;
  return rest as Decision;
};

test('SQL read of people: allowed, people.ssn masked, full record', () => {
  const d = engine.check('sql', 'SELECT id, ssn FROM people WHERE id = $1', who(['dev']));
  assert.is(schemaErrors(d), null);
  assert.is(d.allow, true);
  assert.equal(d.reasons, []);
  assert.equal(d.masks, [{ target: { kind: 'column', table: 'people', column: 'ssn' }, strategy: { kind: 'redact' } }]);
  assert.equal(d.approval, { required: false, approvers: [], ttl: 0 });
  assert.equal(d.record, { level: 'full' }); // the policy left record undefined: default
  assert.is(d.version, 1);
  assert.is(d.diagnostics?.revision, engine.revision);
  assert.is(d.diagnostics?.entrypoint, 'portcullis/decision');
  assert.equal(d.diagnostics?.errors, []);
  assert.ok((d.diagnostics?.eval_us ?? -1) >= 0);
});

test('SQL writes: denied without dba, DELETE needs approval even for dba', () => {
  const w = engine.check('sql', "UPDATE orders SET state = 'x'", who(['dev']));
  assert.is(w.allow, false);
  assert.equal(w.reasons.map((r) => r.rule), ['sql.write_requires_dba']);
  const dba = engine.check('sql', "UPDATE orders SET state = 'x'", who(['dba']));
  assert.is(dba.allow, true);
  assert.is(dba.approval.required, false);
  const del = engine.check('sql', 'DELETE FROM people WHERE id = 1', who(['dba']));
  assert.is(del.allow, true);
  assert.equal(del.approval, { required: true, approvers: ['dba-leads'], ttl: '15m' });
  assert.is(schemaErrors(del), null);
});

test('a SQL parse_error reaches the policy, which denies it', () => {
  const d = engine.check('sql', 'SELEC x FROM', who(['dba']));
  assert.is(d.allow, false);
  assert.is(d.reasons[0]?.rule, 'input.parse_error');
  assert.is(engineCode(d), null); // the policy decided, not the engine
});

test('SQL dialect comes from the connection kind; MySQL text parses as MySQL', () => {
  const d = engine.check('sql', 'SELECT `ssn` FROM people', who(['dev'], 'mysql'));
  assert.is(d.allow, true);
  assert.is(d.masks.length, 1);
});

test('shell, HTTP and MCP decisions', () => {
  assert.is(engine.check('shell', 'ls -la /tmp | grep x', who([])).allow, true);
  const rm = engine.check('shell', 'echo hi; rm -rf /', who([]));
  assert.is(rm.allow, false);
  assert.equal(rm.reasons, [{ rule: 'shell.destructive', message: 'rm is not allowed' }]);
  const get = engine.check('http', { method: 'GET', url: 'https://api.example.com/v1/users?id=3' }, who([], 'http'));
  assert.is(get.allow, true);
  assert.equal(get.record, { level: 'metadata' });
  const post = engine.check('http', { method: 'POST', url: 'https://api.example.com/v1/users', body: '{}', headers: { 'content-type': 'application/json' } }, who([], 'http'));
  assert.is(post.allow, false);
  assert.is(post.reasons[0]?.rule, 'http.method');
  const call = (tool: string) => ({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { q: 'x' } } });
  assert.is(engine.check('mcp', call('search'), who([], 'mcp')).allow, true, 'allowed through data.tools.allowed');
  const del = engine.check('mcp', call('delete_repo'), who([], 'mcp'));
  assert.is(del.allow, false);
  assert.is(del.reasons[0]?.rule, 'mcp.tool');
});

test('decide() takes a full policy input', () => {
  const d = engine.decide({
    action: { version: 1, kind: 'shell', commands: [{ program: 'reboot', argv: ['reboot'] }] } as never,
    identity: { sub: 'x', groups: [], claims: {} },
    connection: { name: 'h', kind: 'ssh', target: 'prod' },
    context: { time: '2025-01-01T00:00:00Z', session: {}, approvals: [] },
  });
  assert.is(d.allow, false);
  assert.equal(d.reasons[0], { rule: 'shell.destructive', message: 'reboot is not allowed' });
});

test('direct and SDK evaluation give the same decisions', () => {
  const cases: Array<() => [Decision, Decision]> = [
    () => [engine.check('sql', 'DELETE FROM people', who(['dba'])), sdkEngine.check('sql', 'DELETE FROM people', who(['dba']))],
    () => [engine.check('sql', 'SELECT * FROM people', who([])), sdkEngine.check('sql', 'SELECT * FROM people', who([]))],
    () => [engine.check('shell', 'dd if=/dev/zero of=/dev/sda', who([])), sdkEngine.check('shell', 'dd if=/dev/zero of=/dev/sda', who([]))],
    () => [engine.check('http', { method: 'GET', url: 'http://h/a/../b' }, who([])), sdkEngine.check('http', { method: 'GET', url: 'http://h/a/../b' }, who([]))],
  ];
  assert.is(engine.mode, 'direct');
  assert.is(sdkEngine.mode, 'sdk');
  for (const c of cases) {
    const [a, b] = c();
    assert.equal(strip(a), strip(b));
    // Twice: the second answer in direct mode comes from the decision cache.
    const [a2] = c();
    assert.equal(strip(a2), strip(a));
  }
});

test('cached decisions are frozen and each caller gets its own diagnostics', () => {
  const a = engine.check('sql', 'SELECT ssn FROM people', who([]));
  const b = engine.check('sql', 'SELECT ssn FROM people', who([]));
  assert.is.not(a, b);
  assert.is.not(a.diagnostics, b.diagnostics);
  assert.ok(Object.isFrozen(a.masks));
  assert.throws(() => (a.masks as unknown[]).push(1));
});

test('sources: {modules}, {wasm}, .wasm file, bundle file (ours and opa build layout)', async () => {
  const input = who(['dev']);
  const expected = strip(engine.check('sql', 'SELECT ssn FROM people', input));
  const fromModules = await Engine.create({ policy: { modules: { 'p.rego': POLICY_TEXT } }, data, optimize: false, compile: 'inline', actionKinds: [] });
  assert.equal(strip(fromModules.check('sql', 'SELECT ssn FROM people', input)), expected);

  const wasmFile = join(tmp, 'policy.wasm');
  writeFileSync(wasmFile, wasm);
  const fromFile = await Engine.create({ policy: wasmFile, data, actionKinds: [] });
  assert.equal(strip(fromFile.check('sql', 'SELECT ssn FROM people', input)), expected);
  assert.match(fromFile.revision, /^sha256:[0-9a-f]{16}$/);

  const ours = join(tmp, 'ours.tar.gz');
  writeFileSync(ours, writeBundle({ wasm, entrypoints: ['portcullis/decision'], data, revision: 'r42', roots: ['portcullis', 'tools'] }));
  const fromBundle = await Engine.create({ policy: ours, actionKinds: [] });
  assert.is(fromBundle.revision, 'r42');
  assert.equal(strip(fromBundle.check('sql', 'SELECT ssn FROM people', input)), expected, 'data comes from the bundle');

  // The layout `opa build -t wasm -e portcullis/decision` writes: sources too, extra manifest fields.
  const enc = new TextEncoder();
  const manifest = { revision: '', roots: [''], rego_version: 1, wasm: [{ entrypoint: 'portcullis/decision', module: '/policy.wasm', annotations: [] }] };
  const opaLike = gzipSync(writeTar([
    { name: '/data.json', data: enc.encode(JSON.stringify(data)) },
    { name: '/policy.wasm', data: wasm },
    { name: '/decision.rego', data: enc.encode(POLICY_TEXT) },
    { name: '/.manifest', data: enc.encode(JSON.stringify(manifest)) },
  ]));
  const opaFile = join(tmp, 'bundle.tar.gz');
  writeFileSync(opaFile, opaLike);
  const fromOpa = await Engine.create({ policy: opaFile, actionKinds: [] });
  assert.match(fromOpa.revision, /^sha256:/, 'no manifest revision: a content hash');
  assert.equal(strip(fromOpa.check('sql', 'SELECT ssn FROM people', input)), expected);
  const inMemory = await Engine.create({ policy: { wasm: opaLike }, actionKinds: [] });
  assert.is(inMemory.check('mcp', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'search', arguments: {} } }, who([], 'mcp')).allow, true);
});

test('revisions are content hashes: same text, same revision; other text, other revision', async () => {
  const a = await Engine.create({ policy: { modules: { 'p.rego': POLICY_TEXT } }, optimize: false, compile: 'inline', actionKinds: [] });
  const b = await Engine.create({ policy: { modules: { 'p.rego': POLICY_TEXT } }, optimize: false, compile: 'inline', actionKinds: [] });
  const c = await Engine.create({ policy: { modules: { 'p.rego': `${POLICY_TEXT}\nx := 1\n` } }, optimize: false, compile: 'inline', actionKinds: [] });
  assert.is(a.revision, b.revision);
  assert.is.not(a.revision, c.revision);
});

test('create fails with a code: compile error with position, missing entrypoint, missing path, not a policy', async () => {
  const err = async (p: Promise<unknown>): Promise<EngineInitError> => {
    try {
      await p;
    } catch (e) {
      assert.instance(e, EngineInitError);
      return e as EngineInitError;
    }
    throw new Error('expected EngineInitError');
  };
  const bad = await err(Engine.create({ policy: { modules: { 'bad.rego': 'package portcullis\n\ndecision := {\n' } }, actionKinds: [] }));
  assert.is(bad.code, 'policy_compile_error');
  assert.match(bad.message, /bad\.rego:\d+:\d+/);
  const ep = await err(Engine.create({ policy: { wasm }, entrypoint: 'portcullis/other', actionKinds: [] }));
  assert.is(ep.code, 'policy_entrypoint_error');
  assert.match(ep.message, /portcullis\/decision/);
  assert.is((await err(Engine.create({ policy: join(tmp, 'nope'), actionKinds: [] }))).code, 'policy_not_found');
  const junk = join(tmp, 'junk.bin');
  writeFileSync(junk, 'hello');
  assert.is((await err(Engine.create({ policy: junk, actionKinds: [] }))).code, 'policy_not_found');
  const badGz = join(tmp, 'bad.tar.gz');
  writeFileSync(badGz, gzipSync(new Uint8Array(1024)));
  assert.is((await err(Engine.create({ policy: badGz, actionKinds: [] }))).code, 'policy_bundle_error');
  assert.is((await err(Engine.create({ policy: { wasm: new Uint8Array([0, 0x61, 0x73, 0x6d, 9, 9]) }, actionKinds: [] }))).code, 'policy_load_error');
});

test('a configurable entrypoint', async () => {
  const e = await Engine.create({
    policy: { modules: { 'g.rego': 'package gate\n\nverdict := {"allow": input.identity.sub == "root"}\n' } },
    entrypoint: 'gate/verdict',
    optimize: false,
    compile: 'inline',
    actionKinds: ['shell'],
  });
  const d = e.check('shell', 'ls', { identity: { sub: 'root', groups: [], claims: {} }, connection: { name: 'h', kind: 'ssh', target: 't' } });
  assert.is(d.allow, true);
  assert.is(d.diagnostics?.entrypoint, 'gate/verdict');
  assert.is(schemaErrors(d), null);
});

test.run();
