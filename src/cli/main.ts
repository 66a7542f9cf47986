// The `portcullis` command: dispatches to the subcommands. Exit codes: 0 ok, 1 failure
// (compile errors, missing files, evaluation errors), 2 usage errors.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { UsageError } from './args.ts';
import { buildCommand } from './build.ts';
import { checkCommand } from './check.ts';
import { conformanceCommand } from './conformance.ts';
import { demoCommand } from './demo.ts';
import { diagnosticLines } from './diagnostics.ts';
import { evalCommand } from './eval.ts';

export const MAIN_HELP = `usage: portcullis <command> [options]

commands:
  build <dir|files...> -e pkg/rule   compile Rego to wasm and write an OPA bundle (.tar.gz)
  eval -d <dir> [-i input.json] <q>  compile and evaluate a query or an entrypoint
  check <dir|files...>               compile and print errors as file:line:col: code: message
  demo                               evaluate the sample policy on the sample requests
  conformance                        run OPA's Rego conformance cases

Run \`portcullis <command> --help\` for a command's options.
`;

const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  build: buildCommand,
  eval: evalCommand,
  check: checkCommand,
  demo: demoCommand,
  conformance: conformanceCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const sub: ((argv: string[]) => Promise<number>) | undefined = name === 'help' && rest[0] !== undefined ? COMMANDS[rest[0]] : undefined;
    if (sub) return sub(['--help']);
    (name === undefined ? process.stderr : process.stdout).write(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  const command: ((argv: string[]) => Promise<number>) | undefined = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    return await command(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`portcullis: ${e.message}\nrun \`portcullis ${Object.hasOwn(COMMANDS, name) ? `${name} ` : ''}--help\` for usage\n`);
      return 2;
    }
    const lines = diagnosticLines(e);
    if (lines !== null) {
      process.stderr.write(`${lines.join('\n')}\n`);
      return 1;
    }
    // The SDK throws plain strings for evaluation errors.
    const msg = e instanceof Error ? e.message : typeof e === 'string' ? e : JSON.stringify(e);
    process.stderr.write(`portcullis ${name}: ${msg}\n`);
    return 1;
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
