// Host builtins: edge cases beyond the conformance suite, and the never-throw contract.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import { resultJson } from '../../src/policy/builtins/values.ts';
import { globToRegex } from '../../src/policy/builtins/glob.ts';

const call = (name: string, ...args: unknown[]): unknown => {
  const fn = hostBuiltins[name];
  if (fn === undefined) throw new Error(`no host builtin ${name}`);
  const raw = resultJson(fn(...args));
  return raw === undefined ? undefined : JSON.parse(raw);
};
const rawCall = (name: string, ...args: unknown[]): string | undefined => resultJson(hostBuiltins[name]!(...args));

test('regex: Go rules for successive empty matches', () => {
  assert.equal(call('regex.find_n', 'a*', 'baaac', -1), ['', 'aaa', '']);
  assert.equal(call('regex.find_n', '', 'héé', -1), ['', '', '', '']);
  assert.equal(call('regex.split', 'x*', 'axbc'), ['a', 'b', 'c']);
});

test('regex: astral code points are one character', () => {
  assert.equal(call('regex.find_n', '.', 'a😀b', -1), ['a', '😀', 'b']);
  assert.equal(call('regex.match', '^.$', '😀'), true);
});

test('regex.replace: Go template expansion', () => {
  assert.equal(call('regex.replace', 'abc-def', '(?P<w>[a-z]+)', '<${w}|$1|$$|$9>'), '<abc|abc|$|>-<def|def|$|>');
  // `$1x` names group "1x", which does not exist.
  assert.equal(call('regex.replace', 'ab', '(a)', '$1x'), 'b');
  assert.equal(call('regex.replace', 'ab', '(a)', '${1}x'), 'axb');
  assert.equal(call('regex.replace', 'ab', '(a)', '$'), '$b');
});

test('regex: invalid patterns and types are undefined, not errors', () => {
  assert.is(call('regex.match', '(', 'x'), undefined);
  assert.is(call('regex.match', 1, 'x'), undefined);
  assert.is(call('regex.is_valid', 1), false);
  assert.is(call('regex.is_valid', '(?<n>x)'), true);
  assert.is(call('regex.find_n', 'a', 'a', 1.5), undefined);
  // RE2 has no backreferences or lookahead.
  assert.is(call('regex.is_valid', '(a)\\1'), false);
  assert.is(call('regex.is_valid', 'a(?=b)'), false);
});

test('regex: RE2 semantics are linear on pathological patterns', () => {
  const start = performance.now();
  assert.is(call('regex.match', '^(a+)+$', `${'a'.repeat(5000)}b`), false);
  assert.ok(performance.now() - start < 2000);
});

test('regex.find_all_string_submatch_n: unmatched groups are empty strings', () => {
  assert.equal(call('regex.find_all_string_submatch_n', '(a)|(b)', 'ab', -1), [['a', 'a', ''], ['b', '', 'b']]);
  assert.equal(call('regex.find_all_string_submatch_n', '(a)', 'aaa', 2), [['a', 'a'], ['a', 'a']]);
});

test('regex.template_match', () => {
  assert.is(call('regex.template_match', 'urn:{[a-z]+}:x', 'urn:abc:x', '{', '}'), true);
  assert.is(call('regex.template_match', 'urn:{[a-z]+}:x', 'urn:ab1:x', '{', '}'), false);
  // Literal parts are literal, not regex.
  assert.is(call('regex.template_match', 'a.b{.*}', 'axb', '{', '}'), false);
  assert.is(call('regex.template_match', 'a{x', 'a', '{', '}'), undefined);
  assert.is(call('regex.template_match', 'a{x{1,2}}', 'axx', '{', '}'), true);
});

