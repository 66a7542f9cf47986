import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { initActions, normalize, actionSchema, ActionError, ACTION_KINDS } from '../../src/actions/index.ts';
import type { ActionDocument, ActionKind } from '../../src/actions/index.ts';

const validate = new Ajv({ allErrors: true }).compile(actionSchema);

function check(doc: ActionDocument): void {
  const plain = JSON.parse(JSON.stringify(doc));
  if (!validate(plain)) assert.unreachable(`schema: ${JSON.stringify(validate.errors?.slice(0, 3))} for ${JSON.stringify(plain).slice(0, 300)}`);
}

test.before(async () => {
  await initActions();
});

test('normalize dispatches each kind and every document matches the combined schema', () => {
  const sql = normalize('sql', 'SELECT id FROM public.users', { dialect: 'pg' });
  assert.is(sql.kind, 'sql');
  check(sql);
  const shell = normalize('shell', 'rm -rf /scratch/x');
  assert.is(shell.kind, 'shell');
  check(shell);
  const http = normalize('http', { method: 'GET', url: 'https://h.example/a' }, { scheme: 'https' });
  assert.is(http.kind, 'http');
  check(http);
  const mcp = normalize('mcp', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 't' } }, { server: 's' });
  assert.is(mcp.kind, 'mcp');
  check(mcp);
});

test('parse_error documents of every kind match the combined schema', () => {
  check(normalize('sql', 'SELEC nope', { dialect: 'pg' }));
  check(normalize('shell', 'echo "unterminated'));
  check(normalize('http', { method: 'GET', url: '/\0' }));
  check(normalize('mcp', '{', { server: 's' }));
});

test('the combined schema accepts exactly one kind per document', () => {
  const http = normalize('http', { method: 'GET', url: 'http://h/' });
  const wrong = { ...JSON.parse(JSON.stringify(http)), kind: 'mcp' };
  assert.not.ok(validate(wrong));
  assert.not.ok(validate({ version: 1, kind: 'ftp' }));
});

test('shell lines with embedded SQL get it normalized once SQL is loaded', () => {
  const doc = normalize('shell', "psql -c 'DROP TABLE x'");
  check(doc);
  assert.ok(JSON.stringify(doc).includes('"kind":"sql"'), JSON.stringify(doc).slice(0, 400));
});

test('an unknown kind is an error with a code', () => {
  try {
    normalize('ftp' as ActionKind, 'x' as never, undefined as never);
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, ActionError);
    assert.is((e as ActionError).code, 'unknown_kind');
  }
  assert.equal([...ACTION_KINDS], ['sql', 'shell', 'http', 'mcp']);
});

test.run();
