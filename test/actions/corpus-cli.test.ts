import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { detectKind, parseArgs, scoreCorpus, formatReport, main, CorpusCliError } from '../../src/actions/corpus/cli.ts';
import type { CorpusScorer, CaseScore } from '../../src/actions/corpus/cli.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'corpus-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof CorpusCliError) return e.code;
    throw e;
  }
  return 'none';
}

test('detects the format from case markers', () => {
  assert.is(detectKind('-- header\n-- @case a t\nSELECT 1'), 'sql');
  assert.is(detectKind('# header\n# @case a t\nls'), 'shell');
  assert.is(code(() => detectKind('nothing here')), 'unknown_format');
  assert.is(code(() => detectKind('-- @case a\n# @case b')), 'unknown_format');
});

test('arguments: file, --json, --kind; usage errors', () => {
  assert.equal(parseArgs(['f.txt', '--json', 'o.json']), { file: 'f.txt', json: 'o.json', kind: null });
  assert.equal(parseArgs(['--kind', 'shell', 'f.txt']), { file: 'f.txt', json: null, kind: 'shell' });
  assert.is(code(() => parseArgs([])), 'usage');
  assert.is(code(() => parseArgs(['f', '--json'])), 'usage');
  assert.is(code(() => parseArgs(['f', '--kind', 'go'])), 'usage');
  assert.is(code(() => parseArgs(['f', 'g'])), 'usage');
  assert.is(code(() => parseArgs(['f', '--frob'])), 'usage');
});

test('scoring counts statuses and per-field results; a throwing case counts as a silent miss', () => {
  const results: Record<string, CaseScore> = {
    a: { status: 'exact', diff: [], fields: { parse: true, cmds: true } },
    b: { status: 'silent_miss', diff: ['cmds: missing rm'], fields: { parse: true, cmds: false } },
    c: { status: 'fail_closed', diff: ['parse: rejected'], fields: { parse: false } },
    d: { status: 'mismatch', diff: 'extra x', fields: { parse: true, cmds: false } },
  };
  const scorer: CorpusScorer = {
    parse: () => ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id })),
    score: (c) => {
      const r = results[c.id];
      if (!r) throw new Error('boom');
      return r;
    },
  };
  const r = scoreCorpus('shell', '', scorer);
  assert.is(r.total, 5);
  assert.is(r.exact, 1);
  assert.is(r.silentMisses, 2);
  assert.is(r.failClosed, 1);
  assert.is(r.mismatches, 1);
  assert.equal(r.fields, { parse: [3, 4], cmds: [1, 3] });
  assert.equal(r.cases[4], { id: 'e', status: 'silent_miss', diff: ['scoring threw: boom'] });
  const text = formatReport('x.txt', r);
  assert.match(text, 'total 5 / exact 1 / silent misses 2 / fail closed 1 / mismatch 1');
  assert.match(text, /cmds\s+1\/3\s+33\.3%/);
  assert.match(text, /b\s+silent_miss cmds: missing rm/);
  assert.is(code(() => scoreCorpus('sql', '', { parse: () => { throw new Error('bad header'); }, score: () => results['a'] as CaseScore })), 'bad_corpus');
});

async function capture(f: () => Promise<number>): Promise<{ exit: number; out: string; err: string }> {
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  let out = '';
  let err = '';
  process.stdout.write = ((s: string) => { out += s; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => { err += s; return true; }) as typeof process.stderr.write;
  try {
    return { exit: await f(), out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
  }
}

test('a missing kind module is a clear error and exit code 2', async () => {
  const file = join(dir, 'shell.txt');
  writeFileSync(file, '# @case s1 t\n# @expect {"parse": true, "cmds": [["ls"]], "redirs": []}\nls\n');
  const missing = async (): Promise<Record<string, unknown>> => {
    throw Object.assign(new Error("Cannot find module 'shell.ts'"), { code: 'ERR_MODULE_NOT_FOUND' });
  };
  const r = await capture(() => main([file], missing));
  assert.is(r.exit, 2);
  assert.match(r.err, 'the shell corpus scorer (src/actions/corpus/shell.ts) is not available yet');
  const noFn = async (): Promise<Record<string, unknown>> => ({ parseShellCorpus: () => [] });
  const r2 = await capture(() => main([file], noFn));
  assert.is(r2.exit, 2);
  assert.match(r2.err, 'does not export a function scoreShellCase()');
  const r3 = await capture(() => main([join(dir, 'nope.txt')]));
  assert.is(r3.exit, 2);
  assert.match(r3.err, 'cannot read');
});

const sqlCase = (id: string, expect: string, text: string): string => `-- @case ${id} t\n-- @dialect pg\n-- @expect ${expect}\n${text}\n`;

test('end to end through the npm entry: JSON report, exit 0, and exit 1 on a silent miss', async () => {
  const good = join(dir, 'good.sql.txt');
  writeFileSync(good, '-- header\n' + sqlCase('g1', '{"parse":true,"stmts":["SELECT"],"reads":["public.users"],"writes":[],"funcs":[],"cols":["id"]}', 'SELECT id FROM public.users'));
  const out = join(dir, 'good.json');
  const cli = join(root, 'src', 'actions', 'corpus', 'cli.ts');
  const run = spawnSync(process.execPath, ['--import', join(root, 'scripts', 'register-ts.mjs'), cli, good, '--json', out], { cwd: root, encoding: 'utf8' });
  assert.is(run.status, 0, run.stderr);
  assert.match(run.stdout, 'total 1 / exact 1 / silent misses 0 / fail closed 0');
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  assert.is(rep.total, 1);
  assert.is(rep.exact, 1);
  assert.is(rep.silentMisses, 0);
  assert.is(rep.failClosed, 0);
  assert.equal(rep.cases, [{ id: 'g1', status: 'exact', diff: [] }]);

  // The case claims a DROP runs after the SELECT; the document shows only the SELECT.
  const bad = join(dir, 'bad.sql.txt');
  writeFileSync(bad, sqlCase('b1', '{"parse":true,"stmts":["SELECT","DDL"],"reads":[],"writes":["users"],"funcs":[],"cols":[]}', 'SELECT 1'));
  const r = await capture(() => main([bad, '--json', join(dir, 'bad.json')]));
  assert.is(r.exit, 1, r.out + r.err);
  assert.match(r.out, 'silent misses 1');
  assert.is(JSON.parse(readFileSync(join(dir, 'bad.json'), 'utf8')).cases[0].status, 'silent_miss');
});

test('the shared SQL corpus produces a complete report', async () => {
  const shared = join(root, '..', 'shared', 'corpus', 'sql.txt');
  if (!existsSync(shared)) {
    console.log(`  skipped: ${shared} not present`);
    return;
  }
  const out = join(dir, 'shared.json');
  const run = await capture(() => main([shared, '--json', out]));
  assert.ok(run.exit === 0 || run.exit === 1, run.err);
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  const cases = (readFileSync(shared, 'utf8').match(/^-- @case /gm) ?? []).length;
  assert.is(rep.total, cases);
  assert.is(rep.exact + rep.silentMisses + rep.failClosed + rep.mismatches, rep.total);
  assert.is(run.exit, rep.silentMisses > 0 ? 1 : 0);
});

test.run();
