import type { Config } from '@aaf-sync/config';
import { ImportQueue, importJobId } from '@aaf-sync/ingest';
import { createProducer, type ConnectionOptions } from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import type { ImportEnqueuer } from './services.js';

/** Same retry policy as the ingester's sweep (packages/ingester IMPORT_JOB_OPTIONS). */
const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnFail: true,
} as const;

/**
 * The API's side of the import queue. An enqueue waits at most `timeoutMs` (Redis down must not
 * hold a request): the work is already in PostgreSQL, and the ingester's sweep enqueues it.
 */
export function queueEnqueuer(
  config: Config,
  connection: ConnectionOptions,
  log: Logger,
  options: { prefix?: string; timeoutMs?: number } = {},
): ImportEnqueuer & { close(): Promise<void> } {
  const producer = createProducer(ImportQueue, {
    connection,
    prefix: options.prefix ?? config.redis.queuePrefix,
    log,
  });
  const timeoutMs = options.timeoutMs ?? 2000;
  return {
    async enqueue(job) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer from Redis in ${timeoutMs} ms`)),
          timeoutMs,
        );
      });
      try {
        await Promise.race([
          producer.enqueue(job, { jobId: importJobId(job), ...JOB_OPTIONS }),
          timeout,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => producer.close(),
  };
}
