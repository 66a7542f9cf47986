// The HTTP normalizer's fast paths against its general paths, on the same inputs. Each helper
// tries a fast path for plain input (`…Fast`, null when the input is anything but plain) and
// otherwise runs the general code; wherever a fast path answers, its answer (flags included) must be
// exactly the general path's. The generators lean on what the fast paths must decline: escapes,
// dot segments, '//', case, non-ASCII, userinfo, odd IPv4 forms, ports, control characters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { splitTarget, splitTargetFast, splitTargetGeneral } from '../../src/actions/http/target.ts';
import { parseAuthority, parseAuthorityFast, parseAuthorityGeneral } from '../../src/actions/http/host.ts';
import { normalizePathFast, normalizePathGeneral } from '../../src/actions/http/path.ts';
import { parseParamsFast, parseParamsGeneral } from '../../src/actions/http/params.ts';
import { normalizeHeadersFast, normalizeHeadersGeneral } from '../../src/actions/http/headers.ts';
import { isSecretKey } from '../../src/actions/http/secrets.ts';
import { upperMethod } from '../../src/actions/http/index.ts';
import type { HttpFlag, HttpRequest } from '../../src/actions/http/index.ts';

// Equal values, and equal key order too (documents are serialized as they are built).
function same(fast: unknown, general: unknown, input: unknown): void {
  const ok = isDeepStrictEqual(fast, general) && JSON.stringify(fast) === JSON.stringify(general);
  if (!ok) assert.unreachable(`fast path differs for ${JSON.stringify(input)}:\n fast    ${JSON.stringify(fast)}\n general ${JSON.stringify(general)}`);
}

const chars = fc.constantFrom(
  'a', 'b', 'Z', 'x', '0', '1', '2', '5', '9', 'e', 'f', 'F', 'c', '/', '.', '%', ';', '\\', '?', '#', '&', '=', '+', '@', ':',
  '[', ']', '-', '_', '~', ' ', '\t', '\r', '\n', '\u0000', '\u007f', 'é', 'ü', '\u017f', '\u212a', '\ud800', '😀',
);
const text = (max: number): fc.Arbitrary<string> => fc.array(chars, { maxLength: max }).map((c) => c.join(''));

const segment = fc.oneof(
  fc.constantFrom('v1', 'orders', '42', '', '.', '..', '.a', 'a.', '...', '%2e', '%2E%2e', '%2F', '%252e', '%00', '%zz', '%', 'a;b', '..;', 'a\\b', 'é', 'graphql'),
  text(6),
);
const path = fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/'));
const pair = fc.oneof(
  fc.constantFrom('id=7', 'a', '=', '', '==', 'a=1=2', 'password=x', 'password=', 'token=t', 'pwd=1', 'PWD=1', 'sig=2', 'Sig=', 'api_key=k', 'query={a}',
    '_method=PUT', '__proto__=1', '__proto__', 'constructor=2', 'toString=3', 'hasOwnProperty=', 'x%00=1', 'a+b=c', 'a=%2B', 'a=%zz', 'a=%2541'),
  text(8),
);
const query = fc.option(fc.array(pair, { maxLength: 5 }).map((p) => p.join('&')));
const host = fc.oneof(
  fc.constantFrom('api.internal', 'API.internal', 'h.example.', 'a', '-', '_a.-b', '10.0.0.1', '0.0.0.0', '255.255.255.255', '256.1.1.1', '1.2.3.400',
    '010.0.0.1', '00.1.1.1', '1.2.3.04', '1.2.3', '1.2.3.4.5', '1.2.3.4.', '.1.2.3.4', '0x7f.1', '0X7F.0.0.1', '2130706433', '3com.net', 'a.3com',
    'a.0x1', 'a.1', '1.a', '[::1]', '[::FFFF:1.2.3.4]', '[::1', 'a..b', '.a', 'a.', '.', '', 'bü.de', 'xn--bcher-kva.de', 'a%41'),
  fc.array(fc.constantFrom('a', 'z', 'A', '0', '1', '9', '.', '-', '_', 'x', 'é', ':', '[', ']', '@', '%', ' '), { maxLength: 12 }).map((c) => c.join('')),
);
// Mostly what the fast path takes, so that its edges (leading zeros, 256, digit-led names) get hit.
const plainHost = fc.array(fc.constantFrom('a', 'z', '0', '1', '2', '5', '9', '.', '.', '-', '_'), { minLength: 1, maxLength: 12 }).map((c) => c.join(''));
const ipv4Part = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '1', '9', '10', '99', '100', '199', '249', '255') },
  { weight: 1, arbitrary: fc.constantFrom('01', '00', '025', '256', '300', '1000', '0x1', 'a', '') },
);
const ipv4ish = fc.array(ipv4Part, { minLength: 3, maxLength: 5 }).chain((p) => (p.length === 4 ? fc.constant(p) : fc.constantFrom(p, [...p, '1'].slice(0, 4))))
  .map((p) => p.join('.'));
