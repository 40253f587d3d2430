import { ENV_VARS, type Config } from '@aaf-sync/config';
import { createDb } from '@aaf-sync/db';
import { closeConnection } from '@aaf-sync/jobs';
import { createLogger } from '@aaf-sync/logger';
import { createSecretBox, createTargetsRuntime } from '@aaf-sync/targets';
import { createWebhooksRuntime } from '@aaf-sync/webhooks';
import { Redis } from 'ioredis';
import { driversFor, tasksFor } from './drivers.js';

/**
 * Runs the targets process until SIGINT/SIGTERM: the dispatcher (woken by each import commit,
 * and every TARGETS_POLL_SECONDS), the reconcile worker, the sweep of pending rows and the daily
 * event purge, and the periodic tasks of the shipped kinds (the KoXo read-back). Stops the worker (the current batch commits or rolls back), then Redis and
 * PostgreSQL. Webhook subscriptions are filled and delivered by packages/webhooks' runtime, in
 * the same process (same wake-ups, its own queue `webhooks`).
 */
export async function runTargetsProcess(config: Config): Promise<void> {
  const log = createLogger({ level: config.log.level, pretty: config.log.pretty, name: 'targets' });
  const handle = createDb({
    url: config.database.url,
    poolMax: config.database.poolMax,
    applicationName: 'aaf-sync-targets',
  });
  const connection = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  connection.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const box = createSecretBox(config.targets.secretsKey, config.targets.previousSecretsKeys);
  const drivers = driversFor(config);
  const runtime = createTargetsRuntime({
    db: handle.db,
    listenUrl: config.database.url,
    connection,
    prefix: config.redis.queuePrefix,
    log,
    box,
    drivers,
    batchSize: config.targets.batchSize,
    pollMs: config.targets.pollSeconds * 1000,
    retentionDays: config.api.changesRetentionDays,
    shutdownTimeoutMs: config.jobs.shutdownTimeoutMs,
    periodic: tasksFor(handle.db, box),
  });
  if (config.targets.secretsKey === ENV_VARS.TARGET_SECRETS_KEY.default) {
    log.warn('TARGET_SECRETS_KEY is the development default: set a key of your own');
  }
  const webhooks = createWebhooksRuntime({
    db: handle.db,
    listenUrl: config.database.url,
    connection,
    prefix: config.redis.queuePrefix,
    log,
    box,
    safety: {
      allowPrivate: config.webhooks.allowPrivate,
      connectTimeoutMs: config.webhooks.connectTimeoutMs,
      totalTimeoutMs: config.webhooks.totalTimeoutMs,
    },
    concurrency: config.webhooks.concurrency,
    disableAfterMs: config.webhooks.disableAfterMs,
    pollMs: config.targets.pollSeconds * 1000,
    retentionDays: config.api.changesRetentionDays,
    shutdownTimeoutMs: config.jobs.shutdownTimeoutMs,
  });
  await runtime.start();
  await webhooks.start();
  log.info({ kinds: Object.keys(drivers) }, 'targets process started');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  log.info('targets process stopping');
  await webhooks.close();
  await runtime.close();
  await closeConnection(connection);
  await handle.close();
}
