// GraphQL lexer and parsers for the graphql.* builtins. The AST mirrors the document structs of
// the Go parser OPA uses (field names such as `Operations`, `SelectionSet`, `Kind` numbers for
// values), because the parse builtins return that structure as JSON. Grammar leniencies follow
// that parser too: an empty query document is valid, fragments may declare variables, and `{}`
// is a syntax error wherever a list must have at least one element.

export class GraphQLSyntaxError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(`${message} in GraphQL string at location ${line}:${column}`);
    this.name = 'GraphQLSyntaxError';
  }
}

// ---- AST (every field present; the builtins prune empty ones on output) ----

/** Value kinds, numbered as in the Go AST. */
export const VK = { Variable: 0, Int: 1, Float: 2, String: 3, Block: 4, Boolean: 5, Null: 6, Enum: 7, List: 8, Object: 9 } as const;

export interface GqlValue { Raw: string; Children: GqlChild[]; Kind: number; ExpectedTypeHasDefault: boolean }
export interface GqlChild { Name: string; Value: GqlValue }
export interface GqlType { NamedType: string; Elem: GqlType | null; NonNull: boolean }
export interface GqlArgument { Name: string; Value: GqlValue }
export interface GqlDirective { Name: string; Arguments: GqlArgument[]; Location: string }
export interface GqlField { Alias: string; Name: string; Arguments: GqlArgument[]; Directives: GqlDirective[]; SelectionSet: GqlSelection[] }
export interface GqlSpread { Name: string; Directives: GqlDirective[] }
export interface GqlInline { TypeCondition: string; Directives: GqlDirective[]; SelectionSet: GqlSelection[] }
export type GqlSelection = GqlField | GqlSpread | GqlInline;
export interface GqlVariableDef { Variable: string; Type: GqlType; DefaultValue: GqlValue | null; Directives: GqlDirective[]; Used: boolean }
export interface GqlOperation { Operation: string; Name: string; VariableDefinitions: GqlVariableDef[]; Directives: GqlDirective[]; SelectionSet: GqlSelection[] }
export interface GqlFragment { Name: string; VariableDefinition: GqlVariableDef[]; TypeCondition: string; Directives: GqlDirective[]; SelectionSet: GqlSelection[] }
export interface GqlQueryDocument { Operations: GqlOperation[]; Fragments: GqlFragment[] }

export interface GqlInputValueDef { Description: string; Name: string; DefaultValue: GqlValue | null; Type: GqlType; Directives: GqlDirective[] }
export interface GqlFieldDef { Description: string; Name: string; Arguments: GqlInputValueDef[]; DefaultValue: GqlValue | null; Type: GqlType; Directives: GqlDirective[] }
export interface GqlEnumValueDef { Description: string; Name: string; Directives: GqlDirective[] }
export type GqlKind = 'SCALAR' | 'OBJECT' | 'INTERFACE' | 'UNION' | 'ENUM' | 'INPUT_OBJECT';
export interface GqlDefinition {
  Kind: GqlKind; Description: string; Name: string; Directives: GqlDirective[]; Interfaces: string[];
  Fields: GqlFieldDef[]; Types: string[]; EnumValues: GqlEnumValueDef[]; BuiltIn: boolean;
}
export interface GqlOperationType { Operation: string; Type: string }
export interface GqlSchemaDef { Description: string; Directives: GqlDirective[]; OperationTypes: GqlOperationType[] }
export interface GqlDirectiveDef { Description: string; Name: string; Arguments: GqlInputValueDef[]; Locations: string[]; IsRepeatable: boolean }
export interface GqlSchemaDocument {
  Schema: GqlSchemaDef[]; SchemaExtension: GqlSchemaDef[]; Directives: GqlDirectiveDef[];
  Definitions: GqlDefinition[]; Extensions: GqlDefinition[];
}

