import {
  insertAudit,
  purgeEvents,
  type Database,
  type Kysely,
  type TargetKind,
} from '@aaf-sync/db';
import {
  closeAll,
  createProducer,
  schedule,
  startWorker,
  type ConnectionOptions,
  type Worker,
} from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import pg from 'pg';
import { dispatchAll, type DispatchResult } from './dispatcher.js';
import type { DriverRegistry } from './driver.js';
import { driverFor } from './driver-for.js';
import { nextRetryAt } from './reconcile.js';
import { reconcileDue, type ReconcileDueResult } from './reconcile-due.js';
import type { SecretBox } from './secret-box.js';
import { TargetsQueue } from './target-queue.js';

/** The channel the `change_event` trigger notifies at each commit that wrote events. */
export const CHANGE_EVENT_CHANNEL = 'aaf_sync_change_event';

/**
 * Work the targets process runs every `everyMs` besides reconciling (e.g. the KoXo read-back,
 * packages/drivers' `shippedTasks`): a repeatable job of the targets queue, so one process of
 * several runs each occurrence. `run` resolves to what the job log records.
 */
export interface PeriodicTask {
  readonly name: string;
  readonly everyMs: number;
  run(log: Logger): Promise<unknown>;
}

export interface TargetsRuntimeOptions {
  readonly db: Kysely<Database>;
  /** PostgreSQL URL for the LISTEN connection (omit: polling only). */
  readonly listenUrl?: string;
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly log: Logger;
  readonly box: SecretBox;
  readonly drivers: DriverRegistry;
  readonly batchSize: number;
  /** Dispatch and sweep at least this often (LISTEN/NOTIFY wakes the dispatcher sooner). */
  readonly pollMs: number;
  readonly retryBaseSeconds?: number;
  /** Events older than this many days are purged by a daily job (omit: no purge schedule). */
  readonly retentionDays?: number;
  /** A reconcile job gives the worker back after this long and continues in a new job. */
  readonly jobBudgetMs?: number;
  /** How long `close` waits for the running reconcile job (config JOBS_SHUTDOWN_TIMEOUT_SECONDS). */
  readonly shutdownTimeoutMs?: number;
  /** Periodic tasks scheduled at start (names unique). */
  readonly periodic?: readonly PeriodicTask[];
}

