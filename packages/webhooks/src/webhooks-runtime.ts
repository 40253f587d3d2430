import { sql } from '@aaf-sync/db';
import { closeAll, createProducer, startWorker } from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import {
  CHANGE_EVENT_CHANNEL,
  createLogFollower,
  enqueueDue,
  targetJobs,
  type LogConsumerOptions,
} from '@aaf-sync/targets';
import type { Worker } from '@aaf-sync/jobs';
import { createBackoff, type Backoff } from './backoff.js';
import { loadSender, nextDueAt, type DeliverOptions } from './deliver.js';
import { coalesced } from './coalesced.js';
import { pumpDeliveries } from './delivery-pump.js';
import type { DeliveryProbe } from './delivery-probe.js';
import type { HttpSafety } from './http-client.js';
import { fillOutbox, WEBHOOK_CHANNEL, type FillResult } from './outbox.js';
import { purgeDelivered } from './outbox-purge.js';
import { WebhooksQueue } from './webhook-queue.js';

/** Deliveries written by one dispatch pass past which `webhook_delivery` is analysed. */
const ANALYZE_AFTER = 1_000;
/** Events read by one outbox fill (one transaction). */
const FILL_EVENTS = 5_000;
/** The first fill of a pass reads fewer: delivery starts sooner after a big commit. */
const FIRST_FILL_EVENTS = 500;