export const DIRECTIVE_LOCATIONS = new Set([
  'QUERY', 'MUTATION', 'SUBSCRIPTION', 'FIELD', 'FRAGMENT_DEFINITION', 'FRAGMENT_SPREAD', 'INLINE_FRAGMENT',
  'VARIABLE_DEFINITION', 'SCHEMA', 'SCALAR', 'OBJECT', 'FIELD_DEFINITION', 'ARGUMENT_DEFINITION', 'INTERFACE',
  'UNION', 'ENUM', 'ENUM_VALUE', 'INPUT_OBJECT', 'INPUT_FIELD_DEFINITION',
]);

// ---- Lexer ----

type TokKind = 'Name' | 'Int' | 'Float' | 'String' | 'BlockString' | 'EOF' | 'Punct';
interface Token { kind: TokKind; value: string; line: number; column: number }

const PUNCT = new Set(['!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}']);

function describe(t: Token): string {
  switch (t.kind) {
    case 'EOF': return '<EOF>';
    case 'Punct': return t.value;
    default: return `${t.kind} ${JSON.stringify(t.value)}`;
  }
}

/** Block string value: common indentation removed, blank first and last lines dropped. */
export function blockStringValue(raw: string): string {
  const lines = raw.split(/\r\n|[\n\r]/);
  let common: number | null = null;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = line.length - line.replace(/^[ \t]*/, '').length;
    if (indent < line.length && (common === null || indent < common)) common = indent;
  }
  if (common !== null && common > 0) for (let i = 1; i < lines.length; i++) lines[i] = lines[i]!.slice(common);
  while (lines.length > 0 && /^[ \t]*$/.test(lines[0]!)) lines.shift();
  while (lines.length > 0 && /^[ \t]*$/.test(lines[lines.length - 1]!)) lines.pop();
  return lines.join('\n');
}

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  constructor(private readonly src: string) {}

  private fail(msg: string, at = this.pos): never {
    throw new GraphQLSyntaxError(msg, this.line, at - this.lineStart + 1);
  }

  private newline(nextPos: number): void {
    this.line++;
    this.lineStart = nextPos;
  }

  next(): Token {
    const s = this.src;
    // Skip ignored tokens: whitespace, commas, comments, BOM.
    for (;;) {
      const c = s[this.pos];
      if (c === ' ' || c === '\t' || c === ',' || c === '\ufeff') this.pos++;
      else if (c === '\n') this.newline(++this.pos);
      else if (c === '\r') {
        this.pos += s[this.pos + 1] === '\n' ? 2 : 1;
        this.newline(this.pos);
      } else if (c === '#') {
        while (this.pos < s.length && s[this.pos] !== '\n' && s[this.pos] !== '\r') this.pos++;
      } else break;
    }
    const start = this.pos;
    const tok = (kind: TokKind, value: string): Token => ({ kind, value, line: this.line, column: start - this.lineStart + 1 });
    if (this.pos >= s.length) return tok('EOF', '');
    const c = s[this.pos]!;
    if (PUNCT.has(c)) {
      this.pos++;
      return tok('Punct', c);
    }
    if (c === '.') {
      if (s.startsWith('...', this.pos)) {
        this.pos += 3;
        return tok('Punct', '...');
      }
      this.fail('Unexpected <Invalid>');
    }
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.pos))!;
      this.pos += m[0].length;
      return tok('Name', m[0]);
    }
    if (c === '-' || /[0-9]/.test(c)) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(this.pos));
      if (m === null) this.fail('Unexpected <Invalid>');
      const after = s[this.pos + m[0].length];
      if (after !== undefined && /[A-Za-z_.0-9]/.test(after)) this.fail('Unexpected <Invalid>', this.pos + m[0].length);
      this.pos += m[0].length;
      return tok(m[2] !== undefined || m[3] !== undefined ? 'Float' : 'Int', m[0]);
    }
    if (c === '"') {
      const t = s.startsWith('"""', this.pos) ? this.blockString() : this.string();
      return { ...t, line: t.line, column: t.column };
    }
    return this.fail('Unexpected <Invalid>');
  }

  private string(): Token {
    const s = this.src;
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    let out = '';
    let i = this.pos + 1;
    for (;;) {
      if (i >= s.length || s[i] === '\n' || s[i] === '\r') {
        this.pos = i;
        this.fail('Unexpected <Invalid>');
      }
      const ch = s[i]!;
      if (ch === '"') break;
      if (ch === '\\') {
        const e = s[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && e in simple) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
        } else {
          this.pos = i;
          this.fail('Unexpected <Invalid>');
        }
        continue;
      }
      out += ch;
      i++;
    }
    this.pos = i + 1;
    return { kind: 'String', value: out, line, column };
  }

  private blockString(): Token {
    const s = this.src;
    const line = this.line;
    const column = this.pos - this.lineStart + 1;
    let raw = '';
    let i = this.pos + 3;
    for (;;) {
      if (i >= s.length) {
        this.pos = i;
        this.fail('Unexpected <Invalid>');
      }
      if (s.startsWith('"""', i)) break;
      if (s.startsWith('\\"""', i)) {
        raw += '"""';
        i += 4;
        continue;
      }
      const ch = s[i]!;
      if (ch === '\n' || ch === '\r') {
        const step = ch === '\r' && s[i + 1] === '\n' ? 2 : 1;
        raw += s.slice(i, i + step);
        i += step;
        this.newline(i);
        continue;
      }
      raw += ch;
      i++;
    }
    this.pos = i + 3;
    return { kind: 'BlockString', value: blockStringValue(raw), line, column };
  }
}

