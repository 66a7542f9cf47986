import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Ajv } from 'ajv';
import { normalizeMcp, mcpActionSchema } from '../../src/actions/mcp/index.ts';
import type { McpAction, McpActionError } from '../../src/actions/mcp/index.ts';

const validate = new Ajv({ allErrors: true }).compile(mcpActionSchema);
const server = 'github';

function norm(m: unknown, opts: { server: string; maxBytes?: number; maxDepth?: number } = { server }): McpAction {
  const doc = normalizeMcp(m, opts);
  const plain = JSON.parse(JSON.stringify(doc)) as McpAction;
  if (!validate(plain)) assert.unreachable(`schema: ${JSON.stringify(validate.errors)} for ${JSON.stringify(plain)}`);
  return plain;
}
function err(m: unknown, code: string, opts?: { server: string; maxBytes?: number; maxDepth?: number }): McpActionError {
  const d = norm(m, opts);
  if (!('parse_error' in d)) {
    assert.unreachable(`expected ${code}, got ${JSON.stringify(d)}`);
    throw new Error('unreachable');
  }
  assert.is(d.parse_error.code, code);
  return d;
}

test('tools/call from text and from an object', () => {
  const text = '{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"create_issue","arguments":{"repo":"acme/api","title":"x"}}}';
  const want = { version: 1, kind: 'mcp', server, method: 'tools/call', id: 7, flags: [], tool: 'create_issue', arguments: { repo: 'acme/api', title: 'x' } };
  assert.equal(norm(text), want);
  assert.equal(norm(JSON.parse(text)), want);
});

test('tools/call: arguments default to {}, secrets redacted, unusual names flagged', () => {
  const d = norm({ jsonrpc: '2.0', id: 'a1', method: 'tools/call', params: { name: 'list' } });
  assert.equal(d, { version: 1, kind: 'mcp', server, method: 'tools/call', id: 'a1', flags: [], tool: 'list', arguments: {} });
  const s = norm({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'login', arguments: { user: 'u', password: 'hunter2', cfg: { api_key: 'k' } } } });
  assert.ok('tool' in s && s.flags.includes('secret_redacted'));
  assert.not.ok(JSON.stringify(s).includes('hunter2'));
  const odd = norm({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'rm -rf' } });
  assert.ok('tool' in odd && odd.flags.includes('unusual_tool_name'));
});

test('tools/call: missing or bad name and arguments are parse_errors', () => {
  err({ jsonrpc: '2.0', id: 1, method: 'tools/call' }, 'invalid_params');
  err({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} }, 'invalid_params');
  err({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 3 } }, 'invalid_params');
  err({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: [1] } }, 'invalid_params');
  err({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'x', arguments: 'a' } }, 'invalid_params');
});

test('resources/read, prompts/get, tools/list and notifications', () => {
  assert.equal(norm({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'File:///etc/passwd' } }), {
    version: 1, kind: 'mcp', server, method: 'resources/read', id: 2, flags: [], uri: 'File:///etc/passwd', uri_scheme: 'file',
  });
  const rel = norm({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: { uri: 'notes.txt' } });
  assert.ok('uri' in rel && rel.uri_scheme === null);
  err({ jsonrpc: '2.0', id: 2, method: 'resources/read', params: {} }, 'invalid_params');
  assert.equal(norm({ jsonrpc: '2.0', id: 3, method: 'prompts/get', params: { name: 'review', arguments: { pr: '12' } } }), {
    version: 1, kind: 'mcp', server, method: 'prompts/get', id: 3, flags: [], prompt: 'review', arguments: { pr: '12' },
  });
  assert.equal(norm({ jsonrpc: '2.0', id: 4, method: 'tools/list', params: { cursor: 'c2' } }), {
    version: 1, kind: 'mcp', server, method: 'tools/list', id: 4, flags: [], params: { cursor: 'c2' },
  });
  assert.equal(norm({ jsonrpc: '2.0', method: 'notifications/initialized' }), {
    version: 1, kind: 'mcp', server, method: 'notifications/initialized', id: null, flags: ['notification'], params: null,
  });
  const init = norm({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { clientInfo: { name: 'c' }, auth: { token: 't0k' } } });
  assert.not.ok(JSON.stringify(init).includes('t0k'));
});

test('invalid JSON-RPC is a parse_error, never a throw', () => {
  let e = err('{"jsonrpc":"2.0",', 'invalid_json');
  assert.type(e.parse_error.position, 'number');
  err('', 'invalid_json');
  err('null', 'invalid_request');
  err(42, 'invalid_request');
  err({ id: 1, method: 'tools/list' }, 'invalid_request');
  err({ jsonrpc: '1.0', id: 1, method: 'tools/list' }, 'invalid_request');
  err({ jsonrpc: '2.0', id: 1 }, 'invalid_request');
  err({ jsonrpc: '2.0', id: 1, method: '' }, 'invalid_request');
  err({ jsonrpc: '2.0', id: { a: 1 }, method: 'x' }, 'invalid_request');
  err({ jsonrpc: '2.0', id: null, method: 'x' }, 'invalid_request');
  err({ jsonrpc: '2.0', id: 1, method: 'x', params: 'p' }, 'invalid_params');
  err({ jsonrpc: '2.0', id: 1, method: 'x', extra: 1 }, 'invalid_request');
  err({ jsonrpc: '2.0', id: 1, result: {} }, 'not_a_request');
  err([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }], 'batch_unsupported');
  err('{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call"}', 'duplicate_key');
  err('{"jsonrpc":"2.0","id":1,"method":"x","params":' + '['.repeat(100) + ']'.repeat(100) + '}', 'too_deep');
  const deep: unknown[] = [];
  let cur = deep;
  for (let i = 0; i < 100; i++) { const n: unknown[] = []; cur.push(n); cur = n; }
  err({ jsonrpc: '2.0', id: 1, method: 'x', params: deep }, 'too_deep');
  err('{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":"' + 'x'.repeat(100) + '"}}', 'too_large', { server, maxBytes: 64 });
  const cyc: Record<string, unknown> = { jsonrpc: '2.0', id: 1, method: 'x' };
  cyc['params'] = { self: cyc };
  err(cyc, 'invalid_json');
  let dag: Record<string, unknown> = { leaf: 1 };
  for (let i = 0; i < 40; i++) dag = { a: dag, b: dag };
  err({ jsonrpc: '2.0', id: 1, method: 'x', params: dag }, 'too_large');
  err({ jsonrpc: '2.0', id: 1, method: 'x', params: { f: () => 1 } }, 'invalid_json');
  err({ jsonrpc: '2.0', id: 1, method: 'x', params: { n: NaN } }, 'invalid_json');
  err({ jsonrpc: '2.0', id: 1, method: 'x', params: new Date() }, 'invalid_json');
  e = err({ jsonrpc: '2.0', id: 1, method: 'x' }, 'invalid_options', { server: '' });
  assert.is(e.server, '');
});

test('object input is not modified by redaction; __proto__ stays data', () => {
  const msg = { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 't', arguments: { password: 'p' } } };
  const before = JSON.stringify(msg);
  normalizeMcp(msg, { server });
  assert.is(JSON.stringify(msg), before);
  const d = norm('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"t","arguments":{"__proto__":{"admin":true}}}}');
  assert.ok('arguments' in d);
  if ('arguments' in d) assert.equal(Object.keys(d.arguments), ['__proto__']);
  assert.is(({} as Record<string, unknown>)['admin'], undefined);
});

test.run();
