// Collects the .rego files a command works on: directories are walked recursively (sorted, so
// builds are reproducible; dot-folders and node_modules skipped), files are taken as given.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

export interface RegoSource {
  /** Path shown in diagnostics: relative to the working directory, `/`-separated. */
  file: string;
  text: string;
}

export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

const display = (p: string): string => {
  const r = relative(process.cwd(), p);
  return (r === '' || r.startsWith('..') ? p : r).split(sep).join('/');
};

function walk(dir: string, out: string[]): void {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (e.isFile() && e.name.endsWith('.rego')) out.push(p);
  }
}

export interface CollectOptions {
  /** Leave out `*_test.rego` files (Rego unit tests are not part of a policy build). */
  skipTests?: boolean;
}

export function collectRego(paths: string[], opts: CollectOptions = {}): RegoSource[] {
  const files: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new SourceError(`no such file or directory: ${p}`);
    if (statSync(p).isDirectory()) walk(p, files);
    else files.push(p);
  }
  const picked = [...new Set(files)].filter((f) => !(opts.skipTests && f.endsWith('_test.rego')));
  if (picked.length === 0) throw new SourceError(`no .rego files in ${paths.join(', ')}`);
  return picked.map((f) => ({ file: display(f), text: readFileSync(f, 'utf8') }));
}

/**
 * The package path of a module (`package a.b["c"]` → ['a', 'b', 'c']), read from its text: enough
 * to compute bundle roots without depending on the parser's module shape.
 */
export function packagePath(text: string): string[] | null {
  const m = /^[ \t]*package[ \t]+([^\s#]+)/m.exec(text);
  if (!m) return null;
  const parts: string[] = [];
  const re = /(?:^|\.)([A-Za-z_][A-Za-z0-9_]*)|\["((?:[^"\\]|\\.)*)"\]/gy;
  let at = 0;
  let g: RegExpExecArray | null;
  while ((g = re.exec(m[1]!)) !== null) {
    parts.push(g[1] ?? (JSON.parse(`"${g[2]!}"`) as string));
    at = re.lastIndex;
  }
  if (at !== m[1]!.length || parts.length === 0) return null;
  return parts[0] === 'data' ? parts.slice(1) : parts;
}

export function readJsonFile(path: string, what: string): unknown {
  if (!existsSync(path)) throw new SourceError(`${what}: no such file: ${path}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new SourceError(`${what}: ${path}: ${(e as Error).message}`);
  }
}
