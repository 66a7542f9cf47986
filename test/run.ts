// Runs every uvu suite under test/ and closes with one plain summary line
// ("N passed, N failed, N skipped") that any CI reader understands.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const uvu = join(root, 'node_modules', 'uvu', 'bin.js');
// The optional argument narrows the suites by path; only `*.test.ts` files are suites (helpers and
// child-process entries live beside them).
const pattern = process.argv[2] ?? '.test.ts$';
const notSuite = '(?<!\\.test)\\.[^/.]+$'; // any file whose name does not end in .test.ts
const run = spawnSync(process.execPath, ['--import', join(root, 'scripts', 'register-ts.mjs'), uvu, 'test', pattern, '--ignore', notSuite], {
  cwd: root,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
  maxBuffer: 64 * 1024 * 1024,
});
const out = run.stdout ?? '';
process.stdout.write(out);
const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
const num = (label: string): number => Number(/^\s*(\w+):\s+(\d+)/m.test(plain) ? (new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm').exec(plain)?.[1] ?? 0) : 0);
const total = num('Total');
const passed = num('Passed');
const skipped = num('Skipped');
const failed = Math.max(0, total - passed - skipped);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(run.status === 0 && failed === 0 && total > 0 ? 0 : 1);
