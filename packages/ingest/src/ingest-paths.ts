import { openDeliveries } from '@aaf-sync/aaf';
import { aafOptions, type IngestDeps } from './deps.js';
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
}

export interface IngestResult {
  readonly imports: readonly ImportReport[];
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
    const interrupted = await recoverInterruptedRuns(deps.db);
    if (interrupted.length > 0)
      deps.log.warn({ interrupted }, 'imports interrupted earlier were marked failed');
    const imports: ImportReport[] = [];
    for (const delivery of deliveries) {
      if (delivery.files.length === 0) continue;
      imports.push(
        await ingestDelivery(deps, delivery, {
          dryRun: options.dryRun ?? false,
          source: options.source ?? 'cli',
          actor: options.actor ?? null,
          scope,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }),
      );
    }
    return { imports };
  });
}
