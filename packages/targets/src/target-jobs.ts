import type { PayloadOf, Producer, QueueDefinition } from '@aaf-sync/jobs';

/**
 * Adds the job of one target under the id `<name>-<targetId>-<tag>` (after `delay` ms): the tag
 * says why (`d<cursor>` dispatched, `s<poll slot>` swept, `at<ms>` a retry, `c<ms>` continued),
 * so the same work enqueued twice is added once.
 */
export type EnqueueTarget = (targetId: number, tag: string, delay?: number) => Promise<string>;

/**
 * The per-target jobs of a queue whose payload names a target (reconcile, deliver): retried 5
 * times with exponential backoff from 5 s.
 */
export function targetJobs<D extends QueueDefinition>(
  producer: Producer<D>,
  name: string,
  payload: (targetId: number) => PayloadOf<D>,
): EnqueueTarget {
  return (targetId, tag, delay = 0) =>
    producer.enqueue(payload(targetId), {
      jobId: `${name}-${targetId}-${tag}`,
      delay,
      attempts: 5,
      backoff: { type: 'exponential', delay: 5_000 },
    });
}

/** A target with work due, and when its earliest row is due. */
export interface DueTarget {
  readonly target_id: number | string;
  readonly at: Date | string;
}

/**
 * The sweep that rebuilds lost jobs from PostgreSQL: a job now for every target with rows due
 * (one per poll slot), a delayed one at the earliest retry for the others. Returns how many
 * targets have work.
 */
export async function enqueueDue(
  enqueue: EnqueueTarget,
  due: readonly DueTarget[],
  now: number,
  pollMs: number,
): Promise<number> {
  for (const { target_id, at } of due) {
    const when = new Date(at).getTime();
    if (when <= now) await enqueue(Number(target_id), `s${Math.floor(now / pollMs)}`);
    else await enqueue(Number(target_id), `at${when}`, when - now);
  }
  return due.length;
}
