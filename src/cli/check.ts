// `portcullis check`: compile and report every diagnostic as `file:line:col: code: message`.
import { all, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { compileSources } from './compile.ts';
import { collectRego, packagePath } from './sources.ts';
import { diagnosticLines } from './diagnostics.ts';
import { ENTRYPOINT } from './build.ts';

export const CHECK_HELP = `usage: portcullis check <dir|file.rego>... [-e <pkg/rule>]...

Parses and compiles the .rego files (Rego unit tests included) and prints each error as
file:line:col: code: message. Exits 1 when there is any error.

  -e, --entrypoint <pkg/rule>  entrypoints to plan (repeatable; default: every package whole)
`;

const SPECS: FlagSpec[] = [{ name: 'entrypoint', short: 'e', value: true, repeat: true }];

export async function checkCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(CHECK_HELP);
    return 0;
  }
  if (p.positionals.length === 0) throw new UsageError('check: give at least one directory or .rego file');
  const entrypoints = all(p, 'entrypoint');
  for (const e of entrypoints) if (!ENTRYPOINT.test(e)) throw new UsageError(`check: bad entrypoint ${JSON.stringify(e)}`);
  const sources = collectRego(p.positionals);
  // Without -e, plan every package as a whole so every rule goes through every stage.
  const targets = entrypoints.length > 0 ? entrypoints : [...new Set(sources.map((s) => packagePath(s.text)?.join('/') ?? ''))].filter((x) => x !== '');
  try {
    await compileSources(sources, targets);
  } catch (e) {
    const lines = diagnosticLines(e);
    if (lines === null) throw e;
    process.stdout.write(`${lines.join('\n')}\n`);
    process.stderr.write(`${lines.length} error${lines.length === 1 ? '' : 's'}\n`);
    return 1;
  }
  process.stdout.write(`ok: ${sources.length} module${sources.length === 1 ? '' : 's'}\n`);
  return 0;
}
