// Rule groups and package documents as IR functions: complete rules with else chains and
// defaults, multi-value (set) rules, object rules with nested keys, functions, and the document
// of a package (its rules' values merged with base data).
import { RegoError, type Body, type ElseClause, type Location, type Rule, type Term } from '../ast.ts';
import type { Block, Func, Local, Operand } from '../ir.ts';
import { hasRules, type RuleGroup, type TreeNode } from '../compile/ruletree.ts';
import { displayVar, isGround, termVars } from '../compile/terms.ts';
import type { Ctx } from './context.ts';
import { headContext, normalizeHead } from './rewrite.ts';
import { DATA, FnBuilder, INPUT, type Cont, type OpCont } from './body.ts';
import type { Planner } from './planner.ts';


export function planGroup(p: Planner, group: RuleGroup, ctx: Ctx, name: string): Func {
  const params = group.kind === 'function' ? Array.from({ length: group.arity }, (_, i) => i + 2) : [];
  const fb = new FnBuilder(p, ctx, 2 + params.length);
  const result = fb.newLocal();
  const blocks: Block[] = [];
  const valueOf = (t: Term | null, loc: Location): Term => t ?? { type: 'boolean', value: true, loc };

  if (group.kind === 'multi') blocks.push(fb.topBlock(() => fb.emit({ type: 'MakeSet', target: result })));
  if (group.kind === 'object') blocks.push(fb.topBlock(() => fb.emit({ type: 'MakeObject', target: result })));

  for (const gr of group.rules) {
    blocks.push(
      fb.topBlock(() => {
        const norm = normalizeHead(gr.rule, gr.suffix);
        const rule = norm.rule;
        fb.rule = gr.rule;
        const withArgs = (cont: Cont): void => {
          if (group.kind !== 'function') return cont();
          const args = rule.head.args ?? [];
          const step = (i: number): void => {
            if (i >= args.length) return cont();
            const arg = args[i] as Term;
            const param = params[i] as number;
            // An argument that must be computed (`f($"{x}")`, `f(input.a)`) is compared after the
            // body has bound its vars: it becomes a body expression, as OPA rewrites it.
            if (isGround(arg, true)) return fb.unifyValue(arg, param, () => step(i + 1));
            fb.bind(`$arg${i}`, param, () => step(i + 1));
          };
          step(0);
        };
        withArgs(() => {
          const head = headContext(rule);
          if (group.kind === 'complete' || group.kind === 'function') {
            planClauses(fb, rule, head, (op) => fb.emit({ type: 'AssignVarOnce', source: op, target: result }), valueOf);
          } else if (group.kind === 'multi') {
            planRuleBody(fb, rule.body, head, rule, () => fb.planTerm(rule.head.key ?? valueOf(null, rule.loc), (k) => fb.emit({ type: 'SetAdd', set: result, value: k })));
          } else {
            planRuleBody(fb, rule.body, head, rule, () =>
              fb.planTerms([...norm.suffix, valueOf(rule.head.value, rule.loc)], (ops) => insertNested(fb, result, ops.slice(0, -1), ops[ops.length - 1] as Operand)),
            );
          }
        });
      }),
    );
  }
  const def = group.defaultRule;
  if (def) {
    blocks.push(
      fb.topBlock(() => {
        fb.emit({ type: 'IsUndefined', source: result });
        fb.planTerm(valueOf(def.rule.head.value, def.rule.loc), (op) => fb.emit({ type: 'AssignVar', source: op, target: result }));
      }),
    );
  }
  return { name, path: group.path, params: [INPUT, DATA, ...params], result, blocks, memo: group.kind !== 'function' };
}

/** Plans a body, then checks that the head's vars ended up bound. */
function planRuleBody(fb: FnBuilder, body: Body, head: Set<string>, rule: Rule, cont: Cont): void {
  fb.planBody(body, head, () => {
    for (const v of head) {
      if (!fb.vars.has(v) && v !== 'input' && v !== 'data') {
        throw new RegoError('rego_unsafe_var_error', `var ${displayVar(v)} is unsafe`, rule.head.loc);
      }
    }
    cont();
  });
}

