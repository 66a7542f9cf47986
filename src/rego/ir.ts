// The intermediate representation between the planner and the wasm backend.
//
// A policy is a set of plans (one per entrypoint) and functions (one per rule group and user
// function). Bodies are lists of blocks; a block runs its statements in order and stops at the
// first statement that is *undefined* (fails): a failed Dot, Equal, Call, Is*, Not, and so on.
// Stopping a block is not an error: execution continues after the block. Statements never see
// an undefined local except through IsDefined / IsUndefined / AssignVarOnce.
//
// Locals are numbered per plan/function and start undefined. In plans, local 0 is `input` and
// local 1 is `data`; in functions the planner passes them as the first two parameters.
// See docs/ir.md for the printed form and examples.

export type Local = number;

export type Operand =
  | { type: 'local'; local: Local }
  | { type: 'bool'; value: boolean }
  /** A string from the policy's string table. */
  | { type: 'string'; index: number };

export interface Block {
  stmts: Stmt[];
}

export type Stmt =
  /** Append `value` to the array in `array`. */
  | { type: 'ArrayAppend'; array: Local; value: Operand }
  | { type: 'AssignVar'; source: Operand; target: Local }
  /** Assign when `target` is undefined; when it holds an equal value do nothing; otherwise abort with a conflict error. */
  | { type: 'AssignVarOnce'; source: Operand; target: Local }
  /** Run each block in turn; a block that stops does not stop the others. */
  | { type: 'Block'; blocks: Block[] }
  /** Leave the `index`-th enclosing block (0 = the block holding this statement) and continue after it. */
  | { type: 'Break'; index: number }
  /** Call a function of the policy or a builtin by name; undefined when it returns undefined. */
  | { type: 'Call'; func: string; args: Operand[]; result: Local }
  /** `target = source[key]`; undefined when the key is absent or source is not a collection. */
  | { type: 'Dot'; source: Operand; key: Operand; target: Local }
  | { type: 'Equal'; a: Operand; b: Operand }
  | { type: 'NotEqual'; a: Operand; b: Operand }
  | { type: 'IsArray'; source: Operand }
  | { type: 'IsObject'; source: Operand }
  | { type: 'IsSet'; source: Operand }
  | { type: 'IsDefined'; source: Local }
  | { type: 'IsUndefined'; source: Local }
  /** Number of elements of an array/object/set or code points of a string; undefined otherwise. */
  | { type: 'Len'; source: Operand; target: Local }
  | { type: 'MakeNull'; target: Local }
  | { type: 'MakeNumberInt'; value: number; target: Local }
  /** A number from its literal text in the string table (big integers, decimals). */
  | { type: 'MakeNumberRef'; index: number; target: Local }
  | { type: 'MakeArray'; capacity: number; target: Local }
  | { type: 'MakeObject'; target: Local }
  | { type: 'MakeSet'; target: Local }
  /** Defined when `block` stops before its end; undefined when it runs to completion. */
  | { type: 'Not'; block: Block }
  | { type: 'ObjectInsert'; key: Operand; value: Operand; object: Local }
  /** Insert; an existing key with a different value aborts with a conflict error. */
  | { type: 'ObjectInsertOnce'; key: Operand; value: Operand; object: Local }
  /** Deep merge of two objects (a's values win on leaf conflicts); undefined when either is not an object. */
  | { type: 'ObjectMerge'; a: Local; b: Local; target: Local }
  | { type: 'ResetLocal'; target: Local }
  | { type: 'ResultSetAdd'; value: Local }
  /** Return from the function with the value of `source` (possibly undefined). */
  | { type: 'ReturnLocal'; source: Local }
  /**
   * For each key/value of an array, object or set (a set's key and value are the element), run
   * `block`. Objects and sets are visited in key order, as OPA visits them.
   */
  | { type: 'Scan'; source: Local; key: Local; value: Local; block: Block }
  | { type: 'SetAdd'; value: Operand; set: Local }
  /**
   * Run `block` with `local` replaced by a copy whose value at `path` (string-table indexes) is
   * `value`, creating objects along the path; an empty path replaces the whole value.
   */
  | { type: 'With'; local: Local; path: number[]; value: Operand; block: Block }
  /** Abort the evaluation with an error; `code` and `message` index the string table. */
  | { type: 'Abort'; code: number; message: number };

export interface Func {
  /** Unique within the policy, e.g. `g0.data.authz.allow`. */
  name: string;
  /** The rule's path below `data`, for diagnostics and the printed IR. */
  path: string[];
  params: Local[];
  /** The value returned when the blocks end without a ReturnLocal. */
  result: Local;
  blocks: Block[];
  /**
   * The function depends only on its (input, data) parameters: its result may be cached for the
   * rest of an evaluation while it is called with the same input and data values.
   */
  memo?: boolean;
  /**
   * The function's value depends on `data` alone (see planner/data-only.ts): it may be kept
   * across evaluations for as long as it is called with the same, unchanged data document.
   */
  dataOnly?: boolean;
}

export interface Plan {
  /** The entrypoint as written by users, e.g. `authz/allow`. */
  name: string;
  blocks: Block[];
}

export interface BuiltinDecl {
  name: string;
  arity: number;
}

export interface Policy {
  strings: string[];
  builtins: BuiltinDecl[];
  funcs: Func[];
  /** In entrypoint id order: plan i is entrypoint i. */
  plans: Plan[];
}
