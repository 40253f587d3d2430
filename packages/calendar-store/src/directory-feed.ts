import { feedState } from '@aaf-sync/calendar';
import type { Executor } from '@aaf-sync/db';
import { loadCalendar } from './calendar-store.js';

/**
 * True when the stored calendar suspends the directory feed at `at` (its summer window): the
 * engine then plans and reports deliveries without applying them. False without a calendar.
 */
export async function directoryFeedSuspended(db: Executor, at: Date): Promise<boolean> {
  const calendar = await loadCalendar(db);
  if (!calendar) return false;
  return feedState(calendar.document, { kind: 'directory' }, at).state === 'off';
}
