// Node module hooks that run the TypeScript sources directly: `.ts` files are transpiled with
// esbuild (types stripped, nothing bundled); every other file loads untouched. Unlike a general
// loader, nothing under node_modules is ever transformed, so large packages (binaryen's 15 MB
// index.js) load at native speed.
import { readFile } from 'node:fs/promises';
import { transform } from 'esbuild';

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = new URL(url);
  const source = await readFile(path, 'utf8');
  const out = await transform(source, {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: path.pathname,
  });
  return { format: 'module', source: out.code, shortCircuit: true };
}
