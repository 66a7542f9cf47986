// Terse builders for hand-written IR in tests.
import type { Block, BuiltinDecl, Func, Operand, Plan, Policy, Stmt } from '../../src/rego/ir.ts';

export class PolicyBuilder {
  readonly strings: string[] = [];
  readonly funcs: Func[] = [];
  readonly plans: Plan[] = [];
  readonly builtins: BuiltinDecl[] = [];

  /** Index of `s` in the string table (interned). */
  si(s: string): number {
    let i = this.strings.indexOf(s);
    if (i < 0) {
      i = this.strings.length;
      this.strings.push(s);
    }
    return i;
  }

  s(s: string): Operand {
    return { type: 'string', index: this.si(s) };
  }

  plan(name: string, ...blocks: Stmt[][]): this {
    this.plans.push({ name, blocks: blocks.map(blk) });
    return this;
  }

  func(name: string, params: number[], result: number, ...blocks: Stmt[][]): this {
    this.funcs.push({ name, path: name.split('.').slice(2), params, result, blocks: blocks.map(blk) });
    return this;
  }

  builtin(name: string, arity: number): this {
    this.builtins.push({ name, arity });
    return this;
  }

  /** Statements that add `{"result": l}` to the result set (as OPA's planner does). */
  result(l: number, tmp: number): Stmt[] {
    return [
      { type: 'MakeObject', target: tmp },
      { type: 'ObjectInsert', object: tmp, key: this.s('result'), value: L(l) },
      { type: 'ResultSetAdd', value: tmp },
    ];
  }

  build(): Policy {
    return { strings: this.strings, builtins: this.builtins, funcs: this.funcs, plans: this.plans };
  }
}

export function blk(stmts: Stmt[]): Block {
  return { stmts };
}

export function L(local: number): Operand {
  return { type: 'local', local };
}

export function B(value: boolean): Operand {
  return { type: 'bool', value };
}
