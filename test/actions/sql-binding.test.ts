// Our libpg-query binding and tree reader: same trees and same errors as the package's own API,
// and the reader agrees with JSON.parse (or declines) on any JSON.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import * as pgQuery from 'libpg-query';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSqlCorpus } from '../../src/actions/corpus/sql.ts';
import { initSql, normalizeSql } from '../../src/actions/sql/index.ts';
import { loadPgBinding, PgSyntaxError, type PgBinding } from '../../src/actions/sql/pg-binding.ts';
import { NODE_KIND, readPgTree } from '../../src/actions/sql/pg-tree.ts';
import { pgStatements } from '../../src/actions/sql/pg.ts';
import { Source } from '../../src/actions/sql/source.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusPath = join(repo, '..', 'shared', 'corpus', 'sql.txt');

let binding: PgBinding;
test.before(async () => {
  await Promise.all([initSql(), pgQuery.loadModule()]);
  binding = await loadPgBinding();
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (s: string): unknown => readPgTree(bytes(s + '\0'), 0);

const SAMPLES = [
  'SELECT id, email FROM public.users WHERE id = $1',
  "SELECT 'é', \"Ünï\".\"tàble\".x, '\\n', E'\\t\\u00e9' FROM \"Ünï\".\"tàble\" WHERE a > 1 AND b < 2 AND c <> '&'",
  'SELECT 1.5e10, -3, 9223372036854775807, 0.000001, true, false, NULL',
  "DO $$ BEGIN EXECUTE 'DROP TABLE ' || x; DELETE FROM u; END $$",
  "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1 FROM t'",
  'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r; COPY t TO STDOUT',
  'SELECT 1; -- only a comment after',
  '-- nothing but a comment',
];

/** The samples and, when ../shared is there, every PostgreSQL case of the corpus. */
function pgTexts(samples: string[]): string[] {
  const texts = [...samples];
  if (existsSync(corpusPath)) {
    for (const c of parseSqlCorpus(readFileSync(corpusPath, 'utf8'))) if (c.dialect === 'pg') texts.push(c.sql);
  } else console.log('corpus cases skipped: <repo>/../shared/corpus/sql.txt not found');
  return texts;
}

test('trees are the ones libpg-query returns', () => {
  const texts = pgTexts(SAMPLES);
  let compared = 0;
  for (const t of texts) {
    let want: unknown;
    try { want = pgQuery.parseSync(t); } catch { continue; }
    assert.equal(binding.parse(t), want, t);
    compared++;
  }
  assert.ok(compared >= SAMPLES.length, `compared ${compared}`);
});

test('syntax errors keep the message and character position', () => {
  const bad = ['SELECT * FRM t', 'SELECT (1', "SELECT 'é' FRM t", 'SELECT "Ünï" FROM t WHERE', 'SELECT 😀 FRM t', 'DROP TABLE', '(((( x'];
  for (const t of bad) {
    let want: { message: string; sqlDetails?: { cursorPosition: number } } | undefined;
    try { pgQuery.parseSync(t); } catch (e) { want = e as typeof want; }
    assert.ok(want, `libpg-query rejects ${t}`);
    let got: unknown;
    try { binding.parse(t); } catch (e) { got = e; }
    assert.instance(got, PgSyntaxError, t);
    const g = got as PgSyntaxError;
    assert.is(g.message, want!.message, t);
    assert.is(g.position, want!.sqlDetails!.cursorPosition, t);
    assert.is(g.code, 'syntax_error');
  }
  // Through the normalizer: "FRM" starts at character 13 although "é" takes two bytes before it.
  const d = normalizeSql("SELECT 'é' t FRM x", { dialect: 'pg', noCache: true });
  assert.equal(d.parse_error, { code: 'syntax_error', message: 'syntax error at or near "FRM"', position: 13 });
});

test('PL/pgSQL trees and errors', () => {
  const fn = 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; END $$';
  assert.equal(binding.parsePlpgsql(fn), pgQuery.parsePlPgSQLSync(fn));
  assert.throws(() => binding.parsePlpgsql('CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM; END $$'));
});

test('input buffers: grown and reused for mid-size texts, one-off for huge ones', () => {
  const cols = (n: number): string => 'SELECT ' + Array.from({ length: n }, (_, i) => `c${i}`).join(', ') + ' FROM big';
  for (const text of [cols(1500), cols(20000), cols(1500), 'SELECT 1 FROM small', cols(20000)]) {
    const t = binding.parse(text) as { stmts: { stmt: { SelectStmt: { targetList: unknown[] } } }[] };
    assert.is(t.stmts.length, 1);
    assert.is(t.stmts[0]!.stmt.SelectStmt.targetList.length, text === 'SELECT 1 FROM small' ? 1 : text.split(',').length);
  }
  assert.equal(binding.parse('SELECT 1 FROM small'), pgQuery.parseSync('SELECT 1 FROM small'));
  // A syntax error in a huge text still frees its buffer and reports its position.
  const bad = cols(20000) + ' WHERE';
  assert.throws(() => binding.parse(bad), (e: unknown) => e instanceof PgSyntaxError && e.position === bad.length);
  assert.throws(() => binding.parse(''), /empty/);
});

test('a lone surrogate does not cut the end of the text off', () => {
  const d = normalizeSql('SELECT 1 \udc00ééé ; DROP TABLE secrets', { dialect: 'pg', noCache: true });
  assert.is(d.parse_error, undefined);
  assert.equal(d.statements.map((s) => s.writes.map((w) => w.canonical)), [[], ['secrets']]);
});

test('reader: same values as JSON.parse on the JSON libpg_query writes', () => {
  const cases = [
    '{}', '{"a":[]}', '{"a":{}}', '{"a":[1,-2,0,-0,3.25,1e3,-1.5E-2,12345678901234567890]}',
    '{"s":"plain","e":"\\u003e\\"\\\\\\/\\b\\f\\n\\r\\t","u":"é😀","k":true,"f":false,"n":null}',
    '{"stmts":[{"stmt":{"SelectStmt":{"op":"SETOP_NONE"}},"stmt_len":8}],"version":180004}',
    `{"long":"${'x'.repeat(300)}","list":[[[]],[{}],"a","a","a"]}`,
  ];
  for (const c of cases) assert.equal(read(c), JSON.parse(c), c);
  assert.is(Object.is((read('{"z":-0}') as { z: number }).z, -0), true);
});

test('reader: declines what it does not handle, never misreads', () => {
  for (const c of ['', '[]', '{', '{"a":}', '{"a":1,}', '{"a":01}', '{"a":1} ', '{"a":1}}', '{"a":tru}', '{"a":"x', '{"a" :1}', '{"a":1 }', '{"\\u0061":1}', '{"a":"\u0001"}']) {
    assert.is(read(c), undefined, c);
  }
  // A "__proto__" key must be an own property, as JSON.parse makes it, not a prototype.
  assert.is(read('{"__proto__":{"x":1}}'), undefined);
});

/** Every object in v with the node kind the reader stamped on it, and the kind its shape says. */
function kindMismatches(v: unknown, out: string[] = []): string[] {
  if (Array.isArray(v)) { for (const x of v) kindMismatches(x, out); return out; }
  if (typeof v !== 'object' || v === null) return out;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  const c = keys.length === 1 ? keys[0]!.charCodeAt(0) : 0;
  const inner = keys.length === 1 ? o[keys[0]!] : undefined;
  const shape = c >= 65 && c <= 90 && typeof inner === 'object' && inner !== null && !Array.isArray(inner) ? keys[0] : undefined;
  const stamp = (o as Record<symbol, unknown>)[NODE_KIND];
  if (stamp !== shape) out.push(`${JSON.stringify(o).slice(0, 60)}: stamped ${String(stamp)}, shape ${String(shape)}`);
  for (const k of keys) kindMismatches(o[k], out);
  return out;
}

test('reader: a node kind is stamped exactly on { Kind: {...} } objects', () => {
  for (const sql of SAMPLES.filter((s) => !s.startsWith('--'))) assert.equal(kindMismatches(binding.parse(sql)), [], sql);
  for (const c of ['{"A":{}}', '{"A":{"B":{}}}', '{"A":[]}', '{"a":{}}', '{"A":{},"B":{}}', '{"A":null}', '{"String":{"sval":"x"}}', '{"A":{"String":{"sval":"x"}}}']) {
    assert.equal(kindMismatches(read(c)), [], c);
  }
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
    const r = read(JSON.stringify(o));
    if (r !== undefined) assert.equal(kindMismatches(r), []);
    return true;
  }), { numRuns: 200 });
});

