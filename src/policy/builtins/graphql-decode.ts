// AST objects back into the typed GraphQL AST, for the builtins that accept an already-parsed
// query or schema. Like Go's JSON decoding into the AST structs, keys match case-insensitively,
// missing fields take their zero value and unknown keys are ignored; a field of the wrong JSON
// type is an error. Selections carry no tag: `TypeCondition` marks an inline fragment, a field
// has an alias, arguments or a selection set, anything else is a fragment spread.
import type {
  GqlArgument, GqlChild, GqlDefinition, GqlDirective, GqlDirectiveDef, GqlEnumValueDef, GqlFieldDef, GqlFragment,
  GqlInputValueDef, GqlKind, GqlOperation, GqlOperationType, GqlQueryDocument, GqlSchemaDef, GqlSchemaDocument,
  GqlSelection, GqlType, GqlValue, GqlVariableDef,
} from './graphql-syntax.ts';

export class GraphQLDecodeError extends Error {}

type Obj = Record<string, unknown>;

function get(o: Obj, key: string): unknown {
  if (key in o) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function obj(v: unknown, what: string): Obj | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'object' || Array.isArray(v)) throw new GraphQLDecodeError(`${what}: expected an object`);
  return v as Obj;
}

function str(o: Obj, key: string): string {
  const v = get(o, key);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'string') throw new GraphQLDecodeError(`${key}: expected a string`);
  return v;
}

function bool(o: Obj, key: string): boolean {
  const v = get(o, key);
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw new GraphQLDecodeError(`${key}: expected a boolean`);
  return v;
}

function num(o: Obj, key: string): number {
  const v = get(o, key);
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new GraphQLDecodeError(`${key}: expected an integer`);
  return v;
}

