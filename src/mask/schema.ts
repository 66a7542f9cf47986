// JSON Schema of mask obligations. Unknown properties are errors: a misspelt option must not
// silently weaken a mask.

import { DETECTOR_NAMES } from './types.ts';

const columnTarget = {
  type: 'object',
  required: ['kind', 'table', 'column'],
  additionalProperties: false,
  properties: {
    kind: { const: 'column' },
    table: { type: 'string', minLength: 1, maxLength: 512 },
    column: { type: 'string', minLength: 1, maxLength: 256 },
  },
} as const;

const jsonPathTarget = {
  type: 'object',
  required: ['kind', 'path'],
  additionalProperties: false,
  properties: {
    kind: { const: 'jsonpath' },
    path: { type: 'string', minLength: 1, maxLength: 1024, pattern: '^\\$' },
  },
} as const;

const detectorTarget = {
  type: 'object',
  required: ['kind', 'detector'],
  additionalProperties: false,
  properties: {
    kind: { const: 'detector' },
    detector: { enum: [...DETECTOR_NAMES, 'all'] },
  },
} as const;

const redact = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: { kind: { const: 'redact' }, replacement: { type: 'string', maxLength: 256 } },
} as const;

const partial = {
  type: 'object',
  required: ['kind', 'keepLast'],
  additionalProperties: false,
  properties: { kind: { const: 'partial' }, keepLast: { type: 'integer', minimum: 0, maximum: 64 } },
} as const;

const hash = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: { kind: { const: 'hash' }, key: { type: 'string', pattern: '^[A-Za-z0-9_.-]{1,64}$' } },
} as const;

const nullify = {
  type: 'object',
  required: ['kind'],
  additionalProperties: false,
  properties: { kind: { const: 'null' } },
} as const;

/** One mask obligation `{ target, strategy }` (embed it; it has no $id). */
export const maskSpecSchema = {
  title: 'Mask obligation',
  type: 'object',
  required: ['target', 'strategy'],
  additionalProperties: false,
  properties: {
    target: { oneOf: [columnTarget, jsonPathTarget, detectorTarget] },
    strategy: { oneOf: [redact, partial, hash, nullify] },
  },
} as const;

/** The `masks` array of a decision. */
export const masksSchema = {
  $id: 'https://portcullis.dev/schemas/masks.json',
  title: 'Mask obligations',
  type: 'array',
  maxItems: 256,
  items: maskSpecSchema,
} as const;

export const TARGET_KINDS = ['column', 'jsonpath', 'detector'] as const;
export const STRATEGY_KINDS = ['redact', 'partial', 'hash', 'null'] as const;
