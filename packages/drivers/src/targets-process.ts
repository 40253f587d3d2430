import { ENV_VARS, type Config } from '@aaf-sync/config';
import { runProcess } from '@aaf-sync/process';
import { createSecretBox, createTargetsRuntime, type LogConsumerOptions } from '@aaf-sync/targets';
import { createWebhooksRuntime } from '@aaf-sync/webhooks';
import { shippedDrivers } from './shipped-drivers.js';
import { shippedTasks } from './shipped-tasks.js';

/**
 * Runs the targets process until SIGINT/SIGTERM (packages/process): the dispatcher (woken by
 * each import commit, and every TARGETS_POLL_SECONDS), the reconcile worker, the sweep of pending
 * rows and the daily event purge, with the drivers this package ships, and the periodic tasks of
 * the shipped kinds (the KoXo read-back). Stops the webhooks runtime and the worker (the current
 * batch commits or rolls back), then Redis and PostgreSQL, each bounded. Webhook subscriptions are filled and delivered
 * by packages/webhooks' runtime, in the same process (same wake-ups, its own queue `webhooks`).
 * Resolves false when a close failed or was forced.
 */
export function runTargetsProcess(config: Config): Promise<boolean> {
  return runProcess({
    name: 'targets',
    config,
    start: async ({ db, log, connection }) => {
      const box = createSecretBox(config.targets.secretsKey, config.targets.previousSecretsKeys);
      // Kinds missing from the shipped registry keep their rows pending.
      const drivers = shippedDrivers({ passwordLength: config.credentials.passwordLength });
      // Both consume the event log: same pool, wake-ups, queue Redis, secret box and bounds.
      const consumer = {
        db,
        listenUrl: config.database.url,
        connection,
        prefix: config.redis.queuePrefix,
        log,
        box,
        pollMs: config.targets.pollSeconds * 1000,
        retentionDays: config.api.changesRetentionDays,
        shutdownTimeoutMs: config.jobs.shutdownTimeoutMs,
      } satisfies LogConsumerOptions & { pollMs: number; retentionDays: number };
      const runtime = createTargetsRuntime({
        ...consumer,
        drivers,
        batchSize: config.targets.batchSize,
        periodic: shippedTasks({ db, box }),
      });
      if (config.targets.secretsKey === ENV_VARS.TARGET_SECRETS_KEY.default) {
        log.warn('TARGET_SECRETS_KEY is the development default: set a key of your own');
      }
      const webhooks = createWebhooksRuntime({
        ...consumer,
        safety: {
          allowPrivate: config.webhooks.allowPrivate,
          connectTimeoutMs: config.webhooks.connectTimeoutMs,
          totalTimeoutMs: config.webhooks.totalTimeoutMs,
        },
        concurrency: config.webhooks.concurrency,
        disableAfterMs: config.webhooks.disableAfterMs,
      });
      await runtime.start();
      await webhooks.start();
      log.info({ kinds: Object.keys(drivers) }, 'targets process started');
      return [webhooks, runtime];
    },
  });
}
