// Masking throughput: SQL rows (10 columns, 2 masked), streaming text with every detector, and JSON
// bodies. Medians over repeated batches in a warm process. Convention: bench/README.md.
// Alone: node --import ./scripts/register-ts.mjs bench/mask.bench.ts [--short]
import { createRowMasker, createTextMasker, createJsonMasker } from '../src/mask/index.ts';
import type { ColumnLineage, MaskSpec } from '../src/mask/index.ts';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function sample(rounds: number, work: () => void): number[] {
  const out: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    work();
    out.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return out;
}

const COLS = ['id', 'name', 'ssn', 'email', 'city', 'created', 'score', 'plan', 'active', 'note'];
const lineage: ColumnLineage[] = COLS.map((c) => ({ name: c, source: { table: 'people', column: c } }));
const key = { hashKeys: { default: 'bench-hmac-key-32-bytes-long!!!!' } };
const rowMasks: MaskSpec[] = [
  { target: { kind: 'column', table: 'public.people', column: 'ssn' }, strategy: { kind: 'redact' } },
  { target: { kind: 'column', table: 'public.people', column: 'email' }, strategy: { kind: 'hash' } },
];

function rows(n: number): unknown[][] {
  const out: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    out.push([String(i), `Person ${i}`, `078-05-${String(1000 + (i % 9000))}`, `p${i}@example.com`, 'Lisbon',
      '2024-01-03 10:22:00+00', String(i % 100), 'pro', 't', 'customer since 2019, prefers e-mail']);
  }
  return out;
}

function textCorpus(bytes: number, dense: boolean): string {
  const plain = 'drwxr-xr-x  5 ana staff   160 Jan  3 10:22 src -rw-r--r-- 1 ana staff 1234 README.md\n';
  const secret = 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE # owner ops@example.org, card 4111 1111 1111 1111\n';
  let s = '';
  let i = 0;
  while (s.length < bytes) s += dense || i++ % 20 === 0 ? secret : plain;
  return s;
}

export default async function run(opts: { short: boolean }): Promise<void> {
  const rounds = opts.short ? 5 : 9;

  // Rows: plan once, then O(columns) per row.
  const data = rows(opts.short ? 10000 : 40000);
  for (const [label, masks] of [
    ['2 masked (redact x2)', rowMasks.map((m) => ({ ...m, strategy: { kind: 'redact' } }))],
    ['2 masked (redact + hmac)', rowMasks],
    ['2 masked + email detector', [...rowMasks, { target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } }]],
  ] as Array<[string, MaskSpec[]]>) {
    const m = createRowMasker({ masks, lineage, columnNames: COLS, ...key });
    for (const r of data.slice(0, 5000)) m(r);
    const secs = median(sample(rounds, () => { for (const r of data) m(r); }));
    const rps = data.length / secs;
    console.log(`mask rows 10 cols, ${label.padEnd(26)} median ${(rps / 1e6).toFixed(2)} M rows/s  (${(1e6 / rps).toFixed(2)} µs/row; 100 MB of ~100 B rows ≈ ${(1e6 / rps).toFixed(1)} s)`);
  }

  // Streaming text, 64 KB chunks, every detector.
  const all = [{ target: { kind: 'detector', detector: 'all' }, strategy: { kind: 'redact' } }];
  for (const [label, dense] of [['terminal output, 5% secret lines', false], ['every line holds secrets', true]] as Array<[string, boolean]>) {
    const text = textCorpus(opts.short ? 1 << 20 : 4 << 20, dense);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += 65536) chunks.push(text.slice(i, i + 65536));
    const pass = (): void => { const m = createTextMasker(all); for (const c of chunks) m.push(c); m.end(); };
    pass();
    const secs = median(sample(opts.short ? 3 : 5, pass));
    console.log(`mask text all detectors, ${label.padEnd(34)} median ${(text.length / 1e6 / secs).toFixed(1)} MB/s`);
  }

  // JSON body (~2 KB), 2 JSONPath targets and the email detector.
  const body = { users: Array.from({ length: 20 }, (_, i) => ({ id: i, name: `User ${i}`, email: `u${i}@example.com`, ssn: `078-05-${1100 + i}`, note: 'ok' })), page: 1 };
  const jm = createJsonMasker([
    { target: { kind: 'jsonpath', path: '$.users[*].ssn' }, strategy: { kind: 'redact' } },
    { target: { kind: 'jsonpath', path: '$..name' }, strategy: { kind: 'partial', keepLast: 2 } },
    { target: { kind: 'detector', detector: 'email' }, strategy: { kind: 'redact' } },
  ]);
  const n = opts.short ? 200 : 1000;
  for (let i = 0; i < 300; i++) jm.mask(body);
  const secs = median(sample(rounds, () => { for (let i = 0; i < n; i++) jm.mask(body); }));
  console.log(`mask json ${JSON.stringify(body).length} B body, 2 jsonpaths + email        median ${(secs / n * 1e6).toFixed(1)} µs/body`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run({ short: process.argv.includes('--short') });