const port = fc.constantFrom('', ':', ':80', ':443', ':1', ':0', ':00080', ':65535', ':65536', ':99999', ':123456', ':8a', ':1:2', '::', ': 1');
const authority = fc.oneof(fc.tuple(fc.oneof(host, plainHost, ipv4ish), port).map(([h, p]) => h + p), text(14));
const url = fc.oneof(
  fc.tuple(path, query, fc.constantFrom('', '#', '#x', '#a?b', '?#', '#?')).map(([p, q, f]) => p + (q === null ? '' : '?' + q) + f),
  fc.tuple(
    fc.constantFrom('http', 'https', 'HTTP', 'Https', 'ws', 'wss', 'ftp', 'h'),
    fc.constantFrom('', '', '', 'u@', 'u:p@', '@'),
    authority,
    fc.oneof(path, fc.constant(''), fc.constant('\\x')),
    query,
    fc.constantFrom('', '#', '#x', '?#'),
  ).map(([s, u, a, p, q, f]) => `${s}://${u}${a}${p}${q === null ? '' : '?' + q}${f}`),
  text(30),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('*', 'h:443', '', '/', '//', 'http://', 'https://', 'http:///', 'http://h?x', 'http://h#x', 'http://h\\x/', 'http://a@b/', 'http:/h'),
);
const method = fc.oneof(
  fc.constantFrom('GET', 'get', 'Get', 'POST', 'CONNECT', 'connect', 'OPTIONS', 'M-SEARCH', '', 'G T', 'GET\0', 'GET\n', 'A'.repeat(32), 'A'.repeat(33), 'é', '!#$%'),
  fc.string({ maxLength: 6 }),
);

