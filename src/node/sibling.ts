// Child processes run a sibling module of the caller. From the sources that module is `.ts` and
// needs the project's TypeScript hooks; from the built package (dist/) it is plain `.js`.
import { fileURLToPath } from 'node:url';

const TS_HOOKS = new URL('../../scripts/register-ts.mjs', import.meta.url);

/** The file of module `name` (no extension) next to the module at `from`, with `from`'s extension. */
export function siblingModule(from: string, name: string): string {
  const ext = from.endsWith('.ts') ? '.ts' : '.js';
  return fileURLToPath(new URL(`./${name}${ext}`, from));
}

/** The node flags a child needs to run `file`: the TypeScript hooks for a `.ts` file, none for `.js`. */
export function loaderArgs(file: string): string[] {
  return file.endsWith('.ts') ? ['--import', TS_HOOKS.href] : [];
}
