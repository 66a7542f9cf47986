// Our libpg-query binding and tree reader: same trees and same errors as the package's own API,
// and the reader agrees with JSON.parse (or declines) on any JSON.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import fc from 'fast-check';
import * as pgQuery from 'libpg-query';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSqlCorpus } from '../../src/actions/corpus/sql.ts';
import { initSql, normalizeSql } from '../../src/actions/sql/index.ts';
import { loadPgBinding, PgSyntaxError, type PgBinding } from '../../src/actions/sql/pg-binding.ts';
import { MAX_KEY_ID, MAX_KEYS, MAX_SHAPES } from '../../src/actions/sql/pg-shapes.ts';
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

/**
 * Where a and b differ: values (Object.is), key order, prototypes. (assert.equal would not see key
 * order, and takes an own key "constructor" for the constructor.)
 */
function difference(a: unknown, b: unknown, at = '$'): string | null {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? null : `${at}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: kinds differ`;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\0') !== kb.join('\0')) return `${at}: keys ${ka.join(',')} vs ${kb.join(',')}`;
  for (const k of ka) {
    const d = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d !== null) return d;
  }
  return null;
}

/** Stamps that are wrong; a missing one is fine (the walker then looks at the keys). */
function wrongKinds(v: unknown): string[] {
  return kindMismatches(v).filter((m) => !m.includes('stamped undefined'));
}

/**
 * read(s) is JSON.parse(s): the same values in the same key order. Node kinds are stamped exactly
 * where they belong, or with duplicateKeys (where a repeated key keeps an object from being
 * stamped, as it always did), never wrongly.
 */
function sameAsJsonParse(s: string, label = s.slice(0, 80), duplicateKeys = false): void {
  const got = read(s);
  assert.ok(got !== undefined, `declined: ${label}`);
  assert.is(difference(got, JSON.parse(s)), null, label);
  assert.equal(duplicateKeys ? wrongKinds(got) : kindMismatches(got), [], label);
}

const list = (items: string[]): string => `{"l":[${items.join(',')}]}`;

test('reader: repeated keys keep their first position and take the last value', () => {
  for (let i = 0; i < 3; i++) {
    // the second and third reads build from the shapes the first one left
    for (const c of ['{"a":1,"b":2,"a":3}', '{"a":1,"a":{"x":1}}', '{"A":{"x":1},"A":{"y":2}}', '{"b":[1],"a":2,"b":"x","c":null,"b":true}']) sameAsJsonParse(c, c, true);
  }
  sameAsJsonParse('{"constructor":1,"toString":{"valueOf":2},"hasOwnProperty":[3],"__proto_":4,"proto__":5}');
});

test('reader: a "__proto__" key anywhere is declined', () => {
  sameAsJsonParse('{"a":1,"b":{"c":2}}');
  for (const c of ['{"a":1,"__proto__":2}', '{"a":1,"b":{"c":2,"__proto__":{}}}', '{"a":[{"__proto__":null}]}', '{"A":{"__proto__":{"x":1}}}']) {
    assert.is(read(c), undefined, c);
  }
});

test('reader: more key sequences than MAX_SHAPES', () => {
  // Objects with three keys out of 20: 8000 sequences and 420 prefixes, past the cap, so the later
  // ones are built key by key; all are read twice (the second time with the cap reached).
  const names = Array.from({ length: 20 }, (_, i) => `f${i}`);
  const objects: string[] = [];
  for (const a of names) for (const b of names) for (const c of names) objects.push(`{"${a}":1,"${b}":{"N${c}":{"v":"${a}"}},"${c}":[2]}`);
  assert.ok(objects.length > MAX_SHAPES);
  for (let i = 0; i < 2; i++) sameAsJsonParse(list(objects), 'many shapes');
  for (const c of ['{"A":{"f1":1}}', '{"f1":1,"f2":{"Zz":{}},"f3":[{"Q":{"f4":1}}]}']) sameAsJsonParse(c);
  sameAsJsonParse('{"f1":1,"f1":2}', 'repeated', true);
});

