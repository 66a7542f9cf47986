// net.cidr_expand(cidr): every address of a network, as a set (an array in string order here,
// as Rego orders set members). Addresses print as Go prints IPs. To keep a policy from
// exhausting memory, networks of more than 2^20 addresses are an error (undefined).
import { parseCidr } from './net.ts';
import { isString, type HostBuiltin } from './values.ts';

const MAX_ADDRESSES = 1n << 20n;

function formatV6(n: bigint): string {
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((n >> s) & 0xffffn).toString(16));
  // The longest run of two or more zero groups becomes `::` (the first one on ties).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
  }
  return best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
}

function formatV4(n: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => ((n >> s) & 0xffn).toString()).join('.');
}

export const netExpandBuiltins: Record<string, HostBuiltin> = {
  'net.cidr_expand': (cidr) => {
    if (!isString(cidr)) return undefined;
    const c = parseCidr(cidr);
    if (c === undefined) return undefined;
    const count = 1n << BigInt(128 - c.prefix);
    if (count > MAX_ADDRESSES) return undefined;
    const out: string[] = [];
    for (let i = 0n; i < count; i++) out.push(c.v4 ? formatV4((c.base + i) & 0xffffffffn) : formatV6(c.base + i));
    return out.sort();
  },
};
