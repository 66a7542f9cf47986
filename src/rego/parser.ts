// The Rego v1 parser: recursive descent over the lexer's tokens, producing the AST of ast.ts.
// It follows OPA's parser where the grammar is ambiguous (operator precedence, `in` with a key,
// comprehension vs. `|`, keywords as ref heads). Precedence, lowest first:
//   `in` (incl. `k, v in xs`) < `== != < <= > >=` < `|` < `&` < `+ -` < `* / %` < unary minus.
// Binary operators are left-associative and, as in OPA, continue across newlines; a body
// expression otherwise ends at a newline or `;`.
import {
  isGround,
  RegoError,
  RegoErrors,
  type Body,
  type CallTerm,
  type Comment,
  type ElseClause,
  type Expr,
  type ExprBody,
  type Import,
  type Location,
  type Module,
  type Package,
  type RefTerm,
  type Rule,
  type RuleHead,
  type StringTerm,
  type Term,
  type VarTerm,
  type With,
} from './ast.ts';
import { braceEnd, isKeyword, lex, T, type Tok, type Token } from './lexer.ts';
import { attachAnnotations, type Stmt } from './annotations.ts';

/** Nesting limit (brackets, bodies, unary minus) so deep input is an error, not a stack overflow. */
export const MAX_DEPTH = 1000;

const ROOTS = new Set(['data', 'input']);
const FUTURE_KEYWORDS = ['contains', 'every', 'if', 'in'];

/** Binary operators by token kind: [precedence, builtin name]. */
const BINARY_OPS: Array<[Tok, number, string]> = [
  [T.Equal, 1, 'equal'],
  [T.Neq, 1, 'neq'],
  [T.Lt, 1, 'lt'],
  [T.Lte, 1, 'lte'],
  [T.Gt, 1, 'gt'],
  [T.Gte, 1, 'gte'],
  [T.Or, 2, 'or'],
  [T.And, 3, 'and'],
  [T.Add, 4, 'plus'],
  [T.Sub, 4, 'minus'],
  [T.Mul, 5, 'mul'],
  [T.Quo, 5, 'div'],
  [T.Rem, 5, 'rem'],
];
const PREC: number[] = [];
const OPNAME: string[] = [];
for (const [k, p, name] of BINARY_OPS) {
  PREC[k] = p;
  OPNAME[k] = name;
}
const isBinary = (k: Tok): boolean => PREC[k] !== undefined;

const MEMBER_2 = ['internal', 'member_2'];
const MEMBER_3 = ['internal', 'member_3'];

/** Parses a module; throws RegoErrors (code rego_parse_error) on any problem. */
export function parseModule(text: string, file: string): Module {
  return guarded(text, file, (p) => p.module());
}

/** Parses a query: expressions separated by `;` or newlines. */
export function parseQuery(text: string, file = 'query'): Body {
  return guarded(text, file, (p) => p.query());
}

/** Parses a single term (operators and calls allowed), e.g. a `with` value. */
export function parseTerm(text: string, file = 'term'): Term {
  return guarded(text, file, (p) => p.singleTerm());
}

function guarded<R>(text: string, file: string, f: (p: Parser) => R): R {
  const p = new Parser(text, file);
  try {
    return f(p);
  } catch (e) {
    if (e instanceof RegoErrors) throw e;
    // Last line of defence: anything else is still reported as a parse error at the current token.
    const msg = e instanceof RangeError ? 'input is nested too deeply' : `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
    throw new RegoErrors([new RegoError('rego_parse_error', msg, p.locOf(p.cur()))]);
  }
}

function describe(src: string, t: Token): string {
  switch (t.kind) {
    case T.EOF:
      return 'end of input';
    case T.String: {
      const s = src.slice(t.start, t.end);
      return `string ${s.length > 24 ? s.slice(0, 20) + '…' : s}`;
    }
    case T.Number:
      return `number ${src.slice(t.start, t.end)}`;
    case T.Ident:
      return `name \`${src.slice(t.start, t.end)}\``;
    default:
      return `${isKeyword(t.kind) ? 'keyword ' : ''}\`${src.slice(t.start, t.end)}\``;
  }
}

/** Template expression vars must be unique across nested sub-parses. */
let templateVars = 0;

class Parser {
  private readonly toks: Token[];
  private readonly comments: Comment[];
  private pos = 0;
  private wc = 0;
  private depth = 0;
  /** Token index where the last error was raised (used to decide comprehension fallbacks). */
  private errPos = -1;
  /** Results of parsing a bracketed term at a token index (see `unary`). */
  private readonly memo = new Map<number, { term: Term | null; end: number; err: RegoErrors | null; errPos: number }>();
  /** Set once the nesting limit was hit: such failures depend on context and are not memoized. */
  private tooDeep = false;
  /** Token index of a keyword that is to be read as a name (`else.foo := 1`). */
  private kwIdentAt = -1;

  constructor(
    private readonly src: string,
    private readonly file: string,
  ) {
    const { tokens, comments } = lex(src);
    this.toks = tokens;
    this.comments = comments.map((c) => ({ loc: { file, row: c.row, col: c.col }, text: c.text }));
  }

  // ---- token helpers -------------------------------------------------------------------------

  cur(): Token {
    return this.toks[this.pos]!;
  }
  private peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private is(kind: Tok): boolean {
    return this.toks[this.pos]!.kind === kind;
  }
  private next(): Token {
    const t = this.toks[this.pos]!;
    if (t.kind !== T.EOF) this.pos++;
    return t;
  }
  locOf(t: Token): Location {
    return { file: this.file, row: t.row, col: t.col };
  }
  private text(t: Token): string {
    return this.src.slice(t.start, t.end);
  }
  /** The token directly after `t` (no whitespace) continues a ref: `.` or `[`. */
  private refFollows(k = 0): boolean {
    const n = this.peek(k + 1);
    return !n.ws && (n.kind === T.Dot || n.kind === T.LBrack);
  }

