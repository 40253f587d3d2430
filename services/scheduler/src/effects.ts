import { blockingEffects, campaignEffects } from '@aaf-sync/account-lifecycle';
import type { Config } from '@aaf-sync/config';
import { groupEffects, yearTransitionTick } from '@aaf-sync/groups';
import { allEffects, type EffectContext, type EffectRegistry } from '@aaf-sync/scheduler';

/**
 * Every effect this process runs: the scheduler's own (feed suspension and resumption, delivery
 * alerts, retention) and those of packages/account-lifecycle (rentrée blocking, deletion
 * campaigns) and packages/groups (year-limited groups' notices and deletion).
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

/** What runs at every scheduler job besides the dated transitions: the year transition. */
export const TICK_TASKS: readonly ((ctx: EffectContext) => Promise<unknown>)[] = [
  yearTransitionTick,
];
