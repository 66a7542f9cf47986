// Wrappers run another command: sudo, env, timeout, xargs, find -exec, bash -c, ssh, ...
// unwrap() says what they run: an argv, or a string that a shell parses again.
import { basename, parseOptions, str, type OptSpec } from './options.ts';
import type { ShellWord } from './types.ts';
import type { RawAssignment } from './walk.ts';

export type Unwrapped =
  | { kind: 'command'; label: string; argv: ShellWord[]; assignments: RawAssignment[] }
  | { kind: 'script'; label: string; text: ShellWord };

const UNKNOWN_PROGRAM = (text: string): ShellWord[] => [{ unknown: true, text }];
const ASSIGN = /^[A-Za-z_][A-Za-z0-9_]*=/;

export const SHELLS = new Set(['bash', 'sh', 'dash', 'zsh', 'ksh', 'ash', 'mksh', 'rbash']);

const cmd = (label: string, argv: ShellWord[], assignments: RawAssignment[] = []): Unwrapped[] =>
  argv.length === 0 ? [] : [{ kind: 'command', label, argv, assignments }];

/** Options then a command: the common wrapper shape. */
function simple(label: string, args: ShellWord[], spec: OptSpec, operandsBefore = 0): Unwrapped[] {
  const o = parseOptions(args, 1, spec);
  if (!o) return cmd(label, UNKNOWN_PROGRAM(`${label} ...`));
  const rest = args.slice(o.next + operandsBefore);
  if (o.next + operandsBefore > args.length) return [];
  return cmd(label, rest);
}

const SUDO: OptSpec = {
  flags: 'AbEHiKklnPSsVve',
  withArg: 'ugpCDrtUTR',
  longWithArg: ['user', 'group', 'prompt', 'close-from', 'chdir', 'role', 'type', 'other-user', 'command-timeout', 'chroot', 'host'],
  longFlags: ['askpass', 'background', 'preserve-env', 'set-home', 'login', 'remove-timestamp', 'reset-timestamp', 'non-interactive', 'preserve-groups', 'stdin', 'shell', 'version', 'validate', 'list', 'edit', 'help'],
};

function sudo(args: ShellWord[], label: string, spec: OptSpec): Unwrapped[] {
  const o = parseOptions(args, 1, spec);
  if (!o) return cmd(label, UNKNOWN_PROGRAM(`${label} ...`));
  const names = new Set(o.seen.map((s) => s.name));
  if (['l', 'list', 'v', 'validate', 'V', 'version', 'K', 'remove-timestamp', 'help'].some((n) => names.has(n))) return [];
  let i = o.next;
  const assignments: RawAssignment[] = [];
  for (; i < args.length; i++) {
    const a = str(args[i]);
    if (a === null || !ASSIGN.test(a)) break;
    const eq = a.indexOf('=');
    assignments.push({ name: a.slice(0, eq), value: a.slice(eq + 1), kind: 'env' });
  }
  const rest = args.slice(i);
  if (names.has('e') || names.has('edit')) return cmd(label, ['sudoedit', ...rest]);
  if (rest.length === 0) {
    // -s / -i without a command start a shell
    return names.has('s') || names.has('shell') || names.has('i') || names.has('login') ? cmd(label, UNKNOWN_PROGRAM('$SHELL'), assignments) : [];
  }
  return cmd(label, rest, assignments);
}

function env(args: ShellWord[]): Unwrapped[] {
  const o = parseOptions(args, 1, {
    flags: 'i0v',
    withArg: 'uCS',
    longWithArg: ['unset', 'chdir'],
    longFlags: ['ignore-environment', 'null', 'debug', 'block-signal', 'default-signal', 'ignore-signal', 'list-signal-handling', 'split-string'],
  });
  if (!o || o.seen.some((s) => s.name === 'S' || s.name === 'split-string')) return cmd('env', UNKNOWN_PROGRAM('env ...'));
  let i = o.next;
  if (str(args[i]) === '-') i++; // `env -` is `env -i`
  const assignments: RawAssignment[] = [];
  for (; i < args.length; i++) {
    const w = args[i]!;
    const a = str(w);
    if (a === null) {
      // a dynamic word may be an assignment or the program
      return cmd('env', UNKNOWN_PROGRAM('env ...'), assignments);
    }
    if (!ASSIGN.test(a)) break;
    const eq = a.indexOf('=');
    assignments.push({ name: a.slice(0, eq), value: a.slice(eq + 1), kind: 'env' });
  }
  return cmd('env', args.slice(i), assignments);
}