test('regex.globs_match: some non-empty string matches both globs', () => {
  assert.is(call('regex.globs_match', 'a.a.', '.b.b'), true); // abab
  assert.is(call('regex.globs_match', 'a.a.[0-9]+z', '.b.b2359825792*594823z'), true);
  assert.is(call('regex.globs_match', '[a-z]+', '[0-9]*'), false); // only the empty string
  assert.is(call('regex.globs_match', 'a*', 'b*'), false);
  assert.is(call('regex.globs_match', 'a*', 'a'), true);
  assert.is(call('regex.globs_match', 'ab+c', 'a.c'), true);
  assert.is(call('regex.globs_match', 'ab+c', 'ac'), false);
  assert.is(call('regex.globs_match', 'x[a-c]y', 'x[d-f]y'), false);
  assert.is(call('regex.globs_match', 'x[a-cq]y', 'x[d-fq]y'), true);
  assert.is(call('regex.globs_match', '[-a]', '-'), true, '- at the edge of a class is itself');
  assert.is(call('regex.globs_match', 'a\\.b', 'a.b'), true);
  assert.is(call('regex.globs_match', 'a\\.b', 'axb'), false, 'an escaped dot is a dot');
  assert.is(call('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo["bar"]'), false);
  assert.is(call('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo\\[1+\\]'), true);
  assert.is(call('regex.globs_match', '[a-z]+\\[[0-9]+\\]', 'foo[1.]'), false, 'a class is one character');
  assert.is(call('regex.globs_match', 'é.', '.😀'), true, 'code points, not UTF-16 units');
  assert.is(call('regex.globs_match', 'é😀', '.'), false);
});

test('regex.globs_match: a glob that is not well formed is an error', () => {
  for (const bad of ['*a', 'a**', 'a+*', '[a-', '[]', 'a]', 'a\\', '[z-a]', '[a\\']) {
    assert.is(call('regex.globs_match', bad, 'a'), undefined, bad);
    assert.is(call('regex.globs_match', 'a', bad), undefined, bad);
  }
  assert.is(call('regex.globs_match', 1, 'a'), undefined);
});

test('glob: syntax', () => {
  assert.is(call('glob.match', 'a.{b,c.{d,e}}', ['.'], 'a.c.e'), true);
  assert.is(call('glob.match', 'a.{b,c.{d,e}}', ['.'], 'a.c.f'), false);
  assert.is(call('glob.match', '*', ['.'], ''), true);
  assert.is(call('glob.match', '**', ['.'], 'a.b.c'), true);
  assert.is(call('glob.match', 'a,b', null, 'a,b'), true);
  assert.is(call('glob.match', '}', null, '}'), true);
  assert.is(call('glob.match', 'x[.]y', ['.'], 'x.y'), true);
  assert.is(call('glob.match', '*', null, 'line1\nline2'), true);
  assert.is(call('glob.match', 'ü?', null, 'üé'), true);
  assert.is(call('glob.match', 'a*', ['/'], 'a/b'), false);
  assert.is(call('glob.match', '\\', null, '\\'), undefined);
  assert.is(call('glob.match', '[', null, '['), undefined);
  assert.is(call('glob.match', '{a', null, 'a'), undefined);
  assert.is(call('glob.match', 'a', 1, 'a'), undefined);
  assert.is(call('glob.match', 'a', [1], 'a'), undefined);
  // Regex metacharacters in the glob are literals.
  assert.is(call('glob.match', 'a+b(c)$', null, 'a+b(c)$'), true);
  assert.is(globToRegex('*', ['.', ']']), '^[^\\.\\]]*$');
});

test('glob.quote_meta', () => {
  assert.is(call('glob.quote_meta', '*.github.com'), '\\*.github.com');
  assert.is(call('glob.quote_meta', 'a[b]{c}?\\'), 'a\\[b\\]\\{c\\}\\?\\\\');
  const q = call('glob.quote_meta', '{*?[x]}') as string;
  assert.is(call('glob.match', q, null, '{*?[x]}'), true);
});

