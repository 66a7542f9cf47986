// Runs every bench/*.bench.ts, each in its own process (a clean heap and JIT per bench), in
// name order. `--short` asks each bench for a quick pass (CI); other arguments filter by name.
// Convention: see bench/README.md.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Bench = (opts: { short: boolean }) => Promise<void>;

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const short = args.includes('--short');

if (args[0] === '--one') {
  // Child mode: run one bench file.
  const mod = (await import(pathToFileURL(args[1]!).href)) as { default?: unknown };
  if (typeof mod.default !== 'function') {
    console.log(`skip ${basename(args[1]!)}: no default export run(opts) (see bench/README.md)`);
    process.exit(0);
  }
  await (mod.default as Bench)({ short: args.includes('--short') });
  process.exit(0);
}

const filters = args.filter((a) => !a.startsWith('--'));
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`# ${f}${short ? ' (short)' : ''}`);
  const r = spawnSync(process.execPath, ['--import', fileURLToPath(new URL('../scripts/register-ts.mjs', import.meta.url)), fileURLToPath(import.meta.url), '--one', join(here, f), ...(short ? ['--short'] : [])], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.log(`${f}: failed (exit ${r.status ?? r.signal})`);
  }
}
process.exit(failed > 0 ? 1 : 0);
