// Schema loading for the graphql.* builtins, with the rules of the Go validator OPA uses: the
// built-in prelude is merged in first, extensions of types that do not exist create them, root
// operation types default to Query / Mutation / Subscription without a `schema` block, and no
// query root is required. The first violation is reported. A valid schema is then printed as
// SDL for graphql-js, which validates queries against it.
import type { GraphQLSchema } from 'graphql';
import { graphqlJs } from './lazy.ts';
import {
  parseSchemaDocument, VK, type GqlDefinition, type GqlDirective, type GqlDirectiveDef, type GqlFieldDef,
  type GqlInputValueDef, type GqlSchemaDocument, type GqlType, type GqlValue,
} from './graphql-syntax.ts';

export class GraphQLSchemaError extends Error {}

const PRELUDE_SDL = `
scalar Int
scalar Float
scalar String
scalar Boolean
scalar ID
directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported") on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
directive @specifiedBy(url: String!) on SCALAR
directive @defer(if: Boolean = true, label: String) on FRAGMENT_SPREAD | INLINE_FRAGMENT
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String fields(includeDeprecated: Boolean = false): [__Field!] interfaces: [__Type!] possibleTypes: [__Type!] enumValues(includeDeprecated: Boolean = false): [__EnumValue!] inputFields: [__InputValue!] ofType: __Type specifiedByURL: String }
type __Field { name: String! description: String args: [__InputValue!]! type: __Type! isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
type __Directive { name: String! description: String locations: [__DirectiveLocation!]! args: [__InputValue!]! isRepeatable: Boolean! }
enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
`;

let preludeDoc: GqlSchemaDocument | undefined;
function prelude(): GqlSchemaDocument {
  if (preludeDoc === undefined) {
    preludeDoc = parseSchemaDocument(PRELUDE_SDL);
    for (const d of preludeDoc.Definitions) d.BuiltIn = true;
  }
  return preludeDoc;
}

/** A validated schema: merged type definitions, directives and root operation types. */
export interface LoadedSchema {
  types: Map<string, GqlDefinition>;
  directives: Map<string, GqlDirectiveDef>;
  roots: { query?: string; mutation?: string; subscription?: string };
}

const fail = (msg: string): never => {
  throw new GraphQLSchemaError(msg);
};

const typeName = (t: GqlType): string => (t.Elem !== null ? typeName(t.Elem) : t.NamedType);
const clone = <T>(v: T): T => structuredClone(v);

function typeString(t: GqlType): string {
  return (t.Elem !== null ? `[${typeString(t.Elem)}]` : t.NamedType) + (t.NonNull ? '!' : '');
}

function validateName(name: string): void {
  if (name.startsWith('__')) fail(`Name "${name}" must not begin with "__", which is reserved by GraphQL introspection.`);
}

function isInputKind(def: GqlDefinition | undefined): boolean {
  return def !== undefined && (def.Kind === 'SCALAR' || def.Kind === 'ENUM' || def.Kind === 'INPUT_OBJECT');
}

class Validator {
  readonly types = new Map<string, GqlDefinition>();
  readonly directives = new Map<string, GqlDirectiveDef>();
  readonly possible = new Map<string, string[]>();

  typeRef(t: GqlType): void {
    if (!this.types.has(typeName(t))) fail(`Undefined type ${typeName(t)}.`);
  }

  args(args: GqlInputValueDef[], current: GqlDirectiveDef | null): void {
    for (const a of args) {
      validateName(a.Name);
      this.typeRef(a.Type);
      const def = this.types.get(typeName(a.Type));
      if (!isInputKind(def)) fail(`cannot use ${typeString(a.Type)} as argument ${a.Name} because ${def!.Kind} is not a valid input type`);
      this.applied(a.Directives, 'ARGUMENT_DEFINITION', current);
    }
  }

  applied(dirs: GqlDirective[], location: string, current: GqlDirectiveDef | null): void {
    for (const d of dirs) {
      validateName(d.Name);
      if (current !== null && d.Name === current.Name) fail(`Directive ${d.Name} cannot refer to itself.`);
      const def = this.directives.get(d.Name);
      if (def === undefined) fail(`Undefined directive ${d.Name}.`);
      if (!def!.Locations.includes(location)) fail(`Directive ${d.Name} is not applicable on ${location}.`);
    }
  }

