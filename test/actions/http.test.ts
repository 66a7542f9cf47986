import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { normalizeHttp, httpActionSchema } from '../../src/actions/http/index.ts';
import type { HttpAction, HttpActionOk, HttpRequest, HttpOptions } from '../../src/actions/http/index.ts';

const validate = new Ajv({ allErrors: true }).compile(httpActionSchema);

// Normalizes, checks the document against the schema, and returns it as plain JSON.
function norm(req: HttpRequest, opts?: HttpOptions): HttpAction {
  const doc = normalizeHttp(req, opts);
  const plain = JSON.parse(JSON.stringify(doc)) as HttpAction;
  if (!validate(plain)) assert.unreachable(`schema: ${JSON.stringify(validate.errors)} for ${JSON.stringify(plain)}`);
  return plain;
}
function ok(req: HttpRequest, opts?: HttpOptions): HttpActionOk {
  const d = norm(req, opts);
  if ('parse_error' in d) assert.unreachable(`unexpected parse_error ${JSON.stringify(d.parse_error)}`);
  return d as HttpActionOk;
}
function err(req: HttpRequest, code: string, opts?: HttpOptions): void {
  const d = norm(req, opts);
  if (!('parse_error' in d)) return assert.unreachable(`expected parse_error ${code}, got ${JSON.stringify(d)}`);
  assert.is(d.parse_error.code, code);
}
const get = (url: string, headers: HttpRequest['headers'] = { host: 'h.example' }): HttpActionOk => ok({ method: 'GET', url, headers });

test('typical GET: method, scheme, host, port, path, segments, query', () => {
  const d = ok({ method: 'get', url: 'https://API.Example.COM./v1/users?id=7&tag=a&tag=b' });
  assert.is(d.version, 1);
  assert.is(d.kind, 'http');
  assert.is(d.method, 'GET');
  assert.is(d.scheme, 'https');
  assert.is(d.host, 'api.example.com');
  assert.is(d.host_type, 'name');
  assert.is(d.port, 443);
  assert.is(d.path, '/v1/users');
  assert.equal(d.segments, ['v1', 'users']);
  assert.equal(d.query, { id: ['7'], tag: ['a', 'b'] });
  assert.equal(d.body, { kind: 'none' });
  assert.equal(d.flags, []);
});

test('origin-form takes host and port from Host; scheme from options', () => {
  const d = ok({ method: 'GET', url: '/x', headers: { Host: 'Svc.Internal:8443' } }, { scheme: 'https' });
  assert.is(d.host, 'svc.internal');
  assert.is(d.port, 8443);
  assert.is(d.scheme, 'https');
  assert.is(get('/x').port, 80);
  err({ method: 'GET', url: '/x', headers: {} }, 'missing_host');
  err({ method: 'GET', url: '/x', headers: [['Host', 'a'], ['host', 'b']] }, 'duplicate_host');
});

test('absolute-form URL and a different Host header are flagged', () => {
  const d = ok({ method: 'GET', url: 'http://a.example/', headers: { host: 'b.example' } });
  assert.is(d.host, 'a.example');
  assert.ok(d.flags.includes('host_mismatch'));
  assert.not.ok(ok({ method: 'GET', url: 'http://a.example:80/', headers: { host: 'A.example' } }).flags.includes('host_mismatch'));
});

test('path: dot segments resolved, // collapsed, traversal flagged', () => {
  let d = get('/a/b/../c/./d');
  assert.is(d.path, '/a/c/d');
  assert.ok(d.flags.includes('path_traversal'));
  assert.ok(d.flags.includes('dot_segment'));
  d = get('/../../etc/passwd');
  assert.is(d.path, '/etc/passwd');
  assert.ok(d.flags.includes('path_traversal'));
  d = get('//a///b/');
  assert.is(d.path, '/a/b/');
  assert.equal(d.segments, ['a', 'b']);
  assert.ok(d.flags.includes('double_slash'));
  assert.is(get('/a/b/..').path, '/a/');
  assert.is(get('/').path, '/');
  assert.is(ok({ method: 'GET', url: 'http://h.example' }).path, '/');
});