test('walker: the same documents from stamped trees and from JSON.parse trees', () => {
  const texts = pgTexts(SAMPLES.filter((s) => !s.startsWith('--')));
  const parsers = { parse: (s: string) => binding.parse(s), parsePlpgsql: (s: string) => binding.parsePlpgsql(s) };
  let compared = 0;
  for (const sql of texts) {
    let tree;
    try { tree = binding.parse(sql); } catch { continue; }
    const plain = JSON.parse(JSON.stringify(tree)) as typeof tree;
    const a = pgStatements(tree, { src: new Source(sql), parsers, codeDepth: 0 });
    const b = pgStatements(plain, { src: new Source(sql), parsers, codeDepth: 0 });
    assert.equal(a, b, sql);
    compared++;
  }
  assert.ok(compared >= 6, `compared ${compared}`);
});

test('reader: agrees with JSON.parse on random JSON objects', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (o) => {
    const s = JSON.stringify(o);
    const r = read(s);
    if (r === undefined) return true; // declined: the caller uses JSON.parse
    assert.equal(r, JSON.parse(s));
    return true;
  }), { numRuns: 300 });
  // Keys and values that repeat across calls come from the intern tables: still exact.
  for (let i = 0; i < 3; i++) assert.equal(read('{"relname":"orders","inh":true,"relname2":"orders"}'), { relname: 'orders', inh: true, relname2: 'orders' });
});

test.run();
