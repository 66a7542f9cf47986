// `# METADATA` blocks: a comment that starts with METADATA opens a block, and comments on the
// following lines that start in column 1 continue it. The block's text (one leading space
// trimmed per line) is YAML. Each block attaches to the first statement after it: rule-scoped
// (the default before a rule) to that rule, package/subpackages/document-scoped to the module.
import { parseDocument } from 'yaml';
import { RegoError, type Annotation, type Comment, type Location } from './ast.ts';

/** A statement the blocks can attach to, in source order. */
export interface Stmt {
  kind: 'package' | 'import' | 'rule';
  row: number;
  annotations: Annotation[] | null; // the rule's list; null for package/import
}

const SCOPES = new Set(['rule', 'document', 'package', 'subpackages']);

export function attachAnnotations(
  comments: Comment[],
  stmts: Stmt[],
  moduleAnnotations: Annotation[],
  errors: RegoError[],
): void {
  let i = 0;
  while (i < comments.length) {
    const first = comments[i]!;
    if (!first.text.trim().startsWith('METADATA')) {
      i++;
      continue;
    }
    const block: Comment[] = [];
    let j = i + 1;
    while (j < comments.length && comments[j]!.loc.row === comments[j - 1]!.loc.row + 1 && comments[j]!.loc.col === 1) {
      block.push(comments[j]!);
      j++;
    }
    i = j;
    const a = parseBlock(first.loc, block, errors);
    if (a === null) continue;
    const node = stmts.find((s) => s.row > first.loc.row) ?? null;
    if (a.scope === null) {
      if (node?.kind === 'rule') a.scope = a.entrypoint ? 'document' : 'rule';
      else if (node?.kind === 'package') a.scope = 'package';
      else {
        errors.push(perr(first.loc, node ? 'a METADATA block cannot be attached to an import: move it before a rule or the package' : 'a METADATA block must be followed by a rule or the package'));
        continue;
      }
    }
    const wantRule = a.scope === 'rule' || a.scope === 'document';
    if (node === null || (wantRule ? node.kind !== 'rule' : node.kind !== 'package')) {
      const have = node ? ` (it is followed by ${node.kind === 'import' ? 'an import' : `a ${node.kind}`})` : '';
      errors.push(perr(first.loc, `annotation scope '${a.scope}' must be applied to ${wantRule ? 'a rule' : 'the package'}${have}`));
      continue;
    }
    if (a.scope === 'rule' && node.annotations) node.annotations.push(a);
    else moduleAnnotations.push(a);
  }
}

function parseBlock(loc: Location, block: Comment[], errors: RegoError[]): Annotation | null {
  const lines = block.map((c) => (c.text.startsWith(' ') ? c.text.slice(1) : c.text));
  const raw = lines.length ? lines.join('\n') + '\n' : '';
  if (raw.trim() === '') {
    errors.push(perr(loc, 'expected a METADATA block, found only whitespace: write YAML (e.g. `# title: My rule`) on the following comment lines'));
    return null;
  }
  let fields: unknown;
  try {
    const doc = parseDocument(raw, { prettyErrors: false, uniqueKeys: true });
    const e = doc.errors[0];
    if (e) {
      const line = e.linePos?.[0]?.line ?? 1;
      const at = block[Math.min(Math.max(line - 1, 0), block.length - 1)]?.loc ?? loc;
      errors.push(perr(at, `invalid YAML in METADATA block: ${e.message.split('\n')[0]}`));
      return null;
    }
    fields = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    errors.push(perr(loc, `invalid YAML in METADATA block: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`));
    return null;
  }
  if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) {
    errors.push(perr(loc, 'a METADATA block must be a YAML mapping, e.g. `# title: My rule`'));
    return null;
  }
  const f = fields as Record<string, unknown>;
  const str = (key: string): string | null | undefined => {
    const v = f[key];
    if (v === undefined || v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    errors.push(perr(loc, `METADATA field '${key}' must be a string`));
    return undefined;
  };
  const scope = str('scope');
  const title = str('title');
  const description = str('description');
  if (scope === undefined || title === undefined || description === undefined) return null;
  if (scope !== null && !SCOPES.has(scope)) {
    errors.push(perr(loc, `invalid annotation scope '${scope}': use one of rule, document, package, subpackages`));
    return null;
  }
  const ep = f['entrypoint'];
  if (ep !== undefined && ep !== null && typeof ep !== 'boolean') {
    errors.push(perr(loc, "METADATA field 'entrypoint' must be true or false"));
    return null;
  }
  return { loc, scope, title, description, entrypoint: ep === true, fields: f, raw };
}

function perr(loc: Location, msg: string): RegoError {
  return new RegoError('rego_parse_error', msg, loc);
}
