// Reads OPA's conformance cases (outside the repository, at test time) and keeps the ones that are
// a single builtin call on literal arguments, in one of these shapes:
//   p := fn(args)            p contains x if { fn(args, x) }     p := x if { fn(args, x) }
//   p if { fn(args) == lit }
// Each becomes { fn, args, want } with want undefined for cases that expect an error.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

export const conformanceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'shared', 'conformance', 'opa-v1');

export interface CallCase {
  file: string;
  note: string;
  fn: string;
  args: unknown[];
  /** Expected JSON value; undefined when the case expects an error. */
  want: unknown;
}

interface RawCase {
  note?: string;
  modules?: string[];
  want_result?: Array<Record<string, unknown>>;
  want_error_code?: string;
  input?: unknown;
}

/** Rego literal text → JSON value, or undefined when it is not a plain JSON-like literal. */
function literal(text: string): { ok: true; value: unknown } | { ok: false } {
  const json = text.trim().replace(/`([^`]*)`/g, (_, raw: string) => JSON.stringify(raw));
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Splits `a, b, c` at top-level commas (outside strings and brackets). */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    cur += ch;
    if (quote !== null) {
      if (ch === '\\' && quote === '"') cur += text[++i] ?? '';
      else if (ch === quote) quote = null;
      continue;
    }
    if (ch === '"' || ch === '`') quote = ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur.slice(0, -1));
      cur = '';
    }
  }
  if (cur.trim() !== '') out.push(cur);
  return out.map((s) => s.trim());
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CALL = /^\s*(?:p\s*:=\s*)?([a-z_][a-z0-9_.]*)\((.*)\)(\s*==\s*(.+))?\s*$/;

function extract(mod: string, fns: Set<string>): { fn: string; args: unknown[]; compare?: unknown; output: boolean } | undefined {
  const lines = mod.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('package') && !l.startsWith('import'));
  // Shapes: one line `p := fn(...)`, or a rule head plus exactly one body line.
  let body: string;
  let headOutput = false;
  if (lines.length === 1) body = lines[0]!;
  else if (lines.length === 3 && lines[2] === '}' && /^p( contains x| := x)? if \{$|^p if \{$/.test(lines[0]!)) {
    body = lines[1]!;
    headOutput = lines[0] !== 'p if {';
  } else return undefined;
  const m = CALL.exec(body);
  if (m === null || !fns.has(m[1]!)) return undefined;
  const parts = splitArgs(m[2]!);
  let output = false;
  if (headOutput) {
    if (parts.length === 0 || parts[parts.length - 1] !== 'x') return undefined;
    parts.pop();
    output = true;
  } else if (lines.length === 3 && m[3] === undefined) return undefined;
  const args: unknown[] = [];
  for (const p of parts) {
    if (IDENT.test(p) && !['null', 'true', 'false'].includes(p)) return undefined;
    const v = literal(p);
    if (!v.ok) return undefined;
    args.push(v.value);
  }
  if (m[3] !== undefined) {
    const cmp = literal(m[4]!);
    if (!cmp.ok) return undefined;
    return { fn: m[1]!, args, compare: cmp.value, output };
  }
  return { fn: m[1]!, args, output };
}

/** Call cases for the builtins in `fns`, from the given topic folders; [] when the data is absent. */
export function loadCallCases(topics: string[], fns: Set<string>): CallCase[] {
  const out: CallCase[] = [];
  if (!existsSync(conformanceRoot)) return out;
  for (const topic of topics) {
    const dir = join(conformanceRoot, topic);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
      const doc = parseYaml(readFileSync(join(dir, file), 'utf8')) as { cases?: RawCase[] };
      for (const c of doc.cases ?? []) {
        if (c.input !== undefined || c.modules?.length !== 1) continue;
        const call = extract(c.modules[0]!, fns);
        if (call === undefined) continue;
        const head = c.modules[0]!.split('\n').find((l) => l.startsWith('p '))!;
        let want: unknown;
        if (c.want_error_code !== undefined) want = undefined;
        else if (c.want_result?.length === 1 && 'x' in c.want_result[0]!) {
          const x = c.want_result[0]!.x;
          if (call.compare !== undefined) {
            // `p if { fn(args) == lit }`: only a true result tells us the value.
            if (x !== true) continue;
            want = call.compare;
          } else if (head.startsWith('p contains x')) {
            if (!Array.isArray(x) || x.length !== 1) continue;
            want = x[0];
          } else want = x;
        } else continue;
        out.push({ file: `${topic}/${file}`, note: c.note ?? '', fn: call.fn, args: call.args, want });
      }
    }
  }
  return out;
}
