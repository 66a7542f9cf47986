// The two engine contracts: the policy input (what `input` is inside Rego) and the decision (what
// the policy's entrypoint returns), as JSON Schemas with the TypeScript types kept beside them.
// The engine validates every decision against DECISION_SCHEMA; a mismatch is a deny.

import type { ActionDocument } from '../actions/index.ts';
import { maskSpecSchema } from '../mask/schema.ts';
import type { MaskSpec } from '../mask/types.ts';

export const DECISION_VERSION = 1;
export const INPUT_VERSION = 1;

export interface Identity {
  /** Subject: who is acting (user id, service account, agent id). */
  sub: string;
  groups: string[];
  /** Verified token claims, as the identity layer passes them on. */
  claims: Record<string, unknown>;
}

export interface Connection {
  /** Name of the configured upstream (e.g. `orders-db`). */
  name: string;
  /** Upstream kind (e.g. `postgres`, `mysql`, `ssh`, `http`, `mcp`). */
  kind: string;
  /** Environment or host class the upstream belongs to (e.g. `prod`). */
  target: string;
}

export interface Approval {
  id?: string;
  approver?: string;
  /** RFC 3339; an approval past this time is not in the list. */
  expires_at?: string;
  [key: string]: unknown;
}

export interface Context {
  /** RFC 3339 time of the request. */
  time: string;
  /** Session facts from the adapter (id, started_at, …); `{}` when there is none. */
  session: Record<string, unknown>;
  /** Approvals granted and still valid for this identity and connection. */
  approvals: Approval[];
}

export interface PolicyInput {
  version?: number;
  action: ActionDocument;
  identity: Identity;
  connection: Connection;
  context: Context;
}

export interface Reason {
  /** Stable rule id, e.g. `sql.write_requires_dba`; `portcullis.engine` for the engine's own denials. */
  rule: string;
  message: string;
  [key: string]: unknown;
}

export interface ApprovalObligation {
  required: boolean;
  /** Groups or subjects who may approve. */
  approvers: string[];
  /** How long a granted approval lasts: seconds, or a duration such as `15m`. */
  ttl: string | number;
}

export type RecordLevel = 'none' | 'metadata' | 'full';

export interface EngineError {
  code: EngineErrorCode;
  message: string;
}

export type EngineErrorCode =
  | 'invalid_input'
  | 'input_too_large'
  | 'normalize_error'
  | 'evaluation_error'
  | 'undefined_decision'
  | 'invalid_decision';

/** Not part of what the policy returns: the engine adds it to every decision. */
export interface Diagnostics {
  /** Time spent in evaluation (input encoding, wasm, result decoding and validation), µs. */
  eval_us: number;
  /** Revision of the policy that produced this decision. */
  revision: string;
  entrypoint: string;
  /** Why the engine denied, when it did; empty for decisions the policy made. */
  errors: EngineError[];
}

export interface Decision {
  version: number;
  allow: boolean;
  reasons: Reason[];
  approval: ApprovalObligation;
  masks: MaskSpec[];
  record: { level: RecordLevel };
  diagnostics?: Diagnostics;
  [key: string]: unknown;
}

const stringList = { type: 'array', items: { type: 'string' } } as const;

export const INPUT_SCHEMA = {
  $id: 'https://portcullis.dev/schemas/policy-input.json',
  title: 'Policy input',
  type: 'object',
  required: ['action', 'identity', 'connection', 'context'],
  properties: {
    version: { const: INPUT_VERSION },
    // The action layer owns the full action schema (src/actions/schema.ts); here only its kind.
    action: {
      type: 'object',
      required: ['kind'],
      properties: { kind: { enum: ['sql', 'shell', 'http', 'mcp'] } },
    },
    identity: {
      type: 'object',
      required: ['sub', 'groups', 'claims'],
      properties: { sub: { type: 'string' }, groups: stringList, claims: { type: 'object' } },
    },
    connection: {
      type: 'object',
      required: ['name', 'kind', 'target'],
      properties: { name: { type: 'string' }, kind: { type: 'string' }, target: { type: 'string' } },
    },
    context: {
      type: 'object',
      required: ['time', 'session', 'approvals'],
      properties: {
        time: { type: 'string' },
        session: { type: 'object' },
        approvals: { type: 'array', items: { type: 'object' } },
      },
    },
  },
} as const;

export const DEFAULT_APPROVAL: Readonly<ApprovalObligation> = Object.freeze({ required: false, approvers: [], ttl: 0 });

/**
 * What the policy returns. Optional parts get defaults (filled by ajv's useDefaults): no reasons,
 * no approval, no masks, full recording. `allow` has no default: without it the decision is a deny.
 */
export const DECISION_SCHEMA = {
  $id: 'https://portcullis.dev/schemas/decision.json',
  title: 'Decision',
  type: 'object',
  required: ['allow'],
  properties: {
    version: { const: DECISION_VERSION, default: DECISION_VERSION },
    allow: { type: 'boolean' },
    reasons: {
      default: [],
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'message'],
        properties: { rule: { type: 'string' }, message: { type: 'string' } },
      },
    },
    approval: {
      default: { required: false, approvers: [], ttl: 0 },
      type: 'object',
      required: ['required'],
      additionalProperties: false,
      properties: {
        required: { type: 'boolean' },
        approvers: { ...stringList, default: [] },
        ttl: { type: ['string', 'number'], default: 0 },
      },
    },
    masks: { default: [], type: 'array', items: maskSpecSchema },
    record: {
      default: { level: 'full' },
      type: 'object',
      required: ['level'],
      additionalProperties: false,
      properties: { level: { enum: ['none', 'metadata', 'full'] } },
    },
    diagnostics: {
      type: 'object',
      required: ['eval_us', 'revision', 'entrypoint', 'errors'],
      properties: {
        eval_us: { type: 'number' },
        revision: { type: 'string' },
        entrypoint: { type: 'string' },
        errors: {
          type: 'array',
          items: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
  },
} as const;
