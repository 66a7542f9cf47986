// `portcullis test`, `explain` and `replay` as subprocesses: exit codes and output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initActions, normalize } from '../../src/actions/index.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const REGO = join(ROOT, 'rego');
const tmp = mkdtempSync(join(tmpdir(), 'portcullis-tools-'));

function cli(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', join(ROOT, 'scripts', 'register-ts.mjs'), join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const input = (action: unknown, groups: string[], target = 'prod') => ({
  action,
  identity: { sub: 'alice', groups, claims: {} },
  connection: { name: 'orders-db', kind: 'postgres', target },
  context: { time: '2026-01-01T00:00:00Z', session: {}, approvals: [] },
});

test.before(async () => {
  await initActions(['sql']);
});

test.after(() => rmSync(tmp, { recursive: true, force: true }));

// --- test ------------------------------------------------------------------------------------

test('test: PASS/FAIL per test with file:line, a summary, exit 1 on failure', () => {
  const dir = join(tmp, 'unit');
  mkdirSync(join(dir, 'limits'), { recursive: true });
  writeFileSync(join(dir, 'p.rego'), 'package p\nimport rego.v1\n\nallow if input.ok\n\nmax := data.limits.max\n');
  writeFileSync(join(dir, 'p_test.rego'), [
    'package p_test', 'import data.p', 'import rego.v1', '',
    'test_ok if p.allow with input as {"ok": true}', '',
    'test_bad if p.allow with input as {"ok": false}', '',
    'test_data if p.max == 5', '',
    'test_false := false', '',
  ].join('\n'));
  writeFileSync(join(dir, 'limits', 'data.json'), '{"max": 5}');
  const r = cli('test', dir);
  assert.is(r.code, 1, r.err);
  assert.match(r.out, /^PASS data\.p_test\.test_ok \S*p_test\.rego:5$/m);
  assert.match(r.out, /^FAIL data\.p_test\.test_bad \S*p_test\.rego:7: undefined$/m);
  assert.match(r.out, /^PASS data\.p_test\.test_data \S*p_test\.rego:9$/m); // data.json placed at data.limits
  assert.match(r.out, /^FAIL data\.p_test\.test_false \S*p_test\.rego:11: false$/m);
  assert.match(r.out, /^2 passed, 2 failed$/m);

  const ok = cli('test', dir, '--run', 'test_ok|test_data', '--coverage', '--verbose');
  assert.is(ok.code, 0, ok.err + ok.out);
  assert.match(ok.out, /^2 passed, 0 failed$/m);
  assert.match(ok.out, /^compiled 2 tests in [\d.]+ ms$/m);
  assert.match(ok.out, /^coverage: 2\/2 rules reached \(100\.0%/m);
  assert.match(ok.out, /reached: +\S*p\.rego:4 data\.p\.allow/);
});

test('test: usage and input errors', () => {
  assert.is(cli('test').code, 2);
  assert.is(cli('test', 'rego', '--run', '(').code, 2);
  assert.is(cli('test', 'rego', '--bogus').code, 2);
  const missing = cli('test', join(tmp, 'nope'));
  assert.is(missing.code, 1);
  assert.match(missing.err, /no such file or directory/);
  const bad = join(tmp, 'bad');
  mkdirSync(bad, { recursive: true });
  writeFileSync(join(bad, 'x_test.rego'), 'package x_test\nimport rego.v1\n\ntest_x if { y }\n');
  const compileErr = cli('test', bad);
  assert.is(compileErr.code, 1);
  assert.match(compileErr.err, /x_test\.rego:4:\d+: rego_\w+_error/);
});

// --- explain ---------------------------------------------------------------------------------

test('explain: names the rules that fired, with their locations', () => {
  const file = join(tmp, 'drop.json');
  writeFileSync(file, JSON.stringify(input(normalize('sql', "DROP TABLE users; COPY t FROM PROGRAM 'id'", { dialect: 'pg' }), ['developers'])));
  const r = cli('explain', '-d', 'rego', '-i', file);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /^decision: DENY$/m);
  assert.match(r.out, /^denied by:$/m);
  const ddlLine = readFileSync(join(REGO, 'portcullis', 'sql.rego'), 'utf8').split('\n').findIndex((l) => l.includes('"rule": "sql.ddl"')) + 1;
  assert.ok(ddlLine > 0);
  assert.ok(r.out.includes(`  sql.ddl  rego/portcullis/sql.rego:${ddlLine}  (data.portcullis.sql.deny)`), r.out);
  assert.match(r.out, /^ {2}sql\.copy_program {2}rego\/portcullis\/sql\.rego:\d+/m);
  assert.match(r.out, /^record: full$/m);
});

