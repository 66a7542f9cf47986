// uri.*, net.cidr_expand, providers.aws.sign_req, graph.*, http.send, json.patch,
// json.match_schema / verify_schema, crypto.x509.* and crypto.parse_private_keys.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';

const call = (name: string, ...args: unknown[]): unknown => hostBuiltins[name]!(...args);

test('uri.parse: Go net/url rules', () => {
  assert.equal(call('uri.parse', 'HTTPS://u:p@[::1]:8443/a%2Fb/c%21?x=1&y#frag%20x'), {
    scheme: 'https', hostname: '::1', port: '8443', path: '/a/b/c!', raw_path: '/a%2Fb/c%21', raw_query: 'x=1&y', fragment: 'frag x',
  });
  assert.equal(call('uri.parse', 'https://example.com/a%21b'), { scheme: 'https', hostname: 'example.com', path: '/a!b', raw_path: '/a!b' });
  assert.equal(call('uri.parse', 'urn:isbn:123'), { scheme: 'urn' });
  assert.equal(call('uri.parse', '/relative/path?q'), { path: '/relative/path', raw_path: '/relative/path', raw_query: 'q' });
  assert.equal(call('uri.parse', ''), {});
  for (const bad of ['http://exa%6dple.com/', 'http://a<b@example.com/', 'http://example.com:8x/', 'http://[::1', 'a:b/c'.replace('a', '1a'), 'http://x/%zz', 'http://x/\n']) {
    assert.is(call('uri.parse', bad), undefined, bad);
    assert.is(call('uri.is_valid', bad), false, bad);
  }
  assert.is(call('uri.is_valid', 'http://foo]bar/'), true);
  assert.is(call('uri.is_valid', ''), false);
  assert.is(call('uri.parse', 7), undefined);
});

test('net.cidr_expand', () => {
  assert.equal(call('net.cidr_expand', '10.0.0.5/31'), ['10.0.0.4', '10.0.0.5']);
  assert.equal(call('net.cidr_expand', '2001:db8::/127'), ['2001:db8::', '2001:db8::1']);
  assert.equal(call('net.cidr_expand', '10.0.0.1/32'), ['10.0.0.1']);
  assert.is(call('net.cidr_expand', '10.0.0.0/33'), undefined);
  assert.is(call('net.cidr_expand', '10.0.0.0/8'), undefined); // over the size limit
  assert.is(call('net.cidr_expand', '10.0.0.1'), undefined);
});

test('net.cidr_contains_matches: keys by argument shape', () => {
  assert.equal(call('net.cidr_contains_matches', { k1: '1.1.1.1/24', k2: ['1.1.1.2/24', 1] }, '1.1.1.128'), [['k1', '1.1.1.128'], ['k2', '1.1.1.128']]);
  assert.equal(call('net.cidr_contains_matches', ['10.0.0.0/8', '192.168.0.0/16'], ['10.1.2.3', '192.168.1.0/24', '8.8.8.8']), [[0, 0], [1, 1]]);
  assert.equal(call('net.cidr_contains_matches', 'fd00::/8', ['fd00::1', '::1']), [['fd00::/8', 0]]);
  assert.is(call('net.cidr_contains_matches', ['1.1.1.0/24'], ['1.1.1.1', 1]), undefined);
  assert.is(call('net.cidr_contains_matches', ['1.1.1.0/24'], [[]]), undefined);
  assert.is(call('net.cidr_contains_matches', ['1.1.1.1'], ['1.1.1.1']), undefined); // the first operand holds networks
});

test('providers.aws.sign_req: SigV4 as OPA computes it', () => {
  const cfg = { aws_access_key: 'MYAWSACCESSKEYGOESHERE', aws_secret_access_key: 'MYAWSSECRETACCESSKEYGOESHERE', aws_service: 's3', aws_region: 'us-east-1' };
  const signed = call('providers.aws.sign_req', { method: 'get', url: 'http://example.com', headers: { foo: 'bar' } }, cfg, 1451311705000000000) as Record<string, Record<string, string>>;
  assert.equal(signed.headers, {
    foo: 'bar', host: 'example.com', 'x-amz-date': '20151228T140825Z',
    'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    Authorization: 'AWS4-HMAC-SHA256 Credential=MYAWSACCESSKEYGOESHERE/20151228/us-east-1/s3/aws4_request,SignedHeaders=foo;host;x-amz-content-sha256;x-amz-date,Signature=8f1dc7c9b9978356a0d0989fd26a95307f4f8a4aa264d8220647b7097d839952',
  });
  const body = call('providers.aws.sign_req', { method: 'get', url: 'http://example.com', body: { example: [1, 2, 3, 4] } }, cfg, 1451311705000000000) as Record<string, Record<string, string>>;
  assert.ok(body.headers.Authorization!.endsWith('Signature=5fb06ab1cfd74c8fcb3af95b8cce696708cf6155d971dac10f254d79799c6e88'));
  const unsigned = call('providers.aws.sign_req', { method: 'get', url: 'https://example.com', headers: { foo: 'bar' } }, { ...cfg, disable_payload_signing: true }, 1451311705000000000) as Record<string, Record<string, string>>;
  assert.is(unsigned.headers['x-amz-content-sha256'], 'UNSIGNED-PAYLOAD');
  assert.ok(unsigned.headers.Authorization!.endsWith('Signature=c6e6db654e92172f71e18c714c123711de069ac6fd7df1348e5b28fd05532028'));
  assert.is(call('providers.aws.sign_req', {}, cfg, 0), undefined);
  assert.is(call('providers.aws.sign_req', { method: 'get', url: 'http://x' }, { example: 1 }, 0), undefined);
  assert.is(call('providers.aws.sign_req', { method: 'get', url: 'http://x' }, cfg, -1e9), undefined);
  assert.is(call('providers.aws.sign_req', { method: 'get', url: 'http://x' }, { ...cfg, disable_payload_signing: 'false' }, 0), undefined);
});

