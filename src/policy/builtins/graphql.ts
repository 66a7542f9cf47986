// graphql.* builtins. Parsing and schema rules follow the Go library OPA embeds (see
// graphql-syntax.ts and graphql-schema.ts); queries are validated against the schema with
// graphql-js's specified rules, which that library mirrors. ASTs are returned as OPA returns
// them: the Go structs as JSON with null, empty-list and empty-object fields pruned.
import type { GraphQLSchema } from 'graphql';
import { decodeQueryDocument, decodeSchemaDocument } from './graphql-decode.ts';
import { loadSchema, printDirectives, printType, printValue, toGraphQLJs, type LoadedSchema } from './graphql-schema.ts';
import {
  isField, isInline, parseQueryDocument, parseSchemaDocument, type GqlQueryDocument, type GqlSchemaDocument,
  type GqlSelection, type GqlVariableDef,
} from './graphql-syntax.ts';
import { graphqlJs } from './lazy.ts';
import { BoundedCache, isObject, isString, type HostBuiltin } from './values.ts';

/** Drops nulls, empty arrays and empty objects, recursively (the top level stays). */
export function prune(v: unknown): unknown {
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (const e of v) {
      if (e === null || e === undefined) continue;
      const p = prune(e);
      if (isEmpty(p)) continue;
      out.push(p);
    }
    return out;
  }
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      if (k === 'Position' || e === null || e === undefined) continue;
      const p = prune(e);
      if (isEmpty(p)) continue;
      out[k] = p;
    }
    return out;
  }
  return v;
}

function isEmpty(v: unknown): boolean {
  return (Array.isArray(v) && v.length === 0) || (isObject(v) && Object.keys(v).length === 0);
}

interface Query { doc: GqlQueryDocument; text: string | undefined }

/** A query argument: GraphQL text or an AST object. Throws on errors. */
function queryArg(q: unknown): Query {
  if (isString(q)) return { doc: parseQueryDocument(q), text: q };
  if (isObject(q)) return { doc: decodeQueryDocument(q), text: undefined };
  throw new TypeError('query must be a string or an object');
}

function schemaArg(s: unknown): GqlSchemaDocument {
  if (isString(s)) return parseSchemaDocument(s);
  if (isObject(s)) return decodeSchemaDocument(s);
  throw new TypeError('schema must be a string or an object');
}

// ---- printing a query AST back to text (for AST-object arguments) ----

function printVars(vars: GqlVariableDef[]): string {
  if (vars.length === 0) return '';
  const items = vars.map((v) => `$${v.Variable}: ${printType(v.Type)}${v.DefaultValue !== null ? ` = ${printValue(v.DefaultValue)}` : ''}${printDirectives(v.Directives)}`);
  return `(${items.join(', ')})`;
}

function printSelections(sels: GqlSelection[]): string {
  const items = sels.map((s) => {
    if (isInline(s)) return `... ${s.TypeCondition !== '' ? `on ${s.TypeCondition}` : ''}${printDirectives(s.Directives)} ${printSelections(s.SelectionSet)}`;
    if (isField(s)) {
      const alias = s.Alias !== '' && s.Alias !== s.Name ? `${s.Alias}: ` : '';
      const args = s.Arguments.length > 0 ? `(${s.Arguments.map((a) => `${a.Name}: ${printValue(a.Value)}`).join(', ')})` : '';
      const sub = s.SelectionSet.length > 0 ? ` ${printSelections(s.SelectionSet)}` : '';
      return `${alias}${s.Name}${args}${printDirectives(s.Directives)}${sub}`;
    }
    return `...${s.Name}${printDirectives(s.Directives)}`;
  });
  return `{\n${items.join('\n')}\n}`;
}

export function printQuery(doc: GqlQueryDocument): string {
  const ops = doc.Operations.map((o) => `${o.Operation === '' ? 'query' : o.Operation} ${o.Name}${printVars(o.VariableDefinitions)}${printDirectives(o.Directives)} ${printSelections(o.SelectionSet)}`);
  const frags = doc.Fragments.map((f) => `fragment ${f.Name}${printVars(f.VariableDefinition)} on ${f.TypeCondition}${printDirectives(f.Directives)} ${printSelections(f.SelectionSet)}`);
  return [...ops, ...frags].join('\n\n');
}

// ---- validation ----

interface Compiled { loaded: LoadedSchema; js: GraphQLSchema }

const schemaCache = new BoundedCache<Compiled | Error>(64);

/** Loads (and caches) a schema; throws the validation error. */
function compileSchema(doc: GqlSchemaDocument): Compiled {
  const hit = schemaCache.get(JSON.stringify(doc), () => {
    try {
      const loaded = loadSchema(doc);
      return { loaded, js: toGraphQLJs(loaded) };
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  });
  if (hit instanceof Error) throw hit;
  return hit;
}

/** Validates a query against a schema; throws the first error. */
function validateQuery(schema: Compiled, q: Query): void {
  if (q.doc.Operations.length === 0 && q.doc.Fragments.length === 0) return;
  for (const op of q.doc.Operations) {
    const kind = op.Operation === '' ? 'query' : op.Operation;
    if (kind !== 'query' && kind !== 'mutation' && kind !== 'subscription') throw new Error(`unknown operation ${kind}`);
    if (schema.loaded.roots[kind] === undefined) throw new Error(`Schema does not support operation type "${kind}"`);
  }
  const text = q.text ?? printQuery(q.doc);
  const { GraphQLError, parse: jsParse, validate: jsValidate } = graphqlJs();
  const ast = jsParse(text, { allowLegacyFragmentVariables: true });
  const errors = jsValidate(schema.js, ast);
  if (errors.length > 0) {
    const e = errors[0]!;
    const loc = e.locations?.[0];
    throw new GraphQLError(loc !== undefined ? `${e.message} in GraphQL query string at location ${loc.line}:${loc.column}` : e.message);
  }
}

/** Parses, loads and validates; returns the pruned ASTs, or throws the first error. */
function parseAndValidate(query: unknown, schema: unknown): [unknown, unknown] {
  const q = queryArg(query);
  const s = schemaArg(schema);
  const out: [unknown, unknown] = [prune(q.doc), prune(s)];
  validateQuery(compileSchema(s), q);
  return out;
}

function attempt<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

export const graphqlBuiltins: Record<string, HostBuiltin> = {
  'graphql.parse_query': (q) => (isString(q) ? prune(parseQueryDocument(q)) : undefined),
  'graphql.parse_schema': (s) => (isString(s) ? prune(parseSchemaDocument(s)) : undefined),
  'graphql.parse': (q, s) => parseAndValidate(q, s),
  'graphql.parse_and_verify': (q, s) => {
    const r = attempt(() => parseAndValidate(q, s));
    return r === undefined ? [false, {}, {}] : [true, r[0], r[1]];
  },
  'graphql.is_valid': (q, s) => attempt(() => parseAndValidate(q, s)) !== undefined,
  'graphql.schema_is_valid': (s) => attempt(() => compileSchema(schemaArg(s))) !== undefined,
};