test('path: %2e%2e is a dot segment (decoded once), %252e is not but is flagged', () => {
  let d = get('/static/%2e%2e/admin');
  assert.is(d.path, '/admin');
  assert.ok(d.flags.includes('path_traversal'));
  d = get('/static/%252e%252e/admin');
  assert.equal(d.segments, ['static', '%2e%2e', 'admin']);
  assert.is(d.path, '/static/%252e%252e/admin');
  assert.ok(d.flags.includes('double_encoding'));
  assert.not.ok(d.flags.includes('path_traversal'));
});

test('path: encoded slash stays inside its segment and distinct from a real slash', () => {
  const enc = get('/files/a%2Fb');
  const real = get('/files/a/b');
  assert.equal(enc.segments, ['files', 'a/b']);
  assert.is(enc.path, '/files/a%2Fb');
  assert.ok(enc.flags.includes('encoded_slash'));
  assert.is.not(enc.path, real.path);
  assert.not.ok(real.flags.includes('encoded_slash'));
  // '..%2F' is not a dot segment: kept, flagged.
  const t = get('/a/..%2Fetc');
  assert.equal(t.segments, ['a', '../etc']);
  // A literal '%' written %25 in path keeps /a%2Fb and /a%252Fb apart.
  assert.is.not(get('/a%252Fb').path, enc.path);
});

test('path: unicode decoded, malformed escapes and bad UTF-8 flagged', () => {
  assert.equal(get('/caf%C3%A9').segments, ['café']);
  const d = get('/100%/x%zz');
  assert.equal(d.segments, ['100%', 'x%zz']);
  assert.ok(d.flags.includes('invalid_percent_encoding'));
  const o = get('/a/%c0%ae%c0%ae/b');
  assert.ok(o.flags.includes('invalid_utf8'));
  assert.not.ok(o.segments.includes('..'));
});

test('path: backslash, servlet ;params and ..; are flagged', () => {
  assert.ok(get('/a\\..\\b').flags.includes('backslash'));
  assert.ok(get('/a/%5c..%5cb').flags.includes('backslash'));
  const d = get('/public/..;/admin');
  assert.ok(d.flags.includes('path_params'));
  assert.ok(d.flags.includes('path_traversal'));
  assert.ok(get('/a;jsessionid=1/b').flags.includes('path_params'));
});

test('query and headers: names like __proto__ and constructor are plain own names', () => {
  const d = normalizeHttp({
    method: 'GET', url: '/s?__proto__=1&constructor=2&__proto__=3&toString=4',
    headers: { host: 'h', constructor: 'b' },
  }) as HttpActionOk;
  assert.is('parse_error' in d, false);
  assert.equal(Object.getPrototypeOf(d.query), Object.prototype);
  assert.equal(Object.keys(d.query), ['__proto__', 'constructor', 'toString']);
  assert.equal(d.query['__proto__'], ['1', '3']);
  assert.equal(d.query['constructor'], ['2']);
  assert.is(JSON.stringify(d.query), '{"__proto__":["1","3"],"constructor":["2"],"toString":["4"]}');
  assert.equal(d.headers['constructor'], ['b']);
  const h = normalizeHttp({ method: 'GET', url: '/', headers: [['host', 'h'], ['__proto__', 'x'], ['__proto__', 'y']] }) as HttpActionOk;
  assert.is('parse_error' in h, false);
  assert.equal(Object.getPrototypeOf(h.headers), Object.prototype);
  assert.equal(h.headers['__proto__'], ['x', 'y']);
  assert.ok(JSON.stringify(h.headers).includes('"__proto__":["x","y"]'));
});

test('path: encoded NUL is a parse_error', () => {
  err({ method: 'GET', url: '/a%00.png', headers: { host: 'h' } }, 'nul_byte');
});

