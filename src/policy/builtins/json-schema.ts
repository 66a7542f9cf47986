// json.verify_schema(schema) → [ok, error|null] and json.match_schema(doc, schema) → [ok, errors],
// JSON Schema draft 7 (ajv). Documents and schemas may be JSON text or values. Errors take the
// shape OPA reports: {error, type, field, desc}, with the messages and type names of the Go
// validator OPA embeds; `field` is the dotted path of the value ("(root)" for the document).
// A schema that does not compile makes match_schema undefined.
import AjvModule, { type ErrorObject, type ValidateFunction } from 'ajv';
import { BoundedCache, isInteger, isObject, isString, type HostBuiltin } from './values.ts';

const Ajv = AjvModule as unknown as typeof AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new BoundedCache<ValidateFunction | Error>(64);

function value(v: unknown): unknown {
  return isString(v) ? (JSON.parse(v) as unknown) : v;
}

function compile(schema: unknown): ValidateFunction {
  const s = value(schema);
  const hit = compiled.get(JSON.stringify(s), () => {
    try {
      if (!isObject(s) && typeof s !== 'boolean') throw new Error('a schema is an object or a boolean');
      return ajv.compile(s as object);
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  });
  if (hit instanceof Error) throw hit;
  return hit;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function field(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra !== undefined) parts.push(extra);
  return parts.length === 0 ? '(root)' : parts.join('.');
}

function describe(e: ErrorObject, doc: unknown): { type: string; desc: string; field: string } {
  const p = e.params as Record<string, unknown>;
  const at = field(e.instancePath);
  const target = e.instancePath.split('/').slice(1).reduce<unknown>((cur, k) => (isObject(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[k.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), doc);
  switch (e.keyword) {
    case 'type': {
      const expected = Array.isArray(p.type) ? (p.type as string[]).join(', ') : String(p.type);
      return { type: 'invalid_type', desc: `Invalid type. Expected: ${expected}, given: ${typeOf(target)}`, field: at };
    }
    case 'required': return { type: 'required', desc: `${String(p.missingProperty)} is required`, field: at };
    case 'additionalProperties': return { type: 'additional_property_not_allowed', desc: `Additional property ${String(p.additionalProperty)} is not allowed`, field: at };
    case 'enum': return { type: 'enum', desc: `${at} must be one of the following: ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`, field: at };
    case 'const': return { type: 'const', desc: `${at} does not match: ${JSON.stringify(p.allowedValue)}`, field: at };
    case 'minLength': return { type: 'string_gte', desc: `String length must be greater than or equal to ${String(p.limit)}`, field: at };
    case 'maxLength': return { type: 'string_lte', desc: `String length must be less than or equal to ${String(p.limit)}`, field: at };
    case 'pattern': return { type: 'pattern', desc: `Does not match pattern '${String(p.pattern)}'`, field: at };
    case 'format': return { type: 'format', desc: `Does not match format '${String(p.format)}'`, field: at };
    case 'minimum': return { type: 'number_gte', desc: `Must be greater than or equal to ${String(p.limit)}`, field: at };
    case 'exclusiveMinimum': return { type: 'number_gt', desc: `Must be greater than ${String(p.limit)}`, field: at };
    case 'maximum': return { type: 'number_lte', desc: `Must be less than or equal to ${String(p.limit)}`, field: at };
    case 'exclusiveMaximum': return { type: 'number_lt', desc: `Must be less than ${String(p.limit)}`, field: at };
    case 'multipleOf': return { type: 'multiple_of', desc: `Must be a multiple of ${String(p.multipleOf)}`, field: at };
    case 'minItems': return { type: 'array_min_items', desc: `Array must have at least ${String(p.limit)} items`, field: at };
    case 'maxItems': return { type: 'array_max_items', desc: `Array must have at most ${String(p.limit)} items`, field: at };
    case 'uniqueItems': return { type: 'unique', desc: `array items[${String(p.j)},${String(p.i)}] must be unique`, field: at };
    case 'minProperties': return { type: 'array_min_properties', desc: `Must have at least ${String(p.limit)} properties`, field: at };
    case 'maxProperties': return { type: 'array_max_properties', desc: `Must have at most ${String(p.limit)} properties`, field: at };
    case 'anyOf': return { type: 'number_any_of', desc: 'Must validate at least one schema (anyOf)', field: at };
    case 'oneOf': return { type: 'number_one_of', desc: 'Must validate one and only one schema (oneOf)', field: at };
    case 'not': return { type: 'number_not', desc: 'Must not validate the schema (not)', field: at };
    default: return { type: e.keyword, desc: e.message ?? e.keyword, field: at };
  }
}

export const jsonSchemaBuiltins: Record<string, HostBuiltin> = {
  'json.verify_schema': (schema) => {
    try {
      compile(schema);
      return [true, null];
    } catch (e) {
      return [false, e instanceof Error ? e.message : String(e)];
    }
  },
  'json.match_schema': (doc, schema) => {
    const validate = compile(schema);
    const d = value(doc);
    if (validate(d)) return [true, []];
    const errors = (validate.errors ?? []).map((e) => {
      const x = describe(e, d);
      return { error: `${x.field}: ${x.desc}`, type: x.type, field: x.field, desc: x.desc };
    });
    return [false, errors];
  },
};
