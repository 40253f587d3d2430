/** Dates the generator needs, in UTC, as plain `YYYY-MM-DD` strings. */

export function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function formatDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** `2024-09-07` → `20240907` (file names). */
export function compactDay(day: string): string {
  return day.replaceAll('-', '');
}

/** `YYYY-MM-DD` → AAF `dd/MM/yyyy`. */
export function aafDate(year: number, month: number, day: number): string {
  return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/**
 * The `count` week days after `day` (Saturday and Sunday skipped: Saturday is the Complet's day),
 * i.e. the dates of the Delta deliveries that follow a Complet.
 */
export function followingWeekDays(day: string, count: number): string[] {
  const out: string[] = [];
  const d = parseDay(day);
  while (out.length < count) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) out.push(formatDay(d));
  }
  return out;
}

/** The first calendar year of the school year `day` falls in (school years start in August). */
export function schoolYearOf(day: string): number {
  const d = parseDay(day);
  return d.getUTCMonth() >= 7 ? d.getUTCFullYear() : d.getUTCFullYear() - 1;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month (1-based), leap years included. */
export function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 30;
}