test('query: multi-valued, + is space, decoded once, secrets redacted, fragment dropped', () => {
  const d = get('/s?q=a+b&q=c%20d&empty&=v&x=%2541&access_token=abc&password=&__proto__=1#frag');
  assert.equal(d.query['q'], ['a b', 'c d']);
  assert.equal(d.query['empty'], ['']);
  assert.equal(d.query[''], ['v']);
  assert.equal(d.query['x'], ['%41']);
  assert.equal(d.query['access_token'], ['[REDACTED]']);
  assert.equal(d.query['password'], ['']);
  assert.equal(d.query['__proto__'], ['1']);
  assert.ok(d.flags.includes('double_encoding'));
  assert.ok(d.flags.includes('secret_in_query'));
  assert.ok(d.flags.includes('fragment'));
  assert.not.ok(JSON.stringify(d).includes('abc'));
  err({ method: 'GET', url: '/s?a=%00', headers: { host: 'h' } }, 'nul_byte');
});

test('headers: lowercased, arrays in order, trimmed; record or pairs', () => {
  const d = ok({ method: 'GET', url: '/', headers: [['Host', 'h'], ['Accept', ' a/b '], ['X-Tag', 'one'], ['x-tag', 'two']] });
  assert.equal(d.headers['accept'], ['a/b']);
  assert.equal(d.headers['x-tag'], ['one', 'two']);
  const r = ok({ method: 'GET', url: '/', headers: { Host: 'h', 'X-Tag': ['one', 'two'], 'X-None': undefined } });
  assert.equal(r.headers['x-tag'], ['one', 'two']);
  assert.is(r.headers['x-none'], undefined);
});

test('headers: secrets redacted, auth scheme kept, cookie names kept', () => {
  const d = ok({
    method: 'GET', url: '/', headers: {
      host: 'h', authorization: 'Bearer s3cr3t.jwt', 'proxy-authorization': 'Basic dXNlcjpwYXNz',
      cookie: 'sid=s3cr3t; theme=dark', 'x-api-key': 's3cr3t', 'X-Auth-Token': 's3cr3t',
      'x-amz-security-token': 's3cr3t', 'x-custom-secret': 's3cr3t', 'x-private': 's3cr3t', 'x-weird': 's3cr3t',
    },
  }, { redactHeaders: ['X-Weird'] });
  assert.equal(d.headers['authorization'], ['Bearer [REDACTED]']);
  assert.equal(d.headers['proxy-authorization'], ['Basic [REDACTED]']);
  assert.equal(d.headers['cookie'], ['sid=[REDACTED]; theme=[REDACTED]']);
  for (const n of ['x-api-key', 'x-auth-token', 'x-amz-security-token', 'x-custom-secret', 'x-private', 'x-weird']) {
    assert.equal(d.headers[n], ['[REDACTED]'], n);
  }
  assert.not.ok(JSON.stringify(d).includes('s3cr3t'));
  assert.not.ok(JSON.stringify(d).includes('dXNlcjpwYXNz'));
  assert.equal(ok({ method: 'GET', url: '/', headers: { host: 'h', authorization: 'tokenonly' } }).headers['authorization'], ['[REDACTED]']);
});

test('headers: CR/LF injection, NUL, bad names are parse_errors without echoing values', () => {
  err({ method: 'GET', url: '/', headers: { host: 'h', 'x-a': 'v\r\nX-Injected: 1' } }, 'header_injection');
  err({ method: 'GET', url: '/', headers: { host: 'h', 'x-a': 'v\nw' } }, 'header_injection');
  err({ method: 'GET', url: '/', headers: { host: 'h', 'x-a': 'v\0' } }, 'nul_byte');
  err({ method: 'GET', url: '/', headers: { host: 'h', 'x a': 'v' } }, 'invalid_header_name');
  err({ method: 'GET', url: '/', headers: { host: 'h', 'x-a\r\n': 'v' } }, 'header_injection');
  err({ method: 'GET', url: '/', headers: { host: 'h', 'x-a': 'v\x01' } }, 'invalid_header_value');
  const d = norm({ method: 'GET', url: '/', headers: { host: 'h', authorization: 'Bearer s3cr3t\r\n' } });
  assert.not.ok(JSON.stringify(d).includes('s3cr3t'));
  const many: Array<[string, string]> = Array.from({ length: 300 }, (_, i) => [`x-${i}`, 'v']);
  err({ method: 'GET', url: '/', headers: many }, 'too_many_headers');
});

