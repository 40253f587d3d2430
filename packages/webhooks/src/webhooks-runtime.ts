import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { closeAll, createProducer, startWorker } from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import {
  CHANGE_EVENT_CHANNEL,
  createLogFollower,
  enqueueDue,
  targetJobs,
  type SecretBox,
} from '@aaf-sync/targets';
import type { ConnectionOptions, Worker } from '@aaf-sync/jobs';
import { createBackoff, type Backoff } from './backoff.js';
import { deliverBatch, loadSender, nextDueAt, type DeliverOptions } from './deliver.js';
import type { HttpSafety } from './http-client.js';
import { createLimiter } from './limiter.js';
import { fillOutbox, WEBHOOK_CHANNEL, type FillResult } from './outbox.js';
import { purgeDelivered } from './outbox-purge.js';
import { WebhooksQueue } from './webhook-queue.js';

/** Deliveries written by one dispatch pass past which `webhook_delivery` is analysed. */
const ANALYZE_AFTER = 1_000;
/** Events read by one outbox fill (one transaction). */
const FILL_EVENTS = 5_000;

export interface WebhooksRuntimeOptions {
  readonly db: Kysely<Database>;
  /** PostgreSQL URL for the LISTEN connection (omit: polling only). */
  readonly listenUrl?: string;
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly log: Logger;
  readonly box: SecretBox;
  readonly safety: HttpSafety;
  /** HTTP deliveries in flight per subscription (default 32); also the size of a claim. */
  readonly concurrency?: number;
  /** Batches of one subscription claimed, sent and recorded at once (default 4). */
  readonly lanes?: number;
  readonly disableAfterMs: number;
  /** Fill outboxes and sweep due deliveries at least this often. */
  readonly pollMs: number;
  /** Default: the documented ~3-day schedule with ±20 % jitter. */
  readonly backoff?: Backoff;
  readonly now?: () => number;
  /** A delivery job gives the worker back after this long and continues in a new job. */
  readonly jobBudgetMs?: number;
  /** Subscriptions delivered at once by this process (default 4). */
  readonly workers?: number;
  /** Delivered rows older than this many days are purged hourly (omit: kept). */
  readonly retentionDays?: number;
  /** JOBS_SHUTDOWN_TIMEOUT_SECONDS: `close()` gives up waiting for running deliveries after it. */
  readonly shutdownTimeoutMs?: number;
}

