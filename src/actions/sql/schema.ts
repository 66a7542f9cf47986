// JSON Schema (draft-07, ajv) of the SQL action document. The `satisfies` clauses make the
// compiler reject a schema whose property set drifts from the TypeScript types in types.ts.
import {
  SQL_FLAGS, SQL_STATEMENT_TYPES,
  type SqlAction, type SqlColumnSource, type SqlLineage, type SqlName, type SqlNestedStatement,
  type SqlParseError, type SqlStatement,
} from './types.ts';

type Props<T> = { [K in keyof Required<T>]: object };

const nameProps = {
  catalog: { type: ['string', 'null'] },
  schema: { type: ['string', 'null'] },
  name: { type: 'string' },
  quoted: { type: 'array', items: { type: 'boolean' }, minItems: 1, maxItems: 3 },
  canonical: { type: 'string', minLength: 1 },
} satisfies Props<SqlName>;

const sourceProps = {
  table: { type: 'string' },
  column: { type: 'string' },
} satisfies Props<SqlColumnSource>;

const lineageProps = {
  name: { type: 'string' },
  source: { anyOf: [{ const: 'unknown' }, { $ref: '#/definitions/source' }] },
  candidates: { type: 'array', items: { $ref: '#/definitions/source' } },
} satisfies Props<SqlLineage>;

const names = { type: 'array', items: { $ref: '#/definitions/name' } };

const statementProps = {
  type: { enum: [...SQL_STATEMENT_TYPES] },
  raw_kind: { type: 'string' },
  span: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 2, maxItems: 2 },
  reads: names,
  writes: names,
  other: names,
  columns: { type: 'array', items: { type: 'string' } },
  functions: names,
  flags: { type: 'array', items: { enum: [...SQL_FLAGS] }, uniqueItems: true },
  settings: { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
  nested: { type: 'array', items: { $ref: '#/definitions/nested' } },
  lineage: { type: 'array', items: { $ref: '#/definitions/lineage' } },
} satisfies Props<SqlStatement>;

const nestedProps = {
  ...statementProps,
  origin: {
    enum: ['cte', 'subquery', 'code_block', 'prepare', 'explain', 'copy', 'create_as', 'rule', 'view', 'dynamic'],
  },
} satisfies Props<SqlNestedStatement>;

const statementRequired = ['type', 'raw_kind', 'reads', 'writes', 'other', 'columns', 'functions', 'flags', 'settings', 'nested', 'lineage'];

const errorProps = {
  code: { type: 'string', minLength: 1 },
  message: { type: 'string' },
  position: { type: 'integer', minimum: 0 },
} satisfies Props<SqlParseError>;

const actionProps = {
  version: { const: 1 },
  kind: { const: 'sql' },
  dialect: { enum: ['pg', 'mysql'] },
  statements: { type: 'array', items: { $ref: '#/definitions/statement' } },
  parse_error: { type: 'object', additionalProperties: false, required: ['code', 'message'], properties: errorProps },
} satisfies Props<SqlAction>;

/** The schema object; compile it with `new Ajv().compile(sqlActionSchema)`. */
export const sqlActionSchema = {
  $id: 'https://portcullis.dev/schemas/action-sql.json',
  title: 'SQL action document',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'kind', 'dialect', 'statements'],
  properties: actionProps,
  // A failed parse carries no statements: nothing partial can look like a success.
  if: { required: ['parse_error'] },
  then: { properties: { statements: { type: 'array', maxItems: 0 } } },
  definitions: {
    name: { type: 'object', additionalProperties: false, required: ['schema', 'name', 'quoted', 'canonical'], properties: nameProps },
    source: { type: 'object', additionalProperties: false, required: ['table', 'column'], properties: sourceProps },
    lineage: { type: 'object', additionalProperties: false, required: ['name', 'source'], properties: lineageProps },
    statement: { type: 'object', additionalProperties: false, required: statementRequired, properties: statementProps },
    nested: { type: 'object', additionalProperties: false, required: [...statementRequired, 'origin'], properties: nestedProps },
  },
} as const;
