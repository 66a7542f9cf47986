// uuid.rfc4122(k): a random version 4 UUID, the same for the same key within one evaluation
// (OPA caches it per query); evaluation is synchronous, so the cache lives until the task yields.
import { randomUUID } from 'node:crypto';
import { isString, type HostBuiltin } from './values.ts';

let cache: Map<string, string> | undefined;

const rfc4122: HostBuiltin = (k) => {
  if (!isString(k)) return undefined;
  if (cache === undefined) {
    cache = new Map();
    queueMicrotask(() => {
      cache = undefined;
    });
  }
  let id = cache.get(k);
  if (id === undefined) {
    id = randomUUID();
    cache.set(k, id);
  }
  return id;
};

const UUID_FORMS = [
  /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
  /^urn:uuid:([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i,
  /^\{([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}$/i,
  /^([0-9a-f]{8})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{4})([0-9a-f]{12})$/i,
];

/** 100 ns intervals between 1582-10-15 (the UUID epoch) and 1970-01-01. */
const GREGORIAN_OFFSET = 122192928000000000n;

function variantName(b: number): string {
  if ((b & 0x80) === 0) return 'Reserved, NCS backward compatibility';
  if ((b & 0xc0) === 0x80) return 'RFC4122';
  if ((b & 0xe0) === 0xc0) return 'Reserved, Microsoft Corporation backward compatibility';
  return 'Reserved, future definition';
}

/** uuid.parse: version and variant, plus time, clock sequence and node of time-based UUIDs. */
const parseUuid: HostBuiltin = (s) => {
  if (!isString(s)) return undefined;
  const m = UUID_FORMS.map((re) => re.exec(s)).find((x) => x !== null);
  if (m === undefined || m === null) return undefined;
  const bytes = Buffer.from(m.slice(1, 6).join(''), 'hex');
  const version = bytes[6]! >> 4;
  const out: Record<string, unknown> = { version, variant: variantName(bytes[8]!) };
  let time: string | undefined;
  if (version === 1 || version === 2) {
    const t = (BigInt(bytes.readUInt16BE(6) & 0xfff) << 48n) | (BigInt(bytes.readUInt16BE(4)) << 32n) | BigInt(bytes.readUInt32BE(0));
    const since = t - GREGORIAN_OFFSET;
    const ns = (since / 10_000_000n) * 1_000_000_000n + (since % 10_000_000n) * 100n;
    time = ns.toString();
    out.clocksequence = bytes.readUInt16BE(8) & 0x3fff;
    const node = [...bytes.subarray(10, 16)].map((b) => b.toString(16).padStart(2, '0'));
    out.nodeid = node.join('-');
    out.macvariables = `${(bytes[10]! & 2) !== 0 ? 'local' : 'global'}:${(bytes[10]! & 1) !== 0 ? 'multicast' : 'unicast'}`;
    if (version === 2) {
      const domain = bytes[9]!;
      out.domain = ['Person', 'Group', 'Org'][domain] ?? `Domain${domain}`;
      out.id = bytes.readUInt32BE(0);
    }
  }
  if (time === undefined) return out;
  // The timestamp needs all its digits: the result goes back as raw JSON text.
  const text = JSON.stringify(out);
  return new TextEncoder().encode(`${text.slice(0, -1)},"time":${time}}`).buffer as ArrayBuffer;
};

export const uuidBuiltins: Record<string, HostBuiltin> = { 'uuid.rfc4122': rfc4122, 'uuid.parse': parseUuid };
