// time.format(x): x is ns, [ns, tz] or [ns, tz, layout], formatted with Go's reference-time
// layouts ("2006-01-02T15:04:05Z07:00") or the name of one of Go's layout constants.
import { civilTime, zoneOffsetMinutes } from './time.ts';
import { isNumber, isString, type HostBuiltin } from './values.ts';

const LAYOUTS: Record<string, string> = {
  ANSIC: 'Mon Jan _2 15:04:05 2006',
  UnixDate: 'Mon Jan _2 15:04:05 MST 2006',
  RubyDate: 'Mon Jan 02 15:04:05 -0700 2006',
  RFC822: '02 Jan 06 15:04 MST',
  RFC822Z: '02 Jan 06 15:04 -0700',
  RFC850: 'Monday, 02-Jan-06 15:04:05 MST',
  RFC1123: 'Mon, 02 Jan 2006 15:04:05 MST',
  RFC1123Z: 'Mon, 02 Jan 2006 15:04:05 -0700',
  RFC3339: '2006-01-02T15:04:05Z07:00',
  RFC3339Nano: '2006-01-02T15:04:05.999999999Z07:00',
  Kitchen: '3:04PM',
  Stamp: 'Jan _2 15:04:05',
  StampMilli: 'Jan _2 15:04:05.000',
  StampMicro: 'Jan _2 15:04:05.000000',
  StampNano: 'Jan _2 15:04:05.000000000',
  DateTime: '2006-01-02 15:04:05',
  DateOnly: '2006-01-02',
  TimeOnly: '15:04:05',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

// Layout tokens, longest first where one is a prefix of another (Go's nextStdChunk order).
const TOKENS = [
  'January', 'Jan', 'Monday', 'Mon', 'MST', '2006', '002', '01', '02', '03', '04', '05', '06', '__2', '_2',
  '15', '1', '2', '3', '4', '5', 'PM', 'pm',
  '-07:00:00', '-070000', '-07:00', '-0700', '-07', 'Z07:00:00', 'Z070000', 'Z07:00', 'Z0700', 'Z07',
];

const pad = (n: number, w: number, c = '0'): string => String(n).padStart(w, c);

function zoneAbbrev(ms: number, tz: string, offMin: number): string {
  if (tz === 'UTC' || (tz === 'Local' && offMin === 0 && Intl.DateTimeFormat().resolvedOptions().timeZone === 'UTC')) return 'UTC';
  try {
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz === 'Local' ? undefined : tz, timeZoneName: 'short' }).formatToParts(new Date(ms));
    const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
    if (/^[A-Z]{3,5}$/.test(name)) return name;
  } catch {
    // fall through to the numeric form Go uses for zones without an abbreviation
  }
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  return a % 60 === 0 ? `${sign}${pad(a / 60, 2)}` : `${sign}${pad(Math.floor(a / 60), 2)}${pad(a % 60, 2)}`;
}

function offsetText(token: string, offMin: number): string {
  if (token.startsWith('Z') && offMin === 0) return 'Z';
  const sign = offMin < 0 ? '-' : '+';
  const a = Math.abs(offMin);
  const hh = pad(Math.floor(a / 60), 2);
  const mm = pad(a % 60, 2);
  const body = token.replace(/^Z/, '-');
  if (body === '-07') return `${sign}${hh}`;
  if (body === '-0700') return `${sign}${hh}${mm}`;
  if (body === '-07:00') return `${sign}${hh}:${mm}`;
  if (body === '-070000') return `${sign}${hh}${mm}00`;
  return `${sign}${hh}:${mm}:00`;
}

export function formatGo(ns: bigint, tz: string, layout: string): string | undefined {
  const c = civilTime(ns, tz);
  const ms = Number(ns / 1_000_000n);
  const off = zoneOffsetMinutes(ms, tz);
  if (c === undefined || off === undefined) return undefined;
  const frac = Number(((ns % 1_000_000_000n) + 1_000_000_000n) % 1_000_000_000n);
  const doy = Math.round((Date.UTC(c.year, c.month - 1, c.day) - Date.UTC(c.year, 0, 1)) / 86400000) + 1;
  const hour12 = c.hour % 12 === 0 ? 12 : c.hour % 12;
  let out = '';
  let i = 0;
  while (i < layout.length) {
    // Fractional seconds: .000 / .999 (also with a comma), when not followed by a digit.
    const fm = /^[.,](0+|9+)(?![0-9])/.exec(layout.slice(i));
    if (fm !== null && /[0-9]/.test(layout[i - 1] ?? '')) {
      const digits = fm[1]!.length;
      let text = String(frac).padStart(9, '0').slice(0, Math.min(digits, 9));
      if (fm[1]![0] === '9') text = text.replace(/0+$/, '');
      if (text !== '') out += fm[0]![0] + text;
      i += fm[0]!.length;
      continue;
    }
    const token = TOKENS.find((t) => layout.startsWith(t, i) && !(t === 'Jan' && layout.startsWith('January', i)));
    if (token === undefined) {
      out += layout[i];
      i++;
      continue;
    }
    switch (token) {
      case 'January': out += MONTHS[c.month - 1]; break;
      case 'Jan': out += MONTHS[c.month - 1]!.slice(0, 3); break;
      case 'Monday': out += DAYS[c.weekday]; break;
      case 'Mon': out += DAYS[c.weekday]!.slice(0, 3); break;
      case 'MST': out += zoneAbbrev(ms, tz, off); break;
      case '2006': out += pad(c.year, 4); break;
      case '06': out += pad(c.year % 100, 2); break;
      case '002': out += pad(doy, 3); break;
      case '__2': out += pad(doy, 3, ' '); break;
      case '01': out += pad(c.month, 2); break;
      case '1': out += String(c.month); break;
      case '02': out += pad(c.day, 2); break;
      case '_2': out += pad(c.day, 2, ' '); break;
      case '2': out += String(c.day); break;
      case '15': out += pad(c.hour, 2); break;
      case '03': out += pad(hour12, 2); break;
      case '3': out += String(hour12); break;
      case '04': out += pad(c.minute, 2); break;
      case '4': out += String(c.minute); break;
      case '05': out += pad(c.second, 2); break;
      case '5': out += String(c.second); break;
      case 'PM': out += c.hour >= 12 ? 'PM' : 'AM'; break;
      case 'pm': out += c.hour >= 12 ? 'pm' : 'am'; break;
      default: out += offsetText(token, off);
    }
    i += token.length;
  }
  return out;
}

const format: HostBuiltin = (x) => {
  let ns: unknown = x;
  let tz: unknown = 'UTC';
  let layout: unknown = LAYOUTS.RFC3339Nano;
  if (Array.isArray(x)) {
    if (x.length < 1 || x.length > 3) return undefined;
    [ns, tz = 'UTC', layout = LAYOUTS.RFC3339Nano] = x as unknown[];
  }
  if (!isNumber(ns) || !isString(tz) || !isString(layout) || Math.abs(ns) > 9.3e18) return undefined;
  const n = BigInt(String(Math.trunc(ns)));
  if (n < -(1n << 63n) || n >= 1n << 63n) return undefined;
  return formatGo(n, tz === '' ? 'UTC' : tz, LAYOUTS[layout] ?? layout);
};

export const timeFormatBuiltins: Record<string, HostBuiltin> = { 'time.format': format };