test('net: IPv6 forms and IPv4-mapped addresses', () => {
  assert.is(call('net.cidr_contains', '::/0', '::1'), true);
  assert.is(call('net.cidr_contains', '2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff'), true);
  assert.is(call('net.cidr_contains', '2001:db8::/32', '2001:db9::'), false);
  assert.is(call('net.cidr_contains', '10.0.0.0/8', '::ffff:10.1.2.3'), true);
  assert.is(call('net.cidr_contains', '::ffff:0:0/96', '1.2.3.4'), true);
  assert.is(call('net.cidr_contains', '10.0.0.0/8', '10.0.0.0/7'), false);
  assert.is(call('net.cidr_contains', '10.0.0.0/8', '010.0.0.1'), undefined);
  assert.is(call('net.cidr_contains', '10.0.0.0/33', '10.0.0.1'), undefined);
  assert.is(call('net.cidr_contains', '1:2:3:4:5:6:7:8:9/64', '::1'), undefined);
  assert.is(call('net.cidr_contains', '1::2::3/64', '::1'), undefined);
  assert.is(call('net.cidr_is_valid', '192.168.1.7/24'), true);
  assert.is(call('net.cidr_is_valid', '192.168.1.7'), false);
  assert.is(call('net.cidr_is_valid', 7), false);
});

test('net.cidr_merge', () => {
  assert.equal(call('net.cidr_merge', ['10.0.0.0/25', '10.0.0.128/25', '10.0.1.0/24']), ['10.0.0.0/23']);
  assert.equal(call('net.cidr_merge', ['10.0.0.0/8', '10.1.0.0/16']), ['10.0.0.0/8']);
  assert.equal(call('net.cidr_merge', ['2001:db8::/33', '2001:db8:8000::/33', '10.0.0.0/9', '10.128.0.0/9']), ['10.0.0.0/8', '2001:db8::/32']);
  assert.equal(call('net.cidr_merge', []), []);
  assert.is(call('net.cidr_merge', ['::1']), undefined);
});

test('time: parsing and civil fields', () => {
  assert.is(rawCall('time.parse_rfc3339_ns', '2020-01-01T00:00:00.123456789Z'), '1577836800123456789');
  assert.is(call('time.parse_rfc3339_ns', '1970-01-01T01:00:00+01:00'), 0);
  assert.is(call('time.parse_rfc3339_ns', '2021-02-29T00:00:00Z'), undefined);
  assert.is(call('time.parse_rfc3339_ns', '2021-01-01 00:00:00Z'), undefined);
  assert.equal(call('time.date', 0), [1970, 1, 1]);
  assert.equal(call('time.date', -1), [1969, 12, 31]);
  assert.equal(call('time.clock', -1), [23, 59, 59]);
  assert.equal(call('time.clock', [0, 'Asia/Kolkata']), [5, 30, 0]);
  assert.is(call('time.date', [0, 'Not/AZone']), undefined);
  assert.is(call('time.weekday', 0), 'Thursday');
  assert.is(call('time.date', 1e19), undefined);
});

test('time.add_date normalizes like Go', () => {
  const jan31 = call('time.parse_rfc3339_ns', '2021-01-31T10:00:00Z') as number;
  const mar3 = call('time.parse_rfc3339_ns', '2021-03-03T10:00:00Z') as number;
  assert.is(call('time.add_date', jan31, 0, 1, 0), mar3);
});

test('time.parse_duration_ns', () => {
  assert.is(call('time.parse_duration_ns', '1h30m'), 5_400_000_000_000);
  assert.is(call('time.parse_duration_ns', '-1.5s'), -1_500_000_000);
  assert.is(call('time.parse_duration_ns', '2µs'), 2000);
  assert.is(call('time.parse_duration_ns', '0'), 0);
  assert.is(call('time.parse_duration_ns', '10'), undefined);
  assert.is(call('time.parse_duration_ns', ''), undefined);
  assert.is(call('time.parse_duration_ns', '1d'), undefined);
});