test('graph.reachable and graph.reachable_paths', () => {
  const g = { a: ['b', 'c'], b: ['c'], c: [], d: null, e: ['f'], f: ['e'], x: ['nowhere'] };
  assert.equal(call('graph.reachable', g, ['a']), ['a', 'b', 'c']);
  assert.equal(call('graph.reachable', g, ['e', 'zz']), ['e', 'f']);
  assert.equal(call('graph.reachable', {}, ['a']), []);
  assert.equal(call('graph.reachable_paths', g, ['a']), [['a', 'b', 'c'], ['a', 'c']]);
  assert.equal(call('graph.reachable_paths', g, ['e', 'd', 'x']), [['d'], ['e', 'f'], ['x']]);
  assert.is(call('graph.reachable', 1, ['a']), undefined);
  assert.is(call('graph.reachable', { a: 'b' }, ['a']), undefined);
  assert.is(call('graph.reachable_paths', { a: [] }, 'a'), undefined);
});

test('http.send never reaches the network', () => {
  assert.is(call('http.send', { method: 'get', url: 'http://127.0.0.1:1/' }), undefined);
});

test('json.patch: RFC 6902 operations and OPA path forms', () => {
  const doc = { a: { b: [1, 2] }, c: 'x' };
  assert.equal(call('json.patch', doc, [{ op: 'add', path: '/a/b/-', value: 3 }, { op: 'remove', path: 'c' }]), { a: { b: [1, 2, 3] } });
  assert.equal(call('json.patch', doc, [{ op: 'replace', path: ['a', 'b', 0], value: 9 }]), { a: { b: [9, 2] }, c: 'x' });
  assert.equal(call('json.patch', doc, [{ op: 'move', from: '/c', path: '/a/d' }]), { a: { b: [1, 2], d: 'x' } });
  assert.equal(call('json.patch', doc, [{ op: 'copy', from: '/a/b', path: '/e' }]), { a: { b: [1, 2] }, c: 'x', e: [1, 2] });
  assert.equal(call('json.patch', doc, [{ op: 'test', path: '/c', value: 'x' }]), doc);
  assert.equal(call('json.patch', { 'a/b': 1, '~': 2 }, [{ op: 'remove', path: '/a~1b' }, { op: 'remove', path: '/~0' }]), {});
  assert.equal(call('json.patch', doc, [{ op: 'add', path: '', value: 1 }]), 1);
  assert.equal(doc, { a: { b: [1, 2] }, c: 'x' }); // the input is not modified
  for (const bad of [
    [{ op: 'test', path: '/c', value: 'y' }], [{ op: 'remove', path: '/nope' }], [{ op: 'add', path: '/a/b/5', value: 0 }],
    [{ op: 'add', path: 'a/b/1.2', value: 0 }], [{ op: 'frob', path: '/c' }], [{ op: 'add', path: '/c' }], [{ op: 'move', path: '/c' }],
  ]) assert.is(call('json.patch', doc, bad), undefined, JSON.stringify(bad));
  // Sets (arriving as arrays) are addressed by member.
  assert.equal(call('json.patch', { s: ['a', 'b'] }, [{ op: 'remove', path: 's/a' }, { op: 'add', path: 's/c', value: 'c' }]), { s: ['b', 'c'] });
  assert.is(call('json.patch', { s: ['a'] }, [{ op: 'add', path: 's/c', value: 'd' }]), undefined);
});

test('json.match_schema / verify_schema', () => {
  const schema = { properties: { id: { type: 'integer' }, tags: { type: 'array', maxItems: 1 } }, required: ['id', 'name'] };
  assert.equal(call('json.match_schema', { id: 5, name: 'n' }, schema), [true, []]);
  assert.equal(call('json.match_schema', '{"id": 5, "name": "n"}', JSON.stringify(schema)), [true, []]);
  assert.equal(call('json.match_schema', { id: 'foo', tags: [1, 2] }, schema), [false, [
    { error: '(root): name is required', type: 'required', field: '(root)', desc: 'name is required' },
    { error: 'id: Invalid type. Expected: integer, given: string', type: 'invalid_type', field: 'id', desc: 'Invalid type. Expected: integer, given: string' },
    { error: 'tags: Array must have at most 1 items', type: 'array_max_items', field: 'tags', desc: 'Array must have at most 1 items' },
  ]]);
  assert.is(call('json.match_schema', {}, { type: 'unknown' }), undefined);
  assert.equal(call('json.verify_schema', schema), [true, null]);
  const bad = call('json.verify_schema', { type: 'unknown' }) as unknown[];
  assert.is(bad[0], false);
  assert.type(bad[1], 'string');
});