test('reader: objects with more keys than MAX_KEYS', () => {
  const keys = Array.from({ length: MAX_KEYS + 6 }, (_, i) => `k${i}`);
  const obj = (ks: string[]): string => `{${ks.map((k, i) => `"${k}":${i % 3 === 0 ? `{"K":{"i":${i}}}` : i}`).join(',')}}`;
  for (let i = 0; i < 2; i++) {
    for (const n of [MAX_KEYS - 1, MAX_KEYS, MAX_KEYS + 1, MAX_KEYS + 6]) sameAsJsonParse(obj(keys.slice(0, n)), `${n} keys`);
    // a key repeated past the cap, and one repeated across it
    sameAsJsonParse(obj([...keys, 'k0', 'k3']), 'repeated past the cap', true);
    sameAsJsonParse(obj([...keys.slice(0, MAX_KEYS - 1), 'k1', ...keys.slice(MAX_KEYS - 1)]), 'repeated across the cap', true);
  }
});

test('reader: more distinct keys than the key table holds', () => {
  // The table is full mid-tree (later keys are read without it) and emptied before the next tree.
  const objects = Array.from({ length: MAX_KEY_ID + 500 }, (_, i) => `{"key${i}":{"Node${i % 7}":{"location":${i}}}}`);
  sameAsJsonParse(list(objects), 'many keys');
  sameAsJsonParse('{"version":180004,"stmts":[{"stmt":{"SelectStmt":{"op":"SETOP_NONE"}}}]}');
  sameAsJsonParse(list(objects), 'many keys again');
});

test('reader: enum names under enum keys, and everything else under them', () => {
  const cases = [
    '{"kind":"AEXPR_OP","op":"SETOP_NONE","relpersistence":"p","limitOption":"LIMIT_OPTION_DEFAULT","jointype":"JOIN_INNER"}',
    // not names: read as any other string
    '{"kind":"a b","op":"\\u0041","relpersistence":"é","limitOption":"","jointype":"x\\"y","boolop":"1AND"}',
    `{"kind":"${'LONG_'.repeat(12)}","op":"AEXPR_OP "}`,
    '{"kind":1,"op":{"kind":"AEXPR_OP"},"target":[1,"AEXPR_OP"],"jointype":null,"boolop":true}',
    // the same text under free-text keys
    '{"sval":"AEXPR_OP","kind":"AEXPR_OP","relname":"AEXPR_OP","name":"p","relpersistence":"p"}',
  ];
  for (let i = 0; i < 3; i++) for (const c of cases) sameAsJsonParse(c);
  // More names than the enum table keeps: it stops keeping them, and is emptied between trees.
  const many = list(Array.from({ length: 1500 }, (_, i) => `{"kind":"E_${i}","op":"SETOP_NONE"}`));
  for (let i = 0; i < 2; i++) { sameAsJsonParse(many, 'many names'); for (const c of cases) sameAsJsonParse(c); }
});

// Random trees in the JSON subset libpg_query writes: objects with name keys (libpg_query's own,
// node kinds, enum keys, and random names; repeated keys too), integers, strings escaped its way
// or JSON.stringify's, booleans, null, arrays.
const PG_KEYS = ['kind', 'op', 'name', 'sval', 'relname', 'location', 'fields', 'val', 'ival', 'args', 'inh', 'relpersistence', 'limitOption', 'targetList', 'lexpr', 'rexpr', 'boolop', 'jointype', 'stmt', 'stmts', 'constructor', 'toString'];
const PG_NODES = ['SelectStmt', 'ResTarget', 'ColumnRef', 'A_Expr', 'A_Const', 'RangeVar', 'String', 'Integer', 'List', 'FuncCall', 'JoinExpr'];
const PG_STRINGS = ['AEXPR_OP', 'SETOP_NONE', 'LIMIT_OPTION_DEFAULT', 'p', 't', 'id', 'orders', '=', '<>', ''];
/** libpg_query's escaping: quote, backslash, control characters, and <, >, & as \u00XX. */
const pgString = (s: string): string => JSON.stringify(s).replace(/[<>&]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`);
const pgTree = fc.letrec<{ value: string; object: string; node: string; array: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.constantFrom(...PG_STRINGS), fc.string(), fc.string({ unit: 'binary', maxLength: 50 })).chain((x) => fc.constantFrom(pgString(x), JSON.stringify(x))),
    fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.double({ noNaN: true, noDefaultInfinity: true })).map((n) => JSON.stringify(n)),
    fc.constantFrom('true', 'false', 'null'),
    tie('object'),
    tie('node'),
    tie('array'),
  ),
  array: fc.array(tie('value'), { maxLength: 4 }).map((xs) => `[${xs.join(',')}]`),
  object: fc.array(fc.tuple(fc.oneof(fc.constantFrom(...PG_KEYS, ...PG_NODES), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/).filter((k) => k !== '__proto__')), tie('value')), { maxLength: 7 })
    .map((ps) => `{${ps.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
  node: fc.tuple(fc.constantFrom(...PG_NODES), tie('object')).map(([k, o]) => `{"${k}":${o}}`),
}));

