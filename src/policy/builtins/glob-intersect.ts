// regex.globs_match(a, b): whether some non-empty string matches both regexp-style globs. Both are
// anchored at both ends; the only special symbols are `.` (any character), `*` and `+` (zero or
// more / one or more of the preceding item), `[…]` character classes with `-` ranges, and `\`,
// which makes the next character literal. A glob that is not well formed is an error (undefined).
//
// Each glob becomes a list of items (a character set, repeated or not; `x+` is `x x*`), that is,
// a small automaton whose states are positions in the list. The intersection is non-empty when
// the product of the two automata reaches the end of both lists after consuming a character:
// a breadth-first search over (position in a, position in b, consumed yet), at most
// 2 · (|a| + 1) · (|b| + 1) states.
import { isString, type HostBuiltin } from './values.ts';

/** Inclusive code point ranges; null is any character. */
type CharSet = ReadonlyArray<readonly [number, number]> | null;

interface Item {
  set: CharSet;
  /** Zero or more (`*`); otherwise exactly one. */
  repeat: boolean;
}

/** The items of a glob, or null when it is not well formed. */
export function parseGlob(glob: string): Item[] | null {
  const cps = Array.from(glob, (c) => c.codePointAt(0)!);
  const items: Item[] = [];
  let quantifiable = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i]!;
    if (c === 42 /* * */ || c === 43 /* + */) {
      if (!quantifiable) return null; // nothing to repeat, or a quantifier after a quantifier
      const last = items[items.length - 1]!;
      if (c === 42) last.repeat = true;
      else items.push({ set: last.set, repeat: true });
      quantifiable = false;
      continue;
    }
    let set: CharSet;
    if (c === 92 /* \ */) {
      if (i + 1 >= cps.length) return null;
      const x = cps[++i]!;
      set = [[x, x]];
    } else if (c === 46 /* . */) {
      set = null;
    } else if (c === 91 /* [ */) {
      const r = parseClass(cps, i + 1);
      if (r === null) return null;
      set = r.set;
      i = r.end;
    } else if (c === 93 /* ] */) {
      return null; // a class that was never opened
    } else {
      set = [[c, c]];
    }
    items.push({ set, repeat: false });
    quantifiable = true;
  }
  return items;
}

/** The class whose first member is at cps[from]; end is the index of its `]`. */
function parseClass(cps: readonly number[], from: number): { set: CharSet; end: number } | null {
  const ranges: Array<[number, number]> = [];
  let i = from;
  const member = (): number | null => {
    const c = cps[i]!;
    if (c !== 92) return c;
    if (i + 1 >= cps.length) return null;
    return cps[++i]!;
  };
  while (i < cps.length && cps[i] !== 93 /* ] */) {
    const lo = member();
    if (lo === null) return null;
    i++;
    // `-` between two members is a range; at either end of the class it is itself.
    if (cps[i] === 45 /* - */ && i + 1 < cps.length && cps[i + 1] !== 93) {
      i++;
      const hi = member();
      if (hi === null || hi < lo) return null;
      i++;
      ranges.push([lo, hi]);
    } else {
      ranges.push([lo, lo]);
    }
  }
  if (i >= cps.length || ranges.length === 0) return null; // unclosed, or `[]`
  return { set: ranges, end: i };
}

function overlap(a: CharSet, b: CharSet): boolean {
  if (a === null || b === null) return true; // classes are never empty
  for (const [lo, hi] of a) for (const [lo2, hi2] of b) if (lo <= hi2 && lo2 <= hi) return true;
  return false;
}

/** Whether some non-empty string matches both item lists. */
export function intersects(a: readonly Item[], b: readonly Item[]): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array(2 * (a.length + 1) * width);
  const queue: number[] = [];
  const visit = (i: number, j: number, consumed: number): void => {
    const k = (consumed * (a.length + 1) + i) * width + j;
    if (seen[k] === 0) {
      seen[k] = 1;
      queue.push(k);
    }
  };
  visit(0, 0, 0);
  while (queue.length > 0) {
    const k = queue.pop()!;
    const j = k % width;
    const rest = (k - j) / width;
    const i = rest % (a.length + 1);
    const consumed = (rest - i) / (a.length + 1);
    if (i === a.length && j === b.length) {
      if (consumed === 1) return true;
      continue;
    }
    // A repeated item may match nothing.
    if (i < a.length && a[i]!.repeat) visit(i + 1, j, consumed);
    if (j < b.length && b[j]!.repeat) visit(i, j + 1, consumed);
    // Both consume one character that is in both sets.
    if (i < a.length && j < b.length && overlap(a[i]!.set, b[j]!.set)) {
      visit(a[i]!.repeat ? i : i + 1, b[j]!.repeat ? j : j + 1, 1);
    }
  }
  return false;
}

const globsMatch: HostBuiltin = (a, b) => {
  if (!isString(a) || !isString(b)) return undefined;
  const x = parseGlob(a);
  const y = parseGlob(b);
  if (x === null || y === null) return undefined;
  return intersects(x, y);
};

export const globIntersectBuiltins: Record<string, HostBuiltin> = {
  'regex.globs_match': globsMatch,
};
