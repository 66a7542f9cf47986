// Node module hooks that run the TypeScript sources directly: `.ts` files are transpiled with
// esbuild (types stripped, nothing bundled); every other file loads untouched. Unlike a general
// loader, nothing under node_modules is ever transformed, so large packages (binaryen's 15 MB
// index.js) load at native speed.
//
// Transpiled output is cached under node_modules/.cache/portcullis/ts/, keyed by a hash of the
// path, the source text, esbuild's version and the options, so a warm start never loads esbuild
// (about 8 MB of this hooks thread, plus esbuild's own service process) and spends no time on it.
// One entry per source file is kept: writing a new one removes the stale ones of the same path.
// PORTCULLIS_TS_CACHE=off turns the cache off.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const CACHE = new URL('../node_modules/.cache/portcullis/ts/', import.meta.url);
const enabled = process.env.PORTCULLIS_TS_CACHE !== 'off';

const OPTIONS = { loader: 'ts', format: 'esm', target: 'node20', sourcemap: 'inline' };

let esbuildVersion;
function versionOfEsbuild() {
  // Read, not imported: importing esbuild is what a cache hit avoids.
  esbuildVersion ??= JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8')).version;
  return esbuildVersion;
}

let transformer;
const transform = async (source, options) => {
  transformer ??= import('esbuild').then((m) => m.transform);
  return (await transformer)(source, options);
};

const sha = (text) => createHash('sha256').update(text).digest('hex');

async function store(pathKey, name, code) {
  try {
    await mkdir(CACHE, { recursive: true });
    const tmp = new URL(`${name}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`, CACHE);
    await writeFile(tmp, code);
    await rename(tmp, new URL(name, CACHE)); // atomic: a concurrent reader sees all of it or nothing
    for (const f of await readdir(CACHE)) {
      if (f.startsWith(`${pathKey}-`) && f !== name && f.endsWith('.js')) await rm(new URL(f, CACHE), { force: true });
    }
  } catch {
    // a read-only or full disk only costs the next start a transpile
  }
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const file = fileURLToPath(url);
  const source = await readFile(file, 'utf8');
  const options = { ...OPTIONS, sourcefile: file };
  if (!enabled) return { format: 'module', source: (await transform(source, options)).code, shortCircuit: true };
  const pathKey = sha(file).slice(0, 16);
  const name = `${pathKey}-${sha(`${versionOfEsbuild()}\0${JSON.stringify(OPTIONS)}\0${source}`).slice(0, 32)}.js`;
  try {
    return { format: 'module', source: await readFile(new URL(name, CACHE), 'utf8'), shortCircuit: true };
  } catch {
    // a miss: transpile and remember
  }
  const code = (await transform(source, options)).code;
  await store(pathKey, name, code);
  return { format: 'module', source: code, shortCircuit: true };
}
