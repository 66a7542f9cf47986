// Compiling in a child process gives what compiling in this thread gives: the same wasm bytes, and
// the same errors (RegoErrors with codes and file:line:col positions, or a plain Error's text).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from '../../src/compile.ts';
import { RegoError, RegoErrors } from '../../src/rego/ast.ts';
import { childExecArgv, compileInChild, fromWire, toWire } from '../../src/policy/compile-child.ts';
import { loadPolicySource, PolicyLoadError } from '../../src/policy/load.ts';

const GOOD = 'package portcullis\n\nimport rego.v1\n\ndecision := {"allow": count(input.groups) > 0}\n';
const BAD_PARSE = { 'a.rego': 'package portcullis\n\ndecision := {\n', 'b.rego': 'package portcullis\n\nx := [1,\n' };
const BAD_COMPILE = { 'c.rego': 'package portcullis\n\ndecision := {"allow": y}\n' };
const req = (modules: Record<string, string>) => ({ modules: Object.entries(modules).map(([file, text]) => ({ file, text })), entrypoints: ['portcullis/decision'], optimize: false });

async function thrown(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const fields = (e: RegoErrors) => e.errors.map((x) => ({ code: x.code, details: x.details, loc: x.loc, message: x.message }));

test('the same wasm bytes as an inline compile', async () => {
  const inline = await compile(req({ 'p.rego': GOOD }));
  const child = await compileInChild(req({ 'p.rego': GOOD }));
  assert.instance(child, Uint8Array);
  assert.equal(Buffer.from(child).equals(Buffer.from(inline.wasm)), true);
});

test('RegoErrors cross the process boundary intact (parse errors in two files, a compile error)', async () => {
  for (const modules of [BAD_PARSE, BAD_COMPILE]) {
    const want = await thrown(compile(req(modules)));
    const got = await thrown(compileInChild(req(modules)));
    assert.instance(want, RegoErrors);
    assert.instance(got, RegoErrors);
    assert.equal(fields(got as RegoErrors), fields(want as RegoErrors));
    assert.is((got as RegoErrors).message, (want as RegoErrors).message);
    for (const e of (got as RegoErrors).errors) assert.instance(e, RegoError);
  }
  const two = (await thrown(compileInChild(req(BAD_PARSE)))) as RegoErrors;
  assert.equal(two.errors.map((e) => e.loc?.file), ['a.rego', 'b.rego'], 'every file reports');
});

test('loadPolicySource reports the same compile error either way', async () => {
  const msgs: string[] = [];
  for (const where of ['process', 'inline'] as const) {
    const e = await thrown(loadPolicySource({ modules: BAD_COMPILE }, { entrypoint: 'portcullis/decision', optimize: false, compile: where }));
    assert.instance(e, PolicyLoadError);
    assert.is((e as PolicyLoadError).code, 'policy_compile_error');
    assert.instance((e as PolicyLoadError).cause, RegoErrors);
    msgs.push((e as PolicyLoadError).message);
  }
  assert.is(msgs[0], msgs[1]);
  assert.match(msgs[0]!, /c\.rego:3:\d+: rego_/);
});

test('other failures in the child come back as errors with their text', async () => {
  const e = await thrown(compileInChild({ modules: [null] as never, entrypoints: ['portcullis/decision'], optimize: false }));
  assert.instance(e, Error);
  assert.ok((e as Error).message.length > 0);
  assert.not.instance(e, RegoErrors);
});

test('a child that does not answer in time is stopped and the compile fails', async () => {
  const e = await thrown(compileInChild(req({ 'p.rego': GOOD }), 1));
  assert.instance(e, Error);
  assert.match((e as Error).message, /no answer within 1 ms/);
});

test("the child keeps the parent's node options but not what the parent runs", () => {
  const args = childExecArgv([
    '--max-old-space-size=512', '--input-type=module', '-e', 'console.log(1)', '--inspect=9229', '--enable-source-maps',
    '--eval', 'x', '-p', 'y', '--print=z', '--test', '--watch', '--watch-path', 'src', '--import', '/x/scripts/register-ts.mjs',
    '--import', 'my-loader.mjs', '--input-type', 'commonjs', '--conditions=dev',
  ]);
  const own = args.slice(0, args.indexOf('--liftoff-only'));
  const userArgs = own.filter((a, i) => !(a === '--import' && /register-ts/.test(own[i + 1] ?? '')) && !/register-ts/.test(a));
  assert.equal(userArgs, ['--max-old-space-size=512', '--enable-source-maps', '--import', 'my-loader.mjs', '--conditions=dev']);
});

test('wire form: a single RegoError, a RegoErrors, a plain Error, a non-Error', () => {
  const loc = { file: 'x.rego', row: 3, col: 7 };
  const one = fromWire(toWire(new RegoError('rego_type_error', 'bad', loc)));
  assert.instance(one, RegoError);
  assert.is(one.message, 'x.rego:3:7: rego_type_error: bad');
  const many = fromWire(structuredClone(toWire(new RegoErrors([new RegoError('rego_parse_error', 'p', null)])))) as RegoErrors;
  assert.equal(many.errors.map((e) => [e.code, e.details, e.loc]), [['rego_parse_error', 'p', null]]);
  const plain = fromWire(toWire(new TypeError('boom')));
  assert.is(plain.name, 'TypeError');
  assert.is(plain.message, 'boom');
  assert.is(fromWire(toWire('just text')).message, 'just text');
});

test.run();
