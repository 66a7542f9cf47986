// Canonical identifiers: one spelling per object, so policies compare strings.
import type { SqlName } from './types.ts';

/** A plain lowercase identifier: [a-z_][a-z0-9_$]* (a loop: this runs for every name part). */
function isPlain(part: string): boolean {
  const n = part.length;
  if (n === 0) return false;
  const c = part.charCodeAt(0);
  if (!(c === 95 || (c >= 97 && c <= 122))) return false;
  for (let i = 1; i < n; i++) {
    const d = part.charCodeAt(i);
    if (!(d === 95 || d === 36 || (d >= 97 && d <= 122) || (d >= 48 && d <= 57))) return false;
  }
  return true;
}

/** A part is written bare iff it is a plain lowercase identifier, else double-quoted. */
export function canonicalPart(part: string): string {
  return isPlain(part) ? part : `"${part.replace(/"/g, '""')}"`;
}

/** Build a name from already-resolved parts (case folding done by the caller). */
export function makeName(parts: string[], quoted: boolean[]): SqlName {
  const n = parts.length;
  const name: SqlName = {
    schema: n >= 2 ? parts[n - 2]! : null,
    name: parts[n - 1] ?? '',
    quoted,
    canonical: n === 1 ? canonicalPart(parts[0]!) : parts.map(canonicalPart).join('.'),
  };
  if (n >= 3) name.catalog = parts.slice(0, n - 2).join('.');
  return name;
}

/** Quoting guess when the source text is not available: a part that is not plain must have been quoted. */
export function inferQuoted(parts: string[]): boolean[] {
  return parts.map((p) => !isPlain(p));
}

/** Ordered, de-duplicated list of names keyed by canonical spelling. */
export class NameSet {
  private readonly seen = new Set<string>();
  readonly items: SqlName[] = [];
  add(n: SqlName): void {
    if (this.seen.has(n.canonical)) return;
    this.seen.add(n.canonical);
    this.items.push(n);
  }
  has(canonical: string): boolean {
    return this.seen.has(canonical);
  }
  addAll(ns: readonly SqlName[]): void {
    for (const n of ns) this.add(n);
  }
}
