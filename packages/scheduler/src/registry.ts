import type { AafLimits } from '@aaf-sync/aaf';
import { deliveryEffects } from './delivery-effects.js';
import type { EffectRegistry } from './effects.js';
import { feedEffects } from './feed-effects.js';
import { retentionEffects } from './retention-effects.js';

export interface CoreEffectOptions {
  /** The ingester's archive (AAF_ARCHIVE_DIR) and upload spool (AAF_UPLOAD_DIR). */
  readonly archiveDir: string;
  readonly uploadDir: string;
  readonly limits?: AafLimits | undefined;
  /** `delivery.due` deadlines older than this are recorded without alert. */
  readonly alertWithinMs?: number;
}

/** The effects this package owns: feed suspension/resumption, delivery alerts, retention. */
export function coreEffects(o: CoreEffectOptions): EffectRegistry {
  return {
    ...feedEffects({ archiveDir: o.archiveDir, uploadDir: o.uploadDir, limits: o.limits }),
    ...deliveryEffects(o.alertWithinMs === undefined ? {} : { alertWithinMs: o.alertWithinMs }),
    ...retentionEffects({ archiveDir: o.archiveDir }),
  };
}

/**
 * Every effect the scheduler runs: THE place where the registries of the other packages are
 * spread in (blocking: `blockingEffects`, campaigns: `campaignEffects`, year-limited groups:
 * `groupEffects`). A type without an effect stays pending (runDue reports it `unhandled`).
 */
export function allEffects(
  o: CoreEffectOptions,
  ...others: readonly EffectRegistry[]
): EffectRegistry {
  return Object.assign({}, coreEffects(o), ...others) as EffectRegistry;
}
