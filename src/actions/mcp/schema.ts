// JSON Schema (draft-07, ajv) of the MCP action document; types.ts is the TypeScript side, and
// the `satisfies` clauses make the compiler reject property sets that drift from it.

import { MCP_FLAGS, type McpActionError, type McpOther, type McpPromptGet, type McpResourceRead, type McpToolCall } from './types.ts';

type Props<T> = { [K in keyof Required<T>]: object };

const base = {
  version: { const: 1 },
  kind: { const: 'mcp' },
  server: { type: 'string', minLength: 1 },
  id: { anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'null' }] },
  flags: { type: 'array', items: { enum: MCP_FLAGS }, uniqueItems: true },
} as const;
const baseRequired = ['version', 'kind', 'server', 'method', 'id', 'flags'] as const;
const args = { type: 'object' } as const;

export const mcpActionSchema = {
  $id: 'https://portcullis.dev/schemas/action-mcp.json',
  oneOf: [
    {
      type: 'object',
      required: [...baseRequired, 'tool', 'arguments'],
      additionalProperties: false,
      properties: { ...base, method: { const: 'tools/call' }, tool: { type: 'string', minLength: 1 }, arguments: args } satisfies Props<McpToolCall>,
    },
    {
      type: 'object',
      required: [...baseRequired, 'uri', 'uri_scheme'],
      additionalProperties: false,
      properties: { ...base, method: { const: 'resources/read' }, uri: { type: 'string', minLength: 1 }, uri_scheme: { anyOf: [{ type: 'string' }, { type: 'null' }] } } satisfies Props<McpResourceRead>,
    },
    {
      type: 'object',
      required: [...baseRequired, 'prompt', 'arguments'],
      additionalProperties: false,
      properties: { ...base, method: { const: 'prompts/get' }, prompt: { type: 'string', minLength: 1 }, arguments: args } satisfies Props<McpPromptGet>,
    },
    {
      type: 'object',
      required: [...baseRequired, 'params'],
      additionalProperties: false,
      properties: {
        ...base,
        method: { type: 'string', minLength: 1, not: { enum: ['tools/call', 'resources/read', 'prompts/get'] } },
        params: { anyOf: [{ type: 'object' }, { type: 'array' }, { type: 'null' }] },
      } satisfies Props<McpOther>,
    },
    {
      type: 'object',
      required: ['version', 'kind', 'server', 'parse_error'],
      additionalProperties: false,
      properties: {
        version: { const: 1 },
        kind: { const: 'mcp' },
        server: { type: 'string' },
        parse_error: {
          type: 'object',
          required: ['code', 'message'],
          additionalProperties: false,
          properties: { code: { type: 'string', minLength: 1 }, message: { type: 'string' }, position: { type: 'integer', minimum: 0 } },
        },
      } satisfies Props<McpActionError>,
    },
  ],
} as const;
