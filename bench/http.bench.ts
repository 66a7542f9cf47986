// Median cost of normalizing typical HTTP requests (warm). Run: node --import ./scripts/register-ts.mjs bench/http.bench.ts
import { pathToFileURL } from 'node:url';
import { normalizeHttp } from '../src/actions/http/index.ts';
import type { HttpRequest } from '../src/actions/http/index.ts';

const cases: Array<[string, HttpRequest]> = [
  ['GET with query and auth', {
    method: 'GET',
    url: '/api/v1/projects/42/issues?state=open&labels=bug&labels=p1&per_page=50',
    headers: {
      host: 'api.example.com',
      'user-agent': 'agent/1.0',
      accept: 'application/json',
      authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig',
      'x-request-id': '7f3c1a2e',
    },
  }],
  ['POST small JSON', {
    method: 'POST',
    url: 'https://api.example.com/api/v1/projects/42/issues',
    headers: { host: 'api.example.com', 'content-type': 'application/json', authorization: 'Bearer t' },
    body: '{"title":"Crash on save","labels":["bug"],"assignee":{"id":7,"name":"ana"}}',
  }],
  ['POST GraphQL', {
    method: 'POST',
    url: '/graphql',
    headers: { host: 'api.example.com', 'content-type': 'application/json' },
    body: '{"query":"mutation AddStar($id: ID!) { addStar(input: {starrableId: $id}) { clientMutationId } }","variables":{"id":"R_1"}}',
  }],
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

export function run(): Array<{ name: string; medianUs: number }> {
  const results: Array<{ name: string; medianUs: number }> = [];
  for (const [name, req] of cases) {
    for (let i = 0; i < 20000; i++) normalizeHttp(req);
    const samples: number[] = [];
    const batch = 200;
    for (let r = 0; r < 200; r++) {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < batch; i++) normalizeHttp(req);
      samples.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
    results.push({ name, medianUs: median(samples) });
  }
  return results;
}

/** bench/README.md convention. */
export default async function bench(_opts: { short: boolean }): Promise<void> {
  for (const r of run()) console.log(`http normalize  ${r.name.padEnd(26)} median ${r.medianUs.toFixed(2)} µs  (budget 10 µs)`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await bench({ short: true });