test('time.now_ns: one reading per synchronous evaluation', async () => {
  const a = rawCall('time.now_ns');
  const spin = Date.now();
  while (Date.now() - spin < 3);
  assert.is(rawCall('time.now_ns'), a);
  await new Promise((r) => setTimeout(r, 5));
  assert.is.not(rawCall('time.now_ns'), a);
});

test('time.format: Go layouts and layout names', () => {
  const t = 1670006453141000000;
  assert.is(call('time.format', t), '2022-12-02T18:40:53.141Z');
  assert.is(call('time.format', [t, 'Asia/Kolkata']), '2022-12-03T00:10:53.141+05:30');
  assert.is(call('time.format', [t, 'Asia/Kolkata', 'Mon Jan 02 15:04:05 -0700 2006']), 'Sat Dec 03 00:10:53 +0530 2022');
  assert.is(call('time.format', [t, 'Asia/Kolkata', 'RFC1123Z']), 'Sat, 03 Dec 2022 00:10:53 +0530');
  assert.is(call('time.format', [t, 'America/New_York', 'RFC1123']), 'Fri, 02 Dec 2022 13:40:53 EST');
  assert.is(call('time.format', [t, 'UTC', 'Kitchen']), '6:40PM');
  assert.is(call('time.format', [t, 'UTC', 'StampMilli']), 'Dec  2 18:40:53.141');
  assert.is(call('time.format', [0, 'UTC', '2006-01-02T15:04:05.000Z07:00 002']), '1970-01-01T00:00:00.000Z 001');
  assert.is(call('time.format', 1.58e22), undefined);
  assert.is(call('time.format', [0, 'Nowhere/City']), undefined);
});

test('uuid.parse', () => {
  assert.equal(call('uuid.parse', '{00000000-0000-4000-8000-000000000000}'), { version: 4, variant: 'RFC4122' });
  assert.equal(call('uuid.parse', '6bea8ef2d3d33cd184e09bab06a52ece'), { version: 3, variant: 'RFC4122' });
  assert.is(rawCall('uuid.parse', 'urn:uuid:000003e8-48b9-21ee-b200-325096b39f47'),
    '{"version":2,"variant":"RFC4122","clocksequence":12800,"nodeid":"32-50-96-b3-9f-47","macvariables":"local:unicast","domain":"Person","id":1000,"time":1693566990121469600}');
  assert.is(call('uuid.parse', '00000000-0000-4000-8000-00000000000'), undefined);
  assert.is(call('uuid.parse', 7), undefined);
});

test('uuid.rfc4122: stable per key within an evaluation', async () => {
  const a = call('uuid.rfc4122', 'k') as string;
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.is(call('uuid.rfc4122', 'k'), a);
  assert.is.not(call('uuid.rfc4122', 'other'), a);
  await Promise.resolve();
  await new Promise((r) => setTimeout(r, 0));
  assert.is.not(call('uuid.rfc4122', 'k'), a);
});

