// units.parse (SI and binary suffixes, `m` is milli) and units.parse_bytes (byte suffixes,
// truncated to an integer). Amounts are exact decimals, so results like 10Ei stay exact.
import { decimalText, exactNumber, isString, type HostBuiltin } from './values.ts';

const AMOUNT = /^(-?[0-9]*(?:\.[0-9]*)?)(?:[eE]([-+]?[0-9]+))?(.*)$/;
const MAX_EXPONENT = 1000;

interface Decimal { m: bigint; e: number }

/** Splits `<amount><unit>`; undefined for spaces, a missing amount, or a malformed number. */
function splitAmount(raw: string): { amount: Decimal; unit: string } | undefined {
  const s = raw.replace(/"/g, '');
  if (/\s/.test(s)) return undefined;
  const parts = AMOUNT.exec(s);
  if (parts === null) return undefined;
  const [, num = '', exp, unit = ''] = parts;
  const neg = num.startsWith('-');
  const digits = neg ? num.slice(1) : num;
  if (digits === '' || digits === '.') return undefined;
  const [int = '', frac = ''] = digits.split('.');
  const e = (exp === undefined ? 0 : Number(exp)) - frac.length;
  if (!Number.isSafeInteger(e) || Math.abs(e) > MAX_EXPONENT) return undefined;
  const m = BigInt((int + frac) || '0');
  return { amount: { m: neg ? -m : m, e }, unit };
}

const pow2 = (n: number): bigint => 1n << BigInt(n);
const pow10 = (n: number): bigint => 10n ** BigInt(n);

const SI: Record<string, bigint> = {
  '': 1n, k: pow10(3), ki: pow2(10), m: pow10(6), mi: pow2(20), g: pow10(9), gi: pow2(30),
  t: pow10(12), ti: pow2(40), p: pow10(15), pi: pow2(50), e: pow10(18), ei: pow2(60),
};

const parse: HostBuiltin = (x) => {
  if (!isString(x)) return undefined;
  const split = splitAmount(x);
  if (split === undefined) return undefined;
  const { amount, unit } = split;
  if (unit === 'm') return exactNumber(decimalText(amount.m, amount.e - 3));
  const mult = SI[unit.toLowerCase()];
  if (mult === undefined) return undefined;
  return exactNumber(decimalText(amount.m * mult, amount.e));
};

const parseBytes: HostBuiltin = (x) => {
  if (!isString(x)) return undefined;
  const split = splitAmount(x);
  if (split === undefined) return undefined;
  let unit = split.unit.toLowerCase();
  if (unit.endsWith('b')) unit = unit.slice(0, -1);
  const mult = SI[unit];
  if (mult === undefined) return undefined;
  const { m, e } = split.amount;
  const scaled = m * mult;
  const whole = e >= 0 ? scaled * pow10(e) : scaled / pow10(-e);
  return exactNumber(whole.toString());
};

export const unitsBuiltins: Record<string, HostBuiltin> = {
  'units.parse': parse,
  'units.parse_bytes': parseBytes,
};
