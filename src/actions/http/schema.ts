// JSON Schema (draft-07, as ajv validates it) of the HTTP action document; types.ts is the
// TypeScript side; the `satisfies` clauses make the compiler reject property sets that drift
// from types.ts, and the tests check real documents against both.

import { HTTP_FLAGS, type GraphqlInfo, type HttpActionError, type HttpActionOk } from './types.ts';

type Props<T> = { [K in keyof Required<T>]: object };

const stringList = { type: 'array', items: { type: 'string' } } as const;
const multiMap = { type: 'object', additionalProperties: stringList } as const;

const flags = { type: 'array', items: { enum: HTTP_FLAGS }, uniqueItems: true } as const;
const stringOrNull = { anyOf: [{ type: 'string' }, { type: 'null' }] } as const;
const contentType = stringOrNull;
const size = { type: 'integer', minimum: 1 } as const;

export const parseErrorSchema = {
  type: 'object',
  required: ['code', 'message'],
  additionalProperties: false,
  properties: {
    code: { type: 'string', minLength: 1 },
    message: { type: 'string' },
    position: { type: 'integer', minimum: 0 },
    field: { enum: ['method', 'url', 'headers', 'body'] },
  },
} as const;

const body = {
  oneOf: [
    { type: 'object', required: ['kind'], additionalProperties: false, properties: { kind: { const: 'none' } } },
    { type: 'object', required: ['kind', 'size', 'json'], additionalProperties: false, properties: { kind: { const: 'json' }, size, json: {} } },
    { type: 'object', required: ['kind', 'size', 'form'], additionalProperties: false, properties: { kind: { const: 'form' }, size, form: multiMap } },
    { type: 'object', required: ['kind', 'size'], additionalProperties: false, properties: { kind: { const: 'graphql' }, size } },
    { type: 'object', required: ['kind', 'size', 'content_type'], additionalProperties: false, properties: { kind: { const: 'raw' }, size, content_type: contentType } },
    {
      type: 'object', required: ['kind', 'size', 'content_type', 'error'], additionalProperties: false,
      properties: { kind: { const: 'invalid' }, size, content_type: contentType, error: { type: 'string' } },
    },
    {
      type: 'object', required: ['kind', 'size', 'truncated', 'content_type'], additionalProperties: false,
      properties: { kind: { const: 'truncated' }, size, truncated: { const: true }, content_type: contentType },
    },
  ],
} as const;

const opType = { enum: ['query', 'mutation', 'subscription'] } as const;

const graphqlProps = {
  operation: { enum: ['query', 'mutation', 'subscription', 'unknown'] },
  name: stringOrNull,
  fields: stringList,
  fields_complete: { type: 'boolean' },
  operations: {
    type: 'array',
    items: {
      type: 'object', required: ['operation', 'name'], additionalProperties: false,
      properties: { operation: opType, name: stringOrNull },
    },
  },
} as const satisfies Props<GraphqlInfo>;

const graphql = {
  type: 'object',
  required: ['operation', 'name', 'fields', 'fields_complete', 'operations'],
  additionalProperties: false,
  properties: graphqlProps,
} as const;

const okProps = {
  version: { const: 1 },
  kind: { const: 'http' },
  method: { type: 'string', pattern: '^[!#$%&\'*+.^_`|~0-9A-Z-]+$' },
  scheme: { enum: ['http', 'https', 'ws', 'wss'] },
  host: { type: 'string', minLength: 1 },
  host_type: { enum: ['name', 'ipv4', 'ipv6'] },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  path: { type: 'string' },
  segments: stringList,
  query: multiMap,
  headers: {
    type: 'object',
    propertyNames: { pattern: '^:?[!#$%&\'*+.^_`|~0-9a-z-]+$' },
    additionalProperties: stringList,
  },
  body,
  graphql,
  flags,
} as const satisfies Props<HttpActionOk>;

const errorProps = {
  version: { const: 1 },
  kind: { const: 'http' },
  parse_error: parseErrorSchema,
  flags,
} as const satisfies Props<HttpActionError>;

export const httpActionSchema = {
  $id: 'https://portcullis.dev/schemas/action-http.json',
  oneOf: [
    {
      type: 'object',
      required: ['version', 'kind', 'method', 'scheme', 'host', 'host_type', 'port', 'path', 'segments', 'query', 'headers', 'body', 'flags'],
      additionalProperties: false,
      properties: okProps,
    },
    {
      type: 'object',
      required: ['version', 'kind', 'parse_error', 'flags'],
      additionalProperties: false,
      properties: errorProps,
    },
  ],
} as const;
