#!/usr/bin/env node
// Launcher: runs the TypeScript CLI (src/cli/main.ts) with the project's TypeScript hooks.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const hooks = join(root, 'scripts', 'register-ts.mjs');
const r = spawnSync(process.execPath, ['--import', hooks, join(root, 'src', 'cli', 'main.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
