// EngineOptions.sqlDialects: ['pg'] leaves the MySQL parser unloaded and MySQL checks fail closed.
// Runs in a fresh child process: the parsers are per process and other suites load both.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const engineUrl = pathToFileURL(join(repo, 'src', 'engine', 'index.ts')).href;
const sqlUrl = pathToFileURL(join(repo, 'src', 'actions', 'sql', 'index.ts')).href;
const policy = join(repo, 'test', 'engine', 'policies');

const CHILD = `
const { Engine } = await import(${JSON.stringify(engineUrl)});
const sql = await import(${JSON.stringify(sqlUrl)});
const engine = await Engine.create({ policy: ${JSON.stringify(policy)}, compile: 'inline', sqlDialects: ['pg'], data: { tools: { allowed: [] } } });
const who = (kind) => ({ identity: { sub: 'a', groups: ['dev'], claims: {} }, connection: { name: 'db', kind, target: 'prod' } });
const pg = engine.check('sql', 'SELECT id FROM people', who('postgres'));
const my = engine.check('sql', 'SELECT id FROM people', who('mysql'));
console.log(JSON.stringify({ mysqlLoaded: sql.sqlDialectReady('mysql'), pg: pg.allow, my: my.allow, myRule: my.reasons[0]?.rule ?? null }));
engine.close();
`;

test("sqlDialects: ['pg'] loads no MySQL parser; a MySQL check is denied, not guessed", () => {
  const r = spawnSync(process.execPath, ['--import', join(repo, 'scripts', 'register-ts.mjs'), '--input-type=module', '-e', CHILD], { cwd: repo, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { mysqlLoaded: boolean; pg: boolean; my: boolean; myRule: string | null };
  assert.is(out.mysqlLoaded, false);
  assert.is(out.pg, true);
  assert.is(out.my, false);
  assert.is(out.myRule, 'input.parse_error');
});

test.run();
