// The MCP action document: one JSON-RPC 2.0 message a client sends to an MCP server.

import type { JsonValue } from '../http/types.ts';

export type { JsonValue };

export interface McpOptions {
  /** the MCP server the message is addressed to (the gateway knows it, the message does not). */
  server: string;
  /** string input longer than this many bytes is a parse_error; default 1 MiB. */
  maxBytes?: number;
  /** deeper JSON is a parse_error; default 64. */
  maxDepth?: number;
  /** object input with more values than this is a parse_error; default 100 000. */
  maxNodes?: number;
}

export const MCP_FLAGS = ['notification', 'unusual_tool_name', 'secret_redacted'] as const;
export type McpFlag = (typeof MCP_FLAGS)[number];

export interface McpParseError {
  code: string;
  message: string;
  /** offset in the JSON text, when the input was text. */
  position?: number;
}

interface McpBase {
  version: 1;
  kind: 'mcp';
  server: string;
  method: string;
  /** JSON-RPC id; null for a notification (no id). */
  id: string | number | null;
  flags: McpFlag[];
}

export interface McpToolCall extends McpBase {
  method: 'tools/call';
  tool: string;
  arguments: { [key: string]: JsonValue };
}

export interface McpResourceRead extends McpBase {
  method: 'resources/read';
  uri: string;
  /** lowercased URI scheme (`file`, `https`, …), or null when the URI has none. */
  uri_scheme: string | null;
}

export interface McpPromptGet extends McpBase {
  method: 'prompts/get';
  prompt: string;
  arguments: { [key: string]: JsonValue };
}

/** Any other method (tools/list, initialize, notifications/…): params kept as sent, secrets redacted. */
export interface McpOther extends McpBase {
  params: { [key: string]: JsonValue } | JsonValue[] | null;
}

export type McpActionOk = McpToolCall | McpResourceRead | McpPromptGet | McpOther;

export interface McpActionError {
  version: 1;
  kind: 'mcp';
  server: string;
  parse_error: McpParseError;
}

export type McpAction = McpActionOk | McpActionError;
