// time.* builtins. Timestamps are int64 nanoseconds since the Unix epoch (Go's time range for
// them), computed with BigInt so that results stay exact; time zones come from Intl (IANA names).
import { exactNumber, isInteger, isNumber, isString, type HostBuiltin } from './values.ts';

const MIN_NS = -(1n << 63n);
const MAX_NS = (1n << 63n) - 1n;
const NS_PER_MS = 1_000_000n;

let nowCache: bigint | undefined;

/**
 * One clock reading per evaluation, as OPA guarantees: evaluation is synchronous, so the reading
 * is kept until the current task yields.
 */
function nowNs(): bigint {
  if (nowCache === undefined) {
    const ms = performance.timeOrigin + performance.now();
    nowCache = BigInt(Math.floor(ms * 1000)) * 1000n;
    queueMicrotask(() => {
      nowCache = undefined;
    });
  }
  return nowCache;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Days since 1970-01-01 of a proleptic Gregorian date (valid for any year). */
function daysFromCivil(y: number, m: number, d: number): bigint {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return BigInt(era) * 146097n + BigInt(doe) - 719468n;
}

function daysInMonth(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

export function parseRfc3339Ns(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, se] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > daysInMonth(y!, mo!) || h! > 23 || mi! > 59 || se! > 59) return undefined;
  let offset = 0n;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return undefined;
    offset = BigInt((oh * 60 + om) * 60) * (m[9] === '-' ? -1n : 1n);
  }
  const secs = daysFromCivil(y!, mo!, d!) * 86400n + BigInt(h! * 3600 + mi! * 60 + se!) - offset;
  const frac = BigInt((m[7] ?? '').padEnd(9, '0') || '0');
  const ns = secs * 1_000_000_000n + frac;
  return ns < MIN_NS || ns > MAX_NS ? undefined : ns;
}

/** A time argument: ns, or [ns, tz]. undefined when malformed or outside the int64 range. */
function timeArg(x: unknown): { ns: bigint; tz: string } | undefined {
  let ns: unknown = x;
  let tz: unknown = 'UTC';
  if (Array.isArray(x)) {
    if (x.length !== 2) return undefined;
    [ns, tz] = x;
  }
  if (!isNumber(ns) || !isString(tz) || Math.abs(ns) > 9.3e18) return undefined;
  // JSON gave us a double; its shortest decimal form recovers literals like 1585852421593912000
  // that the double itself (…064) does not hold exactly.
  const n = BigInt(String(Math.trunc(ns)));
  if (n < MIN_NS || n > MAX_NS) return undefined;
  return { ns: n, tz: tz === '' ? 'UTC' : tz };
}

export interface Civil { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC in minutes at instant `ms`; undefined for an unknown zone. */
export function zoneOffsetMinutes(ms: number, tz: string): number | undefined {
  if (tz === 'UTC') return 0;
  let fmt = formatters.get(tz);
  if (fmt === undefined) {
    try {
      fmt = new Intl.DateTimeFormat('en-US', {
        timeZone: tz === 'Local' ? undefined : tz, hourCycle: 'h23',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(tz, fmt);
  }
  // The zone's wall clock at that instant, read back as if it were UTC, gives the offset.
  const safeMs = Math.min(Math.max(ms, -8.64e15), 8.64e15);
  const parts: Record<string, number> = {};
  for (const p of fmt.formatToParts(new Date(safeMs))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return Math.round((wall - Math.floor(safeMs / 1000) * 1000) / 60000);
}

/** Calendar fields of instant `ns` in zone `tz`. */
export function civilTime(ns: bigint, tz: string): Civil | undefined {
  const ms = Number(ns / NS_PER_MS - (ns % NS_PER_MS < 0n ? 1n : 0n));
  const off = zoneOffsetMinutes(ms, tz);
  if (off === undefined) return undefined;
  const secs = ns / 1_000_000_000n - (ns % 1_000_000_000n < 0n ? 1n : 0n) + BigInt(off * 60);
  const days = secs / 86400n - (secs % 86400n < 0n ? 1n : 0n);
  const sod = Number(secs - days * 86400n);
  // Civil date from days since the epoch (proleptic Gregorian).
  const z = Number(days) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const weekday = (((Number(days) + 4) % 7) + 7) % 7;
  return { year, month, day, hour: Math.floor(sod / 3600), minute: Math.floor((sod % 3600) / 60), second: sod % 60, weekday };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const date: HostBuiltin = (x) => {
  const t = timeArg(x);
  const c = t && civilTime(t.ns, t.tz);
  return c ? [c.year, c.month, c.day] : undefined;
};

const clock: HostBuiltin = (x) => {
  const t = timeArg(x);
  const c = t && civilTime(t.ns, t.tz);
  return c ? [c.hour, c.minute, c.second] : undefined;
};

const weekday: HostBuiltin = (x) => {
  const t = timeArg(x);
  const c = t && civilTime(t.ns, t.tz);
  return c ? WEEKDAYS[c.weekday] : undefined;
};

/** Go's AddDate in UTC: month and day overflow normalize (Jan 31 + 1 month = Mar 3). */
const addDate: HostBuiltin = (ns, years, months, days) => {
  if (!isInteger(years) || !isInteger(months) || !isInteger(days)) return undefined;
  const t = timeArg(ns);
  const c = t && civilTime(t.ns, 'UTC');
  if (!t || !c) return undefined;
  let y = c.year + years;
  let m = c.month + months;
  y += Math.floor((m - 1) / 12);
  m = ((((m - 1) % 12) + 12) % 12) + 1;
  const dayShift = daysFromCivil(y, m, 1) + BigInt(c.day - 1 + days);
  const sod = BigInt(c.hour * 3600 + c.minute * 60 + c.second);
  const frac = ((t.ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n;
  const out = (dayShift * 86400n + sod) * 1_000_000_000n + frac;
  return out < MIN_NS || out > MAX_NS ? undefined : exactNumber(out.toString());
};

const DURATION_UNITS: Record<string, bigint> = {
  ns: 1n, us: 1000n, 'µs': 1000n, 'μs': 1000n, ms: 1_000_000n, s: 1_000_000_000n,
  m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** Go's time.ParseDuration: `[-+]?(<decimal><unit>)+`, or a bare `0`. */
export function parseDurationNs(s: string): bigint | undefined {
  let rest = s;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1n : 1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  const part = /^([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)/;
  while (rest !== '') {
    const m = part.exec(rest);
    if (m === null || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
    const unit = DURATION_UNITS[m[3]!]!;
    const frac = m[2] ?? '';
    const scale = 10n ** BigInt(frac.length);
    total += BigInt(m[1] || '0') * unit + (BigInt(frac || '0') * unit) / scale;
    rest = rest.slice(m[0].length);
  }
  total *= sign;
  return total < MIN_NS || total > MAX_NS ? undefined : total;
}

const nsResult = (n: bigint | undefined): unknown => (n === undefined ? undefined : exactNumber(n.toString()));

export const timeBuiltins: Record<string, HostBuiltin> = {
  'time.now_ns': () => exactNumber(nowNs().toString()),
  'time.parse_rfc3339_ns': (s) => (isString(s) ? nsResult(parseRfc3339Ns(s)) : undefined),
  'time.parse_duration_ns': (s) => (isString(s) ? nsResult(parseDurationNs(s)) : undefined),
  'time.date': date,
  'time.clock': clock,
  'time.weekday': weekday,
  'time.add_date': addDate,
};
