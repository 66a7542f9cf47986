// Runs the shared SQL corpus through the normalizer and scores every case.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSqlCorpus, scoreSqlCase, SQL_SCORED_FIELDS, type SqlCaseScore } from '../../src/actions/corpus/sql.ts';
import { initSql, normalizeSql } from '../../src/actions/sql/index.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpusPath = join(repo, '..', 'shared', 'corpus', 'sql.txt');

/** Cases allowed to differ, each with the documented reason (see docs/actions/sql.md). */
const DOCUMENTED: Record<string, string> = {};

test('SQL corpus: zero silent misses, every difference documented', async () => {
  if (!existsSync(corpusPath)) {
    console.log(`skipped: corpus not found at <repo>/../shared/corpus/sql.txt`);
    return;
  }
  await initSql({ dialects: ['pg', 'mysql'] });
  const cases = parseSqlCorpus(readFileSync(corpusPath, 'utf8'));
  assert.ok(cases.length > 0, 'corpus has cases');
  const perField = new Map<string, [number, number]>();
  const notExact: string[] = [];
  const silent: string[] = [];
  const undocumented: string[] = [];
  const counts: Record<SqlCaseScore['status'], number> = { exact: 0, silent_miss: 0, fail_closed: 0, mismatch: 0 };
  for (const c of cases) {
    const doc = normalizeSql(c.sql, { dialect: c.dialect, noCache: true });
    const s = scoreSqlCase(c, doc);
    counts[s.status]++;
    for (const f of SQL_SCORED_FIELDS) {
      const v = s.fields[f];
      if (v === undefined) continue;
      const e = perField.get(f) ?? [0, 0];
      perField.set(f, [e[0] + (v ? 1 : 0), e[1] + 1]);
    }
    if (s.status !== 'exact') {
      notExact.push(`  ${c.id} [${s.status}] ${c.title}\n    ${s.diff.join('\n    ')}`);
      if (!(c.id in DOCUMENTED)) undocumented.push(c.id);
    }
    if (s.status === 'silent_miss') silent.push(c.id);
  }
  console.log(`SQL corpus: ${cases.length} cases; exact ${counts.exact}, fail_closed ${counts.fail_closed}, mismatch ${counts.mismatch}, silent_miss ${counts.silent_miss}`);
  console.log('  per field: ' + [...perField].map(([f, [ok, n]]) => `${f} ${ok}/${n}`).join(', '));
  if (notExact.length) console.log('not exact:\n' + notExact.join('\n'));
  assert.equal(silent, [], 'silent misses');
  assert.equal(undocumented, [], 'undocumented differences');
});

test.run();