// ---- Parser ----

class Parser {
  private readonly lexer: Lexer;
  private tok: Token;
  private prevTok: Token;

  constructor(src: string) {
    this.lexer = new Lexer(src);
    this.tok = this.lexer.next();
    this.prevTok = this.tok;
  }

  peek(): Token {
    return this.tok;
  }

  advance(): Token {
    this.prevTok = this.tok;
    this.tok = this.lexer.next();
    return this.prevTok;
  }

  failAt(t: Token, msg: string): never {
    throw new GraphQLSyntaxError(msg, t.line, t.column);
  }

  unexpected(t: Token = this.tok): never {
    return this.failAt(t, `Unexpected ${describe(t)}`);
  }

  is(p: string): boolean {
    return this.tok.kind === 'Punct' && this.tok.value === p;
  }

  isKeyword(k: string): boolean {
    return this.tok.kind === 'Name' && this.tok.value === k;
  }

  skip(p: string): boolean {
    if (!this.is(p)) return false;
    this.advance();
    return true;
  }

  expect(p: string): Token {
    if (!this.is(p)) this.failAt(this.tok, `Expected ${p}, found ${describe(this.tok)}`);
    return this.advance();
  }

  expectKeyword(k: string): void {
    if (!this.isKeyword(k)) this.failAt(this.tok, `Expected ${JSON.stringify(k)}, found ${describe(this.tok)}`);
    this.advance();
  }

  name(): string {
    if (this.tok.kind !== 'Name') this.failAt(this.tok, `Expected Name, found ${describe(this.tok)}`);
    return this.advance().value;
  }

  /** `open item+ close`: at least one item. */
  many<T>(open: string, close: string, item: () => T): T[] {
    this.expect(open);
    if (this.is(close)) this.failAt(this.tok, `expected at least one definition, found ${describe(this.tok)}`);
    const out: T[] = [];
    // At the end of input the item itself reports what it expected.
    while (!this.skip(close)) out.push(item());
    return out;
  }

  optionalMany<T>(open: string, close: string, item: () => T): T[] {
    return this.is(open) ? this.many(open, close, item) : [];
  }

  // -- values and types --