function list<T>(o: Obj, key: string, item: (x: Obj) => T): T[] {
  const v = get(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new GraphQLDecodeError(`${key}: expected an array`);
  // A null element decodes to a nil pointer, which the Go code would trip over: reject it.
  return v.map((x) => {
    const e = obj(x, key);
    if (e === null) throw new GraphQLDecodeError(`${key}: null element`);
    return item(e);
  });
}

function strings(o: Obj, key: string): string[] {
  const v = get(o, key);
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw new GraphQLDecodeError(`${key}: expected strings`);
  return v as string[];
}

function value(o: Obj): GqlValue {
  return {
    Raw: str(o, 'Raw'), Children: list(o, 'Children', child), Kind: num(o, 'Kind'),
    ExpectedTypeHasDefault: bool(o, 'ExpectedTypeHasDefault'),
  };
}

function optValue(o: Obj, key: string): GqlValue | null {
  const v = obj(get(o, key), key);
  return v === null ? null : value(v);
}

function child(o: Obj): GqlChild {
  return { Name: str(o, 'Name'), Value: optValue(o, 'Value') ?? value({}) };
}

function type(o: Obj | null): GqlType {
  if (o === null) return { NamedType: '', Elem: null, NonNull: false };
  const elem = obj(get(o, 'Elem'), 'Elem');
  return { NamedType: str(o, 'NamedType'), Elem: elem === null ? null : type(elem), NonNull: bool(o, 'NonNull') };
}

function argument(o: Obj): GqlArgument {
  return { Name: str(o, 'Name'), Value: optValue(o, 'Value') ?? value({}) };
}

function directive(o: Obj): GqlDirective {
  return { Name: str(o, 'Name'), Arguments: list(o, 'Arguments', argument), Location: str(o, 'Location') };
}

function selection(o: Obj): GqlSelection {
  const has = (k: string): boolean => get(o, k) !== undefined;
  if (has('TypeCondition')) {
    return { TypeCondition: str(o, 'TypeCondition'), Directives: list(o, 'Directives', directive), SelectionSet: list(o, 'SelectionSet', selection) };
  }
  if (has('Alias') || has('Arguments') || has('SelectionSet')) {
    return {
      Alias: str(o, 'Alias'), Name: str(o, 'Name'), Arguments: list(o, 'Arguments', argument),
      Directives: list(o, 'Directives', directive), SelectionSet: list(o, 'SelectionSet', selection),
    };
  }
  return { Name: str(o, 'Name'), Directives: list(o, 'Directives', directive) };
}

function variableDef(o: Obj): GqlVariableDef {
  return {
    Variable: str(o, 'Variable'), Type: type(obj(get(o, 'Type'), 'Type')), DefaultValue: optValue(o, 'DefaultValue'),
    Directives: list(o, 'Directives', directive), Used: bool(o, 'Used'),
  };
}

function operation(o: Obj): GqlOperation {
  return {
    Operation: str(o, 'Operation'), Name: str(o, 'Name'), VariableDefinitions: list(o, 'VariableDefinitions', variableDef),
    Directives: list(o, 'Directives', directive), SelectionSet: list(o, 'SelectionSet', selection),
  };
}

function fragment(o: Obj): GqlFragment {
  return {
    Name: str(o, 'Name'), VariableDefinition: list(o, 'VariableDefinition', variableDef), TypeCondition: str(o, 'TypeCondition'),
    Directives: list(o, 'Directives', directive), SelectionSet: list(o, 'SelectionSet', selection),
  };
}

export function decodeQueryDocument(v: Obj): GqlQueryDocument {
  return { Operations: list(v, 'Operations', operation), Fragments: list(v, 'Fragments', fragment) };
}

function inputValueDef(o: Obj): GqlInputValueDef {
  return {
    Description: str(o, 'Description'), Name: str(o, 'Name'), DefaultValue: optValue(o, 'DefaultValue'),
    Type: type(obj(get(o, 'Type'), 'Type')), Directives: list(o, 'Directives', directive),
  };
}

function fieldDef(o: Obj): GqlFieldDef {
  return {
    Description: str(o, 'Description'), Name: str(o, 'Name'), Arguments: list(o, 'Arguments', inputValueDef),
    DefaultValue: optValue(o, 'DefaultValue'), Type: type(obj(get(o, 'Type'), 'Type')), Directives: list(o, 'Directives', directive),
  };
}

function enumValueDef(o: Obj): GqlEnumValueDef {
  return { Description: str(o, 'Description'), Name: str(o, 'Name'), Directives: list(o, 'Directives', directive) };
}

function definition(o: Obj): GqlDefinition {
  return {
    Kind: str(o, 'Kind') as GqlKind, Description: str(o, 'Description'), Name: str(o, 'Name'),
    Directives: list(o, 'Directives', directive), Interfaces: strings(o, 'Interfaces'), Fields: list(o, 'Fields', fieldDef),
    Types: strings(o, 'Types'), EnumValues: list(o, 'EnumValues', enumValueDef), BuiltIn: bool(o, 'BuiltIn'),
  };
}

function operationType(o: Obj): GqlOperationType {
  return { Operation: str(o, 'Operation'), Type: str(o, 'Type') };
}

function schemaDef(o: Obj): GqlSchemaDef {
  return { Description: str(o, 'Description'), Directives: list(o, 'Directives', directive), OperationTypes: list(o, 'OperationTypes', operationType) };
}

function directiveDef(o: Obj): GqlDirectiveDef {
  return {
    Description: str(o, 'Description'), Name: str(o, 'Name'), Arguments: list(o, 'Arguments', inputValueDef),
    Locations: strings(o, 'Locations'), IsRepeatable: bool(o, 'IsRepeatable'),
  };
}

export function decodeSchemaDocument(v: Obj): GqlSchemaDocument {
  return {
    Schema: list(v, 'Schema', schemaDef), SchemaExtension: list(v, 'SchemaExtension', schemaDef),
    Directives: list(v, 'Directives', directiveDef), Definitions: list(v, 'Definitions', definition),
    Extensions: list(v, 'Extensions', definition),
  };
}