  /**
   * `$"a {x} b"` → internal.template_string(["a ", [$t | $t = x], " b"]): each expression becomes
   * the array of its values, so an undefined one renders as `<undefined>`.
   */
  private template(t: Token): Term {
    const loc = this.locOf(t);
    const raw = this.src.charCodeAt(t.start + 1) === 96;
    const text = t.value!;
    const base = t.start + 2;
    const items: Term[] = [];
    let lit = '';
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === 92 && (!raw || text[i + 1] === '{')) {
        const e = text[i + 1] ?? '';
        if (e === '{' || e === '}') {
          lit += e;
          i += 2;
          continue;
        }
        const len = e === 'u' ? 6 : 2;
        try {
          lit += JSON.parse(`"${text.slice(i, i + len)}"`) as string;
        } catch {
          this.fail(`invalid escape \`${text.slice(i, i + len)}\` in template string`, t);
        }
        i += len;
        continue;
      }
      if (c !== 123) {
        lit += text[i];
        i++;
        continue;
      }
      const end = braceEnd(text, i);
      if (end < 0) this.fail('unterminated `{` in template string', t);
      if (lit) items.push({ type: 'string', value: lit, loc });
      lit = '';
      items.push(this.templateExpr(text.slice(i + 1, end - 1), base + i + 1, loc));
      i = end;
    }
    if (lit || items.length === 0) items.push({ type: 'string', value: lit, loc });
    return { type: 'call', operator: ['internal', 'template_string'], args: [{ type: 'array', items, loc }], loc };
  }

  private templateExpr(src: string, offset: number, loc: Location): Term {
    const before = this.src.slice(0, offset);
    const row = before.split('\n').length;
    const col = offset - before.lastIndexOf('\n');
    let body: Body;
    try {
      body = parseQuery(src, this.file);
    } catch (e) {
      if (e instanceof RegoErrors) throw new RegoErrors(e.errors.map((x) => new RegoError(x.code, x.details, x.loc ? shift(x.loc, row, col) : loc)));
      throw e;
    }
    shiftLocations(body, row, col);
    const [expr] = body;
    if (body.length !== 1 || !expr || expr.body.kind !== 'term' || expr.negated) {
      throw new RegoErrors([new RegoError('rego_parse_error', 'a template expression must be a single term, optionally with `with` modifiers', { file: this.file, row, col })]);
    }
    const v: Term = { type: 'var', name: `$tpl${templateVars++}`, loc: expr.loc };
    const unify: Expr = { ...expr, body: { kind: 'unify', left: v, right: expr.body.term } };
    return { type: 'arraycomp', head: v, body: [unify], loc: expr.loc };
  }

  private fail(msg: string, t: Token = this.cur()): never {
    this.errPos = t === this.toks[this.pos] ? this.pos : this.toks.indexOf(t);
    if (t.kind === T.Illegal) msg = t.value ?? 'illegal token';
    else if (t.kind === T.EOF) msg += this.unclosedNote();
    throw new RegoErrors([new RegoError('rego_parse_error', msg, this.locOf(t))]);
  }
  /** At end of input: which bracket was left open (found by matching brackets lexically). */
  private unclosedNote(): string {
    const stack: Token[] = [];
    for (const t of this.toks) {
      if (t.kind === T.LBrace || t.kind === T.LBrack || t.kind === T.LParen) stack.push(t);
      else if (t.kind === T.RBrace || t.kind === T.RBrack || t.kind === T.RParen) {
        const o = stack[stack.length - 1];
        if (o && o.kind + 1 === t.kind) stack.pop();
      }
    }
    const o = stack[stack.length - 1];
    return o ? ` (the \`${this.text(o)}\` at ${o.row}:${o.col} is never closed)` : '';
  }
  private unexpected(expected: string, t: Token = this.cur()): never {
    const hint = isKeyword(t.kind) && /term|value|expression|variable|name/.test(expected) && !expected.includes('keyword') ? ' (keywords cannot be used as names)' : '';
    this.fail(`unexpected ${describe(this.src, t)}: ${expected}${hint}`, t);
  }
  private expect(kind: Tok, what: string): Token {
    if (!this.is(kind)) this.unexpected(`expected ${what}`);
    return this.next();
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.tooDeep = true;
      this.fail('input is nested too deeply: split the expression into smaller parts');
    }
  }
  /** Runs `f`; on a parse error restores the position and returns null. */
  private attempt<R>(f: () => R): R | null {
    const pos = this.pos;
    const depth = this.depth;
    const kw = this.kwIdentAt;
    try {
      return f();
    } catch (e) {
      if (!(e instanceof RegoErrors)) throw e;
      this.pos = pos;
      this.depth = depth;
      this.kwIdentAt = kw;
      return null;
    }
  }

  // ---- term constructors ---------------------------------------------------------------------

  private varTerm(t: Token, name = this.text(t)): VarTerm {
    if (name === '_') name = `$wc${this.wc++}`;
    return { type: 'var', name, loc: this.locOf(t) };
  }
  private num(value: string, t: Token): Term {
    if (tooBig(value)) this.fail('number too big', t);
    return { type: 'number', value, loc: this.locOf(t) };
  }
  private call(operator: string[], args: Term[], loc: Location): CallTerm {
    return { type: 'call', operator, args, loc };
  }

  // ---- module --------------------------------------------------------------------------------

  module(): Module {
    if (this.is(T.EOF)) this.fail('empty module: a module starts with a `package` declaration');
    if (!this.is(T.Package) || this.refFollows()) this.unexpected('expected `package` declaration first');
    const stmts: Stmt[] = [];
    const pkg = this.package();
    stmts.push({ kind: 'package', row: pkg.loc.row, annotations: null });
    const imports: Import[] = [];
    const rules: Rule[] = [];
    while (!this.is(T.EOF)) {
      const t = this.cur();
      if (t.kind === T.Package && !this.refFollows()) this.fail('unexpected `package`: a module has exactly one package declaration');
      if (t.kind === T.Import && !this.refFollows()) {
        const imp = this.import();
        imports.push(imp);
        stmts.push({ kind: 'import', row: imp.loc.row, annotations: null });
        continue;
      }
      const rs = this.rules();
      for (const r of rs) rules.push(r);
      stmts.push({ kind: 'rule', row: rs[0]!.loc.row, annotations: rs[0]!.annotations });
    }
    const annotations: Module['annotations'] = [];
    const errors: RegoError[] = [];
    attachAnnotations(this.comments, stmts, annotations, errors);
    if (errors.length) throw new RegoErrors(errors);
    return { file: this.file, package: pkg, imports, rules, comments: this.comments, annotations };
  }

  query(): Body {
    if (this.is(T.EOF)) this.fail('empty query: write at least one expression');
    return this.bodyUntil(T.EOF, 'end of input');
  }

  singleTerm(): Term {
    const t = this.infix(true);
    if (!this.is(T.EOF)) this.unexpected('expected end of input after the term');
    return t;
  }

  /** A dotted path with string brackets, as in `package a.b["c-d"]` and imports. Keywords are names here. */
  private path(what: string): { head: Token; parts: StringTerm[] } {
    const head = this.cur();
    if (head.kind !== T.Ident && !isKeyword(head.kind)) this.unexpected(`expected a ${what} path, e.g. \`${what === 'package' ? 'package authz' : 'import data.lib'}\``);
    this.next();
    const parts: StringTerm[] = [];
    for (;;) {
      const t = this.cur();
      if (t.ws) break;
      if (t.kind === T.Dot) {
        this.next();
        const n = this.cur();
        if (n.ws || (n.kind !== T.Ident && !isKeyword(n.kind))) this.unexpected('expected a name after `.`');
        this.next();
        parts.push({ type: 'string', value: this.text(n), loc: this.locOf(n) });
      } else if (t.kind === T.LBrack) {
        this.next();
        const s = this.cur();
        if (s.kind !== T.String) this.unexpected(`expected a string: ${what} path elements must be strings`);
        this.next();
        this.expect(T.RBrack, '`]`');
        parts.push({ type: 'string', value: s.value!, loc: this.locOf(s) });
      } else break;
    }
    return { head, parts };
  }

  private package(): Package {
    const kw = this.next();
    const { head, parts } = this.path('package');
    return { loc: this.locOf(kw), path: [this.text(head), ...parts.map((p) => p.value)] };
  }

  private import(): Import {
    const kw = this.next();
    const loc = this.locOf(kw);
    const { head, parts } = this.path('import');
    const root = this.text(head);
    const headVar: VarTerm = { type: 'var', name: root, loc: this.locOf(head) };
    const path: RefTerm | VarTerm = parts.length ? { type: 'ref', head: headVar, path: parts, loc: headVar.loc } : headVar;
    let alias: string | null = null;
    if (this.is(T.As) && !this.refFollows()) {
      this.next();
      const a = this.cur();
      if (a.kind !== T.Ident) this.unexpected('expected an alias name after `as`');
      if (this.text(a) === '_') this.fail('an import alias cannot be `_`', a);
      this.next();
      alias = this.text(a);
    }
    const names = parts.map((p) => p.value);
    if (root === 'future') {
      if (names[0] !== 'keywords' || names.length > 2) this.fail('invalid import: must be `future.keywords` or `future.keywords.<keyword>`', head);
      if (names[1] === 'and' || names[1] === 'or') this.fail(`the \`${names[1]}\` operator is newer than Rego 1.0 and not supported: write the conditions as separate expressions or rules`, head);
      if (names[1] === 'not') this.fail('`not { ... }` bodies (`future.keywords.not`) are newer than Rego 1.0 and not supported: negate a helper rule instead', head);
      if (names.length === 2 && !FUTURE_KEYWORDS.includes(names[1]!)) this.fail(`invalid import: unknown keyword \`${names[1]}\`, must be one of ${FUTURE_KEYWORDS.join(', ')}`, head);
      if (alias !== null) this.fail('`future` imports cannot be aliased', head);
    } else if (root === 'rego') {
      if (names.length === 1 && /^v\d+$/.test(names[0]!) && Number(names[0]!.slice(1)) > 1) this.fail(`\`rego.${names[0]}\` is newer than Rego 1.0 and not supported: use \`import rego.v1\` (or no import)`, head);
      if (names.length !== 1 || names[0] !== 'v1') this.fail(`invalid import \`${[root, ...names].join('.')}\`: must be \`rego.v1\``, head);
    } else if (!ROOTS.has(root)) {
      this.fail(`invalid import path: it must begin with data, input, future or rego, got \`${root}\``, head);
    } else if (alias === null && names.length > 0 && isKeywordName(names[names.length - 1]!)) {
      this.fail(`import path must not end with a keyword (\`${names[names.length - 1]}\`): add an alias, e.g. \`as x\``, parts[parts.length - 1] ? this.tokAt(parts[parts.length - 1]!.loc) : head);
    }
    return { loc, path, alias };
  }

  private tokAt(loc: Location): Token {
    return this.toks.find((t) => t.row === loc.row && t.col === loc.col) ?? this.cur();
  }

  // ---- rules ---------------------------------------------------------------------------------

  private rules(): Rule[] {
    const first = this.cur();
    const loc = this.locOf(first);
    let isDefault = false;
    if (first.kind === T.Default && !this.refFollows()) {
      isDefault = true;
      this.next();
    }
    const head = this.ruleHead(isDefault);
    const rule: Rule = { loc, isDefault, head, body: [], else: null, annotations: [] };
    const fn = head.args !== null;
    const kind = fn ? 'function' : 'rule';

    if (isDefault) {
      this.checkDefault(rule);
      if ((this.is(T.If) && !this.refFollows()) || this.is(T.LBrace)) this.fail('default rules cannot have a body: write `default p := <value>`');
      return [rule];
    }

    const partialSetV0 = head.value === null && !head.contains && !fn && head.ref.length === 2 && !this.headHasDot;
    if (this.is(T.If) && !this.refFollows()) {
      this.next();
      rule.body = this.ifBody();
    } else if (this.is(T.LBrace)) {
      const errs = [new RegoError('rego_parse_error', `\`if\` keyword is required before ${kind} body`, this.locOf(this.cur()))];
      if (partialSetV0) errs.push(new RegoError('rego_parse_error', '`contains` keyword is required for partial set rules', loc));
      throw new RegoErrors(errs);
    } else if (!head.contains && head.value === null) {
      if (partialSetV0) this.fail(`\`contains\` keyword is required for partial set rules: write \`${this.headText(head)} contains ${this.termText(head.ref[1]!)}\``, first);
      if (this.is(T.Else)) this.fail('`else` must follow a rule body: write `p := <value> if { ... } else := <value>`');
      this.fail(`${kind} must have a value assignment and/or a body, e.g. \`${fn ? 'f(x) := x + 1' : 'p := true'}\` or \`${fn ? 'f(x) if { ... }' : 'p if { ... }'}\``, first);
    }

    if (this.is(T.Else) && !this.refFollows()) {
      if (rule.body.length === 0) this.fail('`else` must follow a rule body: write `p := <value> if { ... } else := <value>`');
      if (head.contains) this.fail('else keyword cannot be used on multi-value rules');
      if (head.ref.slice(1).some((t) => !isGround(t))) this.fail('else keyword cannot be used on rules with variables in head');
      rule.else = this.elseClause();
    }
    const out = [rule];
    // Chained bodies, `p if { a } { b }`, define the same rule once per body.
    while (this.is(T.LBrace) && rule.body.length > 0) {
      if (rule.else) this.fail('expected `else` keyword before another body');
      const b = this.next();
      const body = this.bodyUntil(T.RBrace, '`}`');
      this.next();
      out.push({ loc: this.locOf(b), isDefault: false, head: { ...head, loc: this.locOf(b) }, body, else: null, annotations: [] });
    }
    return out;
  }

  /** Set by ruleHead: whether the head ref used a `.` (then `p.q` is not a v0 partial set). */
  private headHasDot = false;

  private ruleHead(isDefault: boolean): RuleHead {
    const t = this.cur();
    const loc = this.locOf(t);
    if (t.kind !== T.Ident) {
      if (isKeyword(t.kind) && this.refFollows()) {
        // keywords may head a ref: `else.foo := 1`
      } else if (isKeyword(t.kind)) {
        this.fail(`\`${this.text(t)}\` is a keyword and cannot be used as a rule name`, t);
      } else {
        this.unexpected(isDefault ? 'expected a rule name after `default`' : 'expected a rule, e.g. `p if { ... }` or `p := <value>`', t);
      }
    }
    const name = this.text(t);
    if (name === '_') this.fail('`_` cannot be used as a rule name', t);
    if (ROOTS.has(name)) this.fail(`\`${name}\` cannot be used as a rule name: it is a root document`, t);
    this.next();
    const ref: Term[] = [{ type: 'var', name, loc }];
    let args: Term[] | null = null;
    this.headHasDot = false;
    for (let first = true; ; first = false) {
      const s = this.cur();
      if (s.ws && !first) break;
      if (s.kind === T.Dot) {
        this.next();
        const n = this.cur();
        if (n.ws || (n.kind !== T.Ident && !isKeyword(n.kind))) this.unexpected('expected a name after `.`');
        this.next();
        ref.push({ type: 'string', value: this.text(n), loc: this.locOf(n) });
        this.headHasDot = true;
      } else if (s.kind === T.LBrack) {
        this.next();
        ref.push(this.infix(true));
        this.expect(T.RBrack, '`]` to close the rule head key');
      } else if (s.kind === T.LParen) {
        this.next();
        args = this.termList(T.RParen, '`)`');
        this.next();
        if (args.length === 0) this.fail('functions must take at least one argument', s);
        const n = this.cur();
        if (!n.ws && (n.kind === T.Dot || n.kind === T.LBrack)) this.unexpected('a function head ends with its arguments');
        break;
      } else break;
    }
    const head: RuleHead = { loc, ref, args, key: null, value: null, assign: null, contains: false };
    const op = this.cur();
    if (op.kind === T.Contains) {
      if (args) this.fail('the `contains` keyword can only be used with multi-value rules, not functions');
      if (isDefault) this.fail('default rules cannot use `contains`');
      this.next();
      if (!this.startsTerm()) this.unexpected(`expected a value after \`contains\`, e.g. \`${this.headText(head)} contains x if { ... }\``);
      head.key = this.infix(true);
      head.contains = true;
    } else if (op.kind === T.Assign || op.kind === T.Unify) {
      this.next();
      if (!this.startsTerm()) this.unexpected(`expected a value after \`${this.text(op)}\``);
      head.value = this.infix(true);
      head.assign = op.kind === T.Assign ? ':=' : '=';
    } else if (isBinary(op.kind)) {
      this.unexpected(`a rule head cannot contain operators; did you mean \`:=\`?`);
    }
    return head;
  }

  private checkDefault(rule: Rule): void {
    const h = rule.head;
    if (h.value === null) this.fail('default rule must have a value, e.g. `default allow := false`', this.tokAt(rule.loc));
    const bad = findNonConstant(h.value);
    if (bad) this.fail(`default rule value cannot contain a ${bad}: use a constant`, this.tokAt(h.value.loc));
    if (h.args) {
      const seen = new Set<string>();
      for (const a of h.args) {
        if (a.type !== 'var') this.fail(`default function arguments must be variables, got a ${a.type}`, this.tokAt(a.loc));
        if (seen.has(a.name)) this.fail(`default function arguments cannot be repeated (\`${a.name}\`)`, this.tokAt(a.loc));
        seen.add(a.name);
      }
    }
  }

  /**
   * After `if`: a `{ ... }` body or a single expression. As in OPA, a braced group that reads as
   * an expression other than a set literal (`{}`, `{"a": 1}`, `{x} == y`) is that expression.
   * The body is tried first because that is the common case and needs no backtracking.
   */
  private ifBody(): Body {
    if (this.is(T.EOF)) this.unexpected('expected a rule body after `if`');
    if (!this.is(T.LBrace)) return [this.literal()];
    const start = this.pos;
    const depth = this.depth;
    let bodyErr: unknown = null;
    try {
      this.next();
      const body = this.bodyUntil(T.RBrace, '`}`');
      this.next();
      const n = this.cur();
      const continues = isBinary(n.kind) || n.kind === T.In || n.kind === T.Assign || n.kind === T.Unify ||
        (!n.ws && (n.kind === T.Dot || n.kind === T.LBrack));
      if (!continues) return body;
    } catch (e) {
      if (!(e instanceof RegoErrors)) throw e;
      bodyErr = e;
    }
    this.pos = start;
    this.depth = depth;
    const lit = this.attempt(() => this.literal());
    if (lit !== null && !(lit.body.kind === 'term' && lit.body.term.type === 'set')) return [lit];
    if (bodyErr !== null) throw bodyErr;
    return this.unexpected('expected a rule body');
  }

  private elseClause(): ElseClause {
    this.enter(); // `else` chains recurse
    const kw = this.next();
    const clause: ElseClause = { loc: this.locOf(kw), value: null, body: [], else: null };
    const op = this.cur();
    if (op.kind === T.Assign || op.kind === T.Unify) {
      this.next();
      if (!this.startsTerm()) this.unexpected(`expected a value after \`${this.text(op)}\``);
      clause.value = this.infix(true);
    } else if (op.kind !== T.If && op.kind !== T.LBrace) {
      this.unexpected('expected `:= <value>`, `if` or a body after `else`');
    }
    if (this.is(T.If) && !this.refFollows()) {
      this.next();
      if (this.is(T.LBrace)) {
        this.next();
        clause.body = this.bodyUntil(T.RBrace, '`}`');
        this.next();
      } else if (this.is(T.EOF)) {
        this.unexpected('expected a rule body after `if`');
      } else {
        clause.body = [this.literal()];
      }
    } else if (this.is(T.LBrace)) {
      this.fail('`if` keyword is required before rule body');
    }
    if (this.is(T.Else) && !this.refFollows()) clause.else = this.elseClause();
    this.depth--;
    return clause;
  }

  // ---- bodies and literals -------------------------------------------------------------------

  /** Expressions separated by `;` or newlines, up to (not consuming) `end`. */
  private bodyUntil(end: Tok, endText: string): Body {
    this.enter();
    if (this.is(end)) this.fail(`empty body: write at least one expression before ${endText}`);
    const body: Body = [];
    for (;;) {
      body.push(this.literal());
      const t = this.cur();
      if (t.kind === T.Semicolon) {
        this.next();
        continue;
      }
      if (t.kind === end) break;
      if (t.nl && t.kind !== T.EOF) continue;
      if (t.kind === T.Ident && (this.text(t) === 'and' || this.text(t) === 'or')) {
        this.fail(`\`${this.text(t)}\` is not an operator in Rego 1.0: write the conditions as separate expressions (all must hold), or use separate rule bodies for alternatives`);
      }
      if (t.kind === T.EOF) this.unexpected(`expected ${endText}`);
      this.unexpected(`expected a newline, \`;\` or ${endText} after the expression`);
    }
    this.depth--;
    return body;
  }

  private literal(): Expr {
    const first = this.cur();
    const loc = this.locOf(first);
    if (isKeyword(first.kind) && this.refFollows()) {
      this.kwIdentAt = this.pos;
      return this.exprWith(loc, false);
    }
    let negated = false;
    if (first.kind === T.Not) {
      this.next();
      negated = true;
    }
    const t = this.cur();
    if (t.kind === T.Some && !this.refFollows()) {
      if (negated) this.fail('`not` cannot be applied to `some` declarations', first);
      return this.withs({ loc, negated: false, with: [], body: this.some() });
    }
    if (t.kind === T.Every && !this.refFollows()) {
      if (negated) this.fail('`not` cannot be applied to `every`; negate inside the body or use a helper rule', first);
      return this.withs({ loc, negated: false, with: [], body: this.every() });
    }
    if (negated && isKeyword(t.kind) && this.refFollows()) this.kwIdentAt = this.pos;
    return this.exprWith(loc, negated);
  }

  private exprWith(loc: Location, negated: boolean): Expr {
    if (!this.startsTerm()) this.unexpected('expected an expression');
    const lhs = this.infix(true);
    let body: ExprBody;
    const op = this.cur();
    if (op.kind === T.Assign || op.kind === T.Unify) {
      this.next();
      if (!this.startsTerm()) this.unexpected(`expected a value after \`${this.text(op)}\``);
      const right = this.infix(true);
      body = op.kind === T.Assign ? { kind: 'assign', left: lhs, right } : { kind: 'unify', left: lhs, right };
    } else {
      body = { kind: 'term', term: lhs };
    }
    return this.withs({ loc, negated, with: [], body });
  }

  private withs(e: Expr): Expr {
    while (this.is(T.With)) {
      const w = this.next();
      const t = this.cur();
      if (t.kind !== T.Ident) this.unexpected('expected a reference after `with`, e.g. `with input.user as "alice"`');
      const target = this.unary();
      if (target.type !== 'var' && target.type !== 'ref') this.fail('a `with` target must be a reference such as `input.x`, `data.y` or a function name', t);
      if (!this.is(T.As)) this.unexpected('expected `as` after the `with` target');
      this.next();
      if (!this.startsTerm()) this.unexpected('expected a value after `as`');
      const value = this.infix(true);
      const item: With = { loc: this.locOf(w), target, value };
      e.with.push(item);
    }
    return e;
  }

  private some(): ExprBody {
    this.next();
    const start = this.cur();
    if (!this.startsTerm()) this.unexpected('expected a variable name after `some`, e.g. `some x` or `some x in xs`');
    // `some x in xs` and `some k, v in xs` read as membership; otherwise a list of variables.
    const t = this.infix(true);
    if (t.type === 'call' && isOp(t, MEMBER_2) && t.args.length === 2) return { kind: 'somein', key: null, value: t.args[0]!, collection: t.args[1]! };
    if (t.type === 'call' && isOp(t, MEMBER_3) && t.args.length === 3) return { kind: 'somein', key: t.args[0]!, value: t.args[1]!, collection: t.args[2]! };
    if (t.type === 'call') this.fail('expected `x in xs` or `k, v in xs` after `some`', start);
    if (t.type !== 'var') this.unexpected('expected a variable name after `some`, e.g. `some x` or `some x in xs`', start);
    const vars: VarTerm[] = [t];
    while (this.is(T.Comma)) {
      this.next();
      const v = this.cur();
      if (v.kind !== T.Ident) this.unexpected('expected a variable name after `,`');
      this.next();
      vars.push(this.varTerm(v));
    }
    return { kind: 'some', vars };
  }

  private every(): ExprBody {
    const kw = this.next();
    if (!this.startsTerm()) this.unexpected('expected `x in xs` or `k, v in xs` after `every`');
    const t = this.infix(true);
    let key: Term | null = null;
    let value: Term;
    let domain: Term;
    if (t.type === 'call' && isOp(t, MEMBER_2) && t.args.length === 2) {
      value = t.args[0]!;
      domain = t.args[1]!;
    } else if (t.type === 'call' && isOp(t, MEMBER_3) && t.args.length === 3) {
      key = t.args[0]!;
      value = t.args[1]!;
      domain = t.args[2]!;
    } else {
      this.fail('expected `x in xs` or `k, v in xs` after `every`', kw);
    }
    if (key !== null && key.type !== 'var') this.fail('the key in `every k, v in xs` must be a variable', this.tokAt(key.loc));
    if (value.type !== 'var') this.fail('the value in `every x in xs` must be a variable', this.tokAt(value.loc));
    if (!this.is(T.LBrace)) this.unexpected('expected `{` to start the `every` body');
    this.next();
    const body = this.bodyUntil(T.RBrace, '`}`');
    this.next();
    return { kind: 'every', key: key as VarTerm | null, value, domain, body };
  }

  // ---- terms and operators -------------------------------------------------------------------

  private startsTerm(): boolean {
    const k = this.cur().kind;
    return (
      k === T.Ident || k === T.Number || k === T.String || k === T.Template || k === T.LBrack || k === T.LBrace || k === T.LParen ||
      k === T.Sub || k === T.Null || k === T.True || k === T.False || k === T.Contains || k === T.Dot || k === T.Illegal ||
      (isKeyword(k) && this.kwIdentAt === this.pos)
    );
  }

  /**
   * `in` level. `keyVal` allows `k, v in xs` (not inside lists, where the comma separates items).
   * `lhs0`, when given, is an already-parsed left operand (an operand or a whole `binary` chain).
   */
  private infix(keyVal: boolean, lhs0?: Term): Term {
    this.enter();
    let lhs = lhs0 ?? this.binary(1);
    for (;;) {
      if (keyVal && this.is(T.Comma)) {
        const m3 = this.attempt(() => {
          this.next();
          const mhs = this.binary(1);
          if (!this.is(T.In)) this.fail('');
          this.next();
          const rhs = this.binary(1);
          return this.call(MEMBER_3, [lhs, mhs, rhs], lhs.loc);
        });
        if (m3 !== null) {
          lhs = m3;
          if (this.is(T.In)) continue;
          break;
        }
      }
      if (this.is(T.In)) {
        this.next();
        if (!this.startsTerm()) this.unexpected('expected a collection after `in`');
        const rhs = this.binary(1);
        lhs = this.call(MEMBER_2, [lhs, rhs], lhs.loc);
        if (this.is(T.In)) continue;
      }
      break;
    }
    this.depth--;
    return lhs;
  }

  /** Binary operators with precedence >= minPrec (precedence climbing, left-associative). */
  private binary(minPrec: number, lhs0?: Term): Term {
    let lhs = lhs0 ?? this.unary();
    for (;;) {
      const k = this.cur().kind;
      const prec = PREC[k];
      if (prec === undefined || prec < minPrec) return lhs;
      const opTok = this.next();
      if (!this.startsTerm()) this.unexpected(`expected a term after \`${this.text(opTok)}\``);
      const rhs = this.binary(prec + 1);
      lhs = this.call([OPNAME[k]!], [lhs, rhs], lhs.loc);
    }
  }

  /** A single term: unary minus, a primary, and its ref/call suffixes. */
  private unary(): Term {
    const t = this.cur();
    if (t.kind === T.Sub) {
      const n = this.peek();
      if (n.kind === T.Number) {
        this.pos += 2;
        return this.suffixes(this.num(numberText('-', this.text(n)), t));
      }
      if (n.kind === T.Dot && this.peek(2).kind === T.Number && !this.peek(2).ws) {
        const d = this.peek(2);
        this.pos += 3;
        return this.suffixes(this.num(numberText('-.', this.text(d)), t));
      }
      this.next();
      this.enter();
      if (!this.startsTerm()) this.unexpected('expected a term after `-`');
      const operand = this.unary();
      this.depth--;
      return this.call(['minus'], [{ type: 'number', value: '0', loc: this.locOf(t) }, operand], this.locOf(t));
    }
    const k = t.kind;
    if (k !== T.LBrack && k !== T.LBrace && k !== T.LParen) return this.suffixes(this.primary());
    // Bracketed terms are memoized by position (success or failure): comprehension fallbacks
    // and `if {` bodies re-read them, which would otherwise cost exponential time when nested.
    const start = this.pos;
    const hit = this.memo.get(start);
    if (hit !== undefined) {
      if (hit.err !== null) {
        this.errPos = hit.errPos;
        throw hit.err;
      }
      this.pos = hit.end;
      return hit.term!;
    }
    try {
      const term = this.suffixes(this.primary());
      this.memo.set(start, { term, end: this.pos, err: null, errPos: -1 });
      return term;
    } catch (e) {
      if (e instanceof RegoErrors && !this.tooDeep) this.memo.set(start, { term: null, end: -1, err: e, errPos: this.errPos });
      throw e;
    }
  }

  private primary(): Term {
    const t = this.cur();
    const loc = this.locOf(t);
    if (isKeyword(t.kind) && this.kwIdentAt === this.pos) {
      this.kwIdentAt = -1;
      this.next();
      return { type: 'var', name: this.text(t), loc };
    }
    switch (t.kind) {
      case T.Null:
        this.next();
        return { type: 'null', loc };
      case T.True:
      case T.False:
        this.next();
        return { type: 'boolean', value: t.kind === T.True, loc };
      case T.Number:
        this.next();
        return this.num(numberText('', this.text(t)), t);
      case T.Dot: {
        const n = this.peek();
        if (n.kind === T.Number && !n.ws) {
          this.pos += 2;
          return this.num(numberText('.', this.text(n)), t);
        }
        return this.unexpected('expected a term');
      }
      case T.String:
        this.next();
        return { type: 'string', value: t.value!, loc };
      case T.Template:
        this.next();
        return this.template(t);
      case T.Ident:
      case T.Contains: // `contains` is also a builtin function name
        this.next();
        return this.varTerm(t);
      case T.LBrack:
        return this.nested(() => this.array());
      case T.LBrace:
        return this.nested(() => this.setOrObject());
      case T.LParen:
        return this.nested(() => {
          this.next();
          if (!this.startsTerm()) this.unexpected('expected an expression after `(`');
          const inner = this.infix(true);
          this.expect(T.RParen, '`)`');
          return { ...inner, loc }; // the node starts at `(`
        });
      case T.EOF:
        return this.unexpected('expected a term');
      default:
        return this.unexpected('expected a term');
    }
  }

  private nested<R>(f: () => R): R {
    this.enter();
    const r = f();
    this.depth--;
    return r;
  }

  /** `.name`, `[term]` and `(args)` directly after a term (no whitespace in between). */
  private suffixes(head: Term): Term {
    let s = this.cur();
    if (s.ws || (s.kind !== T.Dot && s.kind !== T.LBrack && s.kind !== T.LParen)) return head;
    const loc = head.loc;
    let path: Term[] = [];
    if (!canHeadRef(head)) this.fail(`a reference cannot start with a ${head.type}`, s);
    for (;;) {
      s = this.cur();
      if (s.ws) break;
      if (s.kind === T.Dot) {
        this.next();
        const n = this.cur();
        if (n.ws || (n.kind !== T.Ident && !isKeyword(n.kind))) this.unexpected('expected a name after `.`');
        this.next();
        path.push({ type: 'string', value: this.text(n), loc: this.locOf(n) });
      } else if (s.kind === T.LBrack) {
        this.next();
        if (!this.startsTerm()) this.unexpected('expected a term inside `[...]`');
        path.push(this.infix(true));
        this.expect(T.RBrack, '`]`');
      } else if (s.kind === T.LParen) {
        const operator = operatorName(head, path);
        if (operator === null) this.fail('invalid function name: only dotted names can be called, e.g. `strings.replace_n(x, y)`', s);
        this.next();
        const args = this.termList(T.RParen, '`)`');
        this.next();
        head = operator.length === 1 && operator[0] === 'set' && args.length === 0 ? { type: 'set', items: [], loc } : this.call(operator, args, loc);
        path = [];
        const n = this.cur();
        if (n.ws || (n.kind !== T.Dot && n.kind !== T.LBrack)) return head;
      } else break;
    }
    return path.length ? { type: 'ref', head, path, loc } : head;
  }

  /** Comma-separated terms up to `end` (not consumed); a trailing comma is allowed. */
  private termList(end: Tok, endText: string, items: Term[] = []): Term[] {
    if (this.is(end)) return items;
    for (;;) {
      if (!this.startsTerm()) this.unexpected(`expected a term or ${endText}`);
      items.push(this.infix(false));
      if (this.is(end)) return items;
      if (!this.is(T.Comma)) this.unexpected(`expected \`,\` or ${endText}`);
      this.next();
      if (this.is(end)) return items;
    }
  }

  private array(): Term {
    const open = this.next();
    const loc = this.locOf(open);
    if (this.is(T.RBrack)) {
      this.next();
      return { type: 'array', items: [], loc };
    }
    let comp = true;
    if (this.is(T.Comma)) {
      comp = false; // `[, x]` is accepted (as OPA does), but is then no comprehension
      this.next();
    }
    if (!this.startsTerm()) this.unexpected('expected a term or `]`');
    // The head is a single term first, so that `[x | body]` is a comprehension, not `x | body`.
    const head = this.unary();
    if (comp && this.is(T.Or)) {
      const afterHead = this.pos;
      const body = this.compBody(T.RBrack, '`]`');
      if (body !== null) return { type: 'arraycomp', head, body, loc };
      this.pos = afterHead;
    }
    const first = this.is(T.Comma) || this.is(T.RBrack) ? head : this.infix(false, this.binary(1, head));
    const items = [first];
    if (this.is(T.Comma)) {
      this.next();
      this.termList(T.RBrack, '`]`', items);
    } else if (!this.is(T.RBrack)) this.unexpected('expected `,` or `]`');
    this.next();
    return { type: 'array', items, loc };
  }

  /**
   * After a comprehension head, at `|`: the body up to `end`. When the body does not parse and
   * the parser stopped at a comma, returns null so the caller reads `|` as an operator in a literal
   * (OPA's fallback); other errors are real.
   */
  private compBody(end: Tok, endText: string): Body | null {
    const bar = this.pos;
    const depth = this.depth;
    try {
      this.next();
      const b = this.bodyUntil(end, endText);
      this.next();
      return b;
    } catch (e) {
      if (!(e instanceof RegoErrors) || this.toks[this.errPos]?.kind !== T.Comma) throw e;
      this.pos = bar;
      this.depth = depth;
      return null;
    }
  }

  private setOrObject(): Term {
    const open = this.next();
    const loc = this.locOf(open);
    if (this.is(T.RBrace)) {
      this.next();
      return { type: 'object', items: [], loc };
    }
    let comp = true;
    if (this.is(T.Comma)) {
      comp = false;
      this.next();
    }
    if (!this.startsTerm()) this.unexpected('expected a term or `}`');
    let head = this.unary();
    if (comp && this.is(T.Or)) {
      const afterHead = this.pos;
      const body = this.compBody(T.RBrace, '`}`');
      if (body !== null) return { type: 'setcomp', head, body, loc };
      this.pos = afterHead;
    }
    if (this.is(T.Colon)) return this.object(loc, head, comp);
    if (!this.is(T.Comma) && !this.is(T.RBrace)) {
      head = this.infix(false, this.binary(1, head));
      if (this.is(T.Colon)) return this.object(loc, head, comp);
    }
    const items = [head];
    if (this.is(T.Comma)) {
      this.next();
      this.termList(T.RBrace, '`}`', items);
    } else if (!this.is(T.RBrace)) this.unexpected('expected `,`, `:` or `}`');
    this.next();
    return { type: 'set', items, loc };
  }

  private object(loc: Location, key: Term, comp: boolean): Term {
    this.next(); // ':'
    if (!this.startsTerm()) this.unexpected('expected a value after `:`');
    let value = this.unary();
    if (comp && this.is(T.Or)) {
      const afterValue = this.pos;
      const body = this.compBody(T.RBrace, '`}`');
      if (body !== null) return { type: 'objectcomp', key, value, body, loc };
      this.pos = afterValue;
    }
    if (!this.is(T.Comma) && !this.is(T.RBrace)) value = this.infix(false, this.binary(1, value));
    const items: Array<[Term, Term]> = [[key, value]];
    for (;;) {
      if (this.is(T.RBrace)) break;
      if (!this.is(T.Comma)) this.unexpected('expected `,` or `}`');
      this.next();
      if (this.is(T.RBrace)) break;
      if (!this.startsTerm()) this.unexpected('expected an object key or `}`');
      const k = this.infix(false);
      if (!this.is(T.Colon)) this.unexpected('expected `:` after the object key');
      this.next();
      if (!this.startsTerm()) this.unexpected('expected a value after `:`');
      items.push([k, this.infix(false)]);
    }
    this.next();
    return { type: 'object', items, loc };
  }

  // ---- small text helpers for messages --------------------------------------------------------

  private headText(h: RuleHead): string {
    return (h.ref[0] as VarTerm).name + h.ref.slice(1).map((t) => (t.type === 'string' ? `.${t.value}` : '[…]')).join('');
  }
  private termText(t: Term): string {
    return t.type === 'var' ? t.name : 'x';
  }
}

