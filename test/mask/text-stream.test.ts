import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { createTextMasker, maskText, MaskError, DETECTOR_NAMES } from '../../src/mask/index.ts';
import { POSITIVES, BEARERS, JWT_HS256 } from './secrets.ts';

const ALL = [{ target: { kind: 'detector', detector: 'all' }, strategy: { kind: 'redact' } }];

function stream(chunks: readonly string[], masks: unknown = ALL): string {
  const m = createTextMasker(masks);
  let out = '';
  for (const c of chunks) out += m.push(c);
  return out + m.end();
}

function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const parts: string[] = [];
  let at = 0;
  for (const p of points) { parts.push(text.slice(at, p)); at = p; }
  parts.push(text.slice(at));
  return parts;
}

const LABELLED: ReadonlyArray<[string, string]> = [...POSITIVES, ...BEARERS.map(([p, t]): [string, string] => ['bearer_token', `${p}${t}`])];
const SECRETS: string[] = LABELLED.map(([, s]) => s);
const only = (detector: string): unknown => [{ target: { kind: 'detector', detector }, strategy: { kind: 'redact' } }];

// Each secret alone under its own detector (so no other detector's holding hides a gap) and under all.
test('each secret split at every position (two and three chunks) is masked as in one piece', () => {
  for (const [det, secret] of LABELLED) {
    for (const masks of [only(det), ALL]) {
      const text = `log line 7: ${secret}\nnext 42`;
      const whole = maskText(text, masks).text;
      const token = det === 'bearer_token' ? secret.slice(-12) : secret;
      assert.not.ok(whole.includes(token), `one-shot leaked ${JSON.stringify(secret)}`);
      const start = text.indexOf(secret);
      for (let i = start; i <= start + secret.length; i++) {
        assert.is(stream([text.slice(0, i), text.slice(i)], masks), whole, `split at ${i - start} of ${JSON.stringify(secret)}`);
        assert.is(stream([text.slice(0, i), text.slice(i, i + 1), text.slice(i + 1)], masks), whole);
      }
    }
  }
});

test('each secret streamed one character at a time', () => {
  for (const [det, secret] of LABELLED) {
    for (const masks of [only(det), ALL]) {
      const text = `>> ${secret} <<`;
      assert.is(stream(Array.from(text), masks), maskText(text, masks).text, JSON.stringify(secret));
    }
  }
});

test('property: any text in any chunks masks exactly like the whole text', () => {
  const pieces = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...SECRETS) },
    { weight: 6, arbitrary: fc.constantFrom(' ', '  ', '\n', '-', '@', '.', ':', '=', '"', 'eyJ', 'Bearer ', 'AKIA', 'ASIA', '4111', '1111 ', '123-', '45-', 'DE89', '-----BEGIN ', 'RSA PRIVATE KEY-----', '-----END ', 'x', 'Z', '0', '7', 'a@b', '.com') },
    { weight: 2, arbitrary: fc.string({ maxLength: 6 }) },
  );
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 12 }), fc.constantFrom(ALL, ...DETECTOR_NAMES.map(only)), (parts, cuts, masks) => {
      const text = parts.join('');
      return stream(splitAt(text, cuts), masks) === maskText(text, masks).text;
    }),
    { numRuns: 400 },
  );
});

test('property: a secret with random surroundings and chunking never leaks', () => {
  const around = fc.string({ maxLength: 20 }).map((s) => s.replace(/[A-Za-z0-9_\-.@+/=%~]/g, ' '));
  fc.assert(
    fc.property(fc.constantFrom(...POSITIVES), around, around, fc.array(fc.nat(), { maxLength: 8 }), ([, secret], pre, post, cuts) => {
      const text = `${pre} ${secret} ${post}`;
      const out = stream(splitAt(text, cuts));
      return !out.includes(secret) && out === maskText(text, ALL).text;
    }),
    { numRuns: 300 },
  );
});