test('crypto', () => {
  assert.is(call('crypto.sha256', ''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  assert.is(call('crypto.md5', 'abc'), '900150983cd24fb0d6963f7d28e17f72');
  assert.is(call('crypto.hmac.sha256', 'data', 'key'), '5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0');
  assert.is(call('crypto.hmac.equal', 'abc', 'abc'), true);
  assert.is(call('crypto.hmac.equal', 'abc', 'abd'), false);
  assert.is(call('crypto.hmac.equal', 'abc', 'ab'), false);
  assert.is(call('crypto.sha1', 1), undefined);
});

test('encoding: strict decoders', () => {
  assert.is(call('base64.decode', 'aGVsbG8'), undefined);
  assert.is(call('base64.decode', 'aGV*bG8='), undefined);
  assert.is(call('base64.is_valid', 'aGVsbG8'), false);
  assert.is(call('base64url.decode', 'aGk_'), 'hi?');
  assert.is(call('base64url.encode', 'subjects?_d'), 'c3ViamVjdHM_X2Q=');
  assert.is(call('hex.decode', 'abc'), undefined);
  assert.is(call('hex.encode', 'é'), 'c3a9');
  assert.is(call('urlquery.encode', 'a b/é~'), 'a+b%2F%C3%A9~');
  assert.is(call('urlquery.decode', 'a+b%2F%C3%A9'), 'a b/é');
  assert.is(call('urlquery.decode', '%zz'), undefined);
  assert.is(call('urlquery.encode_object', { b: ['2', '1'], a: 'x y' }), 'a=x+y&b=2&b=1');
  assert.is(call('urlquery.encode_object', { a: 1 }), undefined);
  assert.equal(call('urlquery.decode_object', 'a=1&__proto__=2&a=3'), JSON.parse('{"a":["1","3"],"__proto__":["2"]}'));
  assert.is(call('urlquery.decode_object', 'a=1;b=2'), undefined);
});

test('units: exact results', () => {
  assert.is(rawCall('units.parse_bytes', '10EiB'), '11529215046068469760');
  assert.is(rawCall('units.parse', '1.5Ei'), '1729382256910270464');
  assert.is(call('units.parse', '250m'), 0.25);
  assert.is(call('units.parse', '1Q'), undefined);
  assert.is(call('units.parse_bytes', '1.9'), 1);
  assert.is(call('units.parse_bytes', 5), undefined);
});

test('semver', () => {
  assert.is(call('semver.compare', '1.0.0-alpha.1', '1.0.0-alpha.beta'), -1);
  assert.is(call('semver.compare', '1.0.0-beta.11', '1.0.0-beta.2'), 1);
  assert.is(call('semver.compare', '1.0.0+build.1', '1.0.0+build.2'), 0);
  assert.is(call('semver.compare', '10.0.0', '9.99.99'), 1);
  assert.is(call('semver.compare', 'v1.0.0', '1.0.0'), undefined);
  assert.is(call('semver.is_valid', '01.0.0'), false);
  assert.is(call('semver.is_valid', '1.0.0-01'), false);
  assert.is(call('semver.is_valid', null), false);
});

test('io.jwt.decode', () => {
  const b64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'alice', n: 1 })}.${Buffer.from([1, 2, 255]).toString('base64url')}`;
  assert.equal(call('io.jwt.decode', token), [{ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', n: 1 }, '0102ff']);
  assert.is(call('io.jwt.decode', 'a.b'), undefined);
  assert.is(call('io.jwt.decode', `${b64({ alg: 'x' })}.bm90IGpzb24.`), undefined);
  const nested = `${b64({ alg: 'HS256', cty: 'JWT' })}.${Buffer.from(token).toString('base64url')}.AA`;
  assert.equal(call('io.jwt.decode', nested), [{ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', n: 1 }, '0102ff']);
  // The inner token may also be carried as a JSON string.
  const quoted = `${b64({ alg: 'HS256', cty: 'JWT' })}.${b64(token)}.AA`;
  assert.equal(call('io.jwt.decode', quoted), [{ alg: 'HS256', typ: 'JWT' }, { sub: 'alice', n: 1 }, '0102ff']);
});

test('every host builtin survives hostile arguments without throwing', () => {
  const hostile: unknown[] = [undefined, null, true, -1, 1e300, NaN, '', '((', '\ud800', [], [null], {}, { a: [1] }];
  for (const [name, fn] of Object.entries(hostBuiltins)) {
    for (const a of hostile) {
      for (const b of hostile.slice(0, 6)) {
        const r = fn(a, b, a, b);
        if (r !== undefined && !(r instanceof ArrayBuffer)) JSON.stringify(r);
      }
    }
    assert.ok(name.length > 0);
  }
});

test.run();
