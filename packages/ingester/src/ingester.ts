import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { isAppError } from '@aaf-sync/errors';
import { ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import {
  closeAll,
  createProducer,
  schedule,
  startWorker,
  type ConnectionOptions,
  type Job,
  type PayloadOf,
  type Queue,
  type Worker,
} from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import { archiveEntry, purgeArchive } from './archive.js';
import { DeliveryQueue } from './delivery-queue.js';
import { fingerprint, scanInbox, type InboxEntry } from './inbox-scan.js';
import { failureOf, jobFailure, quarantineEntry } from './quarantine.js';

export { DELIVERY_QUEUE } from './delivery-queue.js';

type JobData = PayloadOf<typeof DeliveryQueue>;

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
  /** How long `close` waits for the running import (default JOBS_SHUTDOWN_TIMEOUT_SECONDS). */
  readonly shutdownTimeoutMs?: number;
}

export interface Ingester {
  /**
   * Looks at the inbox once and queues the ready deliveries; returns them. Scans never overlap:
   * a call while a scan runs gets that scan's result.
   */
  scan(): Promise<InboxEntry[]>;
  start(): Promise<void>;
  /**
   * Stops scanning, lets the running import finish, closes the worker then the queue; bounded
   * by `shutdownTimeoutMs` (then forced, see packages/jobs `closeAll`). True when it closed in
   * time. The connection given in the options stays the caller's to close.
   */
  close(): Promise<boolean>;
  readonly queue: Queue;
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
  const producer = createProducer(DeliveryQueue, { connection: o.connection, prefix, log });
  const { queue } = producer;
  let worker: Worker | undefined;
  let timer: NodeJS.Timeout | undefined;
  let scanning: Promise<InboxEntry[]> | undefined;

  async function processDelivery(data: JobData, job: Job): Promise<unknown> {
    if (data.kind === 'purge') {
      const removed = await purgeArchive(
        config.ingest.archiveDir,
        config.ingest.archiveRetentionDays,
      );
      log.info({ removed: removed.length }, 'archive purged');
      return { removed };
    }
    const { entry } = data;
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
        throw err; // startWorker fails the job for good with `CODE: message` (jobFailure)
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
  async function settleFailed(job: Job): Promise<void> {
    if (job.id === undefined || settling.has(job.id)) return;
    const parsed = DeliveryQueue.payload.safeParse(job.data);
    if (!parsed.success) {
      // not a job this ingester wrote (JOBS_ERR_INVALID_PAYLOAD): nothing to quarantine
      await job.remove();
      return;
    }
    if (parsed.data.kind !== 'delivery') return;
    settling.add(job.id);
    try {
      const { entry } = parsed.data;
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

  /** Scans never overlap: a call while one runs gets that scan's result. */
  function scan(): Promise<InboxEntry[]> {
    scanning ??= scanOnce().finally(() => {
      scanning = undefined;
    });
    return scanning;
  }

  async function scanOnce(): Promise<InboxEntry[]> {
    const ready = await scanInbox(config.ingest.inboxDir, settleMs);
    for (const entry of ready) {
      const previous = await queue.getJob(`delivery-${entry.id}`);
      if (previous && (await previous.isFailed())) {
        await settleFailed(previous); // e.g. failed by the stall check after a worker died
        continue;
      }
      await producer.enqueue(
        { kind: 'delivery', entry },
        {
          name: 'delivery',
          jobId: `delivery-${entry.id}`,
          attempts: o.attempts ?? 5,
          backoff: { type: 'exponential', delay: o.backoffMs ?? 5000 },
          removeOnComplete: true,
          removeOnFail: 100,
        },
      );
    }
    return ready;
  }

  return {
    queue,
    scan,
    async start() {
      await mkdir(config.ingest.inboxDir, { recursive: true });
      await mkdir(config.ingest.archiveDir, { recursive: true });
      await mkdir(config.ingest.quarantineDir, { recursive: true });
      await schedule(producer, 'archive-purge', 86_400_000, { kind: 'purge' });
      worker = startWorker(DeliveryQueue, processDelivery, {
        connection: o.connection,
        prefix,
        log,
        concurrency: 1,
      });
      worker.on('failed', (job) => {
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
      return closeAll([worker], [producer], {
        timeoutMs: o.shutdownTimeoutMs ?? config.jobs.shutdownTimeoutMs,
        log,
      });
    },
  };
}