  value(isConst: boolean): GqlValue {
    const t = this.tok;
    const v = (Kind: number, Raw: string, Children: GqlChild[] = []): GqlValue => ({ Raw, Children, Kind, ExpectedTypeHasDefault: false });
    if (t.kind === 'Punct') {
      if (t.value === '[') {
        this.advance();
        const children: GqlChild[] = [];
        while (!this.skip(']')) {
          if (this.tok.kind === 'EOF') this.unexpected();
          children.push({ Name: '', Value: this.value(isConst) });
        }
        return v(VK.List, '', children);
      }
      if (t.value === '{') {
        this.advance();
        const children: GqlChild[] = [];
        while (!this.skip('}')) {
          if (this.tok.kind === 'EOF') this.unexpected();
          const name = this.name();
          this.expect(':');
          children.push({ Name: name, Value: this.value(isConst) });
        }
        return v(VK.Object, '', children);
      }
      if (t.value === '$' && !isConst) {
        this.advance();
        return v(VK.Variable, this.name());
      }
      return this.unexpected();
    }
    this.advance();
    switch (t.kind) {
      case 'Int': return v(VK.Int, t.value);
      case 'Float': return v(VK.Float, t.value);
      case 'String': return v(VK.String, t.value);
      case 'BlockString': return v(VK.Block, t.value);
      case 'Name':
        if (t.value === 'true' || t.value === 'false') return v(VK.Boolean, t.value);
        if (t.value === 'null') return v(VK.Null, t.value);
        return v(VK.Enum, t.value);
      default: return this.unexpected(t);
    }
  }

  type(): GqlType {
    let t: GqlType;
    if (this.skip('[')) {
      const elem = this.type();
      this.expect(']');
      t = { NamedType: '', Elem: elem, NonNull: false };
    } else t = { NamedType: this.name(), Elem: null, NonNull: false };
    if (this.skip('!')) t.NonNull = true;
    return t;
  }

  directives(isConst: boolean): GqlDirective[] {
    const out: GqlDirective[] = [];
    while (this.skip('@')) {
      const name = this.name();
      out.push({ Name: name, Arguments: this.arguments(isConst), Location: '' });
    }
    return out;
  }

  arguments(isConst: boolean): GqlArgument[] {
    return this.optionalMany('(', ')', () => {
      const name = this.name();
      this.expect(':');
      return { Name: name, Value: this.value(isConst) };
    });
  }

  // -- executable documents --

  queryDocument(): GqlQueryDocument {
    const doc: GqlQueryDocument = { Operations: [], Fragments: [] };
    while (this.tok.kind !== 'EOF') {
      if (this.is('{')) doc.Operations.push(this.operation());
      else if (this.tok.kind === 'Name') {
        const k = this.tok.value;
        if (k === 'query' || k === 'mutation' || k === 'subscription') doc.Operations.push(this.operation());
        else if (k === 'fragment') doc.Fragments.push(this.fragmentDefinition());
        else this.unexpected();
      } else this.unexpected();
    }
    return doc;
  }

  operation(): GqlOperation {
    if (this.is('{')) {
      return { Operation: 'query', Name: '', VariableDefinitions: [], Directives: [], SelectionSet: this.selectionSet() };
    }
    const operation = this.advance().value;
    const name = this.tok.kind === 'Name' ? this.advance().value : '';
    return {
      Operation: operation, Name: name, VariableDefinitions: this.variableDefinitions(),
      Directives: this.directives(false), SelectionSet: this.selectionSet(),
    };
  }

  variableDefinitions(): GqlVariableDef[] {
    return this.optionalMany('(', ')', () => {
      this.expect('$');
      const name = this.name();
      this.expect(':');
      const type = this.type();
      const def = this.skip('=') ? this.value(true) : null;
      return { Variable: name, Type: type, DefaultValue: def, Directives: this.directives(true), Used: false };
    });
  }

  selectionSet(): GqlSelection[] {
    return this.many('{', '}', () => this.selection());
  }