/** How a shell's leading options end: where the first operand is, and whether -c / -s were given. */
interface ShellOptions {
  c: boolean;
  s: boolean;
  /** Index of the first operand (or of the dynamic word, for `dynamic`). */
  at: number;
  stop: 'dynamic' | 'dashdash' | 'operand' | 'end';
}

function shellOptions(argv: ShellWord[]): ShellOptions {
  let c = false;
  let s = false;
  for (let i = 1; i < argv.length; i++) {
    const a = str(argv[i]);
    if (a === null) return { c, s, at: i, stop: 'dynamic' };
    if (a === '--' || a === '-') return { c, s, at: i + 1, stop: 'dashdash' };
    if (a === '--rcfile' || a === '--init-file') {
      i++;
      continue;
    }
    if (a.startsWith('--')) continue;
    if ((a[0] === '-' || a[0] === '+') && a.length > 1) {
      const letters = a.slice(1);
      if (letters.includes('c')) c = true;
      if (letters.includes('s')) s = true;
      if (letters.includes('o') || letters.includes('O')) i++; // -o option / -O shopt take a word
      continue;
    }
    return { c, s, at: i, stop: 'operand' };
  }
  return { c, s, at: argv.length, stop: 'end' };
}

function shell(args: ShellWord[], name: string): Unwrapped[] {
  const o = shellOptions(args);
  // A dynamic word is the command string after -c; before it, it may be anything.
  if (o.stop === 'dynamic' && !o.c) return cmd(name, UNKNOWN_PROGRAM(`${name} ...`));
  if (!o.c) return []; // a script file or stdin: its content is not on this line
  if (o.at >= args.length) return [];
  return [{ kind: 'script', label: `${name} -c`, text: args[o.at]! }];
}

function su(args: ShellWord[], label: string): Unwrapped[] {
  // GNU su permutes options, so -c may follow the user name
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (typeof a !== 'string') continue;
    if (a === '-c' || a === '--command' || a === '--session-command') {
      return i + 1 < args.length ? [{ kind: 'script', label: `${label} -c`, text: args[i + 1]! }] : [];
    }
    const m = /^--(?:session-)?command=(.*)$/s.exec(a) ?? /^-c(.+)$/s.exec(a);
    if (m) return [{ kind: 'script', label: `${label} -c`, text: m[1]! }];
  }
  return args.some((a) => typeof a !== 'string') ? cmd(label, UNKNOWN_PROGRAM(`${label} ...`)) : [];
}

function joined(args: ShellWord[], label: string): Unwrapped[] {
  if (args.length === 0) return [];
  if (args.some((a) => typeof a !== 'string')) return [{ kind: 'script', label, text: { unknown: true, text: `${label} ...` } }];
  return [{ kind: 'script', label, text: (args as string[]).join(' ') }];
}

function evalCmd(args: ShellWord[]): Unwrapped[] {
  const rest = str(args[1]) === '--' ? args.slice(2) : args.slice(1);
  return joined(rest, 'eval');
}

