// Which rule functions depend on `data` alone. Their values can be kept across evaluations for as
// long as the data document is unchanged: a policy that normalizes its configuration (lowercased
// prefixes, a set built from a list) then pays for it once per data revision, not per decision.
//
// A function qualifies when all of these hold:
// - it is a rule or package document (parameters: input, data) planned outside every `with`
//   (a function specialised for a `with` reads replaced values from a patched data document);
// - its statements never read the input, except to pass it on to functions that qualify;
// - every builtin it calls runs inside the module (host builtins may read clocks, the network or
//   anything else a host supplies);
// - every policy function it calls qualifies too (user functions with arguments included).
import { builtinSignature } from '../builtin-signatures.ts';
import type { Block, Func, Operand, Stmt } from '../ir.ts';

/** Marks `dataOnly` on the functions of `funcs` that qualify; `specialised` names those planned under a `with`. */
export function markDataOnly(funcs: readonly Func[], specialised: ReadonlySet<string>): void {
  const byName = new Map(funcs.map((f) => [f.name, f]));
  const verdict = new Map<string, boolean>();

  const inputFree = (f: Func): boolean => {
    const known = verdict.get(f.name);
    if (known !== undefined) return known;
    verdict.set(f.name, false); // the planner rejects recursion; this only guards the walk
    const input = f.params[0];
    const reads = (o: Operand): boolean => o.type === 'local' && o.local === input;
    const ok = (s: Stmt): boolean => {
      switch (s.type) {
        case 'Call': {
          const callee = byName.get(s.func);
          if (callee === undefined) return builtinSignature(s.func)?.impl === 'native' && !s.args.some(reads);
          if (specialised.has(callee.name) || !inputFree(callee)) return false;
          // The input may travel on only in the callee's own input position.
          return s.args.every((a, i) => i === 0 || !reads(a));
        }
        case 'ArrayAppend': return !reads(s.value) && s.array !== input;
        case 'AssignVar': case 'AssignVarOnce': return !reads(s.source);
        case 'Block': return s.blocks.every(blockOk);
        case 'Dot': return !reads(s.source) && !reads(s.key);
        case 'Equal': case 'NotEqual': return !reads(s.a) && !reads(s.b);
        case 'IsArray': case 'IsObject': case 'IsSet': case 'Len': return !reads(s.source);
        case 'IsDefined': case 'IsUndefined': case 'ReturnLocal': return s.source !== input;
        case 'Not': return blockOk(s.block);
        case 'ObjectInsert': case 'ObjectInsertOnce': return !reads(s.key) && !reads(s.value) && s.object !== input;
        case 'ObjectMerge': return s.a !== input && s.b !== input;
        case 'ResultSetAdd': return s.value !== input;
        case 'Scan': return s.source !== input && blockOk(s.block);
        case 'SetAdd': return !reads(s.value) && s.set !== input;
        case 'With': return !reads(s.value) && s.local !== input && blockOk(s.block);
        case 'Break': case 'MakeNull': case 'MakeNumberInt': case 'MakeNumberRef': case 'MakeArray':
        case 'MakeObject': case 'MakeSet': case 'ResetLocal': case 'Abort':
          return true;
      }
    };
    const blockOk = (b: Block): boolean => b.stmts.every(ok);
    const result = f.blocks.every(blockOk);
    verdict.set(f.name, result);
    return result;
  };

  for (const f of funcs) {
    if (f.memo === true && f.params.length === 2 && !specialised.has(f.name) && inputFree(f)) f.dataOnly = true;
  }
}
