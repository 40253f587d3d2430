import type { z } from 'zod';
import { CalendarDocumentSchema, type CalendarDocument } from './document.schema.js';
import { CalendarErrors } from './errors.js';

export interface DocumentIssue {
  readonly path: string;
  readonly message: string;
}

function issuesOf(error: z.ZodError): DocumentIssue[] {
  return error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(document)',
    message: i.message,
  }));
}

/**
 * Validates a calendar document (format and cross-field checks) and returns it with defaults
 * applied. Throws CALENDAR_ERR_INVALID_DOCUMENT whose `issues` detail lists every problem.
 */
export function parseCalendarDocument(input: unknown): CalendarDocument {
  const result = CalendarDocumentSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = issuesOf(result.error);
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  throw CalendarErrors.INVALID_DOCUMENT({
    summary: `${first.path}: ${first.message}${more}`,
    issues,
  });
}