  covariant(required: GqlType, actual: GqlType): boolean {
    if (required.NonNull && !actual.NonNull) return false;
    if (required.NamedType !== '') {
      return required.NamedType === actual.NamedType || (this.possible.get(required.NamedType) ?? []).includes(actual.NamedType);
    }
    if (required.Elem !== null && actual.Elem === null) return false;
    return required.Elem !== null && actual.Elem !== null ? this.covariant(required.Elem, actual.Elem) : true;
  }

  implements(def: GqlDefinition, name: string): void {
    const intf = this.types.get(name);
    if (intf === undefined) return fail(`Undefined type "${name}".`);
    if (intf.Kind !== 'INTERFACE') fail(`"${name}" is a non interface type ${intf.Kind}.`);
    for (const req of intf.Fields) {
      const found = def.Fields.find((f) => f.Name === req.Name);
      if (found === undefined) return fail(`For ${def.Name} to implement ${name} it must have a field called ${req.Name}.`);
      if (!this.covariant(req.Type, found.Type)) fail(`For ${def.Name} to implement ${name} the field ${req.Name} must have type ${typeString(req.Type)}.`);
      for (const ra of req.Arguments) {
        const fa = found.Arguments.find((a) => a.Name === ra.Name);
        if (fa === undefined) return fail(`For ${def.Name} to implement ${name} the field ${req.Name} must have the same arguments but it is missing ${ra.Name}.`);
        if (typeString(ra.Type) !== typeString(fa.Type)) fail(`For ${def.Name} to implement ${name} the field ${req.Name} must have the same arguments but ${ra.Name} has the wrong type.`);
      }
      for (const fa of found.Arguments) {
        if (!req.Arguments.some((a) => a.Name === fa.Name) && fa.Type.NonNull && fa.DefaultValue === null) {
          fail(`For ${def.Name} to implement ${name} any additional arguments on ${found.Name} must be optional or have a default value but ${fa.Name} is required.`);
        }
      }
    }
    for (const t of intf.Interfaces) {
      if (!def.Interfaces.includes(t)) {
        if (t === def.Name) fail(`Type ${def.Name} cannot implement ${name} because it would create a circular reference.`);
        fail(`Type ${def.Name} must implement ${t} because it is implemented by ${name}.`);
      }
    }
  }

  definition(def: GqlDefinition): void {
    for (const f of def.Fields) {
      validateName(f.Name);
      this.typeRef(f.Type);
      this.args(f.Arguments, null);
      this.applied(f.Directives, def.Kind === 'INPUT_OBJECT' ? 'INPUT_FIELD_DEFINITION' : 'FIELD_DEFINITION', null);
    }
    for (const t of def.Types) {
      const td = this.types.get(t);
      if (td === undefined) fail(`Undefined type "${t}".`);
      if (td!.Kind !== 'OBJECT') fail(`${def.Kind} type "${t}" must be OBJECT.`);
    }
    for (const i of def.Interfaces) this.implements(def, i);
    const fieldKinds = (f: GqlFieldDef): string | undefined => this.types.get(typeName(f.Type))?.Kind;
    switch (def.Kind) {
      case 'OBJECT':
      case 'INTERFACE':
        if (def.Fields.length === 0) fail(`${def.Kind} ${def.Name}: must define one or more fields.`);
        for (const f of def.Fields) if (fieldKinds(f) === 'INPUT_OBJECT') fail(`${def.Kind} ${def.Name}: field must be one of SCALAR, OBJECT, INTERFACE, UNION, ENUM.`);
        break;
      case 'ENUM':
        if (def.EnumValues.length === 0) fail(`${def.Kind} ${def.Name}: must define one or more unique enum values.`);
        for (const v of def.EnumValues) if (['true', 'false', 'null'].includes(v.Name)) fail(`${def.Kind} ${def.Name}: non-enum value ${v.Name}.`);
        break;
      case 'INPUT_OBJECT':
        if (def.Fields.length === 0) fail(`${def.Kind} ${def.Name}: must define one or more input fields.`);
        for (const f of def.Fields) {
          const k = fieldKinds(f);
          if (k !== undefined && k !== 'SCALAR' && k !== 'ENUM' && k !== 'INPUT_OBJECT') fail(`${k} ${f.Name}: field must be one of SCALAR, ENUM, INPUT_OBJECT.`);
        }
        break;
      default:
        break;
    }
    def.Fields.forEach((f, i) => {
      if (def.Fields.slice(i + 1).some((g) => g.Name === f.Name)) fail(`Field ${def.Name}.${f.Name} can only be defined once.`);
    });
    if (!def.BuiltIn) validateName(def.Name);
    this.applied(def.Directives, def.Kind, null);
  }
}

