// Data documents gathered from several files are merged into one `data`.

/** Deep merge for data documents: objects merge key by key, anything else replaces. */
export function mergeData(a: unknown, b: unknown): unknown {
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObj(a) || !isObj(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in out ? mergeData(out[k], v) : v;
  return out;
}
