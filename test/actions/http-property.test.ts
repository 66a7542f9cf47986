import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { Ajv } from 'ajv';
import { normalizeHttp, httpActionSchema } from '../../src/actions/http/index.ts';
import type { HttpRequest } from '../../src/actions/http/index.ts';

const validate = new Ajv().compile(httpActionSchema);
const SECRET = 'Zq9SECRETq9Z';

const pathChar = fc.constantFrom('a', 'b', '/', '.', '%', '2', 'e', 'f', 'F', 'c', '0', ';', '\\', '?', '#', '&', '=', '+', 'é', '\u0000', ' ', '\r');
const pathish = fc.array(pathChar, { maxLength: 40 }).map((cs) => cs.join(''));
const url = fc.oneof(
  pathish.map((p) => '/' + p),
  fc.tuple(fc.constantFrom('http', 'https', 'HTTP', 'ftp', 'ws'), fc.constantFrom('h.example', 'H.EX.', '0x7f.1', '[::1]', 'a..b', 'u:p@h', 'h:8080', 'h:0', 'bü.de', ''), pathish)
    .map(([s, h, p]) => `${s}://${h}/${p}`),
  fc.string({ maxLength: 60 }),
  fc.constantFrom('*', 'h:443', ''),
);
const headerName = fc.oneof(fc.constantFrom('Host', 'host', 'Authorization', 'Cookie', 'Content-Type', 'Content-Length', 'X-Api-Key', 'x-a', 'bad name', ':authority'), fc.string({ maxLength: 10 }));
const headerValue = fc.oneof(
  fc.constantFrom('h.example', 'application/json', 'application/x-www-form-urlencoded', 'application/graphql', `Bearer ${SECRET}`, `sid=${SECRET}`, SECRET, 'a\r\nb', '1'),
  fc.string({ maxLength: 20 }),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 80 }),
  fc.uint8Array({ maxLength: 80 }),
  fc.constantFrom('{"query":"mutation { a }"}', '{"query":"query A { a } query B { b }"}', `{"password":"${SECRET}"}`, `password=${SECRET}&a=1`),
);
const request: fc.Arbitrary<HttpRequest> = fc.record({
  method: fc.oneof(fc.constantFrom('GET', 'post', 'CONNECT', 'OPTIONS', 'DELETE'), fc.string({ maxLength: 8 })),
  url,
  headers: fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  body,
});

test('random requests never throw; every result matches the schema', () => {
  fc.assert(fc.property(request, (req) => {
    const doc = normalizeHttp(req);
    const plain = JSON.parse(JSON.stringify(doc));
    if (!validate(plain)) throw new Error(`schema: ${JSON.stringify(validate.errors)} for ${JSON.stringify(plain)}`);
    // A failure is a parse_error document with a code, never a partial success.
    if ('parse_error' in doc) assert.ok(doc.parse_error.code.length > 0);
    // internal_error means the safety net caught a bug.
    if ('parse_error' in doc) assert.is.not(doc.parse_error.code, 'internal_error', JSON.stringify(doc));
  }), { numRuns: 3000 });
});

// Secrets only where they are credentials: auth and cookie headers, secret-named params and keys.
const credentialHeader = fc.tuple(
  fc.constantFrom('Authorization', 'proxy-authorization', 'Cookie', 'X-Api-Key', 'x-auth-token', 'X-Session-Id'),
  fc.constantFrom(`Bearer ${SECRET}`, `Basic ${SECRET}`, `sid=${SECRET}; b=${SECRET}`, SECRET, ` ${SECRET} `),
);
const secretBody = fc.oneof(
  fc.tuple(fc.constant('application/json'), fc.constantFrom(undefined, `{"password":"${SECRET}"}`, `[{"a":{"client_secret":"${SECRET}"}}]`, `{"query":"{ a }","variables":{"token":"${SECRET}"}}`)),
  fc.tuple(fc.constant('application/x-www-form-urlencoded'), fc.constantFrom(`password=${SECRET}&a=1`, `a=1&api_key=${SECRET}`)),
);
const secretRequest: fc.Arbitrary<HttpRequest> = fc.record({
  method: fc.constantFrom('GET', 'POST'),
  url: fc.constantFrom('/a', `/a?access_token=${SECRET}`, `/a?x=1&password=${SECRET}&password=${SECRET}`, `https://u:${SECRET}@h.example/`, `/graphql?query=%7Ba%7D&api_key=${SECRET}`),
  headers: fc.array(credentialHeader, { maxLength: 3 }),
  body: secretBody,
}).map(({ method, url, headers, body }) => ({
  method, url, headers: [['host', 'h.example'] as [string, string], ['content-type', body[0]] as [string, string], ...headers], body: body[1],
}));

test('secrets in credential headers, userinfo, query and bodies never reach the document', () => {
  fc.assert(fc.property(secretRequest, (req) => {
    const doc = normalizeHttp(req);
    assert.not.ok(JSON.stringify(doc).includes(SECRET), JSON.stringify(req));
  }), { numRuns: 1000 });
});

test('normalized paths have no dot segments or empty segments, and normalizing again is stable', () => {
  fc.assert(fc.property(pathish, (p) => {
    const doc = normalizeHttp({ method: 'GET', url: '/' + p, headers: { host: 'h' } });
    if ('parse_error' in doc) return;
    for (const s of doc.segments) {
      assert.ok(s !== '' && s !== '.' && s !== '..', `segment ${JSON.stringify(s)} in ${p}`);
    }
    assert.not.ok(doc.path.includes('//'));
    // The normalized path, sent again, means the same thing.
    const again = normalizeHttp({ method: 'GET', url: doc.path, headers: { host: 'h' } });
    if ('parse_error' in again) return;
    assert.is(again.path, doc.path);
    assert.equal(again.segments, doc.segments);
  }), { numRuns: 3000 });
});

test('bodies over the cap are never parsed', () => {
  fc.assert(fc.property(fc.json({ maxDepth: 3 }), fc.integer({ min: 1, max: 40 }), (json, cap) => {
    const doc = normalizeHttp({ method: 'POST', url: '/', headers: { host: 'h', 'content-type': 'application/json' }, body: json }, { bodyCap: cap });
    if ('parse_error' in doc) throw new Error('unexpected parse_error');
    const size = new TextEncoder().encode(json).length;
    if (size > cap) {
      assert.is(doc.body.kind, 'truncated');
      assert.ok(doc.flags.includes('body_truncated'));
    } else {
      assert.ok(doc.body.kind === 'json' || doc.body.kind === 'none');
    }
  }), { numRuns: 1000 });
});

test.run();
