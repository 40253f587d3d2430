import type { JobsOptions } from 'bullmq';
import { parsePayload, type PayloadOf, type QueueDefinition } from './define-queue.js';
import type { Producer } from './producer.js';

/**
 * Adds (or updates) a repeatable job: `data` is enqueued every `everyMs`. The scheduler id is
 * stable, so calling this at every process start keeps one schedule.
 *
 * @example
 * await schedule(producer, 'archive-purge', 86_400_000, { kind: 'purge' });
 */
export async function schedule<D extends QueueDefinition>(
  producer: Producer<D>,
  schedulerId: string,
  everyMs: number,
  data: PayloadOf<D>,
  options: Omit<JobsOptions, 'repeat' | 'jobId'> = {},
): Promise<void> {
  const payload = parsePayload(producer.def, data);
  await producer.queue.upsertJobScheduler(
    schedulerId,
    { every: everyMs },
    { name: schedulerId, data: payload, opts: options },
  );
}
