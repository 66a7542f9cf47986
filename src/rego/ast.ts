// The Rego abstract syntax tree: what the parser produces and the compile passes read.
// Infix operators are desugared into calls at parse time (`a + b` → plus(a, b)), as OPA does,
// so later stages see one shape for every function application.

export interface Location {
  file: string;
  /** 1-based line. */
  row: number;
  /** 1-based column, in UTF-16 code units of the line. */
  col: number;
}

export interface Node {
  loc: Location;
}

export type Term =
  | NullTerm
  | BooleanTerm
  | NumberTerm
  | StringTerm
  | VarTerm
  | RefTerm
  | ArrayTerm
  | ObjectTerm
  | SetTerm
  | ArrayComprehension
  | SetComprehension
  | ObjectComprehension
  | CallTerm;

export interface NullTerm extends Node { type: 'null' }
export interface BooleanTerm extends Node { type: 'boolean'; value: boolean }
/** `value` is the literal text exactly as written (JSON number syntax), so big and decimal numbers stay exact. */
export interface NumberTerm extends Node { type: 'number'; value: string }
/** Both "quoted" and `raw` strings; `value` is the decoded string. */
export interface StringTerm extends Node { type: 'string'; value: string }
/** `_` is a wildcard: the parser renames each occurrence to a fresh `$wc<n>` var. */
export interface VarTerm extends Node { type: 'var'; name: string }
/**
 * `head.path[0][1]`: `head` is a var (`input`, `data`, a local) or, for `f(x).y` and `[1,2][0]`,
 * a call or composite term. Dotted parts are string terms.
 */
export interface RefTerm extends Node { type: 'ref'; head: Term; path: Term[] }
export interface ArrayTerm extends Node { type: 'array'; items: Term[] }
export interface ObjectTerm extends Node { type: 'object'; items: Array<[Term, Term]> }
export interface SetTerm extends Node { type: 'set'; items: Term[] }
export interface ArrayComprehension extends Node { type: 'arraycomp'; head: Term; body: Body }
export interface SetComprehension extends Node { type: 'setcomp'; head: Term; body: Body }
export interface ObjectComprehension extends Node { type: 'objectcomp'; key: Term; value: Term; body: Body }
/**
 * A function application. `operator` is the function's name as a dotted ref
 * (`count`, `strings.replace_n`, `data.lib.f`, `lib.f`). Operators desugar to builtin names:
 * `+ plus`, `- minus`, `* mul`, `/ div`, `% rem`, `& and`, `| or`, `== equal`, `!= neq`,
 * `< lt`, `<= lte`, `> gt`, `>= gte`, `x in xs` → `internal.member_2(x, xs)`,
 * `k, v in xs` → `internal.member_3(k, v, xs)`. Unary minus on a non-literal is `minus(0, x)`.
 */
export interface CallTerm extends Node { type: 'call'; operator: string[]; args: Term[] }

export type Body = Expr[];

/** One expression (literal) of a body, with its `not` and `with` modifiers. */
export interface Expr extends Node {
  negated: boolean;
  with: With[];
  body: ExprBody;
}

export type ExprBody =
  /** A bare term: true unless it is `false` or undefined. A bare call is checked the same way. */
  | { kind: 'term'; term: Term }
  /** `a = b`: unification. */
  | { kind: 'unify'; left: Term; right: Term }
  /** `a := b`: declares the vars of `a` (a var, or an array/object pattern) as new locals. */
  | { kind: 'assign'; left: Term; right: Term }
  /** `some x, y`: declares locals. */
  | { kind: 'some'; vars: VarTerm[] }
  /** `some v in xs` / `some k, v in xs`. `key` and `value` may be patterns. */
  | { kind: 'somein'; key: Term | null; value: Term; collection: Term }
  /** `every v in xs { body }` / `every k, v in xs { body }`. */
  | { kind: 'every'; key: VarTerm | null; value: VarTerm; domain: Term; body: Body };

/** `with target as value`; target is a ref to `input...`, `data...` or a function name. */
export interface With extends Node { target: RefTerm | VarTerm; value: Term }

export interface Package extends Node {
  /** Path below `data`: `package a.b` → ['a', 'b']. */
  path: string[];
}

export interface Import extends Node {
  /** The imported ref: `data.x.y`, `input.z`, `future.keywords.in`, `rego.v1`. */
  path: RefTerm | VarTerm;
  alias: string | null;
}

export interface RuleHead extends Node {
  /**
   * The rule's reference relative to its package: `p` → [var p]; `a.b[x].c` → [var a, "b", var x, "c"];
   * `p[k] := v` → [var p, var k]. The first element is always a var.
   */
  ref: Term[];
  /** Function parameters (patterns allowed); null when the rule is not a function. */
  args: Term[] | null;
  /** `p contains x`: the element added to the multi-value (set) rule. */
  key: Term | null;
  /** The value; null when written without one (then the value is `true`), or for `contains`. */
  value: Term | null;
  /** How the value was bound: `:=`, `=`, or null when no value was written. */
  assign: ':=' | '=' | null;
  contains: boolean;
}

export interface ElseClause extends Node {
  /** null means `true`. */
  value: Term | null;
  body: Body;
  else: ElseClause | null;
}

export interface Rule extends Node {
  isDefault: boolean;
  head: RuleHead;
  /** Empty for rules without a body (`p := 1`), i.e. always true. */
  body: Body;
  else: ElseClause | null;
  annotations: Annotation[];
}

/** A `# METADATA` block: the YAML kept as written, and what it parsed into. */
export interface Annotation extends Node {
  scope: string | null;
  title: string | null;
  description: string | null;
  entrypoint: boolean;
  /** The parsed YAML document, or null when the YAML could not be parsed. */
  fields: Record<string, unknown> | null;
  raw: string;
}

export interface Comment extends Node { text: string }

export interface Module {
  file: string;
  package: Package;
  imports: Import[];
  rules: Rule[];
  comments: Comment[];
  /** Package- and document-scoped annotations (rule-scoped ones live on their rule). */
  annotations: Annotation[];
}

/**
 * True when the term holds only scalars and collections of them — nothing to evaluate. With
 * `allowVars`, variables count as simple too (a pattern that unification can bind).
 */
export function isGround(t: Term, allowVars = false): boolean {
  switch (t.type) {
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return true;
    case 'var':
      return allowVars;
    case 'array':
    case 'set':
      return t.items.every((x) => isGround(x, allowVars));
    case 'object':
      return t.items.every(([k, v]) => isGround(k, allowVars) && isGround(v, allowVars));
    default:
      return false;
  }
}

/** Every diagnostic the toolchain raises; `code` follows OPA's names. */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'rego_type_error'
  | 'rego_internal_error';

export class RegoError extends Error {
  readonly code: RegoErrorCode;
  readonly loc: Location | null;
  readonly details: string;
  constructor(code: RegoErrorCode, details: string, loc: Location | null) {
    super(loc ? `${loc.file}:${loc.row}:${loc.col}: ${code}: ${details}` : `${code}: ${details}`);
    this.name = 'RegoError';
    this.code = code;
    this.loc = loc;
    this.details = details;
  }
}

/** Several errors from one stage; compile stages report all they find, not just the first. */
export class RegoErrors extends Error {
  readonly errors: RegoError[];
  constructor(errors: RegoError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'RegoErrors';
    this.errors = errors;
  }
}
