// Command-line parsing shared by the subcommands: declared flags only, so a typo is a usage
// error (exit 2) instead of being silently ignored.

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface FlagSpec {
  /** Long name without dashes, e.g. `entrypoint`. */
  name: string;
  /** One-letter alias, e.g. `e`. */
  short?: string;
  /** Takes a value (`-e x`, `--entrypoint=x`); otherwise a boolean switch. */
  value: boolean;
  /** May be given more than once (values collect into a list). */
  repeat?: boolean;
}

export interface Parsed {
  flags: Map<string, string[]>;
  positionals: string[];
  help: boolean;
}

export function parseArgs(argv: string[], specs: FlagSpec[]): Parsed {
  const flags = new Map<string, string[]>();
  const positionals: string[] = [];
  let help = false;
  const find = (token: string): FlagSpec | undefined =>
    token.startsWith('--') ? specs.find((s) => s.name === token.slice(2)) : specs.find((s) => s.short === token.slice(1));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const token = eq >= 0 ? arg.slice(0, eq) : arg;
    const spec = find(token);
    if (!spec) throw new UsageError(`unknown option ${token}`);
    let value = 'true';
    if (spec.value) {
      if (eq >= 0) value = arg.slice(eq + 1);
      else if (i + 1 < argv.length) value = argv[++i]!;
      else throw new UsageError(`option ${token} needs a value`);
    } else if (eq >= 0) {
      throw new UsageError(`option ${token} takes no value`);
    }
    const prev = flags.get(spec.name);
    if (prev && !spec.repeat) throw new UsageError(`option ${token} given more than once`);
    flags.set(spec.name, [...(prev ?? []), value]);
  }
  return { flags, positionals, help };
}

export const one = (p: Parsed, name: string): string | undefined => p.flags.get(name)?.[0];
export const all = (p: Parsed, name: string): string[] => p.flags.get(name) ?? [];
export const has = (p: Parsed, name: string): boolean => p.flags.has(name);