function isOp(c: CallTerm, op: string[]): boolean {
  return c.operator.length === op.length && c.operator.every((s, i) => s === op[i]);
}

function isKeywordName(s: string): boolean {
  return ['as', 'contains', 'default', 'else', 'every', 'false', 'if', 'import', 'in', 'not', 'null', 'package', 'some', 'true', 'with'].includes(s);
}

/** OPA allows these term types as the head of a ref. */
function canHeadRef(t: Term): boolean {
  switch (t.type) {
    case 'var':
    case 'array':
    case 'object':
    case 'set':
    case 'arraycomp':
    case 'setcomp':
    case 'objectcomp':
    case 'call':
      return true;
    default:
      return false;
  }
}

/** `a.b["c"]` as a function name: a var head and string path elements. */
function operatorName(head: Term, path: Term[]): string[] | null {
  if (head.type !== 'var' || head.name.startsWith('$')) return null;
  const out = [head.name];
  for (const p of path) {
    if (p.type !== 'string') return null;
    out.push(p.value);
  }
  return out;
}

/** Number text as written, made valid JSON where Rego is laxer (`.5` → `0.5`). */
function numberText(prefix: '' | '-' | '.' | '-.', digits: string): string {
  return prefix === '.' ? '0.' + digits : prefix === '-.' ? '-0.' + digits : prefix + digits;
}

