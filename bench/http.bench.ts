// Median cost of normalizing typical HTTP requests (warm; quietest of several windows). Run: node --import ./scripts/register-ts.mjs bench/http.bench.ts
import { pathToFileURL } from 'node:url';
import { normalizeHttp } from '../src/actions/http/index.ts';
import type { HttpRequest } from '../src/actions/http/index.ts';
import { spread, timeWindows, type WindowStats } from './windows.ts';

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

export function run(short = false): Array<{ name: string; stats: WindowStats }> {
  return cases.map(([name, req]) => ({ name, stats: timeWindows(() => normalizeHttp(req), 5000, short ? 3 : 10, 200) }));
}

/** bench/README.md convention. */
export default async function bench(opts: { short: boolean }): Promise<void> {
  for (const r of run(opts.short)) {
    console.log(`http normalize  ${r.name.padEnd(26)} median ${r.stats.median.toFixed(2)} µs  (${spread(r.stats)}; budget 10 µs)`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await bench({ short: true });
