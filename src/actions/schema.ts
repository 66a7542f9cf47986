// The combined JSON Schema of `input.action`: exactly one of the four kinds' schemas. Each kind's
// schema keeps its own $id, so its internal `#/definitions/...` references still resolve.

import { sqlActionSchema } from './sql/schema.ts';
import { shellActionSchema } from './shell/schema.ts';
import { httpActionSchema } from './http/schema.ts';
import { mcpActionSchema } from './mcp/schema.ts';

export const actionSchema = {
  $id: 'https://portcullis.dev/schemas/action.json',
  title: 'Action document',
  oneOf: [sqlActionSchema, shellActionSchema, httpActionSchema, mcpActionSchema],
} as const;
