// PostgreSQL's ISO text output (DateStyle=ISO, TimeZone=UTC, IntervalStyle=iso_8601) to the
// numbers and strings Debezium's temporal types carry. Pure functions: no Date objects, which
// would drop microseconds and cannot hold PostgreSQL's range.

const MICROS_PER_DAY = 86_400_000_000n;

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The date of a day count since 1970-01-01 (Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const DATE = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/;
const TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/;
const TIMESTAMP =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-]\d\d(?::\d\d(?::\d\d)?)?)?( BC)?$/;
const TIMETZ = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-]\d\d(?::\d\d(?::\d\d)?)?)$/;

const year = (digits: string, bc: string | undefined) => (bc ? 1 - Number(digits) : Number(digits));
const fraction = (digits: string | undefined) => BigInt((digits ?? '').padEnd(6, '0'));

function offsetSeconds(text: string | undefined): number {
  if (!text) return 0;
  const [h, m = '0', s = '0'] = text.slice(1).split(':');
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s);
  return text[0] === '-' ? -seconds : seconds;
}

/** `2025-02-11` → days since the epoch (io.debezium.time.Date); null for ±infinity. */
export function dateToEpochDays(text: string): number | null {
  const m = DATE.exec(text);
  if (!m) return null;
  return daysFromCivil(year(m[1], m[4]), Number(m[2]), Number(m[3]));
}

/** `13:21:54.181982` → microseconds past midnight (io.debezium.time.MicroTime). */
export function timeToMicros(text: string): bigint | null {
  const m = TIME.exec(text);
  if (!m) return null;
  return (BigInt(m[1]) * 3600n + BigInt(m[2]) * 60n + BigInt(m[3])) * 1_000_000n + fraction(m[4]);
}

/** A timestamp's text (with or without an offset) → microseconds since the epoch, in UTC. */
export function timestampToEpochMicros(text: string): bigint | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const days = BigInt(daysFromCivil(year(m[1], m[9]), Number(m[2]), Number(m[3])));
  const seconds = BigInt(
    Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]) - offsetSeconds(m[8]),
  );
  return days * MICROS_PER_DAY + seconds * 1_000_000n + fraction(m[7]);
}

const pad = (n: number | bigint, width: number) => String(n).padStart(width, '0');

function isoYear(y: number): string {
  // java.time's ISO format: four digits, a sign beyond them.
  if (y >= 0 && y <= 9999) return pad(y, 4);
  return `${y < 0 ? '-' : '+'}${pad(Math.abs(y), 4)}`;
}

function isoFraction(micros: bigint, width: number): string {
  return width > 0 ? `.${pad(micros, 6).slice(0, width)}` : '';
}

/**
 * Epoch microseconds → `2025-02-11T13:21:54.181982Z` (io.debezium.time.ZonedTimestamp), with
 * exactly `width` fractional digits: the column's precision, as Debezium formats it.
 */
export function formatZonedTimestamp(epochMicros: bigint, width = 6): string {
  let days = epochMicros / MICROS_PER_DAY;
  let rest = epochMicros % MICROS_PER_DAY;
  if (rest < 0n) {
    rest += MICROS_PER_DAY;
    days -= 1n;
  }
  const [y, mo, d] = civilFromDays(Number(days));
  const seconds = rest / 1_000_000n;
  const micros = rest % 1_000_000n;
  const h = seconds / 3600n;
  const mi = (seconds % 3600n) / 60n;
  const s = seconds % 60n;
  return `${isoYear(y)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${isoFraction(micros, width)}Z`;
}

/** `13:21:54.18+02` → `11:21:54.18Z` (io.debezium.time.ZonedTime: the time in UTC). */
export function formatZonedTime(text: string): string | null {
  const m = TIMETZ.exec(text);
  if (!m) return null;
  const day = 86_400;
  const total =
    (((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) - offsetSeconds(m[5])) % day) + day) %
    day;
  // PostgreSQL already drops trailing zeros, as java.time's ISO_OFFSET_TIME does.
  const frac = m[4] ? `.${m[4]}` : '';
  return `${pad(Math.floor(total / 3600), 2)}:${pad(Math.floor((total % 3600) / 60), 2)}:${pad(total % 60, 2)}${frac}Z`;
}

const INTERVAL =
  /^P(?:(-?\d+)Y)?(?:(-?\d+)M)?(?:(-?\d+)D)?(?:T(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?)?$/;

/**
 * An ISO 8601 interval (`P1Y2M3DT4H5M6.5S`) → approximate microseconds
 * (io.debezium.time.MicroDuration: a month is 365.25 / 12 days, as Debezium counts it).
 */
export function intervalToMicros(text: string): bigint | null {
  const m = INTERVAL.exec(text);
  if (!m) return null;
  const [years, months, days, hours, minutes] = m.slice(1, 6).map((v) => Number(v ?? 0));
  const seconds = Number(m[6] ?? 0);
  const monthMicros = (365.25 / 12) * 24 * 3600 * 1e6;
  const total =
    (years * 12 + months) * monthMicros +
    days * 86_400e6 +
    hours * 3_600e6 +
    minutes * 60e6 +
    Math.round(seconds * 1e6);
  return BigInt(Math.round(total));
}
