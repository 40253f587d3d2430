import type { Logger } from '@aaf-sync/logger';
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import { parsePayload, type PayloadOf, type QueueDefinition } from './define-queue.js';

export interface ProducerOptions {
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix (config QUEUE_PREFIX; tests give their `testRedis(t).prefix`). */
  readonly prefix: string;
  readonly log: Logger;
}

/** Sensible defaults: completed jobs removed, the last 100 failures kept for inspection. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = Object.freeze({
  removeOnComplete: true,
  removeOnFail: 100,
});

export interface Producer<D extends QueueDefinition> {
  readonly def: D;
  readonly queue: Queue;
  /**
   * Validates and adds a job. Give a `jobId` derived from PostgreSQL state so that enqueueing
   * the same work twice (e.g. when rebuilding lost jobs) adds it once.
   */
  enqueue(data: PayloadOf<D>, options?: JobsOptions & { name?: string }): Promise<string>;
  /** True when a job with this id is waiting, delayed, active (or kept as failed) in Redis. */
  has(jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The producing side of a queue. */
export function createProducer<D extends QueueDefinition>(def: D, o: ProducerOptions): Producer<D> {
  const queue = new Queue(def.name, {
    connection: o.connection,
    prefix: o.prefix,
    defaultJobOptions: DEFAULT_JOB_OPTIONS,
  });
  queue.on('error', (err) => o.log.warn({ err, queue: def.name }, 'queue connection error'));
  return {
    def,
    queue,
    async enqueue(data, options = {}) {
      const payload = parsePayload(def, data);
      const { name, ...jobOptions } = options;
      const job = await queue.add(name ?? def.name, payload, jobOptions);
      return job.id ?? '';
    },
    async has(jobId) {
      const state = await queue.getJobState(jobId);
      return state !== 'unknown' && state !== 'completed';
    },
    close: () => queue.close(),
  };
}