test('headers: duplicates of singletons, CL+TE and method override are flagged', () => {
  assert.ok(ok({ method: 'POST', url: '/', headers: [['host', 'h'], ['content-length', '1'], ['content-length', '2']] }).flags.includes('duplicate_header'));
  assert.ok(ok({ method: 'POST', url: '/', headers: { host: 'h', 'content-length': '3', 'transfer-encoding': 'chunked' } }).flags.includes('ambiguous_length'));
  assert.ok(ok({ method: 'POST', url: '/', headers: { host: 'h', 'x-http-method-override': 'DELETE' } }).flags.includes('method_override'));
  assert.ok(get('/?_method=DELETE').flags.includes('method_override'));
  assert.ok(ok({ method: 'POST', url: '/', headers: { host: 'h', 'content-type': 'application/x-www-form-urlencoded' }, body: '_method=delete' }).flags.includes('method_override'));
  assert.ok(ok({ method: 'POST', url: '/', headers: { host: 'h', 'content-length': '2' }, body: 'abc' }).flags.includes('ambiguous_length'));
  assert.not.ok(ok({ method: 'POST', url: '/', headers: { host: 'h', 'content-length': '3' }, body: 'abc' }).flags.includes('ambiguous_length'));
});

test('URL: bad inputs are parse_errors with a code and position, never throws', () => {
  err({ method: 'GET', url: 'ftp://h/x' }, 'unsupported_scheme');
  err({ method: 'GET', url: 'h.example/x' }, 'invalid_url');
  err({ method: 'GET', url: '' }, 'invalid_url');
  err({ method: 'GET', url: '/a b', headers: { host: 'h' } }, 'invalid_url');
  err({ method: 'GET', url: '/a\0b', headers: { host: 'h' } }, 'nul_byte');
  err({ method: 'GET', url: '/' + 'a'.repeat(9000), headers: { host: 'h' } }, 'url_too_long');
  err({ method: 'GET', url: '/' + 'a'.repeat(100), headers: { host: 'h' } }, 'url_too_long', { maxUrlLength: 50 });
  err({ method: 'GET', url: 'http://h:99999/' }, 'invalid_port');
  err({ method: 'GET', url: 'http://h:8x/' }, 'invalid_port');
  err({ method: 'GET', url: 'http:///x' }, 'invalid_host');
  err({ method: 'GET', url: 'http://a..b/' }, 'invalid_host');
  err({ method: 'GET', url: 'http://a%2eb/' }, 'invalid_host');
  err({ method: 'GET', url: 'http://evil.example\\@good.example/' }, 'invalid_url');
  err({ method: 'G ET', url: '/' }, 'invalid_method');
  err({ method: 'GET\0', url: '/' }, 'nul_byte');
  const d = norm({ method: 'GET', url: '/a\0b', headers: { host: 'h' } });
  assert.ok('parse_error' in d && d.parse_error.position === 2 && d.parse_error.field === 'url');
  const junk = normalizeHttp(null as unknown as HttpRequest);
  assert.ok('parse_error' in junk);
  err({ method: 'GET', url: '/', headers: { host: 'h' } }, 'invalid_options', { scheme: 'gopher' as 'http' });
  const junk2 = normalizeHttp({ method: 'GET', url: 42 } as unknown as HttpRequest);
  assert.ok('parse_error' in junk2);
});

test('URL: userinfo dropped and flagged, never in the document', () => {
  const d = ok({ method: 'GET', url: 'https://admin:hunter2@h.example/' });
  assert.is(d.host, 'h.example');
  assert.ok(d.flags.includes('userinfo'));
  assert.not.ok(JSON.stringify(d).includes('hunter2'));
});

