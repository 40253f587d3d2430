import type { ImportStatus, PlanStatus } from '@aaf-sync/db';

/** What decides the status of a run that was planned (not a duplicate, not refused). */
export interface RunFacts {
  /** Its establishment plans' statuses, as they are now. */
  readonly plans: readonly PlanStatus[];
  /** A dry run: planned and reported, nothing applied. */
  readonly dryRun?: boolean;
  /** The calendar suspends the directory feed: planned and reported, nothing applied. */
  readonly suspended?: boolean;
  /** Every file of the delivery failed to read: nothing could be planned. */
  readonly everyFileFailed?: boolean;
}

/**
 * The one rule for a planned run's status, from its plans: `held` when every plan waits for a
 * decision, `partially_held` when some wait and some applied, `discarded` when every plan was
 * discarded or superseded, `applied` otherwise (an import that touched no establishment too).
 */
export function runStatusOf(facts: RunFacts): ImportStatus {
  if (facts.everyFileFailed) return 'failed';
  if (facts.dryRun) return 'dry_run';
  if (facts.suspended) return 'suspended';
  const held = facts.plans.some((s) => s === 'held');
  const applied = facts.plans.some((s) => s === 'applied' || s === 'approved');
  if (held) return applied ? 'partially_held' : 'held';
  if (applied || facts.plans.length === 0) return 'applied';
  return facts.plans.every((s) => s === 'discarded' || s === 'superseded')
    ? 'discarded'
    : 'applied';
}
