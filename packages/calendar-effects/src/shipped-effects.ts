import { blockingEffects, campaignEffects } from '@aaf-sync/account-lifecycle';
import type { Config } from '@aaf-sync/config';
import { groupEffects, yearTransitionTick } from '@aaf-sync/groups';
import { allEffects, type EffectRegistry, type TickTask } from '@aaf-sync/scheduler';

/**
 * Every effect this version runs for the calendar's transitions, for every process that runs them
 * (the scheduler process, `aaf-sync calendar run-due`): the scheduler's own (feed suspension and
 * resumption, delivery alerts, retention) and those of packages/account-lifecycle (rentrée
 * blocking, deletion campaigns) and packages/groups (year-limited groups' notices and deletion).
 * This package only assembles them, so packages/scheduler depends on none of them.
 */
export function effectsFor(config: Config): EffectRegistry {
  return allEffects(
    {
      archiveDir: config.ingest.archiveDir,
      uploadDir: config.ingest.uploadDir,
      limits: config.aafLimits,
      alertWithinMs: config.scheduler.deliveryAlertMs,
    },
    blockingEffects,
    campaignEffects,
    groupEffects,
  );
}

/** What runs at every scheduler tick after the dated transitions (`runTick`): the year transition. */
export const TICK_TASKS: readonly TickTask[] = [yearTransitionTick];