test('host: IPv4 forms canonicalized like a browser would, IPv6 compressed, IDN to punycode', () => {
  for (const h of ['2130706433', '0x7f.1', '0177.0.0.1', '127.1', '0x7F000001']) {
    const d = ok({ method: 'GET', url: `http://${h}/` });
    assert.is(d.host, '127.0.0.1', h);
    assert.is(d.host_type, 'ipv4');
    assert.ok(d.flags.includes('ip_host_noncanonical'), h);
  }
  const plain = ok({ method: 'GET', url: 'http://10.0.0.1:8080/' });
  assert.is(plain.host, '10.0.0.1');
  assert.equal(plain.flags, []);
  err({ method: 'GET', url: 'http://256.1.1.1/' }, 'invalid_host');
  err({ method: 'GET', url: 'http://1.2.3.4.5/' }, 'invalid_host');
  const v6 = ok({ method: 'GET', url: 'http://[0:0:0:0:0:0:0:1]:81/' });
  assert.is(v6.host, '::1');
  assert.is(v6.host_type, 'ipv6');
  assert.is(v6.port, 81);
  err({ method: 'GET', url: 'http://[::g]/' }, 'invalid_host');
  const idn = ok({ method: 'GET', url: 'http://Bücher.example/' });
  assert.is(idn.host, 'xn--bcher-kva.example');
  assert.ok(idn.flags.includes('non_ascii_host'));
});

test('CONNECT and OPTIONS * targets', () => {
  const c = ok({ method: 'CONNECT', url: 'db.internal:5432' });
  assert.is(c.host, 'db.internal');
  assert.is(c.port, 5432);
  assert.is(c.path, '');
  err({ method: 'CONNECT', url: 'db.internal' }, 'invalid_url');
  assert.is(ok({ method: 'OPTIONS', url: '*', headers: { host: 'h' } }).path, '*');
  err({ method: 'GET', url: '*', headers: { host: 'h' } }, 'invalid_url');
});

const post = (body: Uint8Array | string, contentType: string | null, extra: Record<string, string> = {}, opts?: HttpOptions): HttpActionOk =>
  ok({ method: 'POST', url: '/api', headers: { host: 'h', ...(contentType ? { 'content-type': contentType } : {}), ...extra }, body }, opts);

test('body: JSON parsed, secrets in keys redacted, size reported', () => {
  const text = '{"user":"ana","password":"hunter2","nested":{"api_key":"k1","list":[{"token":"t"}]}}';
  const d = post(text, 'application/json; charset=utf-8');
  assert.is(d.body.kind, 'json');
  if (d.body.kind !== 'json') return;
  assert.equal(d.body.json, { user: 'ana', password: '[REDACTED]', nested: { api_key: '[REDACTED]', list: [{ token: '[REDACTED]' }] } });
  assert.is(d.body.size, text.length);
  assert.not.ok(JSON.stringify(d).includes('hunter2'));
  assert.is(post('[1,2]', 'application/vnd.api+json').body.kind, 'json');
  assert.is(post(new TextEncoder().encode('{"a":"é"}'), 'application/json').body.kind, 'json');
});

test('body: invalid JSON, duplicate keys, depth and bad UTF-8 are flagged, not guessed', () => {
  let d = post('{"a":1,}', 'application/json');
  assert.is(d.body.kind, 'invalid');
  assert.ok(d.flags.includes('body_invalid'));
  d = post('{"role":"user","role":"admin"}', 'application/json');
  assert.ok(d.flags.includes('body_duplicate_key'));
  d = post('['.repeat(100) + ']'.repeat(100), 'application/json');
  assert.ok(d.flags.includes('body_too_deep'));
  d = post(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]), 'application/json');
  assert.ok(d.flags.includes('invalid_utf8'));
  d = post('{"a":"\ud800"}', 'application/json');
  assert.ok(d.flags.includes('invalid_utf8'));
  d = post('\ufeff{"a":1}', 'application/json');
  assert.is(d.body.kind, 'invalid');
});

