// Narrowing helpers for the parsers' JSON trees (libpg-query, sqlparser-rs).

export type J = Record<string, unknown>;

export function isObj(v: unknown): v is J {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
