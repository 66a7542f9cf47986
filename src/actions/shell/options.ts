// A small getopt for the wrappers and tools we look inside: finds where options end.
import type { ShellWord } from './types.ts';

export interface OptSpec {
  /** Short options without an argument. */
  flags: string;
  /** Short options that take an argument (attached or next word). */
  withArg: string;
  /** Long options (no leading dashes) taking an argument as `--x=v` or `--x v`. */
  longWithArg?: readonly string[];
  /** Long options without an argument (`--x=v` is still accepted as one word). */
  longFlags?: readonly string[];
  /** Accept unknown options as flags instead of giving up. */
  lenient?: boolean;
  /** Numeric options such as `nice -10`. */
  numeric?: boolean;
}

export interface OptResult {
  /** Index of the first operand, or args.length when there is none. */
  next: number;
  /** Options seen, with their argument when they take one. */
  seen: Array<{ name: string; value: ShellWord | null }>;
}

/** Parses options at args[from..]; returns null when it cannot know where they end. */
export function parseOptions(args: readonly ShellWord[], from: number, spec: OptSpec): OptResult | null {
  const seen: OptResult['seen'] = [];
  let i = from;
  while (i < args.length) {
    const a = args[i];
    if (typeof a !== 'string') {
      return null; // a dynamic word may be an option or the operand: unknowable
    }
    if (a === '--') return { next: i + 1, seen };
    if (a.length < 2 || a[0] !== '-') return { next: i, seen };
    if (spec.numeric && /^-\d+$/.test(a)) {
      seen.push({ name: a.slice(1), value: null });
      i++;
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      if (spec.longWithArg?.includes(name)) {
        if (eq >= 0) {
          seen.push({ name, value: a.slice(eq + 1) });
          i++;
        } else {
          if (i + 1 >= args.length) return null;
          seen.push({ name, value: args[i + 1]! });
          i += 2;
        }
        continue;
      }
      if (spec.longFlags?.includes(name) || spec.lenient) {
        seen.push({ name, value: eq >= 0 ? a.slice(eq + 1) : null });
        i++;
        continue;
      }
      return null;
    }
    let j = 1;
    let consumedNext = false;
    while (j < a.length) {
      const c = a[j]!;
      if (spec.withArg.includes(c)) {
        if (j + 1 < a.length) {
          seen.push({ name: c, value: a.slice(j + 1) });
        } else {
          if (i + 1 >= args.length) return null;
          seen.push({ name: c, value: args[i + 1]! });
          consumedNext = true;
        }
        break;
      }
      if (spec.flags.includes(c) || spec.lenient) {
        seen.push({ name: c, value: null });
        j++;
        continue;
      }
      return null;
    }
    i += consumedNext ? 2 : 1;
  }
  return { next: i, seen };
}

export const str = (w: ShellWord | undefined): string | null => (typeof w === 'string' ? w : null);

export function basename(p: string): string {
  if (!p.includes('/')) return p;
  const s = p.replace(/\/+$/, '');
  const k = s.lastIndexOf('/');
  return k >= 0 ? s.slice(k + 1) : s;
}