test('body: over the cap is truncated and never parsed', () => {
  const big = JSON.stringify({ pad: 'x'.repeat(70000), password: 'hunter2' });
  const d = post(big, 'application/json');
  assert.equal(d.body, { kind: 'truncated', size: big.length, truncated: true, content_type: 'application/json' });
  assert.ok(d.flags.includes('body_truncated'));
  const small = post('{"a":1}', 'application/json', {}, { bodyCap: 4 });
  assert.is(small.body.kind, 'truncated');
  // The cap counts bytes, not characters.
  assert.is(post('é'.repeat(3), 'application/json', {}, { bodyCap: 5 }).body.kind, 'truncated');
});

test('body: form parsed multi-valued; encoded, other charsets, untyped and other types described only', () => {
  const f = post('a=1+2&a=3&password=pw&b', 'application/x-www-form-urlencoded');
  assert.equal(f.body, { kind: 'form', size: 23, form: { a: ['1 2', '3'], password: ['[REDACTED]'], b: [''] } });
  const gz = post('{"a":1}', 'application/json', { 'content-encoding': 'gzip' });
  assert.equal(gz.body, { kind: 'raw', size: 7, content_type: 'application/json' });
  assert.ok(gz.flags.includes('body_encoded'));
  const cs = post('{"a":1}', 'application/json; charset=utf-16');
  assert.is(cs.body.kind, 'raw');
  assert.ok(cs.flags.includes('body_charset'));
  const un = post('{"a":1}', null);
  assert.equal(un.body, { kind: 'raw', size: 7, content_type: null });
  assert.ok(un.flags.includes('body_untyped'));
  assert.equal(post('hello', 'text/plain').body, { kind: 'raw', size: 5, content_type: 'text/plain' });
  assert.equal(post('', 'application/json').body, { kind: 'none' });
});

const gql = (body: string, ct = 'application/json'): HttpActionOk => post(body, ct);

test('graphql: operation type and name; operationName picks among several', () => {
  let d = gql(JSON.stringify({ query: '{ viewer { login } }' }));
  assert.equal(d.graphql, { operation: 'query', name: null, fields: ['viewer'], fields_complete: true, operations: [{ operation: 'query', name: null }] });
  d = gql(JSON.stringify({ query: 'mutation DeleteRepo($id: ID!) { deleteRepository(input: {id: $id}) { ok } }', variables: { id: 1 } }));
  assert.is(d.graphql?.operation, 'mutation');
  assert.is(d.graphql?.name, 'DeleteRepo');
  assert.equal(d.graphql?.fields, ['deleteRepository']);
  d = gql(JSON.stringify({ query: 'query A { a } mutation B { x: b(arg: "}") @skip(if: false) { c } }', operationName: 'B' }));
  assert.is(d.graphql?.operation, 'mutation');
  assert.is(d.graphql?.name, 'B');
  assert.equal(d.graphql?.fields, ['b']);
  assert.equal(d.flags, []);
  d = gql('subscription OnEvent { event { id } }', 'application/graphql');
  assert.is(d.body.kind, 'graphql');
  assert.is(d.graphql?.operation, 'subscription');
});

test('graphql: ambiguity and syntax errors give operation unknown plus a flag', () => {
  let d = gql(JSON.stringify({ query: 'query A { a } mutation B { b }' }));
  assert.is(d.graphql?.operation, 'unknown');
  assert.ok(d.flags.includes('graphql_ambiguous'));
  assert.equal(d.graphql?.operations, [{ operation: 'query', name: 'A' }, { operation: 'mutation', name: 'B' }]);
  d = gql(JSON.stringify({ query: 'query A { a } mutation A { b }', operationName: 'A' }));
  assert.is(d.graphql?.operation, 'unknown');
  d = gql(JSON.stringify({ query: 'query A { a }', operationName: 'Nope' }));
  assert.is(d.graphql?.operation, 'unknown');
  d = gql(JSON.stringify({ query: 'mutation { a ', operationName: null }));
  assert.is(d.graphql?.operation, 'unknown');
  assert.ok(d.flags.includes('graphql_invalid'));
  d = gql(JSON.stringify({ query: 'type Query { a: Int }' }));
  assert.ok(d.flags.includes('graphql_invalid'));
  d = gql(JSON.stringify({ extensions: { persistedQuery: { sha256Hash: 'abc' } } }));
  assert.is(d.graphql?.operation, 'unknown');
  assert.ok(d.flags.includes('graphql_ambiguous'));
  d = gql(JSON.stringify({ query: 'query { a }', operationName: 5 }));
  assert.is(d.graphql?.operation, 'unknown');
});

