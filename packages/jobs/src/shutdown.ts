import type { Logger } from '@aaf-sync/logger';
import type { Queue, Worker } from 'bullmq';
import { dropOwnedConnections } from './drop-connections.js';
import { realTimer, settlesWithin, type Timer } from './settles-within.js';

/** How long `closeAll` waits by default before forcing (config JOBS_SHUTDOWN_TIMEOUT_SECONDS). */
export const DEFAULT_CLOSE_TIMEOUT_MS = 30_000;

/** A producer (anything with `close`, and `queue` when it is a packages/jobs producer) or a Queue. */
type Closable = { close(): Promise<void>; readonly queue?: Queue } | Queue;

export interface CloseOptions {
  /** Longest wait for running jobs and connections to close before forcing (default 30 s). */
  readonly timeoutMs?: number;
  /** Where a forced close is reported (error level). */
  readonly log?: Logger;
  /**
   * Arms the timeout: calls `fire` once `ms` have passed and returns what disarms it. Default: a
   * real timer; a test passes one it fires itself instead of waiting.
   */
  readonly timer?: Timer;
}

function queueOf(c: Closable): Queue | undefined {
  return 'queue' in c && c.queue ? c.queue : 'getBackend' in c ? (c as Queue) : undefined;
}

/**
 * Graceful shutdown in the production order: workers first (each finishes or gives back its
 * running job), then queues. Bounded: what has not closed after `timeoutMs` is forced —
 * running jobs get BullMQ's cancel signal, and the Redis connections the workers and queues
 * opened themselves are dropped without waiting for replies (a command queued while Redis is
 * unreachable, `maxRetriesPerRequest: null`, would otherwise wait forever). A job abandoned
 * that way keeps its files or rows where they are: its lock expires and BullMQ's stall check
 * gives it to the next worker. Connections passed in by the caller stay the caller's to close.
 *
 * Resolves `true` when everything closed in time, `false` when it had to force (logged).
 * Never rejects; closing twice is harmless.
 */
export async function closeAll(
  workers: readonly (Worker | undefined)[],
  queues: readonly (Closable | undefined)[],
  o: CloseOptions = {},
): Promise<boolean> {
  const timeoutMs = o.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
  const closed = new Set<Worker>();
  const graceful = (async () => {
    await Promise.allSettled(workers.map((w) => w?.close().then(() => closed.add(w))));
    await Promise.allSettled(queues.map((q) => q?.close()));
  })();
  if (await settlesWithin(graceful, timeoutMs, o.timer ?? realTimer)) return true;

  const open = workers.filter((w): w is Worker => !!w && !closed.has(w));
  o.log?.error(
    { timeoutMs, workers: open.map((w) => w.name), running: open.some((w) => w.isRunning()) },
    'jobs did not close in time: forcing (running jobs cancelled, connections dropped)',
  );
  for (const w of open) {
    w.cancelAllJobs('shutdown timeout');
    dropOwnedConnections(w);
  }
  for (const q of queues) {
    const queue = q && queueOf(q);
    if (queue) dropOwnedConnections(queue);
  }
  return false;
}
