// Replay: what would change if a candidate policy replaced the one that made (or would make)
// the recorded decisions. Pure functions: reading a recorded line, and comparing two decisions.

export interface ReplayReason {
  rule: string;
  message: string;
}

/** The parts of a decision replay compares (the engine's Decision is assignable). */
export interface ReplayDecision {
  allow: boolean;
  reasons?: ReadonlyArray<ReplayReason>;
  approval?: { required: boolean; approvers?: readonly string[]; ttl?: string | number };
  masks?: ReadonlyArray<unknown>;
  record?: { level: string };
}

export interface RecordedLine {
  input: unknown;
  /** The decision recorded with the input, when there is one. */
  decision?: ReplayDecision;
}

export class ReplayLineError extends Error {
  constructor(readonly code: 'invalid_json' | 'invalid_line' | 'invalid_decision', message: string) {
    super(`${code}: ${message}`);
    this.name = 'ReplayLineError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function asDecision(v: unknown): ReplayDecision {
  if (!isObject(v) || typeof v['allow'] !== 'boolean') throw new ReplayLineError('invalid_decision', 'the recorded decision needs a boolean "allow"');
  return v as unknown as ReplayDecision;
}

/**
 * One line of a recording: either a policy input, or `{ input, decision? }`. A policy input is
 * told apart by its `action` member (an input never has a top-level `input`).
 */
export function parseRecordedLine(text: string): RecordedLine {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ReplayLineError('invalid_json', (e as Error).message);
  }
  if (!isObject(v)) throw new ReplayLineError('invalid_line', 'a line must hold a JSON object');
  if ('input' in v && !('action' in v)) {
    return v['decision'] === undefined ? { input: v['input'] } : { input: v['input'], decision: asDecision(v['decision']) };
  }
  return { input: v };
}

/** Canonical JSON (object keys sorted), so equal values compare equal as text. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export type ChangeKind =
  | 'newly_denied'
  | 'newly_allowed'
  | 'new_approval'
  | 'approval_dropped'
  | 'approvers_changed'
  | 'new_masks'
  | 'masks_removed'
  | 'reasons_changed'
  | 'record_changed';

export interface Change {
  kind: ChangeKind;
  /** Rule ids (reasons) or mask specs the change is about. */
  detail: unknown[];
}

const ruleIds = (d: ReplayDecision): string[] => [...new Set((d.reasons ?? []).map((r) => r.rule))].sort();
const required = (d: ReplayDecision): boolean => d.allow && d.approval?.required === true;

function difference(a: ReadonlyArray<unknown>, b: ReadonlyArray<unknown>): unknown[] {
  const inB = new Set(b.map(canonical));
  const seen = new Set<string>();
  return a.filter((x) => {
    const k = canonical(x);
    if (inB.has(k) || seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** What changes from `baseline` to `candidate`; empty when nothing a gateway acts on differs. */
export function compareDecisions(baseline: ReplayDecision, candidate: ReplayDecision): Change[] {
  const changes: Change[] = [];
  const cRules = ruleIds(candidate);
  const bRules = ruleIds(baseline);
  if (baseline.allow && !candidate.allow) changes.push({ kind: 'newly_denied', detail: cRules });
  if (!baseline.allow && candidate.allow) changes.push({ kind: 'newly_allowed', detail: bRules });
  // Approvals only matter for allowed requests: a denied one is never held.
  if (!required(baseline) && required(candidate)) changes.push({ kind: 'new_approval', detail: [...(candidate.approval?.approvers ?? [])] });
  if (required(baseline) && !required(candidate) && candidate.allow) changes.push({ kind: 'approval_dropped', detail: [...(baseline.approval?.approvers ?? [])] });
  if (required(baseline) && required(candidate)) {
    const a = [...(baseline.approval?.approvers ?? [])].sort();
    const b = [...(candidate.approval?.approvers ?? [])].sort();
    if (canonical(a) !== canonical(b)) changes.push({ kind: 'approvers_changed', detail: b });
  }
  if (candidate.allow) {
    const added = difference(candidate.masks ?? [], baseline.masks ?? []);
    if (added.length > 0) changes.push({ kind: 'new_masks', detail: added });
    if (baseline.allow) {
      const removed = difference(baseline.masks ?? [], candidate.masks ?? []);
      if (removed.length > 0) changes.push({ kind: 'masks_removed', detail: removed });
    }
  }
  // Same verdict, other reasons (e.g. denied by another rule): worth showing, not alarming.
  if (baseline.allow === candidate.allow && changes.length === 0 && canonical(bRules) !== canonical(cRules)) {
    changes.push({ kind: 'reasons_changed', detail: cRules });
  }
  if (candidate.allow && baseline.allow && (baseline.record?.level ?? 'full') !== (candidate.record?.level ?? 'full')) {
    changes.push({ kind: 'record_changed', detail: [candidate.record?.level ?? 'full'] });
  }
  return changes;
}

export interface ReplaySummary {
  inputs: number;
  unchanged: number;
  changed: number;
  errors: number;
  /** Inputs showing each kind of change. */
  by_kind: Record<ChangeKind, number>;
}

export function emptySummary(): ReplaySummary {
  return {
    inputs: 0,
    unchanged: 0,
    changed: 0,
    errors: 0,
    by_kind: {
      newly_denied: 0, newly_allowed: 0, new_approval: 0, approval_dropped: 0, approvers_changed: 0,
      new_masks: 0, masks_removed: 0, reasons_changed: 0, record_changed: 0,
    },
  };
}
