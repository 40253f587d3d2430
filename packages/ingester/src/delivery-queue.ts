import { defineQueue } from '@aaf-sync/jobs';
import { z } from 'zod';

/** One job per inbox delivery (job id `delivery-<fingerprint>`), and the daily archive purge. */
export const DeliveryQueue = defineQueue({
  name: 'aaf-deliveries',
  payload: z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('delivery'),
      entry: z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        paths: z.array(z.string().min(1)).min(1).readonly(),
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        kind: z.enum(['complete', 'delta']),
      }),
    }),
    z.object({ kind: z.literal('purge') }),
  ]),
});

export const DELIVERY_QUEUE = DeliveryQueue.name;
