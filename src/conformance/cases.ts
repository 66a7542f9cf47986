// Reads a conformance directory: `<topic>/*.yaml` files with `cases:` lists, and EXCLUDE.tsv
// (columns file, note, reason). YAML integers become bigint so values past 2^53 stay exact.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { asValue, type Value } from './values.ts';

export interface ConformanceCase {
  /** Path relative to the suite directory, `/`-separated: `<topic>/<file>.yaml`. */
  file: string;
  topic: string;
  /** Position of the case in its file, for stable ids when notes repeat. */
  index: number;
  note: string;
  query: string;
  modules: string[];
  data?: Value;
  input?: Value;
  inputTerm?: string;
  wantResult?: Array<{ [name: string]: Value }>;
  sortBindings: boolean;
  wantError?: string;
  wantErrorCode?: string;
  strictError: boolean;
}

export interface Suite {
  dir: string;
  cases: ConformanceCase[];
  /** `file\tnote` → reason. */
  excluded: Map<string, string>;
}

export class SuiteError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'SuiteError';
  }
}

export const excludeKey = (file: string, note: string): string => `${file}\t${note}`;

/** Parses EXCLUDE.tsv: a header line, then `file<TAB>note<TAB>reason` rows. */
export function parseExcludes(text: string, file = 'EXCLUDE.tsv'): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (i === 0 && cols[0] === 'file') return;
    if (cols.length < 3) throw new SuiteError(file, `line ${i + 1}: expected 3 tab-separated columns`);
    out.set(excludeKey(cols[0]!, cols[1]!), cols.slice(2).join('\t'));
  });
  return out;
}

const str = (x: unknown, file: string, what: string): string => {
  if (typeof x !== 'string') throw new SuiteError(file, `${what} must be a string`);
  return x;
};

/** Parses one YAML file of cases. */
export function parseCaseFile(text: string, file: string): ConformanceCase[] {
  let doc: unknown;
  try {
    doc = parse(text, { intAsBigInt: true });
  } catch (e) {
    throw new SuiteError(file, `bad YAML: ${(e as Error).message}`);
  }
  const list = (doc as { cases?: unknown } | null)?.cases;
  if (!Array.isArray(list)) throw new SuiteError(file, 'expected a top-level `cases:` list');
  const topic = file.split('/')[0] ?? '';
  return list.map((raw, index) => {
    if (raw === null || typeof raw !== 'object') throw new SuiteError(file, `case ${index} is not a mapping`);
    const c = raw as Record<string, unknown>;
    const note = str(c.note, file, `case ${index}: note`);
    const at = `case ${JSON.stringify(note)}`;
    const modules = c.modules === undefined ? [] : c.modules;
    if (!Array.isArray(modules)) throw new SuiteError(file, `${at}: modules must be a list`);
    const out: ConformanceCase = {
      file,
      topic,
      index,
      note,
      query: str(c.query, file, `${at}: query`),
      modules: modules.map((m, i) => str(m, file, `${at}: modules[${i}]`)),
      sortBindings: c.sort_bindings === true,
      strictError: c.strict_error === true,
    };
    if (c.data !== undefined && c.data !== null) out.data = asValue(c.data);
    if (c.input !== undefined) out.input = asValue(c.input);
    if (c.input_term !== undefined) out.inputTerm = str(c.input_term, file, `${at}: input_term`);
    if (c.want_result !== undefined) {
      if (!Array.isArray(c.want_result)) throw new SuiteError(file, `${at}: want_result must be a list`);
      out.wantResult = c.want_result.map((row, i) => {
        const v = asValue(row ?? {});
        if (v === null || typeof v !== 'object' || Array.isArray(v)) {
          throw new SuiteError(file, `${at}: want_result[${i}] must be a mapping of bindings`);
        }
        return v;
      });
    }
    if (c.want_error !== undefined) out.wantError = str(c.want_error, file, `${at}: want_error`);
    if (c.want_error_code !== undefined) out.wantErrorCode = str(c.want_error_code, file, `${at}: want_error_code`);
    return out;
  });
}

/** Loads every `<topic>/*.yaml` below `dir` (sorted, so runs are reproducible) and EXCLUDE.tsv. */
export function loadSuite(dir: string): Suite {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new SuiteError(dir, 'not a directory');
  // The suite may be the directory itself or hold it one level down (`opa-v1/`).
  const excludePath = join(dir, 'EXCLUDE.tsv');
  const excluded = existsSync(excludePath) ? parseExcludes(readFileSync(excludePath, 'utf8')) : new Map<string, string>();
  let root = dir;
  const subdirs = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory());
  const hasYaml = (d: string): boolean => readdirSync(d).some((f) => f.endsWith('.yaml') || f.endsWith('.yml'));
  if (subdirs.length === 1 && !subdirs.some((d) => hasYaml(join(dir, d.name)))) root = join(dir, subdirs[0]!.name);
  const cases: ConformanceCase[] = [];
  for (const topic of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
    for (const f of readdirSync(join(root, topic)).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort()) {
      const rel = `${topic}/${f}`;
      cases.push(...parseCaseFile(readFileSync(join(root, topic, f), 'utf8'), rel));
    }
  }
  return { dir, cases, excluded };
}
