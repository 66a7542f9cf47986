// net.cidr_* builtins. Addresses are 128-bit integers; IPv4 lives in the IPv4-mapped range
// (::ffff:0:0/96) so that, as with Go's net package, 10.0.0.1 and ::ffff:10.0.0.1 are one address.
import { BoundedCache, isString, type HostBuiltin } from './values.ts';

interface Cidr { base: bigint; prefix: number; v4: boolean }

const V4_MAPPED = 0xffffn << 32n;
const ALL = (1n << 128n) - 1n;

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    // Go rejects leading zeros (ambiguous octal) and anything but decimal digits.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) return undefined;
    n = (n << 8n) | BigInt(p);
  }
  return n;
}

function parseGroups(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  for (const g of part.split(':')) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    out.push(parseInt(g, 16));
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  let head = s;
  let v4: bigint | undefined;
  if (s.includes('.')) {
    // A trailing dotted IPv4 stands for the last two groups.
    const lastColon = s.lastIndexOf(':');
    v4 = parseV4(s.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    head = s.slice(0, lastColon + 1);
    if (!head.endsWith('::')) head = head.slice(0, -1);
  }
  const want = v4 === undefined ? 8 : 6;
  const halves = head.split('::');
  let groups: number[];
  if (halves.length === 2) {
    const left = parseGroups(halves[0]!);
    const right = parseGroups(halves[1]!);
    if (left === undefined || right === undefined || left.length + right.length >= want) return undefined;
    groups = [...left, ...new Array<number>(want - left.length - right.length).fill(0), ...right];
  } else if (halves.length === 1) {
    const all = parseGroups(head);
    if (all === undefined || all.length !== want) return undefined;
    groups = all;
  } else return undefined;
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(g);
  return v4 === undefined ? n : (n << 32n) | v4;
}

/** An IP address as a /32 or /128 network. */
function parseIp(s: string): Cidr | undefined {
  const v4 = parseV4(s);
  if (v4 !== undefined) return { base: V4_MAPPED | v4, prefix: 128, v4: true };
  if (!s.includes(':')) return undefined;
  const v6 = parseV6(s);
  return v6 === undefined ? undefined : { base: v6, prefix: 128, v4: false };
}

/** `addr/len`, host bits cleared, prefix counted in the 128-bit space. */
export function parseCidr(s: string): Cidr | undefined {
  const slash = s.indexOf('/');
  if (slash < 0) return undefined;
  const ip = parseIp(s.slice(0, slash));
  const lenText = s.slice(slash + 1);
  if (ip === undefined || !/^[0-9]{1,3}$/.test(lenText)) return undefined;
  const len = Number(lenText);
  if (len > (ip.v4 ? 32 : 128)) return undefined;
  const prefix = ip.v4 ? len + 96 : len;
  return { base: ip.base & mask(prefix), prefix, v4: ip.v4 };
}

function mask(prefix: number): bigint {
  return prefix === 0 ? 0n : (ALL << BigInt(128 - prefix)) & ALL;
}

function contains(net: Cidr, inner: Cidr): boolean {
  return inner.prefix >= net.prefix && (inner.base & mask(net.prefix)) === net.base;
}

const parsed = new BoundedCache<Cidr | undefined>(1024);

/** A CIDR, or an IP address taken as a single-address network (cached: policies repeat them). */
function parseCidrOrIp(s: string): Cidr | undefined {
  return parsed.get(s, () => (s.includes('/') ? parseCidr(s) : parseIp(s)));
}

const cidrContains: HostBuiltin = (cidr, x) => {
  if (!isString(cidr) || !isString(x)) return undefined;
  const net = cidr.includes('/') ? parseCidrOrIp(cidr) : undefined;
  const inner = parseCidrOrIp(x);
  return net === undefined || inner === undefined ? undefined : contains(net, inner);
};

const cidrIntersects: HostBuiltin = (a, b) => {
  if (!isString(a) || !isString(b)) return undefined;
  const x = a.includes('/') ? parseCidrOrIp(a) : undefined;
  const y = b.includes('/') ? parseCidrOrIp(b) : undefined;
  return x === undefined || y === undefined ? undefined : contains(x, y) || contains(y, x);
};

const cidrIsValid: HostBuiltin = (x) => isString(x) && parseCidr(x) !== undefined;

function formatCidr(c: Cidr): string {
  if (c.v4) {
    const n = c.base & 0xffffffffn;
    const ip = [24n, 16n, 8n, 0n].map((s) => ((n >> s) & 0xffn).toString()).join('.');
    return `${ip}/${c.prefix - 96}`;
  }
  const groups: string[] = [];
  for (let s = 112n; s >= 0n; s -= 16n) groups.push(((c.base >> s) & 0xffffn).toString(16));
  // Compress the longest run (≥ 2) of zero groups, as Go prints IPv6.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const text = best < 0 ? groups.join(':') : `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLen).join(':')}`;
  return `${text}/${c.prefix}`;
}

/** net.cidr_merge: the smallest set of CIDRs covering the given addresses and networks. */
const cidrMerge: HostBuiltin = (addrs) => {
  if (!Array.isArray(addrs)) return undefined;
  const nets: Cidr[] = [];
  for (const a of addrs) {
    if (!isString(a)) return undefined;
    // Like OPA, a bare IPv6 address is rejected here (it needs a prefix length), and a bare IPv4
    // address stands for its classful network (Go's DefaultMask: /8, /16 or /24).
    let c = parseCidrOrIp(a);
    if (c === undefined || (!c.v4 && !a.includes('/'))) return undefined;
    if (!a.includes('/')) {
      const first = Number((c.base >> 24n) & 0xffn);
      const prefix = 96 + (first < 128 ? 8 : first < 192 ? 16 : 24);
      c = { base: c.base & mask(prefix), prefix, v4: true };
    }
    nets.push(c);
  }
  const merged: string[] = [];
  for (const family of [true, false]) {
    let list = nets.filter((n) => n.v4 === family).sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : a.prefix - b.prefix));
    // Drop networks covered by an earlier one, then join sibling halves until nothing changes.
    for (let changed = true; changed; ) {
      changed = false;
      const kept: Cidr[] = [];
      for (const n of list) {
        const last = kept[kept.length - 1];
        if (last !== undefined && contains(last, n)) {
          changed = true;
          continue;
        }
        const minPrefix = family ? 96 : 0;
        if (last !== undefined && last.prefix === n.prefix && last.prefix > minPrefix) {
          const parent = last.prefix - 1;
          if ((last.base & mask(parent)) === (n.base & mask(parent)) && last.base !== n.base) {
            kept[kept.length - 1] = { base: last.base & mask(parent), prefix: parent, v4: family };
            changed = true;
            continue;
          }
        }
        kept.push(n);
      }
      list = kept;
    }
    for (const n of list) merged.push(formatCidr(n));
  }
  return merged;
};

export const netBuiltins: Record<string, HostBuiltin> = {
  'net.cidr_contains': cidrContains,
  'net.cidr_intersects': cidrIntersects,
  'net.cidr_is_valid': cidrIsValid,
  'net.cidr_merge': cidrMerge,
};
