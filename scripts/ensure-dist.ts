// Builds the package's JavaScript (dist/, `npm run build`) when it is missing or older than any
// source file. The memory bench and the package test import the built library in a plain node
// process, as a consumer does, so they need it current.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built engine entry: what `import 'portcullis'` loads. */
export const DIST_ENTRY = join(ROOT, 'dist', 'engine', 'index.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(DIST_ENTRY).mtimeMs;
  } catch {
    return -1;
  }
}

/** Runs the TypeScript build of src/ into dist/ unless it is current; throws with tsc's output on failure. */
export function ensureDist(): void {
  const config = join(ROOT, 'tsconfig.build.json');
  if (builtAt() >= Math.max(newestSource(join(ROOT, 'src')), statSync(config).mtimeMs)) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', config], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build of dist/ failed (exit ${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
}
