import { defineQueue } from '@aaf-sync/jobs';
import { z } from 'zod';

/**
 * The targets process' one queue: reconcile a target's due rows, purge the event log, or run a
 * periodic task of the process (by name, e.g. the KoXo read-back).
 */
export const TargetsQueue = defineQueue({
  name: 'targets',
  payload: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('reconcile'), targetId: z.number().int().positive() }),
    z.object({ kind: z.literal('purge-events') }),
    z.object({ kind: z.literal('periodic'), name: z.string().regex(/^[a-z0-9-]{1,64}$/) }),
  ]),
});
