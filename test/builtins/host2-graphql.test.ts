// graphql.* host builtins: the Go AST shape of parse results, the Go parser's leniencies, the
// schema rules of the Go validator, query validation, and AST objects as arguments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostBuiltins } from '../../src/policy/builtins/index.ts';
import { parseQueryDocument, parseSchemaDocument, GraphQLSyntaxError } from '../../src/policy/builtins/graphql-syntax.ts';

const call = (name: string, ...args: unknown[]): unknown => hostBuiltins[name]!(...args);
/** The syntax error message of a document, or undefined when it parses. */
function syntaxError(parse: (src: string) => unknown, src: string): string | undefined {
  try {
    parse(src);
    return undefined;
  } catch (e) {
    return e instanceof GraphQLSyntaxError ? e.message : `not a syntax error: ${String(e)}`;
  }
}
const v = (Kind: number, Raw: string): unknown => ({ ExpectedTypeHasDefault: false, Kind, Raw });

const SCHEMA = `
  type Query { employee(id: String!): Employee, list(ids: [ID!]): [Employee] }
  type Employee { id: String!, salary: Int!, manager: Employee }
  type Mutation { raise(id: String!, by: Int = 1): Employee }
`;

test('parse_query: operations, aliases, arguments and value kinds', () => {
  const ast = call('graphql.parse_query', 'query Q($id: String! = "x") { e: employee(id: $id) { salary } list(ids: [1, 2.5, ENUM, null, true, {a: "s"}]) }');
  assert.equal(ast, {
    Operations: [{
      Name: 'Q',
      Operation: 'query',
      SelectionSet: [
        { Alias: 'e', Arguments: [{ Name: 'id', Value: v(0, 'id') }], Name: 'employee', SelectionSet: [{ Alias: 'salary', Name: 'salary' }] },
        {
          Alias: 'list',
          Arguments: [{
            Name: 'ids',
            Value: {
              Children: [
                { Name: '', Value: v(1, '1') }, { Name: '', Value: v(2, '2.5') }, { Name: '', Value: v(7, 'ENUM') },
                { Name: '', Value: v(6, 'null') }, { Name: '', Value: v(5, 'true') },
                { Name: '', Value: { Children: [{ Name: 'a', Value: v(3, 's') }], ExpectedTypeHasDefault: false, Kind: 9, Raw: '' } },
              ],
              ExpectedTypeHasDefault: false, Kind: 8, Raw: '',
            },
          }],
          Name: 'list',
        },
      ],
      VariableDefinitions: [{ DefaultValue: v(3, 'x'), Type: { NamedType: 'String', NonNull: true }, Used: false, Variable: 'id' }],
    }],
  });
});

test('parse_query: fragments, spreads, inline fragments, block strings', () => {
  const ast = call('graphql.parse_query', 'fragment F($v: Int) on T @d { f(s: """\n   a\n     b\n""") } { ...F ... { x } }') as Record<string, unknown>;
  assert.equal(ast.Fragments, [{
    Directives: [{ Location: '', Name: 'd' }],
    Name: 'F',
    SelectionSet: [{ Alias: 'f', Arguments: [{ Name: 's', Value: v(4, 'a\n  b') }], Name: 'f' }],
    TypeCondition: 'T',
    VariableDefinition: [{ Type: { NamedType: 'Int', NonNull: false }, Used: false, Variable: 'v' }],
  }]);
  assert.equal((ast.Operations as unknown[])[0], {
    Name: '', Operation: 'query',
    SelectionSet: [{ Name: 'F' }, { SelectionSet: [{ Alias: 'x', Name: 'x' }], TypeCondition: '' }],
  });
  assert.equal(call('graphql.parse_query', '  # only a comment\n'), {});
});

test('parse_query: syntax errors carry the Go parser message and position', () => {
  const cases: Array<[string, string]> = [
    ['{', 'Expected Name, found <EOF> in GraphQL string at location 1:2'],
    ['{ field: {} }', 'Expected Name, found { in GraphQL string at location 1:10'],
    ['notanoperation Foo { field }', 'Unexpected Name "notanoperation" in GraphQL string at location 1:1'],
    ['{__typename{...}}', 'Expected {, found } in GraphQL string at location 1:16'],
    ['{...{__typename{...{}}}}', 'expected at least one definition, found } in GraphQL string at location 1:21'],
    ['query Foo($x: Complex = { a: { b: [ $var ] } }) { field }', 'Unexpected $ in GraphQL string at location 1:37'],
    ['fragment on on on { on }', 'Unexpected Name "on" in GraphQL string at location 1:10'],
  ];
  for (const [src, msg] of cases) {
    assert.is(syntaxError(parseQueryDocument, src), msg, src);
    assert.is(call('graphql.parse_query', src), undefined, src);
  }
});

