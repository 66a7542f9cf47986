// Runs the portcullis command as a subprocess, as users do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import { readBundle } from '../../src/policy/bundle.ts';
import { main } from '../../src/cli/main.ts';

const BIN = fileURLToPath(new URL('../../bin/portcullis.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'pc-cli-'));

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** Runs main() in this process (no startup cost), capturing what it writes. */
async function inProcess(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const [w1, w2] = [process.stdout.write, process.stderr.write];
  const cwd = process.cwd();
  process.stdout.write = ((s: string) => out.push(String(s)) > 0) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => err.push(String(s)) > 0) as typeof process.stderr.write;
  process.chdir(dir);
  try {
    const code = await main(args);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = w1;
    process.stderr.write = w2;
    process.chdir(cwd);
  }
}

const POLICY = `package authz

default allow := false

allow if {
	input.user in data.admins
}

roles contains r if {
	some r in input.roles
	r != "guest"
}
`;

mkdirSync(join(dir, 'policy', 'nested'), { recursive: true });
writeFileSync(join(dir, 'policy', 'nested', 'authz.rego'), POLICY);
writeFileSync(join(dir, 'policy', 'authz_test.rego'), 'package authz\n\ntest_x if { allow with input as {"user": "a"} with data.admins as ["a"] }\n');
writeFileSync(join(dir, 'data.json'), JSON.stringify({ admins: ['alice'] }));
writeFileSync(join(dir, 'input.json'), JSON.stringify({ user: 'alice', roles: ['guest', 'dev'] }));
mkdirSync(join(dir, 'broken'));
writeFileSync(join(dir, 'broken', 'bad.rego'), 'package bad\n\nallow if {\n\tinput.x ==\n}\n');

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('build (subprocess) writes an OPA bundle whose policy.wasm the SDK loads and evaluates', async () => {
  const r = run('build', 'policy', '-e', 'authz/allow', '-e', 'authz/roles', '--data', 'data.json', '-o', 'out.tar.gz', '--revision', 'v7');
  assert.is(r.code, 0, r.err);
  const b = readBundle(readFileSync(join(dir, 'out.tar.gz')));
  assert.equal(b.manifest, {
    revision: 'v7',
    roots: ['admins', 'authz'],
    wasm: [{ entrypoint: 'authz/allow', module: '/policy.wasm' }, { entrypoint: 'authz/roles', module: '/policy.wasm' }],
  });
  assert.equal(b.data, { admins: ['alice'] });
  const p = await loadPolicy(b.wasm as unknown as ArrayBuffer);
  p.setData(b.data as object);
  assert.equal(p.evaluate({ user: 'alice' }, 'authz/allow'), [{ result: true }]);
  assert.equal(p.evaluate({ user: 'bob' }, 'authz/allow'), [{ result: false }]);
  assert.equal(p.evaluate({ roles: ['guest', 'dev'] }, 'authz/roles'), [{ result: ['dev'] }]);
});

test('build --ir prints the IR and writes nothing unless -o is given', async () => {
  const r = await inProcess('build', 'policy', '-e', 'authz/allow', '--ir');
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /authz\/allow/);
  assert.not.match(r.err, /wrote/);
});

test('eval (subprocess): entrypoint with data and input', () => {
  const e = run('eval', '-d', 'policy', '--data', 'data.json', '-i', 'input.json', 'authz/allow');
  assert.is(e.code, 0, e.err);
  assert.equal(JSON.parse(e.out), [{ result: true }]);
});

test('eval: queries print bindings, single terms print values', async () => {
  const q = await inProcess('eval', '-d', 'policy', '-i', 'input.json', 'data.authz.roles[r]');
  assert.is(q.code, 0, q.err);
  assert.equal(JSON.parse(q.out), [{ r: 'dev' }]);
  const t = await inProcess('eval', '-d', 'policy', '-i', 'input.json', 'data.authz.roles');
  assert.equal(JSON.parse(t.out), [['dev']]);
  const u = await inProcess('eval', '-d', 'policy', '-i', 'input.json', 'data.authz.nope');
  assert.equal(JSON.parse(u.out), []);
});

test('check (subprocess): errors as file:line:col: code: message, exit 1', () => {
  const bad = run('check', 'broken');
  assert.is(bad.code, 1);
  assert.match(bad.out, /^broken\/bad\.rego:\d+:\d+: rego_parse_error: /m);
});

test('check: a good tree passes, tests included', async () => {
  const ok = await inProcess('check', 'policy');
  assert.is(ok.code, 0, ok.out + ok.err);
  assert.match(ok.out, /ok: 2 modules/);
});

test('usage errors exit 2 with a message (subprocess and in-process); missing files exit 1', async () => {
  const sub = run('build', 'policy');
  assert.is(sub.code, 2);
  assert.match(sub.err, /give at least one entrypoint/);
  for (const args of [[], ['frob'], ['build', 'policy', '-e', 'not a path'], ['eval', 'authz/allow'], ['build', '--bogus'], ['check']]) {
    const r = await inProcess(...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.ok(r.err.length > 0);
  }
  const missing = await inProcess('build', 'nope', '-e', 'a/b');
  assert.is(missing.code, 1);
  assert.match(missing.err, /no such file or directory: nope/);
});

test('--help on every command', async () => {
  for (const c of ['build', 'eval', 'check', 'demo', 'conformance']) {
    const r = await inProcess(c, '--help');
    assert.is(r.code, 0);
    assert.match(r.out, new RegExp(`^usage: portcullis ${c}`));
  }
  assert.match((await inProcess('--help')).out, /commands:/);
});

test.run();
