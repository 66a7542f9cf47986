// Code and SQL carried in arguments: python -c, perl -e, node -e, psql -c, mysql -e, awk '...'.
import { basename, str } from './options.ts';
import type { CodePayload, SqlPayload, ShellWord } from './types.ts';

/** Program names as they are installed (python3.12 → python). */
function family(program: string): string {
  const m = /^(python|perl|ruby|node|nodejs|php|gawk|mawk|nawk|awk|busybox)[0-9.]*$/.exec(program);
  return m ? m[1]! : program;
}

function afterFlag(args: ShellWord[], flags: readonly string[], cluster: RegExp | null): ShellWord[] {
  const out: ShellWord[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string') continue;
    if (a === '--') break;
    if (flags.includes(a) || (cluster !== null && cluster.test(a))) {
      if (i + 1 < args.length) out.push(args[i + 1]!);
      i++;
      continue;
    }
    const long = flags.find((f) => f.startsWith('--') && a.startsWith(f + '='));
    if (long) out.push(a.slice(long.length + 1));
  }
  return out;
}

function join(parts: ShellWord[]): ShellWord | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  if (parts.some((p) => typeof p !== 'string')) return { unknown: true, text: '<several code arguments>' };
  return (parts as string[]).join('\n');
}

/** Awk's program is its first operand unless -f names a file. */
function awk(args: ShellWord[]): ShellWord | null {
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (typeof a !== 'string') return { unknown: true, text: 'awk ...' };
    if (a === '--') return args[i + 1] ?? null;
    if (a === '-f' || a.startsWith('--file')) return null;
    if (a === '-F' || a === '-v') {
      i++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) continue;
    return a;
  }
  return null;
}

export function codeOf(argv: ShellWord[]): CodePayload | undefined {
  const p = str(argv[0]);
  if (p === null) return undefined;
  const f = family(basename(p));
  let text: ShellWord | null = null;
  let language: CodePayload['language'] | null = null;
  if (f === 'python') {
    language = 'python';
    // python stops reading options at -c: the next word is the program
    for (let i = 1; i < argv.length; i++) {
      const a = argv[i];
      if (typeof a !== 'string' || !a.startsWith('-') || a === '-') break;
      if (a === '-c') {
        text = argv[i + 1] ?? null;
        break;
      }
      if (/^-[bBdEhiIOqsSuvx]*c./.test(a)) {
        text = a.slice(a.indexOf('c') + 1);
        break;
      }
      if (a === '-m') break;
      if (a === '-W' || a === '-X') i++;
    }
  } else if (f === 'perl') {
    language = 'perl';
    text = join(afterFlag(argv, ['-e', '-E'], /^-[lnpaswWXTtcCiF0-9]+[eE]$/));
  } else if (f === 'ruby') {
    language = 'ruby';
    text = join(afterFlag(argv, ['-e'], /^-[lnpaswWc]+e$/));
  } else if (f === 'node' || f === 'nodejs') {
    language = 'node';
    text = join(afterFlag(argv, ['-e', '--eval', '-p', '--print'], null));
  } else if (f === 'php') {
    language = 'php';
    text = join(afterFlag(argv, ['-r'], null));
  } else if (f === 'awk' || f === 'gawk' || f === 'mawk' || f === 'nawk') {
    language = 'awk';
    text = awk(argv);
  }
  return language && text !== null ? { language, text } : undefined;
}

export function sqlOf(argv: ShellWord[]): Array<Omit<SqlPayload, 'action'>> | undefined {
  const p = str(argv[0]);
  if (p === null) return undefined;
  const name = basename(p);
  let texts: ShellWord[] = [];
  let dialect: SqlPayload['dialect'];
  if (name === 'psql') {
    dialect = 'postgresql';
    texts = afterFlag(argv, ['-c', '--command'], null);
    for (const a of argv.slice(1)) if (typeof a === 'string' && /^-c./s.test(a)) texts.push(a.slice(2));
  } else if (name === 'mysql' || name === 'mariadb') {
    dialect = 'mysql';
    texts = afterFlag(argv, ['-e', '--execute'], /^-[NsBrtvEHXnq]+e$/);
    for (const a of argv.slice(1)) if (typeof a === 'string' && /^-e./s.test(a)) texts.push(a.slice(2));
  } else {
    return undefined;
  }
  return texts.length > 0 ? texts.map((text) => ({ dialect, text })) : undefined;
}
