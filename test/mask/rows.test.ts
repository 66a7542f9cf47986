import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initSql, normalizeSql } from '../../src/actions/sql/index.ts';
import type { SqlLineage } from '../../src/actions/sql/types.ts';
import { createRowMasker, MaskError } from '../../src/mask/index.ts';
import type { ColumnLineage, MaskSpec } from '../../src/mask/index.ts';

test.before(async () => { await initSql({ dialects: ['pg', 'mysql'] }); });

const SSN: MaskSpec = { target: { kind: 'column', table: 'public.people', column: 'ssn' }, strategy: { kind: 'redact' } };

function lineageOf(sql: string, dialect: 'pg' | 'mysql' = 'pg'): SqlLineage[] {
  const doc = normalizeSql(sql, { dialect });
  if (doc.parse_error !== undefined) throw new Error(doc.parse_error.message);
  return doc.statements[0]?.lineage ?? [];
}

function masker(sql: string, columnNames: string[], masks: MaskSpec[] = [SSN]) {
  const lineage: readonly ColumnLineage[] = lineageOf(sql); // SqlLineage is assignable
  return createRowMasker({ masks, lineage, columnNames });
}

test('a masked column is masked under any alias, through subqueries and CTEs', () => {
  const cases: Array<[string, string[], number[]]> = [
    ['SELECT ssn AS x, name FROM people', ['x', 'name'], [0]],
    ['SELECT p.name, p.ssn AS "Secret" FROM public.people p', ['name', 'Secret'], [1]],
    ['SELECT s.y FROM (SELECT ssn AS y FROM people) s', ['y'], [0]],
    ['WITH c(a, b) AS (SELECT name, ssn FROM people) SELECT b AS z, a FROM c', ['z', 'a'], [0]],
    ['SELECT name FROM people WHERE ssn = $1', ['name'], []],
    ['SELECT ssn FROM app.people', ['ssn'], []],
  ];
  for (const [sql, cols, want] of cases) {
    const m = masker(sql, cols);
    assert.equal([...m.maskedColumns], want, sql);
    const row = cols.map((c) => `v-${c}`);
    const out = m(row);
    cols.forEach((c, i) => assert.is(out[i], want.includes(i) ? '[REDACTED]' : `v-${c}`, `${sql} col ${c}`));
    assert.equal(m.report().failClosed, [], sql);
  }
});

test('unknown lineage with a masked candidate is masked and reported', () => {
  const m = masker("SELECT lower(ssn) || '-' || name AS mixed, name FROM people", ['mixed', 'name']);
  assert.equal(m(['123-45-6789-ana', 'ana']), ['[REDACTED]', 'ana']);
  assert.equal(m.report().failClosed, [{ index: 0, column: 'mixed', reason: 'candidates', targets: ['column:public.people.ssn'] }]);
  // Ambiguous unqualified column over two tables: either could be people.ssn.
  const j = masker('SELECT ssn FROM people, other', ['ssn']);
  assert.equal(j(['1']), ['[REDACTED]']);
  assert.is(j.report().failClosed[0]?.reason, 'candidates');
});

test('a star expands by name, aligned from both ends', () => {
  const m = masker('SELECT id, *, now() AS t FROM people', ['id', 'id', 'name', 'ssn', 't']);
  assert.equal([...m.maskedColumns], [3]);
  assert.equal(m([1, 1, 'ana', '078-05-1120', 'now']), [1, 1, 'ana', '[REDACTED]', 'now']);
  assert.equal(m.report().failClosed, [{ index: 3, column: 'ssn', reason: 'star', targets: ['column:public.people.ssn'] }]);
  // Two stars: any column of the region named ssn may come from people.
  const two = masker('SELECT a.*, b.* FROM people a, other b', ['id', 'ssn', 'id', 'ssn']);
  assert.equal([...two.maskedColumns], [1, 3]);
  // A star over a function result may hold anything: matched by name.
  assert.equal([...masker('SELECT * FROM f()', ['ssn', 'x']).maskedColumns], [0]);
});

test('table matching: unqualified matches any schema, qualified must agree, case-insensitive', () => {
  const tableMask = (table: string): MaskSpec[] => [{ target: { kind: 'column', table, column: 'ssn' }, strategy: { kind: 'null' } }];
  const hit = (sql: string, table: string): boolean => masker(sql, ['ssn'], tableMask(table)).maskedColumns.length === 1;
  assert.ok(hit('SELECT ssn FROM people', 'public.people'));
  assert.ok(hit('SELECT ssn FROM public.people', 'people'));
  assert.ok(hit('SELECT ssn FROM public.people', 'public.people'));
  assert.not.ok(hit('SELECT ssn FROM app.people', 'public.people'));
  assert.ok(hit('SELECT "SSN" AS ssn FROM "People"', 'people'));
  assert.ok(hit('SELECT ssn FROM db.public.people', 'public.people'));
  assert.not.ok(hit('SELECT ssn FROM persons', 'people'));
  const star = createRowMasker({ masks: [{ target: { kind: 'column', table: 'people', column: '*' }, strategy: { kind: 'null' } }], lineage: lineageOf('SELECT id, name FROM people'), columnNames: ['id', 'name'] });
  assert.equal(star([1, 'ana']), [null, null]);
});