const headerName = fc.oneof(
  fc.constantFrom('host', 'Host', 'HOST', ':authority', ':', '::a', '', 'accept', 'Accept', 'authorization', 'Authorization', 'proxy-authorization',
    'cookie', 'set-cookie', 'content-type', 'Content-Type', 'content-length', 'Content-Length', 'transfer-encoding', 'content-encoding',
    'x-http-method-override', 'X-Method-Override', 'x-http-method', 'x-api-key', 'x-auth-token', 'x-session-id', '__proto__', 'constructor',
    'toString', 'bad name', 'a\r\nb', 'a\u0000', 'é', '123', ':path'),
  text(8),
);
const headerValue = fc.oneof(
  fc.constantFrom('api.internal', 'API.internal:8080', 'b.example', '10.0.0.1', 'application/json', 'application/x-www-form-urlencoded', 'Bearer abc',
    'Basic   x', 'bearer', 'sid=1; b=2', 'a=1;Path=/', '', ' ', ' a', 'a ', '\ta', 'a\t', 'a\tb', 'a\r\nb', 'a\u0000', 'a\u007f', 'é', '12', '1x', 'gzip'),
  fc.string({ maxLength: 12 }),
  text(10),
);
const recordValue = fc.oneof(
  { weight: 8, arbitrary: headerValue },
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.array(headerValue, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(1, null, {}) },
);
// A record as Node hands it over; "__proto__" becomes an own property, as a JSON parse would make it.
function record(entries: Array<[string, unknown]>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}
// Plain headers with the names the normalizer reads itself, repeated, to reach every flag.
const plainHeader = fc.tuple(
  fc.constantFrom('host', ':authority', 'content-type', 'content-length', 'Content-Length', 'transfer-encoding', 'content-encoding', 'authorization',
    'x-http-method-override', 'x-http-method', 'x-method-override', 'cookie', 'accept'),
  fc.constantFrom('h', 'H:1', '1', '12', '1x', '', 'application/json', 'Bearer t', 'sid=1; b=2', 'gzip'),
);
const headers: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.tuple(headerName, headerValue), { maxLength: 6 }),
  fc.array(plainHeader, { maxLength: 5 }),
  fc.array(plainHeader, { maxLength: 5 }).map(record),
  fc.array(fc.tuple(headerName, recordValue), { maxLength: 6 }).map(record),
  fc.constantFrom(undefined, null, 'x', 5, [['a']], [['a', 'b', 'c']], ['ab'], [[1, 'x']], [['a', 1]]),
);
const extraSecret = fc.constantFrom<ReadonlySet<string>>(new Set(), new Set(['accept']), new Set(['host', 'content-type', 'content-length']));

const RUNS = 20000;

test('splitTarget: the fast path answers exactly as the general path', () => {
  fc.assert(fc.property(method, url, fc.constantFrom(8, 30, 8192), (m, u, max) => {
    const fast = splitTargetFast(m, u, max);
    if (fast !== null) same(fast, splitTargetGeneral(m, u, max), [m, u, max]);
  }), { numRuns: RUNS });
});

test('parseAuthority: the fast path answers exactly as the general path', () => {
  fc.assert(fc.property(authority, (a) => {
    const fast = parseAuthorityFast(a);
    if (fast !== null) same(fast, parseAuthorityGeneral(a), a);
  }), { numRuns: RUNS });
});

test('normalizePath: the fast path answers exactly as the general path, and raises no flag', () => {
  fc.assert(fc.property(fc.oneof(path, text(20)), (p) => {
    const fast = normalizePathFast(p);
    if (fast === null) return;
    const flags = new Set<HttpFlag>();
    same(fast, normalizePathGeneral(p, flags), p);
    assert.equal([...flags], [], p);
  }), { numRuns: RUNS });
});

test('parseParams: the fast path answers exactly as the general path', () => {
  fc.assert(fc.property(fc.oneof(query.map((q) => q ?? ''), text(20)), (q) => {
    const fast = parseParamsFast(q);
    if (fast !== null) same(fast, parseParamsGeneral(q), q);
  }), { numRuns: RUNS });
});

test('normalizeHeaders: the fast path answers exactly as the general path, flags included', () => {
  fc.assert(fc.property(headers, fc.constantFrom(0, 1, 2, 256), extraSecret, (h, max, extra) => {
    const input = h as HttpRequest['headers'];
    const fastFlags = new Set<HttpFlag>();
    const fast = normalizeHeadersFast(input, max, extra, fastFlags);
    // Declining leaves no trace: the general path starts from scratch.
    if (fast === null) return assert.equal([...fastFlags], [], JSON.stringify(h));
    const flags = new Set<HttpFlag>();
    same(fast, normalizeHeadersGeneral(input, max, extra, flags), h);
    same([...fastFlags], [...flags], h);
  }), { numRuns: RUNS });
});

test('method: the token table answers as the method regex', () => {
  const METHOD = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,32}$/;
  fc.assert(fc.property(fc.oneof(method, text(34)), (m) => {
    assert.is(upperMethod(m), METHOD.test(m) ? m.toUpperCase() : null, JSON.stringify(m));
  }), { numRuns: RUNS });
});

