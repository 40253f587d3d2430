import { insertAudit, purgeEvents, type TargetKind } from '@aaf-sync/db';
import { closeAll, createProducer, schedule, startWorker, type Worker } from '@aaf-sync/jobs';
import type { Logger } from '@aaf-sync/logger';
import { dispatchAll, type DispatchResult } from './dispatcher.js';
import type { DriverRegistry } from './driver.js';
import { driverFor } from './driver-for.js';
import { groupPurgesDue, purgeGroupsBatch } from './group-purge.js';
import type { LogConsumerOptions } from './log-consumer-options.js';
import { createLogFollower } from './log-follower.js';
import { nextRetryAt } from './reconcile.js';
import { reconcileDue } from './reconcile-due.js';
import { enqueueDue, targetJobs } from './target-jobs.js';
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

export interface TargetsRuntimeOptions extends LogConsumerOptions {
  readonly drivers: DriverRegistry;
  readonly batchSize: number;
  /** Dispatch and sweep at least this often (LISTEN/NOTIFY wakes the dispatcher sooner). */
  readonly pollMs: number;
  readonly retryBaseSeconds?: number;
  /** Events older than this many days are purged by a daily job (omit: no purge schedule). */
  readonly retentionDays?: number;
  /** A reconcile job gives the worker back after this long and continues in a new job. */
  readonly jobBudgetMs?: number;
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
 * The targets process: a dispatcher woken by LISTEN/NOTIFY and a polling timer (a
 * `createLogFollower`), a BullMQ worker reconciling targets in batches, a sweep that rebuilds lost
 * jobs from PostgreSQL (at start and every poll, `enqueueDue`), and the daily purge of the event
 * log. Redis carries only target ids: flushing it loses nothing.
 */
export function createTargetsRuntime(o: TargetsRuntimeOptions): TargetsRuntime {
  const { db, log } = o;
  const producer = createProducer(TargetsQueue, {
    connection: o.connection,
    prefix: o.prefix,
    log,
  });
  let worker: Worker | undefined;
  const budget = o.jobBudgetMs ?? 20_000;
  // Kinds without a driver keep their rows pending without queueing work that cannot run.
  const withDriver = (Object.keys(o.drivers) as TargetKind[]).filter((k) => o.drivers[k]);
  const enqueue = targetJobs(producer, 'reconcile', (targetId) => ({
    kind: 'reconcile' as const,
    targetId,
  }));

  async function dispatchOnce(): Promise<DispatchResult[]> {
    const results = await dispatchAll(db);
    const last = new Map<number, DispatchResult>();
    for (const r of results) if (r.rows > 0) last.set(r.targetId, r);
    for (const r of last.values()) await enqueue(r.targetId, `d${r.cursor}`);
    if (results.length > 0) log.debug({ dispatched: results.length }, 'events dispatched');
    return results;
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
    // The empty-groups campaigns' deletions wait on the same targets (group_purge).
    const first = new Map<number, number>();
    for (const { target_id, at } of due) first.set(Number(target_id), new Date(at).getTime());
    for (const g of await groupPurgesDue(db, withDriver)) {
      const at = g.at.getTime();
      first.set(g.targetId, Math.min(at, first.get(g.targetId) ?? at));
    }
    return enqueueDue(
      enqueue,
      [...first].map(([target_id, at]) => ({ target_id, at: new Date(at) })),
      Date.now(),
      o.pollMs,
    );
  }

  const follower = createLogFollower({
    ...(o.listenUrl !== undefined ? { listenUrl: o.listenUrl } : {}),
    channels: [CHANGE_EVENT_CHANNEL],
    pollMs: o.pollMs,
    log,
    pass: dispatchOnce,
    afterPasses: sweep,
    failureMessage: 'dispatch or sweep failed',
  });

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
    const groups = { deleted: 0, skipped: 0, failed: 0 };
    const stop = () => Date.now() - started > budget || follower.stopped;
    let totals: { taken: number; applied: number; excluded: number; failed: number };
    let more: boolean;
    try {
      const result = await reconcileDue(db, target, driver, {
        batchSize: o.batchSize,
        ...(o.retryBaseSeconds !== undefined ? { retryBaseSeconds: o.retryBaseSeconds } : {}),
        stop,
      });
      ({ more, ...totals } = result);
      // Then the groups the empty-groups campaigns deleted: after the accounts, so the members
      // who left are out of them first.
      while (!more) {
        const g = await purgeGroupsBatch(db, target, driver, {
          batchSize: o.batchSize,
          ...(o.retryBaseSeconds !== undefined ? { retryBaseSeconds: o.retryBaseSeconds } : {}),
        });
        groups.deleted += g.deleted;
        groups.skipped += g.skipped;
        groups.failed += g.failed;
        if (g.taken < o.batchSize) break;
        if (stop()) more = true;
      }
    } finally {
      await driver.close?.();
    }
    // The job budget was spent with work still coming: the rest in a new job.
    if (more) await enqueue(targetId, `c${Date.now()}`);
    const retry = await nextRetryAt(db, targetId, { groupPurges: true });
    if (retry && retry.getTime() > Date.now()) {
      await enqueue(targetId, `at${retry.getTime()}`, retry.getTime() - Date.now());
    }
    const purged = groups.deleted + groups.skipped + groups.failed > 0 ? { groups } : {};
    jobLog.info({ target: row.name, ...totals, ...purged }, 'target reconciled');
    return { ...totals, ...purged };
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

  return {
    dispatch: follower.run,
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
      await follower.start();
    },
    async close() {
      await follower.stop();
      await closeAll([worker], [producer], { timeoutMs: o.shutdownTimeoutMs, log });
    },
  };
}
