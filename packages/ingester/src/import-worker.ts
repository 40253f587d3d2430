import type { Config } from '@aaf-sync/config';
import {
  ImportQueue,
  importJobId,
  pendingImportJobs,
  recoverInterrupted,
  runImportJob,
  sweepOrphanUploads,
  type ImportJob,
  type IngestDeps,
} from '@aaf-sync/ingest';
import {
  closeAll,
  createProducer,
  startWorker,
  type ConnectionOptions,
  type Worker,
} from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';

/** Retries of a failed import job; after them the job is dropped and the sweep enqueues it again. */
export const IMPORT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 5000 },
  removeOnFail: true,
} as const;

export interface ImportWorkerOptions {
  readonly config: Config;
  readonly deps: IngestDeps;
  readonly log: Logger;
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix (tests give their own). */
  readonly prefix?: string;
  /** How often queued work is compared with the queue (default AAF_INBOX_POLL_SECONDS). */
  readonly sweepMs?: number;
  /** Progress written at most this often (default 1 s). */
  readonly progressIntervalMs?: number;
}

export interface ImportWorker {
  /** Enqueues the work PostgreSQL says is pending and Redis does not hold; returns the job ids added. */
  sweep(): Promise<string[]>;
  start(): Promise<void>;
  /** Bounded by JOBS_SHUTDOWN_TIMEOUT_SECONDS (then forced); true when it closed in time. */
  close(): Promise<boolean>;
}

/**
 * The ingester's worker for uploads and held-plan decisions (queue `aaf-imports`, concurrency
 * 1). At start it marks failed the runs a dead process left half-done, then enqueues again the
 * queued runs and decisions whose job Redis lost (flush, restart), and repeats that sweep
 * periodically.
 */
export function createImportWorker(o: ImportWorkerOptions): ImportWorker {
  const prefix = o.prefix ?? o.config.redis.queuePrefix;
  const producer = createProducer(ImportQueue, { connection: o.connection, prefix, log: o.log });
  let worker: Worker | undefined;
  let timer: NodeJS.Timeout | undefined;
  let sweeping = false;

  async function sweep(): Promise<string[]> {
    if (sweeping) return [];
    sweeping = true;
    try {
      const added: string[] = [];
      for (const job of await pendingImportJobs(o.deps.db)) {
        const jobId = importJobId(job);
        if (await producer.has(jobId)) continue;
        await producer.enqueue(job, { jobId, ...IMPORT_JOB_OPTIONS });
        added.push(jobId);
      }
      if (added.length > 0) o.log.info({ jobs: added }, 'queued imports enqueued again');
      const orphans = await sweepOrphanUploads(o.deps.db, o.config.ingest.uploadDir);
      if (orphans.length > 0) o.log.warn({ orphans }, 'upload spools no import refers to removed');
      return added;
    } finally {
      sweeping = false;
    }
  }

  return {
    sweep,
    async start() {
      const interrupted = await recoverInterrupted(o.deps).catch((err: unknown) => {
        o.log.warn({ err }, 'interrupted imports not checked (an import is running)');
        return [];
      });
      if (interrupted.length > 0)
        o.log.warn({ interrupted }, 'imports interrupted earlier were marked failed');
      worker = startWorker(
        ImportQueue,
        (job: ImportJob, _raw, log) =>
          runImportJob(o.deps, job, {
            log,
            ...(o.progressIntervalMs !== undefined
              ? { progressIntervalMs: o.progressIntervalMs }
              : {}),
          }),
        { connection: o.connection, prefix, log: o.log, concurrency: 1 },
      );
      const tick = () => {
        sweep().catch((err: unknown) => o.log.warn({ err }, 'import queue sweep failed'));
      };
      tick();
      timer = setInterval(tick, o.sweepMs ?? o.config.ingest.pollSeconds * 1000);
    },
    async close() {
      if (timer) clearInterval(timer);
      return closeAll([worker], [producer], {
        timeoutMs: o.config.jobs.shutdownTimeoutMs,
        log: o.log,
      });
    },
  };
}