/** A throwaway CA → leaf chain made with the openssl CLI, or undefined when it is unavailable. */
function opensslChain(): { root: string; leaf: string; leafKey: string; csr: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'x509-'));
  try {
    const run = (...args: string[]): void => {
      execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    };
    run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/O=Test/CN=Test Root', '-addext', 'basicConstraints=critical,CA:TRUE');
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=leaf.test');
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:leaf.test,URI:spiffe://t/x,IP:10.0.0.1,email:a@b.c\n');
    run('x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'leaf.pem', '-days', '1', '-extfile', 'ext.cnf');
    const read = (f: string): string => readFileSync(join(dir, f), 'utf8');
    return { root: read('ca.pem'), leaf: read('leaf.pem'), leafKey: read('leaf.key'), csr: read('leaf.csr') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('crypto.x509: certificates, chains, requests, key pairs', () => {
  const chain = opensslChain();
  if (chain === undefined) {
    console.log('skipping x509 chain checks: openssl is unavailable');
    return;
  }
  const certs = call('crypto.x509.parse_certificates', chain.leaf + chain.root) as Array<Record<string, unknown>>;
  assert.is(certs.length, 2);
  const leaf = certs[0]!;
  assert.is((leaf.Subject as Record<string, unknown>).CommonName, 'leaf.test');
  assert.equal((certs[1]!.Subject as Record<string, unknown>).Organization, ['Test']);
  assert.equal(leaf.DNSNames, ['leaf.test']);
  assert.equal(leaf.URIStrings, ['spiffe://t/x']);
  assert.equal(leaf.IPAddresses, ['10.0.0.1']);
  assert.equal(leaf.EmailAddresses, ['a@b.c']);
  assert.is(leaf.IsCA, false);
  assert.is(certs[1]!.IsCA, true);
  assert.is(leaf.Version, 3);
  // Base64 of PEM and base64 of concatenated DER work too.
  assert.is((call('crypto.x509.parse_certificates', Buffer.from(chain.leaf).toString('base64')) as unknown[]).length, 1);
  const der = Buffer.concat([Buffer.from(leaf.Raw as string, 'base64'), Buffer.from(certs[1]!.Raw as string, 'base64')]);
  assert.is((call('crypto.x509.parse_certificates', der.toString('base64')) as unknown[]).length, 2);
  // parse_and_verify takes the root first and answers the chain leaf first.
  const verified = call('crypto.x509.parse_and_verify_certificates', chain.root + chain.leaf) as [boolean, Array<Record<string, unknown>>];
  assert.is(verified[0], true);
  assert.equal(verified[1].map((c) => (c.Subject as Record<string, unknown>).CommonName), ['leaf.test', 'Test Root']);
  assert.equal(call('crypto.x509.parse_and_verify_certificates', chain.leaf + chain.root), [false, []]);
  const csr = call('crypto.x509.parse_certificate_request', chain.csr) as Record<string, unknown>;
  assert.is((csr.Subject as Record<string, unknown>).CommonName, 'leaf.test');
  const pair = call('crypto.x509.parse_keypair', chain.leaf, chain.leafKey) as Record<string, unknown>;
  assert.equal(pair.Certificate, [leaf.Raw]);
  assert.is(call('crypto.x509.parse_keypair', chain.root, chain.leafKey), undefined); // key does not match
});

test('crypto.x509 / parse_private_keys: input errors and keys', () => {
  assert.is(call('crypto.x509.parse_certificates', 'foobar'), undefined);
  assert.is(call('crypto.x509.parse_certificates', 'YmFkc3RyaW5n'), undefined);
  assert.is(call('crypto.x509.parse_certificate_request', 'YmFkc3RyaW5n'), undefined);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs1 = rsa.privateKey.export({ format: 'pem', type: 'pkcs1' }).toString();
  const jwk = call('crypto.x509.parse_rsa_private_key', pkcs1) as Record<string, unknown>;
  assert.equal(jwk, rsa.privateKey.export({ format: 'jwk' }));
  assert.equal(call('crypto.x509.parse_rsa_private_key', Buffer.from(pkcs1).toString('base64')), jwk);
  assert.is(call('crypto.x509.parse_rsa_private_key', ec.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()), undefined);
  assert.is(call('crypto.x509.parse_rsa_private_key', 'invalid'), undefined);
  const both = pkcs1 + ec.privateKey.export({ format: 'pem', type: 'sec1' }).toString();
  assert.is((call('crypto.parse_private_keys', both) as unknown[]).length, 2);
  assert.equal(call('crypto.parse_private_keys', 'nope'), []);
  assert.is(call('crypto.parse_private_keys', ''), null);
});

test.run();