/** A rule with `else` clauses: the first clause whose body succeeds gives the value. */
function planClauses(fb: FnBuilder, rule: Rule, head: Set<string>, emitValue: OpCont, valueOf: (t: Term | null, loc: Location) => Term): void {
  if (!rule.else) {
    return planRuleBody(fb, rule.body, head, rule, () => fb.planTerm(valueOf(rule.head.value, rule.loc), emitValue));
  }
  const t = fb.newLocal();
  fb.emit({ type: 'ResetLocal', target: t });
  const clauses: Array<{ body: Body; value: Term | null; loc: Location }> = [{ body: rule.body, value: rule.head.value, loc: rule.loc }];
  for (let e: ElseClause | null = rule.else; e; e = e.else) clauses.push({ body: e.body, value: e.value, loc: e.loc });
  // Each clause binds its own value's vars; the first clause's value is not the others' concern.
  const shared = new Set(head);
  if (rule.head.value) for (const v of termVars(rule.head.value, new Set(), true)) shared.delete(v);
  clauses.forEach((c, i) => {
    fb.subBlock(() => {
      if (i > 0) fb.emit({ type: 'IsUndefined', source: t });
      const ctxVars = new Set(shared);
      if (c.value) termVars(c.value, ctxVars, true);
      planRuleBody(fb, c.body, ctxVars, rule, () => fb.planTerm(valueOf(c.value, c.loc), (op) => fb.emit({ type: 'AssignVarOnce', source: op, target: t })));
    });
  });
  fb.emit({ type: 'IsDefined', source: t });
  emitValue(fb.local(t));
}

/** Inserts `value` at the key path `keys` of the object in `obj`, creating objects on the way. */
function insertNested(fb: FnBuilder, obj: Local, keys: Operand[], value: Operand): void {
  let cur = obj;
  for (let i = 0; i < keys.length - 1; i++) {
    const k = keys[i] as Operand;
    const next = fb.newLocal();
    fb.emit({ type: 'ResetLocal', target: next });
    fb.subBlock(() => fb.emit({ type: 'Dot', source: fb.local(cur), key: k, target: next }));
    fb.subBlock(() => {
      fb.emit({ type: 'IsUndefined', source: next });
      fb.emit({ type: 'MakeObject', target: next });
      fb.emit({ type: 'ObjectInsert', object: cur, key: k, value: fb.local(next) });
    });
    fb.emit({ type: 'IsObject', source: fb.local(next) });
    cur = next;
  }
  fb.emit({ type: 'ObjectInsertOnce', object: cur, key: keys[keys.length - 1] as Operand, value });
}

/** The document at an interior node: its object rules, its children's values, and base data. */
export function planDoc(p: Planner, node: TreeNode, ctx: Ctx, name: string): Func {
  const fb = new FnBuilder(p, ctx, 2);
  const result = fb.newLocal();
  const loc: Location = firstLoc(node) ?? { file: '', row: 0, col: 0 };
  const blocks: Block[] = [];
  blocks.push(
    fb.topBlock(() => {
      if (node.group?.kind === 'object' && !fb.overridden(node.path)) {
        const tmp = fb.newLocal();
        fb.emit({ type: 'Call', func: p.groupFunc(node.group, ctx, loc), args: [fb.local(INPUT), fb.local(DATA)], result: tmp });
        // Copy so that inserting children does not change the group's own value.
        fb.emit({ type: 'MakeObject', target: result });
        fb.emit({ type: 'ObjectMerge', a: result, b: tmp, target: result });
      } else fb.emit({ type: 'MakeObject', target: result });
    }),
  );
  for (const [key, child] of [...node.children].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!hasRules(child)) continue;
    blocks.push(
      fb.topBlock(() => {
        const v = fb.newLocal();
        if (fb.overridden(child.path)) {
          fb.planPath(DATA, child.path.map((k) => ({ type: 'string', value: k, loc }) as Term), 0, (op) => fb.emit({ type: 'ObjectInsertOnce', object: result, key: fb.strOp(key), value: op }));
          return;
        }
        if (child.group && child.group.kind !== 'object') {
          if (child.group.kind === 'function') return;
          fb.emit({ type: 'Call', func: p.groupFunc(child.group, ctx, loc), args: [fb.local(INPUT), fb.local(DATA)], result: v });
        } else {
          fb.emit({ type: 'Call', func: p.docFunc(child, ctx, loc), args: [fb.local(INPUT), fb.local(DATA)], result: v });
        }
        fb.emit({ type: 'ObjectInsertOnce', object: result, key: fb.strOp(key), value: fb.local(v) });
      }),
    );
  }
  // Base documents under the same path are merged in; as in OPA, base values win on conflicts.
  blocks.push(
    fb.topBlock(() => {
      fb.planPath(DATA, node.path.map((k) => ({ type: 'string', value: k, loc }) as Term), 0, (base) => {
        const b = fb.toLocal(base);
        const merged = fb.newLocal();
        fb.emit({ type: 'ObjectMerge', a: b, b: result, target: merged });
        fb.emit({ type: 'AssignVar', source: fb.local(merged), target: result });
      });
    }),
  );
  return { name, path: node.path, params: [INPUT, DATA], result, blocks, memo: true };
}

function firstLoc(node: TreeNode): Location | null {
  const g = node.group;
  if (g) return (g.rules[0] ?? g.defaultRule)?.rule.loc ?? null;
  for (const c of node.children.values()) {
    const l = firstLoc(c);
    if (l) return l;
  }
  return null;
}
