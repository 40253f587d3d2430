import { engineIdentifierService } from './engine-services.js';
import { queueEnqueuer } from './import-enqueuer.js';
import type { Config } from '@aaf-sync/config';
import { createDb } from '@aaf-sync/db';
import type { Logger } from '@aaf-sync/logger';
import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from './app.js';
import type { IdentifierService, ImportEnqueuer } from './services.js';

export interface StartServerOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly imports?: ImportEnqueuer;
  readonly identifiers?: IdentifierService;
  /** Install SIGINT/SIGTERM handlers that close and exit (default true; false in tests). */
  readonly handleSignals?: boolean;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  readonly url: string;
  /** Stops accepting requests, finishes the running ones, closes PostgreSQL and Redis. */
  close(): Promise<void>;
}

/**
 * Starts the API: opens the database pool and Redis, builds the app, listens on
 * `config.api.host:port`. With `handleSignals`, SIGINT/SIGTERM (and a crash) close it gracefully
 * (close-with-grace: in-flight requests finish, then pools close; 10 s at most) and exit.
 *
 * @example
 * const server = await startServer({ config: loadConfig(), log });
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config, log } = options;
  const handle = createDb({
    url: config.database.url,
    poolMax: config.database.poolMax,
    applicationName: 'aaf-sync-api',
    // Connections stay open (at most poolMax): closed after 10 s idle, each was opened again by
    // the next burst, whose requests then waited for the connection and for the planning of the
    // account statement on it (p99 at 500 req/s: see ARCHITECTURE.md, "The API during an import").
    idleTimeoutMillis: 0,
  });
  // Fail fast instead of queueing when Redis is down: the rate limiter then refuses writes (503)
  // at once and lets reads through (plugins/external/rate-limit.ts).
  const redis = new Redis(config.redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  });
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'redis error'));
  let enqueuer: ReturnType<typeof queueEnqueuer> | undefined;
  const app = await buildApp({
    config,
    db: handle.db,
    log,
    redis,
    imports: options.imports ?? (enqueuer = queueEnqueuer(config, redis, log)),
    identifiers: options.identifiers ?? engineIdentifierService(config, handle.db),
  });
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      grace?.uninstall();
      await app.close();
      await enqueuer?.close();
      await handle.close();
      redis.disconnect();
    })());
  const grace =
    options.handleSignals === false
      ? null
      : closeWithGrace({ delay: 10_000, logger: false }, async ({ err, signal }) => {
          if (err) log.error({ err }, 'closing after an error');
          else log.info({ signal }, 'closing');
          await close();
        });
  try {
    const url = await app.listen({ host: config.api.host, port: config.api.port });
    log.info({ url }, 'API listening');
    return { app, url, close };
  } catch (err) {
    await close();
    throw err;
  }
}