test('parse_schema: definitions, extensions, directives, schema blocks', () => {
  assert.equal(call('graphql.parse_schema', '"D" type Hello implements & A & B @x { world(flag: Boolean = true): [String!]! }'), {
    Definitions: [{
      BuiltIn: false, Description: 'D', Directives: [{ Location: '', Name: 'x' }],
      Fields: [{
        Arguments: [{ DefaultValue: v(5, 'true'), Description: '', Name: 'flag', Type: { NamedType: 'Boolean', NonNull: false } }],
        Description: '', Name: 'world',
        Type: { Elem: { NamedType: 'String', NonNull: true }, NamedType: '', NonNull: true },
      }],
      Interfaces: ['A', 'B'], Kind: 'OBJECT', Name: 'Hello',
    }],
  });
  assert.equal(call('graphql.parse_schema', 'extend schema @d directive @foo repeatable on | FIELD | QUERY union U = | A | B'), {
    Definitions: [{ BuiltIn: false, Description: '', Kind: 'UNION', Name: 'U', Types: ['A', 'B'] }],
    Directives: [{ Description: '', IsRepeatable: true, Locations: ['FIELD', 'QUERY'], Name: 'foo' }],
    SchemaExtension: [{ Description: '', Directives: [{ Location: '', Name: 'd' }] }],
  });
  for (const bad of ['type Hello {}', 'extend type Hello', '"D" extend type H { a: Int }', 'union U = A || B', 'directive @f on NOWHERE', 'input I { a(b: Int): Int }', '"""\r']) {
    assert.ok(syntaxError(parseSchemaDocument, bad)?.includes('in GraphQL string at location'), bad);
  }
});

test('schema_is_valid: the Go validator rules', () => {
  const valid = [
    'type Hello { world: String }',
    'extend type User { id: ID! } union E = User extend type Query { e: E }', // extensions create missing types
    'type DeprecatedType { f: String @deprecated } enum E { A @deprecated }', // no Query root needed
    'type Query { x: Int } directive @directive(a: String = "b") on SCHEMA extend schema @directive',
    'interface I { id: ID! } type A implements I { id: ID! }',
  ];
  const invalid = [
    'extend type Hello implements Greeting',
    'extend scalar Foo @deprecated extend type Foo @deprecated',
    'schema { query: Query }',
    'type Hello implements World { field: String }',
    'interface IA { id: ID! } interface IIA implements IA { id: ID! } type A implements IIA { id: ID! }',
    'union Hello = World',
    'type Mutation { c(p: PupilInput!): Pupil } type Pupil { n: Int } input PupilInput { friends: [Pupil] }',
    'type Query { x: Int } type Query { y: Int }',
    'type __Bad { x: Int }',
    'scalar String',
  ];
  for (const s of valid) assert.is(call('graphql.schema_is_valid', s), true, s);
  for (const s of invalid) assert.is(call('graphql.schema_is_valid', s), false, s);
  assert.is(call('graphql.schema_is_valid', 42), false);
});

test('is_valid / parse / parse_and_verify: query validation against the schema', () => {
  assert.is(call('graphql.is_valid', '{ employee(id: "a") { salary manager { id } } }', SCHEMA), true);
  assert.is(call('graphql.is_valid', 'mutation { raise(id: "a") { id } }', SCHEMA), true);
  assert.is(call('graphql.is_valid', '{ employee { salary } }', SCHEMA), false); // missing required argument
  assert.is(call('graphql.is_valid', '{ employee(id: "a") { nope } }', SCHEMA), false);
  assert.is(call('graphql.is_valid', '{ employee(id: "a") }', SCHEMA), false); // object needs a selection
  assert.is(call('graphql.is_valid', 'query ($v: Int) { employee(id: "a") { id } }', SCHEMA), false); // unused variable
  assert.is(call('graphql.is_valid', '', SCHEMA), true);
  assert.is(call('graphql.is_valid', '{ x }', 'type Mutation { x: Int }'), false); // no query root
  assert.is(call('graphql.is_valid', '{', SCHEMA), false);
  const [q, s] = call('graphql.parse', 'query { employee(id: "a") { id } }', SCHEMA) as [unknown, unknown];
  assert.equal(q, call('graphql.parse_query', 'query { employee(id: "a") { id } }'));
  assert.equal(s, call('graphql.parse_schema', SCHEMA));
  assert.is(call('graphql.parse', '{ employee { id } }', SCHEMA), undefined);
  assert.equal(call('graphql.parse_and_verify', '{ employee { id } }', SCHEMA), [false, {}, {}]);
  assert.equal((call('graphql.parse_and_verify', '{ list { id } }', SCHEMA) as unknown[])[0], true);
});

test('AST objects as arguments, including hand-written ones with missing fields', () => {
  const q = call('graphql.parse_query', '{ employee(id: "alice") { salary } }');
  const s = call('graphql.parse_schema', SCHEMA);
  assert.is(call('graphql.is_valid', q, s), true);
  assert.is(call('graphql.schema_is_valid', s), true);
  assert.equal(call('graphql.parse', q, s), [q, s]);
  const handSchema = { Definitions: [{ Kind: 'OBJECT', Name: 'Query', Fields: [{ Name: 'x', Type: { NamedType: 'String', NonNull: true } }] }] };
  const handQuery = { Operations: [{ Operation: 'query', SelectionSet: [{ Alias: 'x', Name: 'x', Arguments: [{ Name: 'a', Value: { Kind: 7, Raw: 'b' } }] }] }] };
  assert.is(call('graphql.is_valid', handQuery, handSchema), false); // unknown argument
  assert.is(call('graphql.is_valid', { Operations: [{ Operation: 'query', SelectionSet: [{ Alias: 'x', Name: 'x' }] }] }, handSchema), true);
  assert.is(call('graphql.is_valid', { Operations: 'nope' }, handSchema), false);
});

test.run();
