import { readFileSync } from 'node:fs';
import { parseCalendarDocument, type CalendarDocument } from '../src/index.js';

/** A raw document that tests break on purpose (any path may be reached and overwritten). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type RawDocument = Record<string, any>;

/** The shipped example, raw (to break in tests) and parsed. */
export function exampleJson(): RawDocument {
  return JSON.parse(
    readFileSync(new URL('../examples/2025-2026.json', import.meta.url), 'utf8'),
  ) as RawDocument;
}

export function example(): CalendarDocument {
  return parseCalendarDocument(exampleJson());
}

/** An instant from a Paris local date-time (the example's time zone). */
export function paris(when: string): Date {
  const summer = when >= '2025-03-30' && when < '2025-10-26T03:00';
  const summer26 = when >= '2026-03-29T02:00' && when < '2026-10-25T03:00';
  const offset = summer || summer26 ? '+02:00' : '+01:00';
  return new Date(`${when.length === 10 ? `${when}T00:00` : when}:00${offset}`);
}
