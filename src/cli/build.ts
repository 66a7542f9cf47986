// `portcullis build`: compile .rego files to wasm and write an OPA bundle (or print the IR).
import { writeFileSync } from 'node:fs';
import { printPolicy } from '../rego/ir-print.ts';
import { computeRoots, writeBundle } from '../policy/bundle.ts';
import { all, has, one, parseArgs, UsageError, type FlagSpec } from './args.ts';
import { compileSources } from './compile.ts';
import { collectRego, packagePath, readJsonFile } from './sources.ts';

export const BUILD_HELP = `usage: portcullis build <dir|file.rego>... -e <pkg/rule> [-e ...] [options]

Compiles every .rego file under the given directories (Rego unit tests, *_test.rego, are left
out) to WebAssembly and writes an OPA bundle: a .tar.gz with /.manifest, /data.json and
/policy.wasm, loadable by OPA and by @open-policy-agent/opa-wasm.

  -e, --entrypoint <pkg/rule>  an entrypoint (repeatable), e.g. authz/allow
  -o, --output <file>          bundle path (default bundle.tar.gz; with --ir, only when given)
  --data <file.json>           data document to put in the bundle's /data.json
  --revision <text>            the manifest's revision
  --ir                         print the compiled IR
`;

const SPECS: FlagSpec[] = [
  { name: 'entrypoint', short: 'e', value: true, repeat: true },
  { name: 'output', short: 'o', value: true },
  { name: 'data', value: true },
  { name: 'revision', value: true },
  { name: 'ir', value: false },
];

export const ENTRYPOINT = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_-]*)*$/;

export async function buildCommand(argv: string[]): Promise<number> {
  const p = parseArgs(argv, SPECS);
  if (p.help) {
    process.stdout.write(BUILD_HELP);
    return 0;
  }
  if (p.positionals.length === 0) throw new UsageError('build: give at least one directory or .rego file');
  const entrypoints = all(p, 'entrypoint');
  if (entrypoints.length === 0) throw new UsageError('build: give at least one entrypoint with -e <pkg/rule>');
  for (const e of entrypoints) if (!ENTRYPOINT.test(e)) throw new UsageError(`build: bad entrypoint ${JSON.stringify(e)} (write it as pkg/rule)`);
  const sources = collectRego(p.positionals, { skipTests: true });
  const dataFile = one(p, 'data');
  const data = dataFile === undefined ? {} : readJsonFile(dataFile, '--data');
  const result = await compileSources(sources, entrypoints);
  if (has(p, 'ir')) process.stdout.write(printPolicy(result.ir));
  const output = one(p, 'output') ?? (has(p, 'ir') ? undefined : 'bundle.tar.gz');
  if (output !== undefined) {
    const packages = sources.map((s) => packagePath(s.text)).filter((x): x is string[] => x !== null);
    const bundle = writeBundle({
      wasm: result.wasm,
      entrypoints,
      data,
      roots: computeRoots(packages, data),
      revision: one(p, 'revision') ?? '',
    });
    writeFileSync(output, bundle);
    process.stderr.write(`wrote ${output}: ${sources.length} modules, ${entrypoints.length} entrypoints, wasm ${result.wasm.length} bytes\n`);
  }
  return 0;
}
