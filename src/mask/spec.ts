// Validates mask obligations (fail closed: anything unknown or malformed is an error here, at
// construction, never a mask silently skipped later).

import { Ajv } from 'ajv';
import { JSONPath } from 'jsonpath-plus';
import { MaskError } from './errors.ts';
import { masksSchema, STRATEGY_KINDS, TARGET_KINDS } from './schema.ts';
import { splitQualified } from './names.ts';
import { DETECTOR_NAMES } from './types.ts';
import type { MaskSpec, MaskTarget } from './types.ts';

const DETECTOR_TARGETS = [...DETECTOR_NAMES, 'all'] as const;

const validate = new Ajv({ allErrors: false, strict: true }).compile(masksSchema);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns the masks as typed specs, or throws MaskError with a JSON-pointer position. */
export function validateMasks(masks: unknown): MaskSpec[] {
  if (!Array.isArray(masks)) throw new MaskError('invalid_masks', 'masks must be an array', '');
  // Kinds first, so the most common mistake gets a precise code.
  masks.forEach((m, i) => {
    if (!isRecord(m)) throw new MaskError('invalid_mask', 'a mask must be an object', `/${i}`);
    const t = m['target'];
    const s = m['strategy'];
    if (!isRecord(t) || !(TARGET_KINDS as readonly unknown[]).includes(t['kind'])) {
      throw new MaskError('unknown_target', `unknown mask target kind ${describe(isRecord(t) ? t['kind'] : t)}`, `/${i}/target`);
    }
    if (!isRecord(s) || !(STRATEGY_KINDS as readonly unknown[]).includes(s['kind'])) {
      throw new MaskError('unknown_strategy', `unknown mask strategy kind ${describe(isRecord(s) ? s['kind'] : s)}`, `/${i}/strategy`);
    }
    if (t['kind'] === 'detector' && !(DETECTOR_TARGETS as readonly unknown[]).includes(t['detector'])) {
      throw new MaskError('unknown_target', `unknown detector ${describe(t['detector'])}`, `/${i}/target/detector`);
    }
  });
  if (!validate(masks)) {
    const e = validate.errors?.[0];
    throw new MaskError('invalid_mask', `invalid mask: ${e?.message ?? 'schema violation'}`, e?.instancePath ?? '');
  }
  const specs = masks as MaskSpec[];
  specs.forEach((m, i) => checkTarget(m.target, `/${i}/target`));
  return specs;
}

function checkTarget(t: MaskTarget, at: string): void {
  if (t.kind === 'column') {
    if (splitQualified(t.table) === null) throw new MaskError('invalid_table', 'malformed table name', `${at}/table`);
  } else if (t.kind === 'jsonpath') {
    checkJsonPath(t.path, `${at}/path`);
  }
}

// jsonpath-plus is lenient (it reads `$.a[` as `$.a`); we reject what it would guess at, and the
// operators that do not select values (`~` property names, `@other()`).
function checkJsonPath(path: string, at: string): void {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') { depth--; if (depth < 0) break; }
  }
  if (depth !== 0 || quote !== '') throw new MaskError('invalid_jsonpath', 'unbalanced brackets or quotes in JSONPath', at);
  let parts: string[];
  try {
    parts = JSONPath.toPathArray(path);
  } catch {
    throw new MaskError('invalid_jsonpath', 'JSONPath does not parse', at);
  }
  if (parts[0] !== '$') throw new MaskError('invalid_jsonpath', 'JSONPath must start at $', at);
  for (const p of parts) {
    if (p === '~' || p.startsWith('@other(')) throw new MaskError('invalid_jsonpath', `JSONPath operator ${p} does not select values`, at);
  }
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  return v === undefined ? '(missing)' : typeof v;
}

export function targetLabel(t: MaskTarget): string {
  switch (t.kind) {
    case 'column': return `column:${t.table}.${t.column}`;
    case 'jsonpath': return `jsonpath:${t.path}`;
    case 'detector': return `detector:${t.detector}`;
  }
}