test('graphql: strings, comments and block strings do not confuse the scanner', () => {
  const q = '# mutation X { hidden }\nquery Q($s: String = "mutation { x }") { a(s: """ } mutation { """) { b } ...F ... on T { c } }\nfragment F on Query { d }';
  const d = gql(JSON.stringify({ query: q }));
  assert.is(d.graphql?.operation, 'query');
  assert.is(d.graphql?.name, 'Q');
  assert.equal(d.graphql?.fields, ['a']);
  assert.is(d.graphql?.fields_complete, false);
  assert.equal(d.flags, []);
});

test('graphql: batches report every operation, mixed kinds are unknown', () => {
  let d = gql(JSON.stringify([{ query: '{ a }' }, { query: 'mutation { b }' }]));
  assert.ok(d.flags.includes('graphql_batch'));
  assert.is(d.graphql?.operation, 'unknown');
  assert.equal(d.graphql?.fields, ['a', 'b']);
  d = gql(JSON.stringify([{ query: '{ a }' }, { query: '{ b }' }]));
  assert.is(d.graphql?.operation, 'query');
});

test('graphql over GET on a /graphql path', () => {
  const d = get('/api/graphql?query=' + encodeURIComponent('mutation M { drop }'));
  assert.is(d.graphql?.operation, 'mutation');
  assert.is(d.graphql?.name, 'M');
  const two = get('/graphql?query=%7Ba%7D&query=%7Bb%7D');
  assert.is(two.graphql?.operation, 'unknown');
  assert.ok(two.flags.includes('graphql_ambiguous'));
  assert.is(get('/search?query=mutation').graphql, undefined);
});

test('graphql detection can be turned off for upstreams that are not GraphQL', () => {
  const search = post(JSON.stringify({ query: 'red shoes' }), 'application/json');
  assert.is(search.graphql?.operation, 'unknown');
  assert.ok(search.flags.includes('graphql_invalid'));
  const off = post(JSON.stringify({ query: 'red shoes' }), 'application/json', {}, { graphql: false });
  assert.is(off.graphql, undefined);
  assert.equal(off.flags, []);
  assert.is(post('{ a }', 'application/graphql', {}, { graphql: false }).body.kind, 'raw');
  assert.is(ok({ method: 'GET', url: '/graphql?query=%7Ba%7D', headers: { host: 'h' } }, { graphql: false }).graphql, undefined);
});

test('the schema is not vacuous: drifted documents are rejected', () => {
  const good = JSON.parse(JSON.stringify(get('/a'))) as Record<string, unknown>;
  assert.ok(validate(good));
  assert.not.ok(validate({ ...good, extra: 1 }));
  assert.not.ok(validate({ ...good, flags: ['not_a_flag'] }));
  assert.not.ok(validate({ ...good, headers: { 'X-Upper': ['v'] } }));
  assert.not.ok(validate({ ...good, body: { kind: 'truncated', size: 10 } }));
  const { host: _host, ...noHost } = good;
  assert.not.ok(validate(noHost));
  assert.not.ok(validate({ version: 1, kind: 'http', parse_error: { code: 'x', message: 'm' }, flags: [], host: 'h' }));
});

test('the input is not modified', () => {
  const headers = { host: 'h', authorization: 'Bearer x', 'content-type': 'application/json' };
  const req = { method: 'post', url: '/a', headers, body: '{"password":"p"}' };
  const copy = JSON.stringify(req);
  normalizeHttp(req);
  assert.is(JSON.stringify(req), copy);
});

test.run();
