// Property tests: random and mutated inputs never throw, and every failure is a parse_error document.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSqlCorpus } from '../../src/actions/corpus/sql.ts';
import { initSql, normalizeSql, sqlActionSchema, type SqlDialect } from '../../src/actions/sql/index.ts';

const validate = new Ajv({ strict: false }).compile(sqlActionSchema);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusPath = join(repo, '..', 'shared', 'corpus', 'sql.txt');

const SEEDS: [SqlDialect, string][] = [
  ['pg', 'SELECT id, email FROM public.users WHERE id = $1'],
  ['pg', "WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d; DO $$ BEGIN DELETE FROM u; END $$"],
  ['pg', "COPY (SELECT * FROM s) TO PROGRAM 'x'; SELECT $a$ $$ $a$ /* /* */ */"],
  ['mysql', "SELECT * FROM users WHERE name = 'a\\'; DROP' /*!50000 UNION SELECT 1 */ # x"],
  ['mysql', "LOAD DATA INFILE '/x' INTO TABLE t; PREPARE s FROM 'SELECT 1'"],
];
if (existsSync(corpusPath)) for (const c of parseSqlCorpus(readFileSync(corpusPath, 'utf8'))) SEEDS.push([c.dialect, c.sql]);

/** The document is well-formed whatever happened, and failure is never partial. */
function wellFormed(text: string, dialect: SqlDialect): boolean {
  const d = normalizeSql(text, { dialect, noCache: true });
  if (!validate(d)) return false;
  if (d.parse_error) return d.statements.length === 0 && typeof d.parse_error.code === 'string';
  return d.statements.length > 0;
}

const TOKENS = ["'", '"', '`', '$$', '$a$', '/*', '*/', '/*!', '--', '-- ', '#', ';', '(', ')', '\\', 'E\'', 'U&"', '\0', '\n', 'SELECT', 'DROP TABLE x', 'DO', 'BEGIN', 'END', 'INTO OUTFILE', 'LOAD DATA', ','];

test.before(async () => { await initSql({ dialects: ['pg', 'mysql'] }); });

test('random strings never throw and give a well-formed document', () => {
  fc.assert(fc.property(fc.string({ maxLength: 120 }), fc.constantFrom<SqlDialect>('pg', 'mysql'), (s, d) => wellFormed(s, d)), { numRuns: 400 });
});

test('token soup never throws', () => {
  const soup = fc.array(fc.constantFrom(...TOKENS, 'a', '1', ' '), { maxLength: 30 }).map((xs) => xs.join(' '));
  fc.assert(fc.property(soup, fc.constantFrom<SqlDialect>('pg', 'mysql'), (s, d) => wellFormed(s, d)), { numRuns: 400 });
});

test('mutated corpus cases never throw', () => {
  const mutated = fc.tuple(fc.constantFrom(...SEEDS), fc.nat(), fc.nat(40), fc.constantFrom(...TOKENS, '')).map(([[d, s], at, del, ins]) => {
    const i = s.length ? at % s.length : 0;
    return [d, s.slice(0, i) + ins + s.slice(i + (del % 5))] as [SqlDialect, string];
  });
  fc.assert(fc.property(mutated, ([d, s]) => wellFormed(s, d)), { numRuns: 600 });
});

test('NUL anywhere is rejected before parsing', () => {
  fc.assert(fc.property(fc.constantFrom(...SEEDS), fc.nat(), ([d, s], at) => {
    const i = at % (s.length + 1);
    const doc = normalizeSql(s.slice(0, i) + '\0' + s.slice(i), { dialect: d, noCache: true });
    return doc.parse_error?.code === 'nul_byte';
  }), { numRuns: 200 });
  assert.ok(true);
});

test.run();