/** Merges the prelude with `doc` and validates the result; throws GraphQLSchemaError. */
export function loadSchema(userDoc: GqlSchemaDocument): LoadedSchema {
  const pre = prelude();
  const doc = clone({
    Schema: [...pre.Schema, ...userDoc.Schema], SchemaExtension: [...pre.SchemaExtension, ...userDoc.SchemaExtension],
    Directives: [...pre.Directives, ...userDoc.Directives], Definitions: [...pre.Definitions, ...userDoc.Definitions],
    Extensions: [...pre.Extensions, ...userDoc.Extensions],
  });
  const v = new Validator();
  for (const def of doc.Definitions) {
    if (v.types.has(def.Name)) fail(`Cannot redeclare type ${def.Name}.`);
    v.types.set(def.Name, def);
  }
  const defs = [...doc.Definitions];
  for (const ext of doc.Extensions) {
    let def = v.types.get(ext.Name);
    if (def === undefined) {
      def = { Kind: ext.Kind, Description: '', Name: ext.Name, Directives: [], Interfaces: [], Fields: [], Types: [], EnumValues: [], BuiltIn: false };
      v.types.set(ext.Name, def);
      defs.push(def);
    }
    if (def.Kind !== ext.Kind) fail(`Cannot extend type ${ext.Name} because the base type is a ${def.Kind}, not ${ext.Kind}.`);
    def.Directives.push(...ext.Directives);
    def.Interfaces.push(...ext.Interfaces);
    def.Fields.push(...ext.Fields);
    def.Types.push(...ext.Types);
    def.EnumValues.push(...ext.EnumValues);
  }
  const addPossible = (name: string, member: string): void => {
    const l = v.possible.get(name) ?? [];
    l.push(member);
    v.possible.set(name, l);
  };
  for (const def of defs) {
    if (def.Kind === 'UNION') for (const t of def.Types) addPossible(def.Name, t);
    else if (def.Kind === 'OBJECT' || def.Kind === 'INPUT_OBJECT' || def.Kind === 'INTERFACE') {
      for (const i of def.Interfaces) addPossible(i, def.Name);
      if (def.Kind !== 'INTERFACE') addPossible(def.Name, def.Name);
    }
  }
  for (const dir of doc.Directives) {
    if (v.directives.has(dir.Name)) {
      // Built-in directives may be redefined; the first definition stays.
      if (!['include', 'skip', 'deprecated', 'specifiedBy'].includes(dir.Name)) fail(`Cannot redeclare directive ${dir.Name}.`);
      continue;
    }
    v.directives.set(dir.Name, dir);
  }
  if (doc.Schema.length > 1) fail('Cannot have multiple schema entry points, consider schema extensions instead.');
  const roots: LoadedSchema['roots'] = {};
  for (const s of [...doc.Schema, ...doc.SchemaExtension]) {
    for (const op of s.OperationTypes) {
      if (!v.types.has(op.Type)) fail(`Schema root ${op.Operation} refers to a type ${op.Type} that does not exist.`);
      if (op.Operation === 'query' || op.Operation === 'mutation' || op.Operation === 'subscription') roots[op.Operation] = op.Type;
    }
  }
  for (const name of [...v.types.keys()].sort()) v.definition(v.types.get(name)!);
  for (const name of [...v.directives.keys()].sort()) {
    const d = v.directives.get(name)!;
    validateName(d.Name);
    v.args(d.Arguments, d);
  }
  if (doc.Schema.length === 0) {
    if (roots.query === undefined && v.types.has('Query')) roots.query = 'Query';
    if (roots.mutation === undefined && v.types.has('Mutation')) roots.mutation = 'Mutation';
    if (roots.subscription === undefined && v.types.has('Subscription')) roots.subscription = 'Subscription';
  }
  return { types: v.types, directives: v.directives, roots };
}

