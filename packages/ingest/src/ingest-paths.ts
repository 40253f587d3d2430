import { openDeliveries } from '@aaf-sync/aaf';
import { aafOptions, nowOf, type IngestDeps } from './deps.js';
import { IngestErrors } from './errors.js';
import {
  assertSubmitterMayImport,
  ingestDelivery,
  type DeliveryOptions,
} from './ingest-delivery.js';
import { ACADEMY_WIDE } from './plan/submitter-scope.js';
import type { ImportReport } from './report/import-report.js';
import { recoverInterruptedRuns } from './run/import-run.repository.js';
import { withIngestLock } from './run/ingest-lock.js';

export interface IngestOptions extends Partial<DeliveryOptions> {
  /** How long to wait for another import to finish (default 10 minutes). */
  readonly lockWaitMs?: number;
  /**
   * Runs created `queued` by the API, by delivery name: each delivery reuses its run instead of
   * creating one, and only these deliveries are imported (a run already done is not redone).
   */
  readonly queuedRuns?: ReadonlyMap<string, number>;
  /**
   * Plan and report, apply nothing (status `suspended`). Default: what `deps.feedSuspended` says
   * when the import starts (the calendar's directory suspension); dry runs are never suspended.
   */
  readonly suspended?: boolean;
}

export interface IngestResult {
  readonly imports: readonly ImportReport[];
}

/**
 * Marks failed the runs a dead process left in planning/applying (as every import does first).
 * Waits at most `lockWaitMs` for the import lock; returns the ids marked.
 */
export async function recoverInterrupted(deps: IngestDeps, lockWaitMs = 1000): Promise<number[]> {
  return withIngestLock(deps.db, lockWaitMs, () => recoverInterruptedRuns(deps.db, nowOf(deps)));
}

/**
 * Imports AAF files, folders or archives (.tgz, .zip): finds the deliveries they hold and imports
 * them in date order (completes before deltas of the same day), one at a time per database.
 *
 * @example
 * const { imports } = await ingestPaths(deps, ['var/inbox/ENT2D.20240907.Complet.tgz'], { dryRun: true });
 */
export async function ingestPaths(
  deps: IngestDeps,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestResult> {
  const deliveries = await openDeliveries(paths, aafOptions(deps));
  if (deliveries.every((d) => d.files.length === 0))
    throw IngestErrors.NOTHING_TO_IMPORT({ paths: paths.join(', ') });
  // A scoped submitter's complete is refused before anything is planned or recorded.
  const scope = options.scope ?? ACADEMY_WIDE;
  for (const delivery of deliveries)
    if (delivery.files.length > 0) assertSubmitterMayImport(delivery, scope);
  return withIngestLock(deps.db, options.lockWaitMs ?? 600_000, async () => {
    const interrupted = await recoverInterruptedRuns(deps.db, nowOf(deps));
    if (interrupted.length > 0)
      deps.log.warn({ interrupted }, 'imports interrupted earlier were marked failed');
    const suspended =
      !(options.dryRun ?? false) &&
      (options.suspended ?? (deps.feedSuspended ? await deps.feedSuspended() : false));
    if (suspended) deps.log.info('the calendar suspends the directory feed: planned, not applied');
    const imports: ImportReport[] = [];
    for (const delivery of deliveries) {
      if (delivery.files.length === 0) continue;
      const runId = options.queuedRuns?.get(delivery.name);
      if (options.queuedRuns && runId === undefined) continue;
      imports.push(
        await ingestDelivery(deps, delivery, {
          dryRun: options.dryRun ?? false,
          source: options.source ?? 'cli',
          actor: options.actor ?? null,
          scope,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.onRecords ? { onRecords: options.onRecords } : {}),
          ...(options.onPhase ? { onPhase: options.onPhase } : {}),
          ...(runId !== undefined ? { runId } : {}),
          ...(suspended ? { suspended: true } : {}),
        }),
      );
    }
    return { imports };
  });
}
