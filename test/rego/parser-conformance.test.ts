// Parses every module of OPA's v1 conformance cases (read from ../shared at test time) and
// reports how many parse. Cases marked `want_error_code: rego_parse_error` are expected to fail.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseModule, parseQuery } from '../../src/rego/parser.ts';
import { RegoErrors } from '../../src/rego/ast.ts';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(repo, '..', 'shared', 'conformance', 'opa-v1');

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (name.endsWith('.yaml') || name.endsWith('.yml')) out.push(p);
  }
  return out;
}

// Syntax newer than Rego 1.0 (string interpolation, `and`/`or`, `not { }`, rego.v2) is out of
// scope: modules rejected with the parser's "newer than Rego 1.0" error are counted apart.
const NEWER = /newer than Rego 1\.0/;

interface Case { note?: string; query?: unknown; modules?: unknown[]; want_error_code?: string }

test('OPA v1 conformance modules parse', () => {
  if (!existsSync(root)) {
    console.log(`  skipped: ${relative(repo, root)} is absent`);
    return;
  }
  let ok = 0;
  let failed = 0;
  let expectedFail = 0;
  let expectedFailParsed = 0;
  let newer = 0;
  const failures: string[] = [];
  let queries = 0;
  const badQueries: string[] = [];
  const t0 = performance.now();
  for (const f of yamlFiles(root)) {
    const doc = parse(readFileSync(f, 'utf8'), { intAsBigInt: true }) as { cases?: Case[] } | null;
    for (const c of doc?.cases ?? []) {
      const wantParseError = c.want_error_code === 'rego_parse_error';
      if (typeof c.query === 'string') {
        queries++;
        try {
          parseQuery(c.query);
        } catch (e) {
          if (!(e instanceof RegoErrors)) throw e;
          if (!NEWER.test(e.message)) badQueries.push(`${c.query}: ${e.message}`);
        }
      }
      (c.modules ?? []).forEach((m, i) => {
        if (typeof m !== 'string') return;
        const file = `${c.note ?? relative(root, f)}#${i}`;
        try {
          parseModule(m, file);
          if (wantParseError) expectedFailParsed++;
          else ok++;
        } catch (e) {
          if (!(e instanceof RegoErrors)) throw e;
          if (wantParseError) expectedFail++;
          else if (NEWER.test(e.message)) newer++;
          else {
            failed++;
            if (failures.length < 15) failures.push(`${e.message.split('\n')[0]}\n      ${m.split('\n').slice(0, 12).join('\n      ')}`);
          }
        }
      });
    }
  }
  const ms = performance.now() - t0;
  const total = ok + failed;
  console.log(`  conformance modules: ${ok}/${total} parse (${((100 * ok) / Math.max(1, total)).toFixed(2)}%), ${failed} fail; ` +
    `expected parse errors: ${expectedFail} failed as expected, ${expectedFailParsed} parsed anyway; ` +
    `${newer} rejected as syntax newer than Rego 1.0; ${ms.toFixed(0)} ms`);
  for (const f of failures) console.log(`  FAIL ${f}`);
  console.log(`  conformance queries: ${queries - badQueries.length}/${queries} parse or are rejected as newer syntax`);
  for (const q of badQueries.slice(0, 10)) console.log(`  FAIL query ${q}`);
  assert.ok(total > 0, 'no modules found');
  assert.ok(ok / total >= 0.97, `only ${ok}/${total} modules parse`);
  assert.ok((queries - badQueries.length) / Math.max(1, queries) >= 0.97, `${badQueries.length} queries fail`);
});

test('benchmark policies from ../shared/bench parse quickly', () => {
  const dir = join(repo, '..', 'shared', 'bench');
  if (!existsSync(dir)) {
    console.log(`  skipped: ${relative(repo, dir)} is absent`);
    return;
  }
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.rego')).sort()) {
    const src = readFileSync(join(dir, name), 'utf8');
    const m = parseModule(src, name);
    for (let i = 0; i < 10; i++) parseModule(src, name);
    let best = Infinity;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      parseModule(src, name);
      best = Math.min(best, performance.now() - t0);
    }
    console.log(`  ${name}: ${m.rules.length} rules, ${src.length} chars, ${best.toFixed(2)} ms per parse (best of 20)`);
    assert.ok(best < 25, `${name} took ${best} ms`);
  }
});

test.run();
