// SQL normalizer medians (µs): short query, ~2 KB query, repeated query served by the LRU cache.
// Run: node --import ./scripts/register-ts.mjs bench/sql.bench.ts
import { initSql, normalizeSql, sqlCache } from '../src/actions/sql/index.ts';
import { spread, timeWindows, type WindowStats } from './windows.ts';

const SHORT = 'SELECT id, email FROM public.users WHERE id = $1';
export const LONG = buildLong(2048);

function buildLong(target: number): string {
  const parts: string[] = [];
  let i = 0;
  let s = '';
  while (s.length < target) {
    parts.push(`SELECT o.id AS id${i}, o.total, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'open' AND o.created_at > now() - interval '${i} days'`);
    s = 'WITH recent AS (SELECT id FROM orders WHERE total > 100) ' + parts.join(' UNION ALL ');
    i++;
  }
  return s;
}

// libpg_query's wasm takes about a second of calls on the 2 KB query to reach its top tier (645 µs
// medians in the first 300 ms, ~300 µs after 700 ms), so each case warms for at least a second.
const WARM_MS = 1000;

export async function benchSql(short = false): Promise<Record<string, WindowStats>> {
  await initSql({ dialects: ['pg', 'mysql'] });
  const w = short ? 3 : 16;
  const out = {
    short_us: timeWindows(() => normalizeSql(SHORT, { dialect: 'pg', noCache: true }), 10000, w, WARM_MS),
    long_2kb_us: timeWindows(() => normalizeSql(LONG, { dialect: 'pg', noCache: true }), 600, w, WARM_MS),
    repeated_us: (sqlCache.clear(), timeWindows(() => normalizeSql(SHORT, { dialect: 'pg' }), 20000, w, WARM_MS)),
    mysql_short_us: timeWindows(() => normalizeSql('SELECT id, email FROM users WHERE id = ?', { dialect: 'mysql', noCache: true }), 4000, w, WARM_MS),
  };
  return out;
}

const BUDGETS: Record<string, string> = {
  short_us: 'budget 20 µs; hoop.dev scanner 1.4 µs',
  long_2kb_us: 'budget 300 µs; hoop.dev scanner 33 µs',
  repeated_us: 'budget 3 µs (LRU on the text)',
  mysql_short_us: 'no budget',
};

/** bench/README.md convention: print one line per figure, with its budget. */
export default async function run(opts: { short: boolean }): Promise<void> {
  const r = await benchSql(opts.short);
  for (const [k, v] of Object.entries(r)) {
    console.log(`sql normalize ${k.replace(/_us$/, '').padEnd(14)} median ${v.median.toFixed(2).padStart(8)} µs  (${spread(v)}; ${BUDGETS[k] ?? ''}; long query ${LONG.length} chars)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ short: process.argv.includes('--short') });
