import { defineQueue } from '@aaf-sync/jobs';
import { z } from 'zod';

/**
 * The scheduler's queue: `tick` (repeatable backstop, and at start) and `due` (a delayed job at
 * the next transition's instant). Both run the due transitions then plan the next wake-up: the
 * jobs carry nothing but the reason; PostgreSQL holds the truth.
 */
export const CalendarQueue = defineQueue({
  name: 'calendar',
  payload: z.object({
    kind: z.enum(['tick', 'due']),
    /** For `due`: the transition it was planned for (information only). */
    transition: z.string().max(300).optional(),
  }),
});

export const TICK_SCHEDULER_ID = 'calendar-tick';

/** Job id of the delayed job for a transition due at `at` (moving the date changes it). */
export function dueJobId(transitionId: string, at: Date): string {
  return `due-${at.getTime()}-${transitionId.replace(/[^A-Za-z0-9._-]/g, '_')}`;
}