// ---- Printing back to GraphQL text ----

export function printValue(v: GqlValue): string {
  switch (v.Kind) {
    case VK.Variable: return `$${v.Raw}`;
    case VK.String:
    case VK.Block: return JSON.stringify(v.Raw);
    case VK.List: return `[${v.Children.map((c) => printValue(c.Value)).join(', ')}]`;
    case VK.Object: return `{${v.Children.map((c) => `${c.Name}: ${printValue(c.Value)}`).join(', ')}}`;
    case VK.Int: case VK.Float: case VK.Boolean: case VK.Null: case VK.Enum: return v.Raw;
    default: throw new GraphQLSchemaError(`unknown value kind ${v.Kind}`);
  }
}

export function printType(t: GqlType): string {
  return typeString(t);
}

export function printDirectives(dirs: GqlDirective[]): string {
  return dirs.map((d) => ` @${d.Name}${d.Arguments.length > 0 ? `(${d.Arguments.map((a) => `${a.Name}: ${printValue(a.Value)}`).join(', ')})` : ''}`).join('');
}

function printInputValues(args: GqlInputValueDef[]): string {
  return args.map((a) => `${a.Name}: ${typeString(a.Type)}${a.DefaultValue !== null ? ` = ${printValue(a.DefaultValue)}` : ''}`).join(', ');
}

/** SDL for graphql-js: the user's types and directives (graphql-js brings its own built-ins). */
export function schemaSdl(s: LoadedSchema): string {
  const out: string[] = [];
  const jsDirectives = new Set(graphqlJs().specifiedDirectives.map((d) => d.name));
  for (const d of s.directives.values()) {
    if (jsDirectives.has(d.Name)) continue;
    const args = d.Arguments.length > 0 ? `(${printInputValues(d.Arguments)})` : '';
    out.push(`directive @${d.Name}${args}${d.IsRepeatable ? ' repeatable' : ''} on ${d.Locations.join(' | ')}`);
  }
  for (const def of s.types.values()) {
    if (def.BuiltIn) continue;
    const impl = def.Interfaces.length > 0 ? ` implements ${def.Interfaces.join(' & ')}` : '';
    const fields = (): string => def.Fields.map((f) => {
      const args = f.Arguments.length > 0 ? `(${printInputValues(f.Arguments)})` : '';
      const dflt = def.Kind === 'INPUT_OBJECT' && f.DefaultValue !== null ? ` = ${printValue(f.DefaultValue)}` : '';
      return `  ${f.Name}${args}: ${typeString(f.Type)}${dflt}`;
    }).join('\n');
    switch (def.Kind) {
      case 'SCALAR': out.push(`scalar ${def.Name}`); break;
      case 'OBJECT': out.push(`type ${def.Name}${impl} {\n${fields()}\n}`); break;
      case 'INTERFACE': out.push(`interface ${def.Name}${impl} {\n${fields()}\n}`); break;
      case 'INPUT_OBJECT': out.push(`input ${def.Name} {\n${fields()}\n}`); break;
      case 'UNION': out.push(`union ${def.Name} = ${def.Types.join(' | ')}`); break;
      case 'ENUM': out.push(`enum ${def.Name} {\n${def.EnumValues.map((e) => `  ${e.Name}`).join('\n')}\n}`); break;
      default: throw new GraphQLSchemaError(`unknown kind ${String(def.Kind)}`);
    }
  }
  const ops = (['query', 'mutation', 'subscription'] as const).filter((k) => s.roots[k] !== undefined);
  if (ops.length > 0) out.push(`schema {\n${ops.map((k) => `  ${k}: ${s.roots[k]!}`).join('\n')}\n}`);
  return out.join('\n\n');
}

/** The graphql-js schema for a validated schema. */
export function toGraphQLJs(s: LoadedSchema): GraphQLSchema {
  return graphqlJs().buildSchema(schemaSdl(s), { assumeValid: true, assumeValidSDL: true });
}
