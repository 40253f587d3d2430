import { isValidLocalWhen, localToInstant } from '@aaf-sync/calendar';
import { ApiErrors } from '../errors.js';

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A time given to the API for the calendar: `now`, an ISO 8601 instant with its offset, or a
 * local date(-time) of the calendar's time zone. Anything else is API_ERR_VALIDATION.
 */
export function parseCalendarWhen(value: string, field: string, timeZone: string, now: Date): Date {
  if (value === 'now') return now;
  if (ISO_WITH_OFFSET.test(value)) {
    const d = new Date(value);
    if (!Number.isNaN(d.getTime())) return d;
  }
  if (isValidLocalWhen(value)) return localToInstant(value, timeZone);
  const message = 'expected `now`, an ISO 8601 instant with offset, or YYYY-MM-DD[THH:MM]';
  throw ApiErrors.VALIDATION({
    summary: `body.${field}: ${message}`,
    errors: [{ in: 'body', path: field, message }],
  });
}