export interface WebhooksRuntimeOptions extends LogConsumerOptions {
  readonly safety: HttpSafety;
  /** HTTP deliveries in flight per subscription (default 32); claims keep as many waiting. */
  readonly concurrency?: number;
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
  /**
   * A delivery job with nothing pending left waits this long (ms, default 1,000) for the next
   * fill's poke before giving the worker back: a steady stream keeps its pump, no job per fill.
   */
  readonly lingerMs?: number;
  /** Stage hooks: when each delivery was filled, claimed, sent, recorded (benchmarks). */
  readonly probe?: DeliveryProbe;
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
    disableAfterMs: o.disableAfterMs,
    now,
    probe: o.probe,
  };
  const budget = o.jobBudgetMs ?? 20_000;
  const lingerMs = o.lingerMs ?? 1_000;
  /**
   * The subscriptions being delivered by this process: asked for another pass or not, and the
   * running pump's poke (new rows to claim).
   */
  interface Running {
    again: boolean;
    poke?: (() => boolean) | undefined;
  }
  const active = new Map<number, Running>();
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
      for (let size = FIRST_FILL_EVENTS; ; size = FILL_EVENTS) {
        const r = await fillOutbox(db, Number(id), size);
        if (!r) break;
        results.push(r);
        o.probe?.filled?.(r.cursor, Date.now());
        written += r.deliveries;
        // Delivery starts with the first transaction of a big fill (the rest joins the running
        // job: one delivery per subscription at a time in this process). A pump of this process
        // delivering the subscription is poked directly (it claims the rows now: no job, no
        // Redis round trip, no worker wake-up); a job only when none takes the poke.
        if (r.deliveries > 0 && !active.get(Number(id))?.poke?.())
          await enqueue(Number(id), `d${r.cursor}`);
        if (r.events < size) break; // at the head: no empty transaction to find it out
      }
      // Fresh statistics after a big fill (the claims look at a window of the outbox through
      // its index whatever the statistics; the other queries like them fresh); autovacuum
      // takes over later.
      if (written >= ANALYZE_AFTER) {
        await sql`analyze webhook_delivery`.execute(db);
        written = 0;
      }
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
   * Delivers a subscription's due rows (`pumpDeliveries`: a stream of at most `concurrency`
   * POSTs, claims and records batched by what finished meanwhile) until none is due or the job
   * budget is spent, then schedules the next retry as a delayed job (its own job id excluded).
   * One delivery per subscription at a time in this process: a job arriving while one runs
   * (a NOTIFY, the next outbox fill) only pokes its pump (claim again: new rows) or asks it for
   * another pass, so WEBHOOK_CONCURRENCY holds per subscription and a busy subscription costs
   * no extra queries per job.
   */
  async function deliverTarget(targetId: number, jobId: string, jobLog: Logger): Promise<unknown> {
    const running = active.get(targetId);
    if (running) {
      // New rows: the running pump claims them now (else, between two pumps, one more pass).
      if (!running.poke?.()) running.again = true;
      return { joined: true };
    }
    const me: Running = { again: false };
    active.set(targetId, me);
    try {
      return await deliverAll(targetId, jobId, jobLog, me);
    } finally {
      active.delete(targetId);
    }
  }

  async function deliverAll(
    targetId: number,
    jobId: string,
    jobLog: Logger,
    me: Running,
  ): Promise<unknown> {
    const limits = {
      claimUntil: Date.now() + budget,
      closing: () => follower.stopped,
      onPoke: (poke: () => boolean) => (me.poke = poke),
    };
    const totals = { taken: 0, delivered: 0, failed: 0, dead: 0 };
    let stop: 'disabled' | 'budget' | undefined;
    for (;;) {
      me.again = false;
      const sender = await loadSender(deliver, targetId);
      if (!sender) return { ...totals, skipped: 'not an active subscription' };
      const r = await pumpDeliveries(deliver, targetId, sender, limits);
      me.poke = undefined;
      totals.taken += r.taken;
      totals.delivered += r.delivered;
      totals.failed += r.failed;
      totals.dead += r.dead;
      stop = r.stop;
      if (stop) break;
      // Another job came meanwhile (new rows): one more pass before looking at the next retry.
      if (me.again) continue;
      const next = await nextDueAt(db, targetId);
      if (!next) {
        if (me.again) continue;
        // Nothing pending: a moment for the next fill's poke (then one more pass).
        if (await lingerForPoke(me, Math.min(lingerMs, limits.claimUntil - Date.now()))) continue;
        break;
      }
      const wait = next.getTime() - now();
      // Became due meanwhile: delivered by this job (unless this pass took nothing: then a
      // concurrent claim holds it, and a fresh job looks again shortly, without spinning).
      if (wait <= 0 && r.taken > 0) continue;
      // A retry's own job: never under the id of the job running now (adding it would be a
      // no-op, and nothing would be left to wake the subscription but the sweep).
      const tag = wait <= 0 ? `c${Date.now()}` : `at${next.getTime()}`;
      const own = `deliver-${targetId}-${tag}` === jobId;
      await enqueue(targetId, own ? `${tag}r` : tag, Math.max(wait, wait <= 0 ? 100 : 0));
      // Asked for another pass while scheduling: checked with no await before leaving.
      if (me.again) continue;
      break;
    }
    if (stop === 'budget') await enqueue(targetId, `c${Date.now()}`);
    if (totals.taken > 0) jobLog.info({ targetId, ...totals }, 'webhooks delivered');
    return stop === 'disabled' ? { ...totals, disabled: true } : totals;
  }

  /**
   * Waits up to `ms` for a poke (a fill, a job of the subscription): true when one came. Takes
   * the pokes meanwhile (a fill then needs no job); never past the process closing.
   */
  const lingering = new Set<() => void>();
  async function lingerForPoke(me: Running, ms: number): Promise<boolean> {
    if (ms <= 0 || follower.stopped) return false;
    let timer: NodeJS.Timeout | undefined;
    let quit = () => {};
    const poked = await new Promise<boolean>((resolve) => {
      me.poke = () => {
        resolve(true);
        return true;
      };
      quit = () => resolve(false);
      lingering.add(quit);
      timer = setTimeout(quit, ms);
    });
    clearTimeout(timer);
    lingering.delete(quit);
    me.poke = undefined;
    return poked;
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
    // Once at a time, however many wake-ups (a NOTIFY per commit) finished passes meanwhile.
    afterPasses: coalesced(async () => {
      await sweep();
      await purge();
    }),
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
      for (const quit of lingering) quit(); // a job waiting for a poke gives the worker back
      await closeAll([worker], [producer], { timeoutMs: o.shutdownTimeoutMs, log: o.log });
    },
  };
}
