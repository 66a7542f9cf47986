// A readable, stable text form of the IR, for `portcullis build --ir` and for tests that compare
// planner output. One statement per line, blocks in braces, string operands shown as JSON strings.
import type { Block, Func, Operand, Plan, Policy, Stmt } from './ir.ts';

const INDENT = '  ';

export function printPolicy(policy: Policy): string {
  const out: string[] = [];
  if (policy.builtins.length > 0) {
    out.push(`builtins ${policy.builtins.map((b) => `${b.name}/${b.arity}`).join(', ')}`);
    out.push('');
  }
  for (const f of policy.funcs) {
    printFunc(policy, f, out);
    out.push('');
  }
  policy.plans.forEach((p, i) => {
    printPlan(policy, p, i, out);
    out.push('');
  });
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out.join('\n') + '\n';
}

function printFunc(policy: Policy, f: Func, out: string[]): void {
  const params = f.params.map(local).join(', ');
  const path = f.path.length > 0 ? `  # data.${f.path.join('.')}` : '';
  out.push(`func ${f.name} (${params}) → ${local(f.result)} {${path}`);
  for (const b of f.blocks) printBlock(policy, b, 1, 'block', out);
  out.push('}');
}

function printPlan(policy: Policy, p: Plan, id: number, out: string[]): void {
  out.push(`plan ${JSON.stringify(p.name)} #${id} (l0 input, l1 data) {`);
  for (const b of p.blocks) printBlock(policy, b, 1, 'block', out);
  out.push('}');
}

function printBlock(policy: Policy, b: Block, depth: number, head: string, out: string[]): void {
  const pad = INDENT.repeat(depth);
  out.push(`${pad}${head} {`);
  for (const s of b.stmts) printStmt(policy, s, depth + 1, out);
  out.push(`${pad}}`);
}

function printStmt(policy: Policy, s: Stmt, depth: number, out: string[]): void {
  const pad = INDENT.repeat(depth);
  const op = (o: Operand): string => operand(policy, o);
  const line = (text: string): void => {
    out.push(pad + text);
  };
  switch (s.type) {
    case 'ArrayAppend': return line(`ArrayAppend ${local(s.array)} += ${op(s.value)}`);
    case 'AssignVar': return line(`AssignVar ${op(s.source)} → ${local(s.target)}`);
    case 'AssignVarOnce': return line(`AssignVarOnce ${op(s.source)} → ${local(s.target)}`);
    case 'Block':
      line('Block {');
      for (const b of s.blocks) printBlock(policy, b, depth + 1, 'block', out);
      return line('}');
    case 'Break': return line(`Break ${s.index}`);
    case 'Call': return line(`Call ${s.func}(${s.args.map(op).join(', ')}) → ${local(s.result)}`);
    case 'Dot': return line(`Dot ${op(s.source)} ${op(s.key)} → ${local(s.target)}`);
    case 'Equal': return line(`Equal ${op(s.a)} ${op(s.b)}`);
    case 'NotEqual': return line(`NotEqual ${op(s.a)} ${op(s.b)}`);
    case 'IsArray': return line(`IsArray ${op(s.source)}`);
    case 'IsObject': return line(`IsObject ${op(s.source)}`);
    case 'IsSet': return line(`IsSet ${op(s.source)}`);
    case 'IsDefined': return line(`IsDefined ${local(s.source)}`);
    case 'IsUndefined': return line(`IsUndefined ${local(s.source)}`);
    case 'Len': return line(`Len ${op(s.source)} → ${local(s.target)}`);
    case 'MakeNull': return line(`MakeNull → ${local(s.target)}`);
    case 'MakeNumberInt': return line(`MakeNumberInt ${s.value} → ${local(s.target)}`);
    case 'MakeNumberRef': return line(`MakeNumberRef ${str(policy, s.index)} → ${local(s.target)}`);
    case 'MakeArray': return line(`MakeArray ${s.capacity} → ${local(s.target)}`);
    case 'MakeObject': return line(`MakeObject → ${local(s.target)}`);
    case 'MakeSet': return line(`MakeSet → ${local(s.target)}`);
    case 'Not':
      return printBlock(policy, s.block, depth, 'Not', out);
    case 'ObjectInsert': return line(`ObjectInsert ${local(s.object)}[${op(s.key)}] = ${op(s.value)}`);
    case 'ObjectInsertOnce': return line(`ObjectInsertOnce ${local(s.object)}[${op(s.key)}] = ${op(s.value)}`);
    case 'ObjectMerge': return line(`ObjectMerge ${local(s.a)} ${local(s.b)} → ${local(s.target)}`);
    case 'ResetLocal': return line(`ResetLocal ${local(s.target)}`);
    case 'ResultSetAdd': return line(`ResultSetAdd ${local(s.value)}`);
    case 'ReturnLocal': return line(`ReturnLocal ${local(s.source)}`);
    case 'Scan':
      return printBlock(policy, s.block, depth,
        `Scan ${local(s.source)} (key ${local(s.key)}, value ${local(s.value)})`, out);
    case 'SetAdd': return line(`SetAdd ${local(s.set)} += ${op(s.value)}`);
    case 'With': {
      const path = s.path.map((i) => '[' + str(policy, i) + ']').join('');
      return printBlock(policy, s.block, depth, `With ${local(s.local)}${path} = ${op(s.value)}`, out);
    }
    case 'Abort': return line(`Abort ${str(policy, s.code)} ${str(policy, s.message)}`);
  }
}

function local(l: number): string {
  return `l${l}`;
}

function str(policy: Policy, index: number): string {
  const s = policy.strings[index];
  return s === undefined ? `<bad string #${index}>` : JSON.stringify(s);
}

function operand(policy: Policy, o: Operand): string {
  switch (o.type) {
    case 'local': return local(o.local);
    case 'bool': return String(o.value);
    case 'string': return str(policy, o.index);
  }
}
