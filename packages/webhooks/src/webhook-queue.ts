import { defineQueue } from '@aaf-sync/jobs';
import { z } from 'zod';

/** The webhooks queue: deliver a subscription's due rows. Jobs carry only the target id. */
export const WebhooksQueue = defineQueue({
  name: 'webhooks',
  payload: z.object({ kind: z.literal('deliver'), targetId: z.number().int().positive() }),
});
