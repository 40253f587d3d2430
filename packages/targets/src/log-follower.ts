import type { Logger } from '@aaf-sync/logger';
import pg from 'pg';

export interface LogFollowerOptions<R> {
  /** PostgreSQL URL for the LISTEN connection (omit: polling only). */
  readonly listenUrl?: string;
  /** The NOTIFY channels that wake the follower (e.g. `CHANGE_EVENT_CHANNEL`). */
  readonly channels: readonly string[];
  /** Wake at least this often. */
  readonly pollMs: number;
  readonly log: Logger;
  /** One pass over the event log (dispatch to cursors, fill outboxes); its results. */
  pass(): Promise<R[]>;
  /** What a wake-up does after its passes (sweep of lost jobs, purge). */
  afterPasses(): Promise<unknown>;
  /** The message logged when a wake-up fails (the next one tries again). */
  readonly failureMessage: string;
}

export interface LogFollower<R> {
  /**
   * Runs passes until the log is caught up: one run at a time; a call during a run asks for one
   * more pass after it and shares the running promise (all of the run's results).
   */
  run(): Promise<R[]>;
  /** Listens on the channels, wakes once now, then every `pollMs`. */
  start(): Promise<void>;
  /** Stops waking, ends the LISTEN connection and waits for the running passes. */
  stop(): Promise<void>;
  /** True once `stop` was called: long jobs check it to give the worker back. */
  readonly stopped: boolean;
}

/**
 * The wake-up loop of a consumer of the event log in the targets process (the targets
 * dispatcher, the webhooks outbox): woken by LISTEN/NOTIFY, by a polling timer and at start,
 * each wake-up runs the passes then `afterPasses`; errors are logged, never thrown.
 */
export function createLogFollower<R>(o: LogFollowerOptions<R>): LogFollower<R> {
  let listener: pg.Client | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<R[]> | undefined;
  let again = false;
  let stopped = false;

  function run(): Promise<R[]> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        const all: R[] = [];
        do {
          again = false;
          all.push(...(await o.pass()));
        } while (again && !stopped);
        return all;
      } finally {
        running = undefined;
      }
    })();
    return running;
  }

  const wake = () => {
    run()
      .then(() => o.afterPasses())
      .catch((err: unknown) => o.log.error({ err }, o.failureMessage));
  };

  return {
    run,
    get stopped() {
      return stopped;
    },
    async start() {
      if (o.listenUrl) {
        listener = new pg.Client({ connectionString: o.listenUrl });
        listener.on('error', (err) => o.log.warn({ err: err.message }, 'LISTEN connection lost'));
        listener.on('notification', wake);
        await listener.connect();
        await listener.query(o.channels.map((c) => `listen ${c}`).join('; '));
      }
      wake();
      timer = setInterval(wake, o.pollMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      await listener?.end().catch(() => {});
      await running?.catch(() => []);
    },
  };
}
