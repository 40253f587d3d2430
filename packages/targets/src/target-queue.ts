import { defineQueue } from '@aaf-sync/jobs';
import { z } from 'zod';

/** The targets process' one queue: reconcile a target's due rows, or purge the event log. */
export const TargetsQueue = defineQueue({
  name: 'targets',
  payload: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('reconcile'), targetId: z.number().int().positive() }),
    z.object({ kind: z.literal('purge-events') }),
  ]),
});
