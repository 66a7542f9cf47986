// `portcullis replay`: evaluates recorded policy inputs against a candidate policy and prints
// what would change against a baseline policy or the decisions recorded with the inputs.
// Exit 0 whatever changed (it is a report); 1 only when the policies or the file cannot be read.
import { readFileSync } from 'node:fs';
import type { Decision, Engine, PolicyInput } from '../engine/index.ts';
import {
  compareDecisions, emptySummary, parseRecordedLine, ReplayLineError,
  type Change, type ReplayDecision, type ReplaySummary,
} from '../policy/replay.ts';
import { all, has, one, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { readJsonFile, SourceError } from './sources.ts';
import { mergeData } from '../policy/data.ts';

export const REPLAY_HELP = `usage: portcullis replay --policy <dir|bundle|wasm> [--baseline <dir|bundle|wasm>] <recorded.jsonl>

Each line of the recording is a policy input, or { "input": ..., "decision": ... } with the
decision recorded at the time. Every input is decided by the candidate policy (--policy) and
compared with the baseline policy's decision (--baseline) or, without one, the recorded decision.
Prints the inputs whose outcome changes (newly denied, newly allowed, new approvals, new masks,
...) and a summary. Exit 0 whatever changed.

  --policy <path>       candidate policy: a directory of .rego (with data.json), a bundle or .wasm
  --baseline <path>     baseline policy to compare with (default: the recorded decisions)
  -e, --entrypoint <e>  entrypoint (default portcullis/decision)
  --data <file>         data document merged over the policies' own (repeatable)
  --json                print one JSON report instead of text
  -v, --verbose         also print unchanged inputs
`;

const SPECS: FlagSpec[] = [
  { name: 'policy', short: 'p', value: true },
  { name: 'baseline', short: 'b', value: true },
  { name: 'entrypoint', short: 'e', value: true },
  { name: 'data', value: true, repeat: true },
  { name: 'json', value: false },
  { name: 'verbose', short: 'v', value: false },
];

interface LineReport {
  line: number;
  changes: Change[];
  error?: string;
  baseline?: ReplayDecision;
  candidate?: ReplayDecision;
}

/** The decision without the engine's diagnostics (they differ on every run). */
function strip(d: Decision): ReplayDecision {
  const { diagnostics: _, version: __, ...rest } = d;
  return rest as ReplayDecision;
}

async function engineFor(policy: string, entrypoint: string | undefined, data: unknown): Promise<Engine> {
  // Loaded on use (other commands need no engine). A one-shot tool compiles in this process:
  // a child process per load buys a long-running gateway its memory, not a CLI run.
  const { Engine } = await import('../engine/index.ts');
  return Engine.create({
    policy,
    compile: 'inline',
    optimize: false,
    actionKinds: [],
    cacheSize: 0,
    ...(entrypoint === undefined ? {} : { entrypoint }),
    ...(data === undefined ? {} : { data }),
  });
}

const LABEL: Record<Change['kind'], string> = {
  newly_denied: 'newly denied',
  newly_allowed: 'newly allowed',
  new_approval: 'new approval',
  approval_dropped: 'approval dropped',
  approvers_changed: 'approvers changed',
  new_masks: 'new masks',
  masks_removed: 'masks removed',
  reasons_changed: 'reasons changed',
  record_changed: 'record level changed',
};

function describeDetail(c: Change): string {
  if (c.kind === 'new_masks' || c.kind === 'masks_removed') {
    return c.detail.map((m) => {
      const t = (m as { target?: Record<string, unknown>; strategy?: { kind?: unknown } }) ?? {};
      const target = t.target ?? {};
      const what = target['kind'] === 'column' ? `${String(target['table'])}.${String(target['column'])}`
        : target['kind'] === 'jsonpath' ? String(target['path']) : `detector:${String(target['detector'])}`;
      return `${what} (${String(t.strategy?.kind)})`;
    }).join(', ');
  }
  return c.detail.map((x) => String(x)).join(', ');
}

function printText(lines: LineReport[], s: ReplaySummary, verbose: boolean, source: string): void {
  const out: string[] = [];
  for (const l of lines) {
    if (l.error !== undefined) {
      out.push(`line ${l.line}: error: ${l.error}`);
      continue;
    }
    if (l.changes.length === 0) {
      if (verbose) out.push(`line ${l.line}: unchanged`);
      continue;
    }
    for (const c of l.changes) out.push(`line ${l.line}: ${LABEL[c.kind]}${c.detail.length > 0 ? `: ${describeDetail(c)}` : ''}`);
  }
  const k = s.by_kind;
  out.push(
    `${s.inputs} inputs compared with ${source}: ${s.unchanged} unchanged, ${s.changed} changed, ${s.errors} errors`,
    `  newly denied ${k.newly_denied}, newly allowed ${k.newly_allowed}, new approvals ${k.new_approval}, approvals dropped ${k.approval_dropped}, new masks ${k.new_masks}, masks removed ${k.masks_removed}, reasons changed ${k.reasons_changed}`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

export async function replayCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(REPLAY_HELP);
    return 0;
  }
  const policy = one(p, 'policy');
  if (policy === undefined) throw new UsageError('replay: give the candidate policy with --policy <dir>');
  if (p.positionals.length !== 1) throw new UsageError('replay: give exactly one recorded .jsonl file');
  const file = p.positionals[0]!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SourceError(`no such file: ${file}`);
  }
  let data: unknown;
  for (const f of all(p, 'data')) data = mergeData(data ?? {}, readJsonFile(f, '--data'));
  const entrypoint = one(p, 'entrypoint');
  const baselinePath = one(p, 'baseline');
  const candidate = await engineFor(policy, entrypoint, data);
  const baseline = baselinePath === undefined ? null : await engineFor(baselinePath, entrypoint, data);
  const summary = emptySummary();
  const lines: LineReport[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!.trim();
    if (row === '') continue;
    const report: LineReport = { line: i + 1, changes: [] };
    lines.push(report);
    summary.inputs++;
    try {
      const rec = parseRecordedLine(row);
      const cand = strip(candidate.decide(rec.input as PolicyInput));
      let base: ReplayDecision;
      if (baseline !== null) base = strip(baseline.decide(rec.input as PolicyInput));
      else if (rec.decision !== undefined) base = rec.decision;
      else throw new ReplayLineError('invalid_line', 'no recorded decision on this line and no --baseline');
      report.baseline = base;
      report.candidate = cand;
      report.changes = compareDecisions(base, cand);
    } catch (e) {
      if (!(e instanceof ReplayLineError)) throw e;
      report.error = e.message;
      summary.errors++;
      continue;
    }
    if (report.changes.length === 0) summary.unchanged++;
    else summary.changed++;
    for (const c of report.changes) summary.by_kind[c.kind]++;
  }
  candidate.close();
  baseline?.close();
  const source = baseline !== null ? `baseline ${baselinePath}` : 'the recorded decisions';
  if (has(p, 'json')) {
    process.stdout.write(`${JSON.stringify({ compared_with: baseline !== null ? 'baseline' : 'recorded', summary, lines }, null, 2)}\n`);
  } else {
    printText(lines, summary, has(p, 'verbose'), source);
  }
  return 0;
}
