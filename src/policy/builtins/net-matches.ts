// net.cidr_contains_matches(cidrs, cidrs_or_ips): the [key1, key2] pairs where the network at
// key1 contains the network or address at key2. Each argument is a string (its key is itself),
// an array (keys are indices), a set (keys are members) or an object (keys are its keys); an
// element is a string or a non-empty array whose first item is the string (a tuple carrying
// extra data). Sets arrive as arrays here, so their members are keyed by position.
import { parseCidr } from './net.ts';
import { isObject, isString, type HostBuiltin } from './values.ts';

const ALL = (1n << 128n) - 1n;
const mask = (prefix: number): bigint => (prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL);

class MatchError extends Error {}

function entries(arg: unknown): Array<[unknown, string]> {
  const item = (v: unknown): string => {
    if (isString(v)) return v;
    if (Array.isArray(v) && v.length > 0 && isString(v[0])) return v[0];
    throw new MatchError('element must be string or non-empty array');
  };
  if (isString(arg)) return [[arg, arg]];
  if (Array.isArray(arg)) return arg.map((v, i) => [i, item(v)]);
  if (isObject(arg)) return Object.entries(arg).map(([k, v]) => [k, item(v)]);
  throw new MatchError('operand must be a string, array, set or object');
}

/** A network, or an address as a single-address network. */
function network(s: string, addressAllowed: boolean): { base: bigint; prefix: number } {
  const c = s.includes('/') ? parseCidr(s) : addressAllowed ? parseCidr(`${s}/${s.includes(':') ? 128 : 32}`) : undefined;
  if (c === undefined) throw new MatchError(`invalid CIDR or address: ${s}`);
  return c;
}

export const netMatchesBuiltins: Record<string, HostBuiltin> = {
  'net.cidr_contains_matches': (a, b) => {
    const nets = entries(a).map(([k, s]) => ({ k, n: network(s, false) }));
    const others = entries(b).map(([k, s]) => ({ k, n: network(s, true) }));
    const out = new Map<string, unknown>();
    for (const x of nets) {
      for (const y of others) {
        if (y.n.prefix >= x.n.prefix && (y.n.base & mask(x.n.prefix)) === x.n.base) {
          const pair = [x.k, y.k];
          out.set(JSON.stringify(pair), pair);
        }
      }
    }
    return [...out.entries()].sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0)).map(([, v]) => v);
  },
};
