import { runDueKoxoReadBacks } from '@aaf-sync/koxo';
import type { Database, Kysely } from '@aaf-sync/db';
import type { PeriodicTask, SecretBox } from '@aaf-sync/targets';

/** How often the targets process looks for KoXo read-backs that are due (each target has its own period). */
export const KOXO_READBACK_CHECK_MS = 60_000;

/**
 * The periodic tasks of the shipped target kinds, for the targets process: every minute, the
 * KoXo read-back of each `koxo` target whose `readBack.everyMinutes` have passed (packages/koxo
 * `runDueKoxoReadBacks`; failures are recorded on the target's run, the others go on).
 */
export function shippedTasks(context: {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
}): PeriodicTask[] {
  return [
    {
      name: 'koxo-readback',
      everyMs: KOXO_READBACK_CHECK_MS,
      async run(log) {
        const runs = await runDueKoxoReadBacks(context);
        for (const r of runs) {
          if ('skipped' in r.result)
            log.warn({ target: r.target, ...r.result }, 'KoXo read-back skipped');
          else if (r.result.status === 'failed') {
            log.warn({ target: r.target, error: r.result.error }, 'KoXo read-back failed');
          } else log.info({ target: r.target, ...r.result.counts }, 'KoXo read-back done');
        }
        return { runs: runs.length };
      },
    },
  ];
}
