// semver.is_valid / semver.compare following Semantic Versioning 2.0.0 (no `v` prefix);
// build metadata is ignored when comparing.
import { isString, type HostBuiltin } from './values.ts';

const NUM = '(0|[1-9][0-9]*)';
const PRE_ID = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER = new RegExp(
  `^${NUM}\\.${NUM}\\.${NUM}(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);

interface Version { core: bigint[]; pre: string[] }

function parseVersion(s: string): Version | undefined {
  const m = SEMVER.exec(s);
  if (m === null) return undefined;
  return { core: [BigInt(m[1]!), BigInt(m[2]!), BigInt(m[3]!)], pre: m[4] === undefined ? [] : m[4].split('.') };
}

function cmp<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePre(a: string[], b: string[]): number {
  // A version without pre-release identifiers ranks higher than one with them.
  if (a.length === 0 || b.length === 0) return cmp(b.length, a.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    const xn = /^[0-9]+$/.test(x);
    const yn = /^[0-9]+$/.test(y);
    let c: number;
    if (xn && yn) c = cmp(BigInt(x), BigInt(y));
    else if (xn !== yn) c = xn ? -1 : 1;
    else c = cmp(x, y);
    if (c !== 0) return c;
  }
  return cmp(a.length, b.length);
}

const isValid: HostBuiltin = (v) => isString(v) && parseVersion(v) !== undefined;

const compare: HostBuiltin = (a, b) => {
  if (!isString(a) || !isString(b)) return undefined;
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (x === undefined || y === undefined) return undefined;
  for (let i = 0; i < 3; i++) {
    const c = cmp(x.core[i]!, y.core[i]!);
    if (c !== 0) return c;
  }
  return comparePre(x.pre, y.pre);
};

export const semverBuiltins: Record<string, HostBuiltin> = {
  'semver.is_valid': isValid,
  'semver.compare': compare,
};