/** Rough decimal magnitude of a JSON number; OPA rejects numbers beyond about 1e±30000. */
function tooBig(text: string): boolean {
  if (text.length < 64 && text.indexOf('e') < 0 && text.indexOf('E') < 0) return false;
  if (text.length > 30000) return true;
  const m = /^-?(\d*)(?:\.\d*)?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return false;
  const intDigits = m[1]!.replace(/^0+/, '').length;
  const exp = m[2] ? Number(m[2]) : 0;
  return Math.abs(intDigits + exp) > 30000;
}


/** What makes a default value non-constant (comprehensions are closures and allowed). */
function findNonConstant(t: Term): string | null {
  switch (t.type) {
    case 'var':
      return 'variable';
    case 'ref':
      return 'reference';
    case 'call':
      return 'function call or operator';
    case 'array':
    case 'set':
      for (const i of t.items) {
        const b = findNonConstant(i);
        if (b) return b;
      }
      return null;
    case 'object':
      for (const [k, v] of t.items) {
        const b = findNonConstant(k) ?? findNonConstant(v);
        if (b) return b;
      }
      return null;
    default:
      return null;
  }
}

function shift(l: Location, row: number, col: number): Location {
  return { file: l.file, row: l.row + row - 1, col: l.row === 1 ? l.col + col - 1 : l.col };
}

/** Moves every location in a sub-parse (a template expression) to where it sits in the file. */
function shiftLocations(node: unknown, row: number, col: number): void {
  if (Array.isArray(node)) {
    for (const x of node) shiftLocations(x, row, col);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'loc' && v && typeof v === 'object') o[k] = shift(v as Location, row, col);
    else shiftLocations(v, row, col);
  }
}