export interface TargetsRuntime {
  start(): Promise<void>;
  /** Dispatches every active target to the head of the log and enqueues their work. */
  dispatch(): Promise<DispatchResult[]>;
  /** Re-enqueues, from PostgreSQL, a job for every active target with rows due. */
  sweep(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The targets process: a dispatcher woken by LISTEN/NOTIFY and a polling timer, a BullMQ worker
 * reconciling targets in batches, a sweep that rebuilds lost jobs from PostgreSQL (at start and
 * every poll), and the daily purge of the event log. Redis carries only target ids: flushing it
 * loses nothing.
 */
export function createTargetsRuntime(o: TargetsRuntimeOptions): TargetsRuntime {
  const { db, log } = o;
  const producer = createProducer(TargetsQueue, {
    connection: o.connection,
    prefix: o.prefix,
    log,
  });
  let worker: Worker | undefined;
  let listener: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<DispatchResult[]> | undefined;
  let again = false;
  let closed = false;
  const budget = o.jobBudgetMs ?? 20_000;
  // Kinds without a driver keep their rows pending without queueing work that cannot run.
  const withDriver = (Object.keys(o.drivers) as TargetKind[]).filter((k) => o.drivers[k]);

  const enqueue = (targetId: number, tag: string, delay = 0) =>
    producer.enqueue(
      { kind: 'reconcile', targetId },
      {
        jobId: `reconcile-${targetId}-${tag}`,
        delay,
        attempts: 5,
        backoff: { type: 'exponential', delay: 5_000 },
      },
    );

  async function dispatchOnce(): Promise<DispatchResult[]> {
    const results = await dispatchAll(db);
    const last = new Map<number, DispatchResult>();
    for (const r of results) if (r.rows > 0) last.set(r.targetId, r);
    for (const r of last.values()) await enqueue(r.targetId, `d${r.cursor}`);
    if (results.length > 0) log.debug({ dispatched: results.length }, 'events dispatched');
    return results;
  }

  /** One dispatch at a time; a wake-up during a run asks for one more run after it. */
  function dispatch(): Promise<DispatchResult[]> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        const all: DispatchResult[] = [];
        do {
          again = false;
          all.push(...(await dispatchOnce()));
        } while (again && !closed);
        return all;
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  async function sweep(): Promise<number> {
    if (withDriver.length === 0) return 0;
    const due = await db
      .selectFrom('provisioning as r')
      .innerJoin('target as t', 't.id', 'r.target_id')
      .select(['r.target_id'])
      .select((eb) => eb.fn.min('r.next_attempt_at').as('at'))
      .where('t.state', '=', 'active')
      .where('t.kind', 'in', withDriver)
      .where('r.status', 'in', ['pending', 'failed'])
      .groupBy('r.target_id')
      .execute();
    const now = Date.now();
    for (const { target_id, at } of due) {
      const when = new Date(at).getTime();
      if (when <= now) await enqueue(Number(target_id), `s${Math.floor(now / o.pollMs)}`);
      else await enqueue(Number(target_id), `at${when}`, when - now);
    }
    return due.length;
  }

  async function reconcileTarget(targetId: number, jobLog: Logger): Promise<unknown> {
    const row = await db
      .selectFrom('target')
      .selectAll()
      .where('id', '=', targetId)
      .executeTakeFirst();
    if (!row || row.state !== 'active') return { skipped: row ? 'suspended' : 'removed' };
    if (!o.drivers[row.kind]) return { skipped: `no driver for ${row.kind}` };
    const { target, driver } = driverFor(o.drivers, o.box, row, { db });
    const started = Date.now();
    let result: ReconcileDueResult;
    try {
      result = await reconcileDue(db, target, driver, {
        batchSize: o.batchSize,
        ...(o.retryBaseSeconds !== undefined ? { retryBaseSeconds: o.retryBaseSeconds } : {}),
        stop: () => Date.now() - started > budget || closed,
      });
    } finally {
      await driver.close?.();
    }
    const { more, ...totals } = result;
    // The job budget was spent with batches still full: the rest in a new job.
    if (more) await enqueue(targetId, `c${Date.now()}`);
    const retry = await nextRetryAt(db, targetId);
    if (retry && retry.getTime() > Date.now()) {
      await enqueue(targetId, `at${retry.getTime()}`, retry.getTime() - Date.now());
    }
    jobLog.info({ target: row.name, ...totals }, 'target reconciled');
    return totals;
  }

  async function purge(jobLog: Logger): Promise<unknown> {
    const olderThan = new Date(Date.now() - (o.retentionDays ?? 90) * 86_400_000);
    const result = await purgeEvents(db, { olderThan, actor: 'scheduler:purge-events' });
    await insertAudit(db, {
      actor: 'scheduler:purge-events',
      action: 'events.purge',
      details: { olderThan: olderThan.toISOString(), ...result },
    });
    if (result.heldBy) jobLog.warn({ ...result }, 'event purge held back by a slow consumer');
    else jobLog.info({ ...result }, 'change events purged');
    return result;
  }

  const tick = () => {
    dispatch()
      .then(() => sweep())
      .catch((err: unknown) => log.error({ err }, 'dispatch or sweep failed'));
  };

  return {
    dispatch,
    sweep,
    async start() {
      const tasks = new Map((o.periodic ?? []).map((p) => [p.name, p]));
      worker = startWorker(
        TargetsQueue,
        (payload, _job, jobLog) => {
          if (payload.kind === 'purge-events') return purge(jobLog);
          if (payload.kind === 'periodic') {
            const task = tasks.get(payload.name);
            return task ? task.run(jobLog) : Promise.resolve({ skipped: 'unknown task' });
          }
          return reconcileTarget(payload.targetId, jobLog);
        },
        { connection: o.connection, prefix: o.prefix, log, concurrency: 2 },
      );
      if (o.retentionDays !== undefined) {
        await schedule(producer, 'purge-events', 86_400_000, { kind: 'purge-events' });
      }
      for (const task of tasks.values()) {
        await schedule(producer, `periodic-${task.name}`, task.everyMs, {
          kind: 'periodic',
          name: task.name,
        });
      }
      if (o.listenUrl) {
        listener = new pg.Client({ connectionString: o.listenUrl });
        listener.on('error', (err) => log.warn({ err: err.message }, 'LISTEN connection lost'));
        listener.on('notification', tick);
        await listener.connect();
        await listener.query(`listen ${CHANGE_EVENT_CHANNEL}`);
      }
      tick();
      timer = setInterval(tick, o.pollMs);
    },
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      await listener?.end().catch(() => {});
      await running?.catch(() => []);
      await closeAll([worker], [producer], { timeoutMs: o.shutdownTimeoutMs, log });
    },
  };
}