test('isSecretKey: the length shortcut never changes a verdict', () => {
  const SECRET_KEY = /passw|^pwd$|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|signature|session[-_]?id|^auth(orization)?$|^sig$/i;
  const short = fc.array(fc.constantFrom('p', 'w', 'd', 's', 'i', 'g', 'P', 'W', 'D', 'S', 'I', 'G', '\u017f', '\u212a', '-', '_'), { maxLength: 4 }).map((c) => c.join(''));
  fc.assert(fc.property(fc.oneof(short, text(12)), (k) => {
    assert.is(isSecretKey(k), SECRET_KEY.test(k), JSON.stringify(k));
  }), { numRuns: RUNS });
});

// The fast paths must keep answering for everyday requests (else the speed quietly goes), and must
// decline whatever needs decoding, resolving or rejecting.
test('the fast paths take the plain cases and leave the rest', () => {
  const NO = new Set<string>();
  assert.ok(splitTargetFast('GET', 'https://api.internal/v1/orders?id=7', 8192));
  assert.ok(splitTargetFast('GET', '/api/v1/projects/42/issues?state=open&labels=bug', 8192));
  assert.ok(splitTargetFast('POST', 'http://h.example:8080', 8192));
  for (const u of ['HTTPS://h/', 'https://u@h/', 'https://h\\x/', 'ftp://h/', '*', 'a b', '/a\u0000']) assert.is(splitTargetFast('OPTIONS', u, 8192), null, u);
  assert.is(splitTargetFast('CONNECT', 'h:443', 8192), null);

  for (const a of ['api.internal', 'api.internal:8443', '10.0.0.1', '10.0.0.1:80', 'localhost']) assert.ok(parseAuthorityFast(a), a);
  for (const a of ['API.internal', 'h.example.', '010.0.0.1', '0x7f.1', '2130706433', '1.2.3', '256.0.0.1', '[::1]', 'bü.de', 'h:0', 'h:65536', 'a..b', '']) {
    assert.is(parseAuthorityFast(a), null, a);
  }
  assert.equal(parseAuthority('10.0.0.1:8080'), { ok: true, info: { host: '10.0.0.1', host_type: 'ipv4', port: 8080, nonAscii: false, ipNonCanonical: false } });

  for (const p of ['/', '/v1/orders', '/v1/orders/', '/a.b/c-d_e~f']) assert.ok(normalizePathFast(p), p);
  for (const p of ['/a/../b', '/./a', '/a//b', '//a', '/a/%2e%2e/b', '/a%2Fb', '/a;b', '/a\\b', '/.hidden', '*', '']) assert.is(normalizePathFast(p), null, p);

  for (const q of ['', 'id=7', 'a=1&b=2&a=3', 'password=x&flag']) assert.ok(parseParamsFast(q), q);
  for (const q of ['a=%41', 'a=b+c', 'a=\u0000']) assert.is(parseParamsFast(q), null, q);

  for (const h of [{ accept: 'application/json' }, { Host: 'h', Authorization: 'Bearer t' }, [['host', 'h']] as [string, string][], undefined]) {
    assert.ok(normalizeHeadersFast(h, 256, NO, new Set()), JSON.stringify(h));
  }
  for (const h of [{ a: ' x' }, { a: 'x\r\n' }, { 'a b': 'x' }, { a: ['x', 'y'] }, [['a']]]) {
    assert.is(normalizeHeadersFast(h as HttpRequest['headers'], 256, NO, new Set()), null, JSON.stringify(h));
  }

  // The entry points give the same answer either way.
  same(splitTarget('GET', 'https://api.internal/v1/orders?id=7', 8192), splitTargetGeneral('GET', 'https://api.internal/v1/orders?id=7', 8192), 'target');
});

test.run();
