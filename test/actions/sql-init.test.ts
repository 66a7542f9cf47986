// Parsers load only when asked for. Runs in a fresh child process, because the suites share one
// process and the others load both parsers.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = pathToFileURL(join(repo, 'src', 'actions', 'sql', 'index.ts')).href;

const CHILD = `
const mb = () => Math.round(process.memoryUsage().rss / 1048576);
// Wasm memories count as external memory: unlike RSS, it moves only when a parser is instantiated.
const externalMb = () => Math.round(process.memoryUsage().external / 1048576);
const out = { rss: [mb()], external: [externalMb()] };
const sql = await import(${JSON.stringify(entry)});
const norm = (d) => { const r = sql.normalizeSql(d === 'pg' ? 'SELECT a FROM t' : 'SELECT a FROM \`T\`', { dialect: d, noCache: true }); return r.parse_error ?? r.statements.map((s) => s.reads.map((n) => n.canonical)); };
out.imported = { pg: sql.sqlDialectReady('pg'), mysql: sql.sqlDialectReady('mysql'), pgDoc: norm('pg') };
out.rss.push(mb());
out.external.push(externalMb());
await sql.initSql();
out.pgOnly = { pg: sql.sqlDialectReady('pg'), mysql: sql.sqlDialectReady('mysql'), pgDoc: norm('pg'), myDoc: norm('mysql') };
out.rss.push(mb());
out.external.push(externalMb());
await Promise.all([sql.initSql({ dialects: ['mysql'] }), sql.initSql({ dialects: ['mysql'] })]);
out.both = { pg: sql.sqlDialectReady('pg'), mysql: sql.sqlDialectReady('mysql'), myDoc: norm('mysql') };
out.rss.push(mb());
out.bad = await sql.initSql({ dialects: ['oracle'] }).then(() => 'resolved', (e) => e.constructor.name);
console.log(JSON.stringify(out));
`;

test('initSql loads PostgreSQL by default and MySQL only when asked; before that, not_initialized', () => {
  const r = spawnSync(process.execPath, ['--import', join(repo, 'scripts', 'register-ts.mjs'), '--input-type=module', '-e', CHILD], { cwd: repo, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, Record<string, unknown>> & { rss: number[]; external: number[]; bad: string };
  assert.equal(out.imported, {
    pg: false, mysql: false,
    pgDoc: { code: 'not_initialized', message: 'the PostgreSQL parser is not loaded: await initSql() first', position: 0 },
  });
  assert.equal(out.pgOnly, {
    pg: true, mysql: false, pgDoc: [['t']],
    myDoc: { code: 'not_initialized', message: "the MySQL parser is not loaded: await initSql({ dialects: ['mysql'] }) first", position: 0 },
  });
  assert.equal(out.both, { pg: true, mysql: true, myDoc: [['"T"']] });
  assert.is(out.bad, 'TypeError');
  console.log(`  RSS MB: imported ${out.rss[1]}, + pg ${out.rss[2]}, + mysql ${out.rss[3]}; external MB: ${out.external.join(', ')}`);
  // Importing loads no parser: the wasm instances come with initSql. (RSS is too noisy to tell:
  // transpiling the sources on import alone moves it by 9-17 MB.)
  assert.ok(out.external[1]! - out.external[0]! < 4, `import alone grew external memory by ${out.external[1]! - out.external[0]!} MB`);
  assert.ok(out.external[2]! - out.external[1]! >= 8, `loading the PostgreSQL parser grew external memory by only ${out.external[2]! - out.external[1]!} MB`);
});

test.run();
