// Turning what the policy returned into a Decision, or into a deny that says why. Every path that
// is not a well-formed decision from exactly one result ends in `denied(...)`.

import { Ajv } from 'ajv';
import {
  DECISION_SCHEMA, DECISION_VERSION, INPUT_SCHEMA,
  type Decision, type EngineError, type EngineErrorCode, type PolicyInput,
} from './schema.ts';

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true, useDefaults: true });
const validateDecision = ajv.compile(DECISION_SCHEMA);
const validateInputShape = ajv.compile(INPUT_SCHEMA);

/** The rule id of every reason the engine itself gives. */
export const ENGINE_RULE = 'portcullis.engine';

/** A deny that carries the engine's reason; the obligations are the safe ones (record everything). */
export function denied(code: EngineErrorCode, message: string): Decision {
  return {
    version: DECISION_VERSION,
    allow: false,
    reasons: [{ rule: ENGINE_RULE, message: `${code}: ${message}` }],
    approval: { required: false, approvers: [], ttl: 0 },
    masks: [],
    record: { level: 'full' },
  };
}

export type Checked = { ok: true; decision: Decision } | { ok: false; error: EngineError };

const fail = (code: EngineErrorCode, message: string): Checked => ({ ok: false, error: { code, message } });

function schemaMessage(): string {
  const e = validateDecision.errors?.[0];
  if (!e) return 'decision does not match the decision schema';
  return `decision${e.instancePath} ${e.message ?? 'is invalid'}`;
}

/**
 * Reads the SDK's result set (`[{ result }]` for an entrypoint) into a decision. Mutates `resultSet`
 * (defaults are filled in place): callers pass freshly parsed values only.
 */
export function fromResultSet(resultSet: unknown): Checked {
  if (!Array.isArray(resultSet)) return fail('invalid_decision', 'the policy returned no result set');
  if (resultSet.length === 0) return fail('undefined_decision', 'the policy decision is undefined');
  if (resultSet.length > 1) return fail('invalid_decision', `the policy returned ${resultSet.length} results, expected one`);
  const first: unknown = resultSet[0];
  if (typeof first !== 'object' || first === null || !('result' in first)) {
    return fail('undefined_decision', 'the policy decision is undefined');
  }
  const d = (first as { result: unknown }).result;
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return fail('invalid_decision', 'the decision must be an object');
  if ('diagnostics' in d) delete (d as Record<string, unknown>)['diagnostics']; // the engine's field, never the policy's
  if (!validateDecision(d)) return fail('invalid_decision', schemaMessage());
  return { ok: true, decision: d as Decision };
}

/** Checks the policy input's envelope (the action document itself is the action layer's contract). */
export function checkInput(input: unknown): EngineError | null {
  if (validateInputShape(input)) return null;
  const e = validateInputShape.errors?.[0];
  return { code: 'invalid_input', message: `input${e?.instancePath ?? ''} ${e?.message ?? 'is invalid'}` };
}

export function isPolicyInput(input: unknown): input is PolicyInput {
  return checkInput(input) === null;
}

/** Freezes a decision and everything in it (cached decisions are shared between callers). */
export function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const k of Object.keys(v)) deepFreeze((v as Record<string, unknown>)[k]);
  }
  return v;
}
