import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { isAppError } from '@aaf-sync/errors';
import { ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import type { Logger } from '@aaf-sync/logger';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { archiveEntry, purgeArchive } from './archive.js';
import { fingerprint, scanInbox, type InboxEntry } from './inbox-scan.js';
import { failureOf, jobFailure, quarantineEntry } from './quarantine.js';

export const DELIVERY_QUEUE = 'aaf-deliveries';

type JobData = { kind: 'delivery'; entry: InboxEntry } | { kind: 'purge' };

export interface IngesterOptions {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly deps: IngestDeps;
  readonly connection: ConnectionOptions;
  /** BullMQ key prefix (tests give their own). */
  readonly prefix?: string;
  /** A delivery is taken once nothing in it changed for this long. */
  readonly settleMs?: number;
  /** Attempts per delivery (5) and the first retry delay (5 s, exponential); tests lower them. */
  readonly attempts?: number;
  readonly backoffMs?: number;
}

export interface Ingester {
  /** Looks at the inbox once and queues the ready deliveries; returns them. */
  scan(): Promise<InboxEntry[]>;
  start(): Promise<void>;
  close(): Promise<void>;
  readonly queue: Queue<JobData>;
}

/**
 * The ingester: scans the inbox every AAF_INBOX_POLL_SECONDS, queues one job per ready delivery
 * (job id = content fingerprint, so a delivery is queued once), and a worker with concurrency 1
 * imports them in date order, then archives the files under their import id. A daily job purges
 * the archive. Files leave the inbox only once imported: if Redis loses the queue, the next
 * scan queues them again.
 */
export function createIngester(o: IngesterOptions): Ingester {
  const { config, log } = o;
  const prefix = o.prefix ?? config.redis.queuePrefix;
  const settleMs = o.settleMs ?? 2000;
  const queue = new Queue<JobData>(DELIVERY_QUEUE, { connection: o.connection, prefix });
  queue.on('error', (err) => log.warn({ err }, 'queue connection error'));
  let worker: Worker<JobData> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let scanning = false;

  async function processDelivery(job: Job<JobData>): Promise<unknown> {
    if (job.data.kind === 'purge') {
      const removed = await purgeArchive(
        config.ingest.archiveDir,
        config.ingest.archiveRetentionDays,
      );
      log.info({ removed: removed.length }, 'archive purged');
      return { removed };
    }
    const { entry } = job.data;
    if (!entry.paths.every((p) => existsSync(p))) {
      log.warn({ entry: entry.name }, 'delivery no longer in the inbox (already processed?)');
      return { skipped: true };
    }
    try {
      const { imports } = await ingestPaths(o.deps, entry.paths, {
        source: 'inbox',
        actor: 'ingester',
      });
      const ids = imports.map((r) => r.importId).join('+') || 'none';
      const where = await archiveEntry(
        config.ingest.archiveDir,
        `${ids}-${entry.name}`,
        entry.paths,
      );
      log.info(
        {
          entry: entry.name,
          imports: imports.map((r) => ({ id: r.importId, status: r.status })),
          archive: where,
        },
        'delivery processed',
      );
      return { imports: imports.map((r) => ({ importId: r.importId, status: r.status })) };
    } catch (err) {
      if (isAppError(err) && !err.retryable) {
        const file = await quarantineEntry(config.ingest.quarantineDir, entry, {
          code: err.code,
          message: err.message,
          attempts: job.attemptsMade + 1,
        });
        log.error({ entry: entry.name, code: err.code, quarantine: file }, 'delivery quarantined');
        throw new UnrecoverableError(jobFailure(err.code, err.message));
      }
      // keep the code through BullMQ's failedReason, for the quarantine record
      if (isAppError(err)) throw new Error(jobFailure(err.code, err.message), { cause: err });
      throw err;
    }
  }

  const settling = new Set<string>();
  /**
   * A delivery job failed for good (no attempt left, a non-retryable error, or stalled twice
   * because the worker died): its files, if still in the inbox unchanged, go to the quarantine
   * with their error, and the job is removed so that its id never blocks a fixed delivery of
   * the same name.
   */
  async function settleFailed(job: Job<JobData>): Promise<void> {
    if (job.data.kind !== 'delivery' || job.id === undefined || settling.has(job.id)) return;
    settling.add(job.id);
    try {
      const { entry } = job.data;
      const unchanged =
        entry.paths.every((p) => existsSync(p)) && (await fingerprint(entry.paths)).id === entry.id;
      if (unchanged) {
        const failure = failureOf(entry, job.failedReason ?? '', job.attemptsMade);
        const file = await quarantineEntry(config.ingest.quarantineDir, entry, {
          ...failure,
          attempts: job.attemptsMade,
        });
        log.error(
          { entry: entry.name, code: failure.code, quarantine: file },
          'delivery quarantined',
        );
      }
      await job.remove();
    } finally {
      settling.delete(job.id);
    }
  }

  async function scan(): Promise<InboxEntry[]> {
    if (scanning) return [];
    scanning = true;
    try {
      const ready = await scanInbox(config.ingest.inboxDir, settleMs);
      for (const entry of ready) {
        const previous = await queue.getJob(`delivery-${entry.id}`);
        if (previous && (await previous.isFailed())) {
          await settleFailed(previous); // e.g. failed by the stall check after a worker died
          continue;
        }
        await queue.add(
          'delivery',
          { kind: 'delivery', entry },
          {
            jobId: `delivery-${entry.id}`,
            attempts: o.attempts ?? 5,
            backoff: { type: 'exponential', delay: o.backoffMs ?? 5000 },
            removeOnComplete: true,
            removeOnFail: 100,
          },
        );
      }
      return ready;
    } finally {
      scanning = false;
    }
  }

  return {
    queue,
    scan,
    async start() {
      await mkdir(config.ingest.inboxDir, { recursive: true });
      await mkdir(config.ingest.archiveDir, { recursive: true });
      await mkdir(config.ingest.quarantineDir, { recursive: true });
      await queue.upsertJobScheduler(
        'archive-purge',
        { every: 86_400_000 },
        { name: 'purge', data: { kind: 'purge' } },
      );
      worker = new Worker<JobData>(DELIVERY_QUEUE, processDelivery, {
        connection: o.connection,
        prefix,
        concurrency: 1,
      });
      worker.on('error', (err) => log.warn({ err }, 'worker connection error'));
      worker.on('failed', (job, err) => {
        log.error({ job: job?.id, err }, 'delivery job failed');
        if (!job) return;
        void job
          .isFailed()
          .then((final) => (final ? settleFailed(job) : undefined))
          .catch((e: unknown) => log.error({ err: e, job: job.id }, 'quarantine failed'));
      });
      const tick = () => {
        scan().catch((err: unknown) => log.error({ err }, 'inbox scan failed'));
      };
      tick();
      timer = setInterval(tick, config.ingest.pollSeconds * 1000);
    },
    async close() {
      if (timer) clearInterval(timer);
      await worker?.close();
      await queue.close();
    },
  };
}