test('MySQL lineage works the same way', () => {
  const m = createRowMasker({ masks: [SSN], lineage: lineageOf('SELECT `ssn` AS x FROM people', 'mysql'), columnNames: ['x'] });
  assert.equal(m(['1']), ['[REDACTED]']);
});

test('strategies on cells: null stays null, types handled, counts per target', () => {
  const masks: MaskSpec[] = [
    { target: { kind: 'column', table: 'people', column: 'ssn' }, strategy: { kind: 'partial', keepLast: 4 } },
    { target: { kind: 'column', table: 'people', column: 'email' }, strategy: { kind: 'hash' } },
    { target: { kind: 'column', table: 'people', column: 'salary' }, strategy: { kind: 'null' } },
  ];
  const m = createRowMasker({ masks, lineage: lineageOf('SELECT ssn, email, salary, name FROM people'), columnNames: ['ssn', 'email', 'salary', 'name'], hashKeys: { default: 'x'.repeat(32) } });
  const a = m(['078-05-1120', 'ana@example.com', 5000, 'ana']);
  assert.is(a[0], '*******1120');
  assert.match(a[1] as string, /^[0-9a-f]{64}$/);
  assert.is(a[2], null);
  assert.is(a[3], 'ana');
  const b = m([null, 'ana@example.com', null, 'bob']);
  assert.equal(b.slice(0, 1), [null]);
  assert.is(b[1], a[1], 'hash is stable across rows');
  assert.equal(m.report().counts, { 'column:people.ssn': 1, 'column:people.email': 2, 'column:people.salary': 1 });
});

test('the strictest strategy wins when two masks hit one column', () => {
  const m = createRowMasker({
    masks: [
      { target: { kind: 'column', table: 'people', column: 'ssn' }, strategy: { kind: 'partial', keepLast: 4 } },
      { target: { kind: 'column', table: 'public.people', column: 'SSN' }, strategy: { kind: 'redact', replacement: 'X' } },
    ],
    lineage: lineageOf('SELECT ssn FROM people'),
    columnNames: ['ssn'],
  });
  assert.equal(m(['078-05-1120']), ['X']);
  assert.equal(m.report().counts, { 'column:people.ssn': 1, 'column:public.people.SSN': 1 });
});

test('detectors also scan unmasked string and JSON cells', () => {
  const m = createRowMasker({
    masks: [SSN, { target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } }],
    lineage: lineageOf('SELECT ssn, note, doc FROM people'),
    columnNames: ['ssn', 'note', 'doc'],
  });
  const row = ['a@b.io', 'mail a@b.io', { contact: ['c@d.org'] }];
  assert.equal(m(row), ['[REDACTED]', 'mail [REDACTED:email]', { contact: ['[REDACTED:email]'] }]);
  assert.equal(row, ['a@b.io', 'mail a@b.io', { contact: ['c@d.org'] }], 'input row untouched');
  const clean = [null, 'nothing here', 5];
  assert.ok(m(clean) === clean, 'unchanged rows are returned as they are');
});

test('fail closed when lineage cannot be aligned with the result', () => {
  const code = (f: () => unknown): string => { try { f(); return 'none'; } catch (e) { return (e as MaskError).code; } };
  assert.is(code(() => createRowMasker({ masks: [SSN], lineage: lineageOf('EXECUTE s'), columnNames: ['ssn'] })), 'lineage_mismatch');
  assert.is(code(() => createRowMasker({ masks: [SSN], lineage: null, columnNames: ['ssn'] })), 'lineage_mismatch');
  assert.is(code(() => createRowMasker({ masks: [SSN], lineage: lineageOf('SELECT a, b, * FROM people'), columnNames: ['a'] })), 'lineage_mismatch');
  // Without column masks lineage is not needed.
  assert.is(code(() => createRowMasker({ masks: [], lineage: null, columnNames: ['x'] })), 'none');
  const m = masker('SELECT ssn FROM people', ['ssn']);
  assert.is(code(() => m(['a', 'b'])), 'row_shape');
  assert.is(code(() => createRowMasker({ masks: [], lineage: [], columnNames: [1] as unknown as string[] })), 'invalid_columns');
});

test('unknown lineage without candidates is matched by output name', () => {
  const lineage: ColumnLineage[] = [{ name: 'ssn', source: 'unknown' }, { name: 'n', source: 'unknown' }];
  const m = createRowMasker({ masks: [SSN], lineage, columnNames: ['ssn', 'n'] });
  assert.equal(m(['1', '2']), ['[REDACTED]', '2']);
  assert.is(m.report().failClosed[0]?.reason, 'name');
});

test('jsonpath targets are reported inapplicable to rows', () => {
  const m = createRowMasker({ masks: [{ target: { kind: 'jsonpath', path: '$.a' }, strategy: { kind: 'redact' } }], lineage: [], columnNames: [] });
  assert.equal(m.report().inapplicable, ['jsonpath:$.a']);
});

test.run();
