import type { Config } from '@aaf-sync/config';
import { allEffects, type EffectRegistry } from '@aaf-sync/scheduler';

/**
 * Every effect this process runs. The integrator spreads the other packages' registries in
 * here (`blockingEffects`, `campaignEffects`, `groupEffects`) as more arguments of `allEffects`.
 */
export function effectsFor(config: Config): EffectRegistry {
  return allEffects({
    archiveDir: config.ingest.archiveDir,
    uploadDir: config.ingest.uploadDir,
    limits: config.aafLimits,
    alertWithinMs: config.scheduler.deliveryAlertMs,
  });
}