function xargs(args: ShellWord[]): Unwrapped[] {
  const o = parseOptions(args, 1, {
    flags: '0rtpxo',
    withArg: 'adEILnPs',
    longWithArg: ['arg-file', 'delimiter', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'],
    longFlags: ['null', 'no-run-if-empty', 'verbose', 'interactive', 'exit', 'open-tty', 'show-limits', 'eof', 'replace', 'max-lines'],
  });
  // -i/-e/-l take optional attached arguments: handle them before the generic parser rejects them
  if (!o) return cmd('xargs', UNKNOWN_PROGRAM('xargs ...'));
  let repl: string | null = null;
  for (const s of o.seen) {
    if (s.name === 'I' && typeof s.value === 'string') repl = s.value;
    if (s.name === 'replace') repl = typeof s.value === 'string' ? s.value : '{}';
  }
  let argv = args.slice(o.next);
  if (argv.length === 0) argv = ['echo'];
  if (repl !== null) {
    const r = repl;
    argv = argv.map((w, k) => (k > 0 && typeof w === 'string' && r !== '' && w.includes(r) ? { unknown: true, text: w } : w));
    return cmd('xargs', argv);
  }
  return cmd('xargs', [...argv, { unknown: true, text: '<input>' }]);
}

function find(args: ShellWord[]): Unwrapped[] {
  const out: Unwrapped[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (a !== '-exec' && a !== '-execdir' && a !== '-ok' && a !== '-okdir') continue;
    const argv: ShellWord[] = [];
    let j = i + 1;
    for (; j < args.length; j++) {
      const w = args[j]!;
      if (w === ';' || (w === '+' && args[j - 1] === '{}' && j - 1 > i + 1)) break;
      argv.push(typeof w === 'string' && w.includes('{}') ? { unknown: true, text: w } : w);
    }
    if (j < args.length) out.push(...cmd(`find ${a}`, argv));
    i = j;
  }
  return out;
}

const SSH: OptSpec = { flags: '46AaCfGgKkMNnqsTtVvXxYy', withArg: 'BbcDEeFIiJLlmOopQRSWw' };

function ssh(args: ShellWord[]): Unwrapped[] {
  const o = parseOptions(args, 1, SSH);
  if (!o) return cmd('ssh', UNKNOWN_PROGRAM('ssh ...'));
  if (o.seen.some((s) => s.name === 's' || s.name === 'N')) return [];
  const rest = args.slice(o.next + 1);
  return joined(rest, 'ssh');
}

function watch(args: ShellWord[]): Unwrapped[] {
  const o = parseOptions(args, 1, {
    flags: 'bcdegptwxrhv',
    withArg: 'nq',
    longWithArg: ['interval'],
    longFlags: ['beep', 'color', 'differences', 'errexit', 'chgexit', 'precise', 'no-title', 'no-wrap', 'exec', 'no-linewrap'],
  });
  if (!o) return cmd('watch', UNKNOWN_PROGRAM('watch ...'));
  const rest = args.slice(o.next);
  if (o.seen.some((s) => s.name === 'x' || s.name === 'exec')) return cmd('watch', rest);
  return joined(rest, 'watch');
}

/** True when argv is a shell that reads its commands from standard input (`bash`, `sh -s x`). */
export function readsStdinScript(argv: ShellWord[]): boolean {
  const p = str(argv[0]);
  if (p === null || !SHELLS.has(basename(p))) return false;
  const o = shellOptions(argv);
  if (o.c || o.stop === 'dynamic') return false; // -c runs its string; a dynamic word may be a script name
  if (o.stop === 'dashdash') return o.s || o.at >= argv.length;
  // An operand is a script file, unless -s made it a positional parameter.
  return o.stop === 'operand' ? o.s : true;
}

/** What a wrapper command runs; [] when `argv` is not a wrapper (or runs nothing). */
export function unwrap(argv: ShellWord[]): Unwrapped[] {
  const p = str(argv[0]);
  if (p === null) return [];
  const name = basename(p);
  switch (name) {
    case 'sudo':
      return sudo(argv, 'sudo', SUDO);
    case 'doas':
      return sudo(argv, 'doas', { flags: 'ns', withArg: 'uC' });
    case 'env':
      return env(argv);
    case 'timeout':
      return simple('timeout', argv, { flags: 'v', withArg: 'sk', longWithArg: ['signal', 'kill-after'], longFlags: ['preserve-status', 'foreground', 'verbose'] }, 1);
    case 'nohup':
      return simple('nohup', argv, { flags: '', withArg: '' });
    case 'exec':
      return simple('exec', argv, { flags: 'cl', withArg: 'a' });
    case 'time':
      return simple('time', argv, { flags: 'pavq', withArg: 'fo', longWithArg: ['format', 'output'], longFlags: ['append', 'verbose', 'quiet', 'portability'] });
    case 'nice':
      return simple('nice', argv, { flags: '', withArg: 'n', longWithArg: ['adjustment'], numeric: true });
    case 'ionice':
      return simple('ionice', argv, { flags: 't', withArg: 'cn', longWithArg: ['class', 'classdata'], longFlags: ['ignore'] });
    case 'stdbuf':
      return simple('stdbuf', argv, { flags: '', withArg: 'ioe', longWithArg: ['input', 'output', 'error'] });
    case 'setsid':
      return simple('setsid', argv, { flags: 'cfw', withArg: '', longFlags: ['ctty', 'fork', 'wait'] });
    case 'chroot':
      return simple('chroot', argv, { flags: '', withArg: '', longWithArg: ['userspec', 'groups'], longFlags: ['skip-chdir'] }, 1);
    case 'command': {
      const o = parseOptions(argv, 1, { flags: 'pvV', withArg: '' });
      if (!o) return cmd('command', UNKNOWN_PROGRAM('command ...'));
      if (o.seen.some((s) => s.name === 'v' || s.name === 'V')) return [];
      return cmd('command', argv.slice(o.next));
    }
    case 'builtin':
    case 'coproc':
      return cmd(name, argv.slice(1));
    case 'eval':
      return evalCmd(argv);
    case 'xargs':
      return xargs(argv);
    case 'find':
      return find(argv);
    case 'ssh':
      return ssh(argv);
    case 'su':
    case 'runuser':
      return su(argv, name);
    case 'watch':
      return watch(argv);
    default:
      return SHELLS.has(name) ? shell(argv, name) : [];
  }
}
