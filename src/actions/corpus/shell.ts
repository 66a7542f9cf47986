// The shell corpus: parse its case format and score a shell action document against a case.
import type { ShellAction, ShellWord } from '../shell/types.ts';

/** A command or redirection in the corpus form: argv with '?' for dynamic words. */
export type CorpusArgv = string[];

export interface ShellExpect {
  parse: boolean;
  cmds: CorpusArgv[];
  redirs: Array<[string, string]>;
  effective?: CorpusArgv[];
  alt_cmds?: CorpusArgv[][];
}

export interface ShellCase {
  id: string;
  title: string;
  expect: ShellExpect;
  note?: string;
  /** The command line, exactly as the corpus gives it (may span lines). */
  text: string;
  /** 1-based line of the "# @case" header. */
  line: number;
}

export type ShellCaseStatus = 'exact' | 'silent_miss' | 'fail_closed' | 'mismatch';
export const SHELL_SCORED_FIELDS = ['parse', 'cmds', 'redirs', 'effective'] as const;
export type ShellScoredField = (typeof SHELL_SCORED_FIELDS)[number];

export interface ShellCaseScore {
  status: ShellCaseStatus;
  diff: string[];
  fields: Partial<Record<ShellScoredField, boolean>>;
}

function isArgvList(v: unknown): v is CorpusArgv[] {
  return Array.isArray(v) && v.every((a) => Array.isArray(a) && a.every((w) => typeof w === 'string'));
}

function checkExpect(raw: unknown, where: string): ShellExpect {
  const e = raw as Record<string, unknown>;
  if (typeof e !== 'object' || e === null || typeof e['parse'] !== 'boolean' || !isArgvList(e['cmds'])) {
    throw new Error(`${where}: @expect needs "parse" (boolean) and "cmds" (argv lists)`);
  }
  const redirs = e['redirs'] ?? [];
  if (!Array.isArray(redirs) || !redirs.every((r) => Array.isArray(r) && r.length === 2 && r.every((x) => typeof x === 'string'))) {
    throw new Error(`${where}: "redirs" must be [dir, target] pairs`);
  }
  const out: ShellExpect = { parse: e['parse'], cmds: e['cmds'], redirs: redirs as Array<[string, string]> };
  if (e['effective'] !== undefined) {
    if (!isArgvList(e['effective'])) throw new Error(`${where}: "effective" must be argv lists`);
    out.effective = e['effective'];
  }
  if (e['alt_cmds'] !== undefined) {
    const alt = e['alt_cmds'];
    if (!Array.isArray(alt) || !alt.every(isArgvList)) throw new Error(`${where}: "alt_cmds" must be lists of argv lists`);
    out.alt_cmds = alt as CorpusArgv[][];
  }
  return out;
}

/** Reads the corpus format: '# @case id title', '# @expect {json}', optional '# @note', then the text. */
export function parseShellCorpus(text: string): ShellCase[] {
  const lines = text.split('\n');
  const cases: ShellCase[] = [];
  let i = 0;
  while (i < lines.length && !lines[i]!.startsWith('# @case ')) i++;
  while (i < lines.length) {
    const header = lines[i]!;
    const m = /^# @case (\S+)\s*(.*)$/.exec(header);
    if (!m) throw new Error(`line ${i + 1}: malformed @case header`);
    const c: Partial<ShellCase> = { id: m[1]!, title: m[2]!.trim(), line: i + 1 };
    i++;
    let expect: unknown;
    for (; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.startsWith('# @expect ')) {
        try {
          expect = JSON.parse(l.slice('# @expect '.length));
        } catch (e) {
          throw new Error(`line ${i + 1}: bad @expect JSON: ${(e as Error).message}`);
        }
      } else if (l.startsWith('# @note ')) {
        c.note = c.note === undefined ? l.slice(8) : `${c.note}\n${l.slice(8)}`;
      } else {
        break;
      }
    }
    if (expect === undefined) throw new Error(`line ${c.line}: case ${c.id} has no @expect`);
    const body: string[] = [];
    for (; i < lines.length && !lines[i]!.startsWith('# @case '); i++) body.push(lines[i]!);
    while (body.length > 0 && body[body.length - 1] === '') body.pop();
    c.text = body.join('\n');
    c.expect = checkExpect(expect, `case ${c.id}`);
    cases.push(c as ShellCase);
  }
  return cases;
}

