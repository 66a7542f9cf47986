// Table and column name matching between mask targets and SQL lineage.
//
// Rule (documented in docs/masking.md): names compare case-insensitively with quotes removed, so a
// mask on `people` also covers `"People"` (over-masking is the safe error). Tables compare part by
// part from the right: the names must be equal, and a schema (or catalog) is compared only when both
// sides have one, so `people` matches `public.people` and `app.people`, but `app.people` does not
// match `public.people`.

/** Splits a canonical name into lowercased, unquoted parts; null when the quoting is malformed. */
export function splitQualified(name: string): string[] | null {
  const parts: string[] = [];
  let i = 0;
  while (i <= name.length) {
    let part = '';
    if (name[i] === '"') {
      i++;
      for (;;) {
        if (i >= name.length) return null;
        if (name[i] === '"') {
          if (name[i + 1] === '"') { part += '"'; i += 2; continue; }
          i++;
          break;
        }
        part += name[i++];
      }
      if (i < name.length && name[i] !== '.') return null;
    } else {
      const dot = name.indexOf('.', i);
      const end = dot < 0 ? name.length : dot;
      part = name.slice(i, end);
      if (part.includes('"')) return null;
      i = end;
    }
    if (part === '') return null;
    parts.push(part.toLowerCase());
    if (i >= name.length) break;
    i++; // the dot
    if (i >= name.length) return null; // trailing dot
  }
  return parts.length > 0 && parts.length <= 3 ? parts : null;
}

/** Whether two split table names may denote the same table (see the rule above). */
export function tablesMatch(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let k = 1; k <= n; k++) {
    if (a[a.length - k] !== b[b.length - k]) return false;
  }
  return true;
}

export function columnsMatch(maskColumn: string, column: string): boolean {
  return maskColumn === '*' || column === '*' || maskColumn === column.toLowerCase();
}