test('held text is only a possible unfinished match: prose flows through', () => {
  const m = createTextMasker(ALL);
  assert.is(m.push('$ ls -la\n'), '$ ls -la\n');
  assert.is(m.push('total 0; mail '), 'total 0; mail ');
  assert.is(m.push('ana@exa'), '');
  assert.is(m.push('mple.com\n'), '[REDACTED:email]\n');
  assert.is(m.push('Authorization: Bear'), 'Authorization: ');
  assert.is(m.push('er abc123def456ghi\n'), 'Bearer [REDACTED:bearer_token]\n');
  assert.is(m.end(), '');
  assert.equal(m.report().counts, { 'detector:email': 1, 'detector:bearer_token': 1 });
});

test('flush emits what is held; end() closes the stream', () => {
  const m = createTextMasker(ALL);
  assert.is(m.push('id 4111 1111'), 'id ');
  assert.is(m.held, 9);
  assert.is(m.flush(), '4111 1111');
  assert.is(m.held, 0);
  assert.is(m.push(' x a@b.io'), ' x ');
  assert.is(m.end(), '[REDACTED:email]');
  try {
    m.push('more');
    assert.unreachable('push after end');
  } catch (e) {
    assert.instance(e, MaskError);
    assert.is((e as MaskError).code, 'stream_ended');
  }
});

test('a private key block longer than the cap streams in bounded memory', () => {
  const body = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0123456789abcdefghijklmnopqr\n'.repeat(1600); // ~100 KB
  const text = `start\n-----BEGIN PRIVATE KEY-----\n${body}-----END PRIVATE KEY-----\ntail a@b.io\n`;
  const m = createTextMasker(ALL);
  let out = '';
  let maxHeld = 0;
  for (let i = 0; i < text.length; i += 997) {
    out += m.push(text.slice(i, i + 997));
    maxHeld = Math.max(maxHeld, m.held);
  }
  out += m.end();
  assert.is(out, maskText(text, ALL).text);
  assert.ok(out.startsWith('start\n[REDACTED:private_key]'));
  assert.ok(maxHeld < 3 * 65536, `held ${maxHeld}`);
});

test('a 20 MB stream passes through with bounded buffering and exact counts', () => {
  const lines = [
    'drwxr-xr-x  5 ana staff   160 Jan  3 10:22 src\n',
    `export TOKEN=${JWT_HS256}\n`,
    'card on file: 4111 1111 1111 1111 (visa)\n',
    'contact: ops-team@example.org; ssn 123-45-6789\n',
    'plain text line with numbers 1234567 and 2024-01-03 12:00:00\n',
    'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n',
  ];
  const block = lines.join('');
  const perBlock = { 'detector:jwt': 1, 'detector:payment_card': 1, 'detector:email': 1, 'detector:us_ssn': 1, 'detector:aws_access_key': 1 };
  const blocks = Math.ceil((20 * 1024 * 1024) / block.length);
  const big = block.repeat(256);
  const m = createTextMasker(ALL);
  let seed = 7;
  const rand = (n: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
  let pending = '';
  let outLen = 0;
  let maxHeld = 0;
  const heap0 = process.memoryUsage().heapUsed;
  for (let b = 0; b < blocks; b += 256) {
    pending += big.slice(0, block.length * Math.min(256, blocks - b));
    while (pending.length > 0) {
      const n = 1 + rand(70000);
      outLen += m.push(pending.slice(0, n)).length;
      pending = pending.slice(n);
      maxHeld = Math.max(maxHeld, m.held);
    }
  }
  outLen += m.end().length;
  const heapGrowth = process.memoryUsage().heapUsed - heap0;
  const counts = m.report().counts;
  for (const [k, v] of Object.entries(perBlock)) assert.is(counts[k], v * blocks, k);
  const masked = maskText(block, ALL).text;
  assert.is(outLen, masked.length * blocks);
  assert.ok(maxHeld < 70000 + 1024, `held ${maxHeld}`);
  assert.ok(heapGrowth < 64 * 1024 * 1024, `heap grew ${heapGrowth}`);
});

test.run();
