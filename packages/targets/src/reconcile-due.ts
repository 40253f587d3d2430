import type { Database, Kysely } from '@aaf-sync/db';
import type { DriverTarget, TargetDriver } from './driver.js';
import { reconcileBatch, type ReconcileOptions } from './reconcile.js';

export interface ReconcileDueOptions extends ReconcileOptions {
  /** Checked after each full batch: true stops taking batches (job budget spent, closing). */
  readonly stop?: () => boolean;
}

export interface ReconcileDueResult {
  readonly taken: number;
  readonly applied: number;
  readonly excluded: number;
  readonly failed: number;
  /** Whether it stopped (`stop`) while full batches were still coming: more may be due. */
  readonly more: boolean;
}

/**
 * Reconciles a target's due rows batch after batch (`reconcileBatch`) until a batch comes back
 * short, or `stop` says so. A driver that declares `lanes` > 1 gets that many batches at once,
 * each in its own transaction (`for update skip locked` gives them disjoint rows): one batch's
 * database work (due rows, accounts, marks) then runs while another's writes are at the target.
 * When a lane throws (target unavailable), the others finish the batch they hold and take no
 * more; the first error is rethrown, its batch's rows still pending.
 */
export async function reconcileDue(
  db: Kysely<Database>,
  target: DriverTarget,
  driver: TargetDriver,
  options: ReconcileDueOptions,
): Promise<ReconcileDueResult> {
  const { stop, ...batchOptions } = options;
  const lanes = Math.max(1, Math.floor(driver.lanes ?? 1));
  const totals = { taken: 0, applied: 0, excluded: 0, failed: 0 };
  let more = false;
  let done = false;
  let failure: { err: unknown } | undefined;
  const lane = async () => {
    while (!done && !failure) {
      let r;
      try {
        r = await reconcileBatch(db, target, driver, batchOptions);
      } catch (err) {
        failure ??= { err };
        return;
      }
      totals.taken += r.taken;
      totals.applied += r.applied;
      totals.excluded += r.excluded;
      totals.failed += r.failed;
      if (r.taken < batchOptions.batchSize) done = true;
      else if (stop?.()) {
        more = true;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.err;
  return { ...totals, more: more && !done };
}