  selection(): GqlSelection {
    if (this.skip('...')) {
      if (this.tok.kind === 'Name' && this.tok.value !== 'on') {
        return { Name: this.advance().value, Directives: this.directives(false) };
      }
      let cond = '';
      if (this.isKeyword('on')) {
        this.advance();
        cond = this.name();
      }
      return { TypeCondition: cond, Directives: this.directives(false), SelectionSet: this.selectionSet() };
    }
    let alias = this.name();
    let name = alias;
    if (this.skip(':')) name = this.name();
    const args = this.arguments(false);
    const dirs = this.directives(false);
    const sel = this.is('{') ? this.selectionSet() : [];
    return { Alias: alias, Name: name, Arguments: args, Directives: dirs, SelectionSet: sel };
  }

  fragmentDefinition(): GqlFragment {
    this.expectKeyword('fragment');
    if (this.isKeyword('on')) this.unexpected();
    const name = this.name();
    const vars = this.variableDefinitions();
    this.expectKeyword('on');
    const cond = this.name();
    return { Name: name, VariableDefinition: vars, TypeCondition: cond, Directives: this.directives(false), SelectionSet: this.selectionSet() };
  }

  // -- type system documents --

  description(): string {
    if (this.tok.kind === 'String' || this.tok.kind === 'BlockString') return this.advance().value;
    return '';
  }

  schemaDocument(): GqlSchemaDocument {
    const doc: GqlSchemaDocument = { Schema: [], SchemaExtension: [], Directives: [], Definitions: [], Extensions: [] };
    while (this.tok.kind !== 'EOF') {
      const descTok = this.tok;
      const desc = this.description();
      if (this.tok.kind !== 'Name') this.unexpected();
      switch (this.tok.value) {
        case 'scalar': case 'type': case 'interface': case 'union': case 'enum': case 'input':
          doc.Definitions.push(this.typeDefinition(desc));
          break;
        case 'schema':
          doc.Schema.push(this.schemaDefinition(desc));
          break;
        case 'directive':
          doc.Directives.push(this.directiveDefinition(desc));
          break;
        case 'extend':
          if (desc !== '') this.unexpected(descTok);
          this.extension(doc);
          break;
        default:
          this.unexpected();
      }
    }
    return doc;
  }

  private emptyDef(kind: GqlKind, desc: string, name: string): GqlDefinition {
    return { Kind: kind, Description: desc, Name: name, Directives: [], Interfaces: [], Fields: [], Types: [], EnumValues: [], BuiltIn: false };
  }

  /** The body of a type definition after its keyword; `extend` requires something after the name. */
  typeBody(keyword: string, desc: string, extend: boolean): GqlDefinition {
    const name = this.name();
    const kinds: Record<string, GqlKind> = { scalar: 'SCALAR', type: 'OBJECT', interface: 'INTERFACE', union: 'UNION', enum: 'ENUM', input: 'INPUT_OBJECT' };
    const def = this.emptyDef(kinds[keyword]!, desc, name);
    if (keyword === 'type' || keyword === 'interface') def.Interfaces = this.implementsInterfaces();
    def.Directives = this.directives(true);
    if (keyword === 'type' || keyword === 'interface') def.Fields = this.optionalMany('{', '}', () => this.fieldDefinition());
    else if (keyword === 'input') def.Fields = this.optionalMany('{', '}', () => this.inputValueAsField());
    else if (keyword === 'enum') {
      def.EnumValues = this.optionalMany('{', '}', () => {
        const d = this.description();
        return { Description: d, Name: this.name(), Directives: this.directives(true) };
      });
    } else if (keyword === 'union' && this.skip('=')) {
      this.skip('|');
      def.Types.push(this.name());
      while (this.skip('|')) def.Types.push(this.name());
    }
    if (extend && def.Interfaces.length + def.Directives.length + def.Fields.length + def.EnumValues.length + def.Types.length === 0) {
      this.unexpected();
    }
    return def;
  }

  typeDefinition(desc: string): GqlDefinition {
    return this.typeBody(this.advance().value, desc, false);
  }

