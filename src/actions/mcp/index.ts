// normalizeMcp: one JSON-RPC 2.0 request or notification to an MCP server → the MCP action
// document. Never throws; a message that is not exactly a valid request is a parse_error.

import { parseJson } from '../http/json.ts';
import { redactJson } from '../http/body.ts';
import type { JsonValue } from '../http/types.ts';
import type { McpAction, McpActionError, McpFlag, McpOptions } from './types.ts';

export type * from './types.ts';
export { mcpActionSchema } from './schema.ts';
export { MCP_FLAGS } from './types.ts';

type Obj = { [key: string]: JsonValue };

// MCP tool names: 1–128 of [A-Za-z0-9_.-] (anything else is allowed through but flagged).
const TOOL_NAME = /^[A-Za-z0-9_.\-/]{1,128}$/;
const URI_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;
const MEMBERS = new Set(['jsonrpc', 'method', 'params', 'id']);

function fail(server: string, code: string, message: string, position?: number): McpActionError {
  const parse_error = position === undefined ? { code, message } : { code, message, position };
  return { version: 1, kind: 'mcp', server, parse_error };
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

type CloneFail = 'too_deep' | 'too_large' | 'invalid_json';

/** Copies plain JSON data with a depth and a node budget (shared sub-objects count each time
 *  they are reached, so a small DAG cannot expand into an enormous document). */
class Cloner {
  nodes = 0;
  fail: CloneFail | null = null;
  private readonly seen = new Set<object>();
  constructor(private readonly maxDepth: number, private readonly maxNodes: number) {}

  clone(v: unknown, depth: number): JsonValue | undefined {
    if (++this.nodes > this.maxNodes) return this.stop('too_large');
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : this.stop('invalid_json');
    if (typeof v !== 'object') return this.stop('invalid_json');
    if (depth >= this.maxDepth) return this.stop('too_deep');
    if (this.seen.has(v)) return this.stop('invalid_json');
    this.seen.add(v);
    try {
      if (Array.isArray(v)) {
        const out: JsonValue[] = [];
        for (const x of v) {
          const c = this.clone(x, depth + 1);
          if (c === undefined) return undefined;
          out.push(c);
        }
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return this.stop('invalid_json');
      const out: Obj = {};
      for (const k of Object.keys(v)) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue; // JSON.stringify drops it too
        const c = this.clone(x, depth + 1);
        if (c === undefined) return undefined;
        if (k === '__proto__') Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true });
        else out[k] = c;
      }
      return out;
    } finally {
      this.seen.delete(v);
    }
  }

  private stop(code: CloneFail): undefined {
    this.fail ??= code;
    return undefined;
  }
}

export function normalizeMcp(message: unknown, opts: McpOptions): McpAction {
  const server = typeof opts?.server === 'string' ? opts.server : '';
  try {
    return build(message, opts, server);
  } catch {
    return fail(server, 'internal_error', 'message could not be normalized');
  }
}

function build(message: unknown, opts: McpOptions, server: string): McpAction {
  if (server === '') return fail(server, 'invalid_options', 'opts.server must name the MCP server');
  const maxDepth = opts.maxDepth ?? 64;
  let msg: JsonValue;
  if (typeof message === 'string') {
    const maxBytes = opts.maxBytes ?? 1 << 20;
    if (message.length > maxBytes || Buffer.byteLength(message, 'utf8') > maxBytes) {
      return fail(server, 'too_large', `message larger than ${maxBytes} bytes`);
    }
    const r = parseJson(message, maxDepth);
    if (!r.ok) return fail(server, r.code === 'too_deep' ? 'too_deep' : 'invalid_json', r.message, r.position);
    // Two equal keys: JSON.parse keeps the last, other servers the first — the meaning is unsure.
    if (r.duplicateKey) return fail(server, 'duplicate_key', 'a JSON object repeats a key');
    msg = r.value;
  } else {
    const cl = new Cloner(maxDepth, opts.maxNodes ?? 100_000);
    const c = cl.clone(message, 0);
    if (c === undefined) {
      const why = cl.fail ?? 'invalid_json';
      const text = why === 'too_deep' ? `nesting deeper than ${maxDepth}` : why === 'too_large' ? 'message has too many values' : 'message is not plain JSON data';
      return fail(server, why, text);
    }
    msg = c;
  }
  if (Array.isArray(msg)) return fail(server, 'batch_unsupported', 'JSON-RPC batches are not accepted; send one message at a time');
  if (!isObj(msg)) return fail(server, 'invalid_request', 'a JSON-RPC message is an object');
  if (msg['jsonrpc'] !== '2.0') return fail(server, 'invalid_request', 'jsonrpc must be "2.0"');
  for (const k of Object.keys(msg)) {
    if (!MEMBERS.has(k)) {
      if (k === 'result' || k === 'error') return fail(server, 'not_a_request', 'a response is not a request');
      return fail(server, 'invalid_request', `unexpected member ${JSON.stringify(k.slice(0, 64))}`);
    }
  }
  const method = msg['method'];
  if (typeof method !== 'string' || method === '') return fail(server, 'invalid_request', 'method must be a non-empty string');
  const flags = new Set<McpFlag>();
  let id: string | number | null = null;
  if ('id' in msg) {
    const v = msg['id'];
    if (typeof v !== 'string' && typeof v !== 'number') return fail(server, 'invalid_request', 'id must be a string or a number');
    id = v;
  } else {
    flags.add('notification');
  }
  const params = 'params' in msg ? msg['params'] : undefined;
  if (params !== undefined && params !== null && typeof params !== 'object') {
    return fail(server, 'invalid_params', 'params must be an object or an array');
  }
  const base = { version: 1 as const, kind: 'mcp' as const, server, method, id, flags: [] as McpFlag[] };

  switch (method) {
    case 'tools/call': {
      if (!isObj(params)) return fail(server, 'invalid_params', 'tools/call needs params.name');
      const name = params['name'];
      if (typeof name !== 'string' || name === '') return fail(server, 'invalid_params', 'tools/call needs a string params.name');
      const args = params['arguments'] ?? {};
      if (!isObj(args)) return fail(server, 'invalid_params', 'tools/call arguments must be an object');
      if (!TOOL_NAME.test(name)) flags.add('unusual_tool_name');
      if (redactJson(args)) flags.add('secret_redacted');
      return { ...base, method, tool: name, arguments: args, flags: [...flags] };
    }
    case 'resources/read': {
      if (!isObj(params) || typeof params['uri'] !== 'string' || params['uri'] === '') {
        return fail(server, 'invalid_params', 'resources/read needs a string params.uri');
      }
      const uri = params['uri'];
      const m = URI_SCHEME.exec(uri);
      return { ...base, method, uri, uri_scheme: m ? (m[1] as string).toLowerCase() : null, flags: [...flags] };
    }
    case 'prompts/get': {
      if (!isObj(params)) return fail(server, 'invalid_params', 'prompts/get needs params.name');
      const name = params['name'];
      if (typeof name !== 'string' || name === '') return fail(server, 'invalid_params', 'prompts/get needs a string params.name');
      const args = params['arguments'] ?? {};
      if (!isObj(args)) return fail(server, 'invalid_params', 'prompts/get arguments must be an object');
      if (redactJson(args)) flags.add('secret_redacted');
      return { ...base, method, prompt: name, arguments: args, flags: [...flags] };
    }
    default: {
      const p = params === undefined ? null : params;
      if (p !== null && redactJson(p)) flags.add('secret_redacted');
      return { ...base, params: p as Obj | JsonValue[] | null, flags: [...flags] };
    }
  }
}
