/** A school year `YYYY-YYYY` (consecutive years), as in the calendar document. */
export const SCHOOL_YEAR_PATTERN = /^(\d{4})-(\d{4})$/;

export function isSchoolYear(value: string): boolean {
  const m = SCHOOL_YEAR_PATTERN.exec(value);
  return m !== null && Number(m[2]) === Number(m[1]) + 1;
}

/** The school year an instant belongs to: from 1 August (UTC) to 31 July. */
export function schoolYearOf(at: Date): string {
  const y = at.getUTCFullYear();
  const start = at.getUTCMonth() >= 7 ? y : y - 1;
  return `${start}-${start + 1}`;
}

export function nextSchoolYear(year: string): string {
  const start = Number(year.slice(0, 4)) + 1;
  return `${start}-${start + 1}`;
}

export function previousSchoolYear(year: string): string {
  const start = Number(year.slice(0, 4)) - 1;
  return `${start}-${start + 1}`;
}

/**
 * The school year a calendar transition leads into: the prefix of its stable id
 * (`<schoolYear>/<type>/<subject>`, packages/calendar).
 */
export function transitionSchoolYear(id: string): string {
  const year = id.slice(0, id.indexOf('/'));
  if (!isSchoolYear(year)) throw new Error(`transition id without a school year: ${id}`);
  return year;
}