const form = (w: ShellWord | null): string => (w === null ? '?' : typeof w === 'string' ? w : '?');
const key = (a: readonly string[]): string => JSON.stringify(a);

/** Multiset equality of argv lists. */
function sameBag(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean {
  if (a.length !== b.length) return false;
  const count = new Map<string, number>();
  for (const x of a) count.set(key(x), (count.get(key(x)) ?? 0) + 1);
  for (const x of b) {
    const n = count.get(key(x)) ?? 0;
    if (n === 0) return false;
    count.set(key(x), n - 1);
  }
  return true;
}

/** Our '?' stands for zero or more words, so it covers anything; a literal covers only itself. */
function covers(ours: readonly string[], truth: readonly string[], i = 0, j = 0): boolean {
  if (i === ours.length) return j === truth.length;
  if (ours[i] === '?') {
    for (let k = j; k <= truth.length; k++) if (covers(ours, truth, i + 1, k)) return true;
    return false;
  }
  return j < truth.length && ours[i] === truth[j] && covers(ours, truth, i + 1, j + 1);
}

function bagDiff(label: string, ours: readonly (readonly string[])[], truth: readonly (readonly string[])[]): string {
  const extra = ours.filter((o) => !truth.some((t) => key(t) === key(o))).map((x) => key(x));
  const missing = truth.filter((t) => !ours.some((o) => key(t) === key(o))).map((x) => key(x));
  return `${label}: missing ${missing.join(' ') || '-'}; extra ${extra.join(' ') || '-'}`;
}

/** Maps the document to the corpus forms. */
export function corpusForms(action: ShellAction): { cmds: CorpusArgv[]; effective: CorpusArgv[]; redirs: Array<[string, string]> } {
  const all = action.commands.map((c) => c.argv.map(form));
  const cmds = action.commands.filter((c) => c.via.length === 0).map((c) => c.argv.map(form));
  const redirs: Array<[string, string]> = [];
  for (const r of action.redirections) {
    if (r.dir === 'heredoc' || r.dir === 'herestring') continue;
    redirs.push([r.dir === 'close' ? 'dup' : r.dir, form(r.target)]);
  }
  return { cmds, effective: all, redirs };
}

export function scoreShellCase(c: ShellCase, action: ShellAction): ShellCaseScore {
  const e = c.expect;
  if (action.parse_error) {
    if (!e.parse) return { status: 'exact', diff: [], fields: { parse: true } };
    return { status: 'fail_closed', diff: [`parse_error ${action.parse_error.code}: ${action.parse_error.message}`], fields: { parse: false } };
  }
  if (!e.parse) return { status: 'mismatch', diff: ['parse: accepted a line bash rejects'], fields: { parse: false } };

  const ours = corpusForms(action);
  const diff: string[] = [];
  const fields: ShellCaseScore['fields'] = { parse: true };
  const answers = [e.cmds, ...(e.alt_cmds ?? [])];
  const matched = answers.find((a) => sameBag(ours.cmds, a));
  fields.cmds = matched !== undefined;
  if (!fields.cmds) diff.push(bagDiff('cmds', ours.cmds, e.cmds));
  fields.redirs = sameBag(ours.redirs, e.redirs);
  if (!fields.redirs) diff.push(bagDiff('redirs', ours.redirs, e.redirs));
  if (e.effective) {
    fields.effective = sameBag(ours.effective, e.effective);
    if (!fields.effective) diff.push(bagDiff('effective', ours.effective, e.effective));
  }

  // Silent miss: something bash runs (or a file it opens) that no part of the document shows.
  const truth = [...(matched ?? e.cmds), ...(e.effective ?? [])];
  const misses = truth.filter((t) => !ours.effective.some((o) => covers(o, t)));
  const redirMisses = e.redirs.filter(([d, t]) => !ours.redirs.some(([od, ot]) => od === d && (ot === '?' || ot === t)));
  if (misses.length > 0 || redirMisses.length > 0) {
    diff.push(`not shown: ${[...misses.map((m) => key(m)), ...redirMisses.map((r) => key(r))].join(' ')}`);
    return { status: 'silent_miss', diff, fields };
  }
  return { status: diff.length === 0 ? 'exact' : 'mismatch', diff, fields };
}
