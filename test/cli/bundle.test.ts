import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { BundleError, computeRoots, readBundle, readTar, writeBundle, writeTar } from '../../src/policy/bundle.ts';

const hasTar = spawnSync('tar', ['--version']).status === 0;
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('tar round trip, including sizes on block boundaries and long names', () => {
  const long = `${'d'.repeat(120)}/${'f'.repeat(90)}.rego`;
  const entries = [
    { name: '/a', data: new Uint8Array(0) },
    { name: '/b', data: new Uint8Array(512).fill(7) },
    { name: '/c', data: new Uint8Array(513).fill(9) },
    { name: long, data: bytes('package x') },
  ];
  const back = readTar(writeTar(entries));
  assert.equal(back.map((e) => e.name), entries.map((e) => e.name));
  assert.equal(back.map((e) => e.data.length), [0, 512, 513, 9]);
  assert.ok(back[2]!.data.every((b) => b === 9));
});

test('readTar refuses corrupt headers, truncation and links', () => {
  const t = writeTar([{ name: 'x', data: bytes('hello') }]);
  const bad = t.slice();
  bad[0] = 0x41;
  assert.throws(() => readTar(bad), /checksum mismatch/);
  assert.throws(() => readTar(t.subarray(0, 512)), /truncated|end-of-archive/);
  const link = t.slice();
  link[156] = 0x32; // '2': symlink; fix the checksum so only the type is wrong
  link.fill(0x20, 148, 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += link[i]!;
  link.set(new TextEncoder().encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
  assert.throws(() => readTar(link), /unsupported tar entry type/);
});

test('bundle round trip: manifest, data, wasm; deterministic bytes', () => {
  const wasm = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
  const o = { wasm, entrypoints: ['gate/decision', 'gate/allow'], data: { t: [1] }, roots: ['gate', 't'], revision: 'r1' };
  const gz = writeBundle(o);
  assert.equal(Buffer.from(writeBundle(o)), Buffer.from(gz));
  const b = readBundle(gz);
  assert.equal(b.manifest, {
    revision: 'r1',
    roots: ['gate', 't'],
    wasm: [{ entrypoint: 'gate/decision', module: '/policy.wasm' }, { entrypoint: 'gate/allow', module: '/policy.wasm' }],
  });
  assert.equal(b.data, { t: [1] });
  assert.equal([...b.wasm], [...wasm]);
});

test('readBundle errors carry a code', () => {
  assert.throws(() => readBundle(bytes('not gzip')), (e: Error) => e instanceof BundleError && e.code === 'bundle_format_error');
  const noManifest = gzipSync(writeTar([{ name: '/data.json', data: bytes('{}') }]));
  assert.throws(() => readBundle(noManifest), /no \.manifest/);
  const noWasm = gzipSync(writeTar([{ name: '/.manifest', data: bytes('{"wasm":[{"entrypoint":"a/b","module":"/policy.wasm"}]}') }]));
  assert.throws(() => readBundle(noWasm), /no policy\.wasm/);
  const big = writeBundle({ wasm: new Uint8Array(4096), entrypoints: [], roots: [''] });
  assert.throws(() => readBundle(big, { maxBytes: 1000 }), (e: Error) => e instanceof BundleError);
});

test('computeRoots: minimal covering prefixes', () => {
  assert.equal(computeRoots([['a', 'b'], ['a', 'b', 'c'], ['x']], { y: 1, a: 2 }), ['a', 'x', 'y']);
  assert.equal(computeRoots([['a', 'b'], ['a', 'bc']], {}), ['a/b', 'a/bc']);
});

test('system tar reads our archives and we read its archives', () => {
  if (!hasTar) {
    console.log('skip: no tar on PATH');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pc-tar-'));
  try {
    const gz = writeBundle({ wasm: bytes('WASM'), entrypoints: ['p/q'], data: { k: 'v' }, roots: ['p', 'k'], sources: [{ path: 'p/q.rego', text: 'package p' }] });
    writeFileSync(join(dir, 'b.tar.gz'), gz);
    const list = spawnSync('tar', ['-tzf', join(dir, 'b.tar.gz')], { encoding: 'utf8' });
    assert.is(list.status, 0, list.stderr);
    assert.equal(list.stdout.trim().split('\n').map((l) => l.replace(/^\//, '')), ['.manifest', 'data.json', 'policy.wasm', 'p/q.rego']);
    mkdirSync(join(dir, 'src', 'sub'), { recursive: true });
    writeFileSync(join(dir, 'src', '.manifest'), '{"revision":"x","roots":[""],"wasm":[{"entrypoint":"p/q","module":"/policy.wasm"}]}');
    writeFileSync(join(dir, 'src', 'policy.wasm'), 'W');
    writeFileSync(join(dir, 'src', 'sub', 'data.json'), '{"n": 1}');
    const made = spawnSync('tar', ['-czf', join(dir, 'o.tar.gz'), '-C', join(dir, 'src'), '.'], { encoding: 'utf8' });
    assert.is(made.status, 0, made.stderr);
    const b = readBundle(readFileSync(join(dir, 'o.tar.gz')));
    assert.is(b.manifest.revision, 'x');
    assert.is(new TextDecoder().decode(b.wasm), 'W');
    assert.equal(b.data, { sub: { n: 1 } }, 'nested data.json lands at its directory path');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