test('reader: agrees with JSON.parse on random trees in libpg_query\'s subset', () => {
  fc.assert(fc.property(pgTree.object, (s) => {
    sameAsJsonParse(s, s, true);
    sameAsJsonParse(s, s, true); // again, from the shapes and names the first read kept
    return true;
  }), { numRuns: 1000 });
});

test('reader: the same trees where code generation from strings is disallowed', () => {
  // The shapes' builders are then made of keyed stores instead of generated object literals.
  const texts = ['{"A":{"b":1,"c":[{"D":{}}],"b":2}}', '{"stmts":[{"stmt":{"SelectStmt":{"op":"SETOP_NONE"}},"stmt_len":8}],"version":180004}'];
  const child = `
    const { NODE_KIND, readPgTree } = await import(${JSON.stringify(pathToFileURL(join(repo, 'src', 'actions', 'sql', 'pg-tree.ts')).href)});
    let generated = true;
    try { new Function(''); } catch { generated = false; }
    const same = ${JSON.stringify(texts)}.map((t) => {
      const r = readPgTree(new TextEncoder().encode(t + '\\0'), 0);
      const k = Object.keys(r)[0];
      return JSON.stringify(r) === JSON.stringify(JSON.parse(t)) && r[NODE_KIND] === (/^[A-Z]/.test(k) ? k : undefined);
    });
    console.log(JSON.stringify({ generated, same }));`;
  const r = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--import', join(repo, 'scripts', 'register-ts.mjs'), '--input-type=module', '-e', child], { cwd: repo, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!), { generated: false, same: [true, true] });
});

/** libpg_query's JSON text for sql as the package reads it: its parse tree, or its PL/pgSQL tree. */
function rawTree(sql: string, plpgsql: boolean): string | undefined {
  let text: string | undefined;
  const parse = JSON.parse;
  // The package hands libpg_query's text to JSON.parse: it is caught there, as it was written.
  JSON.parse = ((t: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
    const v: unknown = parse(t, reviver);
    text ??= t;
    return v;
  }) as typeof JSON.parse;
  try {
    if (plpgsql) pgQuery.parsePlPgSQLSync(sql);
    else pgQuery.parseSync(sql);
  } catch {
    return undefined; // no tree
  } finally {
    JSON.parse = parse;
  }
  return text;
}

test('reader: same trees as JSON.parse for every corpus query', () => {
  const texts = [...SAMPLES, 'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DELETE FROM t; END $$'];
  if (existsSync(corpusPath)) for (const c of parseSqlCorpus(readFileSync(corpusPath, 'utf8'))) texts.push(c.sql);
  else console.log('corpus trees skipped: <repo>/../shared/corpus/sql.txt not found');
  let trees = 0;
  let plpgsql = 0;
  for (const sql of texts) {
    // PL/pgSQL trees come with line breaks, outside the subset: the reader may decline them.
    const p = rawTree(sql, true);
    if (p !== undefined) {
      const r = read(p);
      if (r !== undefined) assert.is(difference(r, JSON.parse(p)), null, sql);
      plpgsql++;
    }
    const tree = rawTree(sql, false);
    if (tree !== undefined) {
      sameAsJsonParse(tree, sql);
      // as in wasm memory: at an offset, with more bytes after the NUL (the word-at-a-time path)
      const enc = bytes(tree);
      const buf = new Uint8Array(enc.length + 16).fill(0x7b);
      buf.set(enc, 5);
      buf[5 + enc.length] = 0;
      assert.is(difference(readPgTree(buf, 5), JSON.parse(tree)), null, sql);
      trees++;
    }
  }
  assert.ok(trees >= SAMPLES.length && plpgsql >= 1, `trees ${trees}, PL/pgSQL trees ${plpgsql}`);
});

test.run();
