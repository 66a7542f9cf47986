// Shared fixtures for the engine tests: the test policy, identities, and a decision validator.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { DECISION_SCHEMA } from '../../src/engine/index.ts';
import type { Decision, Who } from '../../src/engine/index.ts';

export const POLICY_DIR = join(dirname(fileURLToPath(import.meta.url)), 'policies');
export const POLICY_TEXT = readFileSync(join(POLICY_DIR, 'decision.rego'), 'utf8');

export const who = (groups: string[], kind = 'postgres'): Who => ({
  identity: { sub: 'ana', groups, claims: { iss: 'test' } },
  connection: { name: 'orders-db', kind, target: 'prod' },
  context: { time: '2025-01-01T00:00:00Z' },
});

// A strict validator (no defaults): a decision the engine returns must already be complete.
const validate = new Ajv({ strict: true, allowUnionTypes: true, useDefaults: false }).compile(DECISION_SCHEMA);

export function schemaErrors(d: Decision): string | null {
  if (validate(d)) {
    for (const k of ['version', 'reasons', 'approval', 'masks', 'record', 'diagnostics']) if (!(k in d)) return `missing ${k}`;
    return null;
  }
  return JSON.stringify(validate.errors);
}

/** The engine's own reason code, e.g. `evaluation_error`, or null for a policy decision. */
export const engineCode = (d: Decision): string | null => d.diagnostics?.errors[0]?.code ?? null;
