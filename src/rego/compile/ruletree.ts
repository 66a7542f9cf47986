// The rule tree: every rule placed at the ground prefix of its full path below `data`.
// A node holds at most one group of rules; rules whose head continues past the ground prefix with
// a variable (`p[k] := v`, `a.b[x].c := 1`) build an object at that node.
import { RegoError, type Module, type Rule, type Term } from '../ast.ts';

export type GroupKind = 'complete' | 'multi' | 'object' | 'function';

export interface GroupRule {
  rule: Rule;
  module: Module;
  /** Head ref terms after the group's path (empty for complete, multi-value and function rules). */
  suffix: Term[];
}

export interface RuleGroup {
  /** Path below `data`. */
  path: string[];
  kind: GroupKind;
  rules: GroupRule[];
  defaultRule: GroupRule | null;
  /** Function arity (number of parameters). */
  arity: number;
}

export interface TreeNode {
  path: string[];
  children: Map<string, TreeNode>;
  group: RuleGroup | null;
  /** A package is declared here: its document exists (`{}`) even without rules. */
  pkg: boolean;
}

export function newNode(path: string[]): TreeNode {
  return { path, children: new Map(), group: null, pkg: false };
}

export function buildRuleTree(modules: Array<{ module: Module; rules: Rule[] }>, errors: RegoError[]): TreeNode {
  const root = newNode([]);
  for (const { module, rules } of modules) {
    // A package node exists even without rules, so `data.pkg` evaluates to `{}`.
    nodeAt(root, module.package.path).pkg = true;
    for (const rule of rules) {
      const head = rule.head;
      const first = head.ref[0];
      if (!first || first.type !== 'var') continue;
      const ground: string[] = [...module.package.path, first.name];
      let i = 1;
      for (; i < head.ref.length; i++) {
        const t = head.ref[i] as Term;
        if (t.type !== 'string') break;
        ground.push(t.value);
      }
      const suffix = head.ref.slice(i);
      let kind: GroupKind;
      if (head.args) kind = 'function';
      else if (head.contains) kind = suffix.length > 0 ? 'object' : 'multi';
      else kind = suffix.length > 0 ? 'object' : 'complete';
      if (head.contains && suffix.length > 0) {
        errors.push(new RegoError('rego_compile_error', 'a multi-value rule (`contains`) cannot have a variable in its reference; use an object rule', rule.loc));
        continue;
      }
      if (kind === 'function' && suffix.length > 0) {
        errors.push(new RegoError('rego_compile_error', 'a function name cannot contain variables', rule.loc));
        continue;
      }
      const node = nodeAt(root, ground);
      const g = node.group;
      const entry: GroupRule = { rule, module, suffix };
      if (!g) {
        node.group = { path: ground, kind, rules: [], defaultRule: null, arity: head.args?.length ?? 0 };
      } else if (g.kind !== kind) {
        errors.push(new RegoError('rego_type_error', `conflicting rules data.${ground.join('.')} found: ${describe(g.kind)} and ${describe(kind)}`, rule.loc));
        continue;
      } else if (kind === 'function' && g.arity !== (head.args?.length ?? 0)) {
        errors.push(new RegoError('rego_type_error', `conflicting rules data.${ground.join('.')}: function defined with ${g.arity} and ${head.args?.length ?? 0} arguments`, rule.loc));
        continue;
      }
      const group = node.group as RuleGroup;
      if (rule.isDefault) {
        if (group.defaultRule) {
          errors.push(new RegoError('rego_type_error', `multiple default rules data.${ground.join('.')} found`, rule.loc));
          continue;
        }
        group.defaultRule = entry;
      } else group.rules.push(entry);
    }
  }
  checkNesting(root, errors);
  return root;
}

function describe(kind: GroupKind): string {
  return kind === 'complete' ? 'a single-value rule' : kind === 'multi' ? 'a multi-value rule' : kind === 'object' ? 'an object rule' : 'a function';
}

function nodeAt(root: TreeNode, path: string[]): TreeNode {
  let node = root;
  for (const key of path) {
    let next = node.children.get(key);
    if (!next) node.children.set(key, (next = newNode([...node.path, key])));
    node = next;
  }
  return node;
}

/** A single-value rule, a set or a function cannot have rules below it. */
function checkNesting(node: TreeNode, errors: RegoError[]): void {
  const g = node.group;
  if (g && g.kind !== 'object' && node.children.size > 0) {
    const below = firstGroupBelow(node);
    const loc = (below?.rules[0] ?? below?.defaultRule)?.rule.loc ?? null;
    errors.push(new RegoError('rego_type_error', `rule data.${node.path.join('.')} conflicts with rules below it (data.${below?.path.join('.') ?? '?'})`, loc));
  }
  for (const c of node.children.values()) checkNesting(c, errors);
}

function firstGroupBelow(node: TreeNode): RuleGroup | null {
  for (const c of node.children.values()) {
    if (c.group) return c.group;
    const g = firstGroupBelow(c);
    if (g) return g;
  }
  return null;
}

/** True when the subtree under `node` defines any rule or package. */
export function hasRules(node: TreeNode): boolean {
  if (node.group || node.pkg) return true;
  for (const c of node.children.values()) if (hasRules(c)) return true;
  return false;
}
