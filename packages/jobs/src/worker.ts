import { isAppError } from '@aaf-sync/errors';
import type { Logger } from '@aaf-sync/logger';
import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { parsePayload, type PayloadOf, type QueueDefinition } from './define-queue.js';

export interface WorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly log: Logger;
  /** Jobs run at once in this process (default 1). */
  readonly concurrency?: number;
}

/**
 * `signal` is aborted when the job is cancelled, e.g. by a shutdown that timed out
 * (`closeAll`): a long handler may give up early.
 */
export type JobHandler<D extends QueueDefinition> = (
  payload: PayloadOf<D>,
  job: Job,
  log: Logger,
  signal?: AbortSignal,
) => Promise<unknown>;

/**
 * Runs `handler` for each job of the queue, with the payload validated again and a child logger
 * per job. A non-retryable `AppError` (and an invalid payload) becomes BullMQ's
 * `UnrecoverableError`: the job fails at once instead of being retried. Connection errors and
 * failed jobs are logged.
 */
export function startWorker<D extends QueueDefinition>(
  def: D,
  handler: JobHandler<D>,
  o: WorkerOptions,
): Worker {
  const worker = new Worker(
    def.name,
    async (job: Job, _token?: string, signal?: AbortSignal) => {
      const log = o.log.child({ queue: def.name, jobId: job.id });
      try {
        return await handler(parsePayload(def, job.data), job, log, signal);
      } catch (err) {
        if (isAppError(err) && !err.retryable) {
          const unrecoverable = new UnrecoverableError(`${err.code}: ${err.message}`);
          (unrecoverable as { cause?: unknown }).cause = err;
          throw unrecoverable;
        }
        throw err;
      }
    },
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency ?? 1 },
  );
  worker.on('error', (err) => o.log.warn({ err, queue: def.name }, 'worker connection error'));
  worker.on('failed', (job, err) =>
    o.log.error(
      { err, queue: def.name, jobId: job?.id, attempts: job?.attemptsMade },
      'job failed',
    ),
  );
  return worker;
}
