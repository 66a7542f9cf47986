// Heavy libraries behind a few builtins (graphql-js, yaml, re2js: ~25 MB resident together) load
// on a builtin's first call, not with the engine: most policies never call them. `require` keeps
// the builtins synchronous, as the evaluation that calls them is.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A getter that loads `specifier` on first use and returns the same module after. */
export function lazyModule<T>(specifier: string): () => T {
  let mod: T | undefined;
  return () => (mod ??= require(specifier) as T);
}

export const graphqlJs = lazyModule<typeof import('graphql')>('graphql');
export const yamlJs = lazyModule<typeof import('yaml')>('yaml');
export const re2js = lazyModule<typeof import('re2js')>('re2js');