export interface WebhooksRuntime {
  start(): Promise<void>;
  /** Fills every active subscription's outbox to the head of the log and enqueues delivery. */
  dispatch(): Promise<FillResult[]>;
  /** Re-enqueues, from PostgreSQL, a job for every active subscription with pending rows. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The webhooks side of the targets process: fills each subscription's outbox from the event log
 * (woken by the same NOTIFY as the targets dispatcher, by replays, and every `pollMs`), and a
 * BullMQ worker delivering them. Redis only carries subscription ids; the sweep rebuilds lost
 * jobs from `webhook_delivery`, so flushing Redis loses nothing.
 */
export function createWebhooksRuntime(o: WebhooksRuntimeOptions): WebhooksRuntime {
  const { db, log } = o;
  const now = o.now ?? Date.now;
  const producer = createProducer(WebhooksQueue, {
    connection: o.connection,
    prefix: o.prefix,
    log,
  });
  const deliver: DeliverOptions = {
    db,
    box: o.box,
    log,
    safety: o.safety,
    backoff: o.backoff ?? createBackoff(),
    concurrency: o.concurrency ?? 32,
    // A batch may wait for the other lanes' HTTP before its own: each lane's worst case.
    leaseMs: o.safety.totalTimeoutMs * Math.max(1, o.lanes ?? 4) + 30_000,
    disableAfterMs: o.disableAfterMs,
    now,
  };
  const budget = o.jobBudgetMs ?? 20_000;
  // Each lane claims batches of `concurrency` rows; HTTP requests in flight per subscription
  // stay at most `concurrency` (a limiter shared by a job's lanes): while some rows are sent,
  // other lanes claim and record, so the database round trips are hidden behind HTTP.
  const lanes = Math.max(1, o.lanes ?? 4);
  let worker: Worker | undefined;
  const enqueue = targetJobs(producer, 'deliver', (targetId) => ({
    kind: 'deliver' as const,
    targetId,
  }));

  async function dispatchOnce(): Promise<FillResult[]> {
    const subs = await db
      .selectFrom('target')
      .select('id')
      .where('kind', '=', 'webhook')
      .where('state', '=', 'active')
      .orderBy('id')
      .execute();
    const results: FillResult[] = [];
    let written = 0;
    for (const { id } of subs) {
      let last: FillResult | undefined;
      for (;;) {
        const r = await fillOutbox(db, Number(id), FILL_EVENTS);
        if (!r) break;
        results.push(r);
        written += r.deliveries;
        if (r.deliveries > 0) last = r;
        if (r.events < FILL_EVENTS) break; // at the head: no empty transaction to find it out
      }
      // Fresh statistics before the claims of a big fill (a first burst would otherwise be
      // planned on an empty table's estimates: quadratic); autovacuum takes over later.
      if (written >= ANALYZE_AFTER) {
        await sql`analyze webhook_delivery`.execute(db);
        written = 0;
      }
      if (last) await enqueue(Number(id), `d${last.cursor}`);
    }
    return results;
  }

  async function sweep(): Promise<number> {
    const due = await db
      .selectFrom('webhook_delivery as d')
      .innerJoin('target as t', 't.id', 'd.target_id')
      .select(['d.target_id'])
      .select((eb) => eb.fn.min('d.next_attempt_at').as('at'))
      .where('t.state', '=', 'active')
      .where('d.status', '=', 'pending')
      .groupBy('d.target_id')
      .execute();
    return enqueueDue(enqueue, due, now(), o.pollMs);
  }

  /**
   * Delivers a subscription's due rows until none is due or the job budget is spent: `lanes`
   * loops, each claiming a batch, sending it and recording it, so that one lane's database round
   * trips overlap another's HTTP. Claims lease rows and take only the oldest pending row of
   * each entity, so lanes never reorder an entity. A lane finding nothing due waits for another
   * lane's batch to be recorded (it may release the next row of an entity) before giving up.
   * Then the next retry is scheduled as a delayed job (its own job id excluded).
   */
  async function deliverTarget(targetId: number, jobId: string, jobLog: Logger): Promise<unknown> {
    const started = Date.now();
    const totals = { taken: 0, delivered: 0, failed: 0, dead: 0 };
    const http = createLimiter(deliver.concurrency);
    let sender = await loadSender(deliver, targetId);
    if (!sender) return { skipped: 'not an active subscription' };
    let stop: 'disabled' | 'budget' | 'failed' | undefined;
    let inFlight = 0;
    let recorded: () => void = () => {};
    let nextRecord = new Promise<void>((r) => (recorded = r));
    const lane = async () => {
      while (!stop) {
        if (Date.now() - started > budget || follower.stopped) {
          stop = 'budget';
          break;
        }
        inFlight++;
        let r;
        try {
          r = await deliverBatch(deliver, targetId, sender, deliver.concurrency, http);
        } catch (err) {
          stop = 'failed'; // the other lanes stop too; BullMQ retries the job
          throw err;
        } finally {
          inFlight--;
          const wake = recorded;
          nextRecord = new Promise<void>((res) => (recorded = res));
          wake();
        }
        if (!r) {
          stop = 'disabled';
          break;
        }
        sender = r.sender;
        totals.taken += r.taken;
        totals.delivered += r.delivered;
        totals.failed += r.failed;
        totals.dead += r.dead;
        if (r.disabled) stop = 'disabled';
        if (r.taken > 0) continue;
        if (inFlight === 0) break;
        await nextRecord;
      }
    };
    for (;;) {
      const before = totals.taken;
      await Promise.all(Array.from({ length: lanes }, lane));
      if (stop) break;
      const next = await nextDueAt(db, targetId);
      if (!next) break;
      const wait = next.getTime() - now();
      // Became due meanwhile: delivered by this job (unless this pass took nothing: then a
      // concurrent claim holds it, and a fresh job looks again shortly, without spinning).
      if (wait <= 0 && totals.taken > before) continue;
      // A retry's own job: never under the id of the job running now (adding it would be a
      // no-op, and nothing would be left to wake the subscription but the sweep).
      const tag = wait <= 0 ? `c${Date.now()}` : `at${next.getTime()}`;
      const own = `deliver-${targetId}-${tag}` === jobId;
      await enqueue(targetId, own ? `${tag}r` : tag, Math.max(wait, wait <= 0 ? 100 : 0));
      break;
    }
    if (stop === 'budget') await enqueue(targetId, `c${Date.now()}`);
    if (totals.taken > 0) jobLog.info({ targetId, ...totals }, 'webhooks delivered');
    return stop === 'disabled' ? { ...totals, disabled: true } : totals;
  }

  let purgedAt = 0;
  async function purge(): Promise<void> {
    if (o.retentionDays === undefined || now() - purgedAt < 3_600_000) return;
    purgedAt = now();
    const olderThan = new Date(now() - o.retentionDays * 86_400_000);
    let deleted = 0;
    for (let n = -1; n !== 0 && !follower.stopped;)
      deleted += n = await purgeDelivered(db, olderThan);
    if (deleted > 0) log.info({ deleted, olderThan }, 'delivered webhooks purged');
  }

  const follower = createLogFollower({
    ...(o.listenUrl !== undefined ? { listenUrl: o.listenUrl } : {}),
    channels: [CHANGE_EVENT_CHANNEL, WEBHOOK_CHANNEL],
    pollMs: o.pollMs,
    log,
    pass: dispatchOnce,
    afterPasses: async () => {
      await sweep();
      await purge();
    },
    failureMessage: 'webhook dispatch or sweep failed',
  });

  return {
    dispatch: follower.run,
    sweep,
    async start() {
      worker = startWorker(
        WebhooksQueue,
        (payload, job, jobLog) => deliverTarget(payload.targetId, job.id ?? '', jobLog),
        { connection: o.connection, prefix: o.prefix, log, concurrency: o.workers ?? 4 },
      );
      await follower.start();
    },
    async close() {
      await follower.stop();
      await closeAll([worker], [producer], { timeoutMs: o.shutdownTimeoutMs, log: o.log });
    },
  };
}
