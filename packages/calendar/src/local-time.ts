/**
 * Local dates and times of the académie (the document's `timeZone`) turned into instants and
 * back, with `Intl` only (no time-zone database of our own). A calendar date is `YYYY-MM-DD`; a
 * local date-time is `YYYY-MM-DDTHH:MM`; a date alone means 00:00 local time.
 */
export const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
export const LOCAL_WHEN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?$/;
export const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function fieldsAt(instant: Date, timeZone: string): Fields {
  const out: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return {
    year: out.year!,
    month: out.month!,
    day: out.day!,
    hour: out.hour! % 24,
    minute: out.minute!,
    second: out.second!,
  };
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function offsetAt(instant: Date, timeZone: string): number {
  const f = fieldsAt(instant, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** True when `value` is a real calendar date (`2025-02-30` is not). */
export function isValidLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** True for `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` with a real date and time. */
export function isValidLocalWhen(value: string): boolean {
  const m = LOCAL_WHEN.exec(value);
  if (!m || !isValidLocalDate(value.slice(0, 10))) return false;
  return m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60);
}

/**
 * The instant of a local date-time in `timeZone`. A time that does not exist (spring-forward
 * gap) lands just after the gap; an ambiguous one (autumn) takes the first occurrence.
 */
export function localToInstant(when: string, timeZone: string): Date {
  const m = LOCAL_WHEN.exec(when);
  if (!m) throw new Error(`not a local date or date-time: ${when}`);
  const naive = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4] ?? 0),
    Number(m[5] ?? 0),
  );
  const before = naive - offsetAt(new Date(naive - 43_200_000), timeZone);
  const after = naive - offsetAt(new Date(naive + 43_200_000), timeZone);
  const exact = [before, after].filter((c) => c + offsetAt(new Date(c), timeZone) === naive);
  return new Date(exact.length ? Math.min(...exact) : before);
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in `timeZone`. */
export function localDateOf(instant: Date, timeZone: string): string {
  const f = fieldsAt(instant, timeZone);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}`;
}

/** The local date-time (`YYYY-MM-DDTHH:MM`) of an instant in `timeZone`. */
export function localWhenOf(instant: Date, timeZone: string): string {
  const f = fieldsAt(instant, timeZone);
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** `date` plus `days` calendar days (local dates have no time zone). */
export function addDays(date: string, days: number): string {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new Error(`not a local date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return d.toISOString().slice(0, 10);
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** The weekday of a local date. */
export function weekdayOf(date: string): Weekday {
  const m = LOCAL_DATE.exec(date);
  if (!m) throw new Error(`not a local date: ${date}`);
  return WEEKDAYS[new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).getUTCDay()]!;
}