test('explain --json: approvals and masks traced to their rules', () => {
  const file = join(tmp, 'update.json');
  writeFileSync(file, JSON.stringify(input(normalize('sql', 'WITH x AS (UPDATE orders SET total = 0 RETURNING id) SELECT u.email FROM public.users u', { dialect: 'pg' }), ['developers'])));
  const r = cli('explain', '-d', 'rego', '-i', file, '--json');
  assert.is(r.code, 0, r.err);
  const x = JSON.parse(r.out) as {
    decision: { allow: boolean; approval: { required: boolean } };
    denied_by: unknown[];
    approval_by: Array<{ rule: string; from: string; sites: Array<{ file: string; row: number }> }>;
    masks: Array<{ from: Array<{ rule: string }> }>;
  };
  assert.is(x.decision.allow, true);
  assert.is(x.decision.approval.required, true);
  assert.equal(x.denied_by, []);
  assert.is(x.approval_by[0]!.rule, 'sql.production_write');
  assert.is(x.approval_by[0]!.from, 'data.portcullis.sql.approval');
  assert.is(x.approval_by[0]!.sites[0]!.file, 'rego/portcullis/sql.rego');
  assert.ok(x.masks.length > 0 && x.masks.every((m) => m.from.some((s) => s.rule === 'data.portcullis.sql.masks')));
});

test('explain: usage errors', () => {
  assert.is(cli('explain', '-d', 'rego').code, 2);
  assert.is(cli('explain', '-i', 'x.json').code, 2);
  assert.is(cli('explain', '-d', 'rego', '-i', join(tmp, 'missing.json')).code, 1);
});

// --- replay ----------------------------------------------------------------------------------

test('replay: a candidate against a baseline and against recorded decisions', () => {
  const cand = join(tmp, 'candidate');
  cpSync(REGO, cand, { recursive: true });
  const data = JSON.parse(readFileSync(join(cand, 'data.json'), 'utf8')) as { config: { sql: Record<string, unknown> } };
  data.config.sql['writer_groups'] = ['dba']; // developers lose writes
  (data.config.sql['pii_columns'] as Record<string, Record<string, unknown>>)['orders'] = { total: { kind: 'redact' } };
  writeFileSync(join(cand, 'data.json'), JSON.stringify(data));
  const update = input(normalize('sql', 'UPDATE orders SET total = 0 WHERE id = 1', { dialect: 'pg' }), ['developers']);
  const read = input(normalize('sql', 'SELECT total FROM orders', { dialect: 'pg' }), ['analysts']);
  const drop = input(normalize('sql', 'DROP TABLE orders', { dialect: 'pg' }), ['dba']);
  const log = join(tmp, 'recorded.jsonl');
  writeFileSync(log, [
    JSON.stringify(update),
    JSON.stringify(read),
    JSON.stringify(drop),
    JSON.stringify({ input: read, decision: { allow: false, reasons: [{ rule: 'old.rule', message: 'x' }] } }),
    '{not json',
    '',
  ].join('\n'));

  const j = cli('replay', '--policy', cand, '--baseline', 'rego', log, '--json');
  assert.is(j.code, 0, j.err);
  const rep = JSON.parse(j.out) as {
    compared_with: string;
    summary: { inputs: number; unchanged: number; changed: number; errors: number; by_kind: Record<string, number> };
    lines: Array<{ line: number; changes: Array<{ kind: string; detail: unknown[] }>; error?: string }>;
  };
  assert.is(rep.compared_with, 'baseline');
  assert.is(rep.summary.inputs, 5);
  assert.is(rep.summary.errors, 1);
  assert.is(rep.summary.unchanged, 1); // the DROP stays denied for the same reason
  assert.is(rep.summary.by_kind['newly_denied'], 1);
  assert.is(rep.summary.by_kind['new_masks'], 2);
  const l1 = rep.lines.find((l) => l.line === 1)!;
  assert.equal(l1.changes.map((c) => c.kind), ['newly_denied']);
  assert.equal(l1.changes[0]!.detail, ['sql.write']);
  assert.match(rep.lines.find((l) => l.line === 5)!.error ?? '', /^invalid_json/);

  const t = cli('replay', '--policy', 'rego', log);
  assert.is(t.code, 0, t.err);
  assert.match(t.out, /^line 1: error: invalid_line: no recorded decision/m);
  assert.match(t.out, /^line 4: newly allowed: old\.rule$/m);
  assert.match(t.out, /^5 inputs compared with the recorded decisions: 0 unchanged, 1 changed, 4 errors$/m);
});

test('replay: usage errors', () => {
  assert.is(cli('replay', 'x.jsonl').code, 2);
  assert.is(cli('replay', '--policy', 'rego').code, 2);
  const missing = cli('replay', '--policy', 'rego', join(tmp, 'missing.jsonl'));
  assert.is(missing.code, 1);
  assert.match(missing.err, /no such file/);
});

test.run();
