// The `portcullis` command: dispatches to the subcommands. Exit codes: 0 ok, 1 failure
// (compile errors, missing files, evaluation errors), 2 usage errors.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { UsageError } from './args.ts';
import { diagnosticLines } from './diagnostics.ts';

type Command = (argv: string[]) => Promise<number>;

export const MAIN_HELP = `usage: portcullis <command> [options]

commands:
  build <dir|files...> -e pkg/rule   compile Rego to wasm and write an OPA bundle (.tar.gz)
  eval -d <dir> [-i input.json] <q>  compile and evaluate a query or an entrypoint
  check <dir|files...>               compile and print errors as file:line:col: code: message
  demo                               evaluate the sample policy on the sample requests
  test <dir|files...>                run Rego unit tests (test_ rules), like opa test
  explain -d <dir> -i input.json     evaluate and show which rules fired, with locations
  replay --policy <dir> <log.jsonl>  compare a policy's decisions with recorded ones
  conformance                        run OPA's Rego conformance cases

Run \`portcullis <command> --help\` for a command's options.
`;

// Commands load on use: `--help` and usage errors answer without loading the compiler.
const COMMANDS: Record<string, () => Promise<Command>> = {
  build: async () => (await import('./build.ts')).buildCommand,
  eval: async () => (await import('./eval.ts')).evalCommand,
  check: async () => (await import('./check.ts')).checkCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  conformance: async () => (await import('./conformance.ts')).conformanceCommand,
  // Policy tooling: test, explain, replay.
  test: async () => (await import('./test.ts')).testCommand,
  explain: async () => (await import('./explain.ts')).explainCommand,
  replay: async () => (await import('./replay.ts')).replayCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const sub = name === 'help' && rest[0] !== undefined && Object.hasOwn(COMMANDS, rest[0]) ? COMMANDS[rest[0]] : undefined;
    if (sub) return (await sub())(['--help']);
    (name === undefined ? process.stderr : process.stdout).write(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  try {
    if (!Object.hasOwn(COMMANDS, name)) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
    const command = await COMMANDS[name]!();
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
