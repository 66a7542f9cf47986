// gate.rego's `decision`, written by hand in TypeScript: the baseline the compiled module is
// measured against (same input, same process). Sets are Maps keyed by JSON text, so duplicates
// collapse as they do in Rego.

interface Table { name?: unknown; columns?: unknown }
interface Statement { type?: unknown; reads?: unknown; where?: unknown; limit?: unknown }
type Obj = Record<string, unknown>;

const PII: Record<string, string> = { email: 'hash', phone: 'redact', ssn: 'redact', dob: 'truncate' };
const BUSINESS_DAYS = new Set(['Mon', 'Tue', 'Wed', 'Thu', 'Fri']);
const WRITE_TYPES = new Set(['insert', 'update', 'delete', 'merge']);
const DDL_TYPES = new Set(['drop', 'truncate', 'alter']);

const arr = (x: unknown): unknown[] => (Array.isArray(x) ? x : []);
const obj = (x: unknown): Obj => (x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : {});

export function gateDecision(input: unknown, data: unknown): { allow: boolean; deny: string[]; obligations: Obj[] } {
  const inp = obj(input);
  const action = obj(inp.action);
  const identity = obj(inp.identity);
  const context = obj(inp.context);
  const resource = obj(inp.resource);
  const statements = arr(action.statements) as Statement[];
  const groups = arr(identity.groups);
  const sensitive = new Set(arr(obj(data).sensitive_tables));

  const isAdmin = groups.includes('db-admins');
  const isAnalyst = groups.some((g) => typeof g === 'string' && g.startsWith('analytics-'));
  const mfaFresh = typeof identity.mfa_age_s === 'number' && identity.mfa_age_s <= 3600;
  const hour = context.hour_utc;
  const inWindow = BUSINESS_DAYS.has(context.weekday as string) && typeof hour === 'number' && hour >= 6 && hour < 20;
  const sensitiveRead = statements.some((s) => arr(s.reads).some((t) => sensitive.has((t as Table).name)));
  const allow = action.kind === 'sql' && statements.every((s) => s.type === 'select') && !sensitiveRead;

  const writes = statements.filter((s) => WRITE_TYPES.has(s.type as string));
  const deny = new Set<string>();
  for (const s of statements) if (DDL_TYPES.has(s.type as string)) deny.add(`ddl ${s.type as string} blocked`);
  if (resource.env === 'prod' && writes.length > 0 && !isAdmin) deny.add('writes to prod require db-admins');
  if (resource.env === 'prod' && writes.length > 0 && !inWindow) deny.add('writes to prod outside the change window');
  if (writes.some((s) => s.type === 'delete' && !s.where)) deny.add('unbounded delete blocked');
  if (sensitiveRead && !mfaFresh) deny.add('sensitive read without fresh mfa');
  if (!isAnalyst && !isAdmin) deny.add(`principal ${identity.subject as string} is not in an allowed group`);

  const obligations = new Map<string, Obj>();
  const add = (o: Obj): void => {
    obligations.set(JSON.stringify(o), o);
  };
  let masks = 0;
  if (!isAdmin) {
    for (const s of statements) {
      for (const t of arr(s.reads) as Table[]) {
        for (const c of arr(t.columns)) {
          const method = PII[c as string];
          if (method === undefined) continue;
          add({ type: 'mask', table: t.name, column: c, method });
          masks++;
        }
      }
    }
  }
  const rowLimit = isAdmin ? 10000 : isAnalyst ? 1000 : 100;
  statements.forEach((s, i) => {
    if (s.type === 'select' && !s.limit) add({ type: 'row_limit', statement: i, limit: rowLimit });
  });
  if (masks > 0) add({ type: 'audit', level: 'pii', subject: identity.subject });
  return { allow, deny: [...deny], obligations: [...obligations.values()] };
}