  implementsInterfaces(): string[] {
    if (!this.isKeyword('implements')) return [];
    this.advance();
    this.skip('&');
    const out = [this.name()];
    while (this.skip('&')) out.push(this.name());
    return out;
  }

  inputValueDefinition(): GqlInputValueDef {
    const desc = this.description();
    const name = this.name();
    this.expect(':');
    const type = this.type();
    const def = this.skip('=') ? this.value(true) : null;
    return { Description: desc, Name: name, DefaultValue: def, Type: type, Directives: this.directives(true) };
  }

  inputValueAsField(): GqlFieldDef {
    const v = this.inputValueDefinition();
    return { Description: v.Description, Name: v.Name, Arguments: [], DefaultValue: v.DefaultValue, Type: v.Type, Directives: v.Directives };
  }

  fieldDefinition(): GqlFieldDef {
    const desc = this.description();
    const name = this.name();
    const args = this.optionalMany('(', ')', () => this.inputValueDefinition());
    this.expect(':');
    const type = this.type();
    return { Description: desc, Name: name, Arguments: args, DefaultValue: null, Type: type, Directives: this.directives(true) };
  }

  operationTypes(): GqlOperationType[] {
    return this.many('{', '}', () => {
      const t = this.tok;
      const op = this.name();
      if (op !== 'query' && op !== 'mutation' && op !== 'subscription') this.unexpected(t);
      this.expect(':');
      return { Operation: op, Type: this.name() };
    });
  }

  schemaDefinition(desc: string): GqlSchemaDef {
    this.expectKeyword('schema');
    const dirs = this.directives(true);
    return { Description: desc, Directives: dirs, OperationTypes: this.operationTypes() };
  }

  directiveDefinition(desc: string): GqlDirectiveDef {
    this.expectKeyword('directive');
    this.expect('@');
    const name = this.name();
    const args = this.optionalMany('(', ')', () => this.inputValueDefinition());
    let repeatable = false;
    if (this.isKeyword('repeatable')) {
      this.advance();
      repeatable = true;
    }
    this.expectKeyword('on');
    this.skip('|');
    const locations: string[] = [];
    do {
      const t = this.tok;
      const loc = this.name();
      if (!DIRECTIVE_LOCATIONS.has(loc)) this.unexpected(t);
      locations.push(loc);
    } while (this.skip('|'));
    return { Description: desc, Name: name, Arguments: args, Locations: locations, IsRepeatable: repeatable };
  }

  extension(doc: GqlSchemaDocument): void {
    this.expectKeyword('extend');
    if (this.tok.kind !== 'Name') this.unexpected();
    const k = this.tok.value;
    if (k === 'schema') {
      this.advance();
      const dirs = this.directives(true);
      const ops = this.is('{') ? this.operationTypes() : [];
      if (dirs.length === 0 && ops.length === 0) this.unexpected();
      doc.SchemaExtension.push({ Description: '', Directives: dirs, OperationTypes: ops });
      return;
    }
    if (!['scalar', 'type', 'interface', 'union', 'enum', 'input'].includes(k)) this.unexpected();
    this.advance();
    doc.Extensions.push(this.typeBody(k, '', true));
  }

  expectEnd(): void {
    if (this.tok.kind !== 'EOF') this.unexpected();
  }
}

/** Parses an executable document; throws GraphQLSyntaxError. */
export function parseQueryDocument(src: string): GqlQueryDocument {
  const p = new Parser(src);
  const doc = p.queryDocument();
  p.expectEnd();
  return doc;
}

/** Parses a type system document; throws GraphQLSyntaxError. */
export function parseSchemaDocument(src: string): GqlSchemaDocument {
  const p = new Parser(src);
  const doc = p.schemaDocument();
  p.expectEnd();
  return doc;
}

export function isField(s: GqlSelection): s is GqlField {
  return 'Alias' in s;
}

export function isInline(s: GqlSelection): s is GqlInline {
  return 'TypeCondition' in s;
}
