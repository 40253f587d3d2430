import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Executor } from '@aaf-sync/db';
import { isAppError } from '@aaf-sync/errors';
import type { Logger } from '@aaf-sync/logger';
import { decideHeldPlan } from '../decide-held.js';
import { nowOf, type IngestDeps } from '../deps.js';
import { ingestPaths, type IngestOptions } from '../ingest-paths.js';
import type { ImportReport } from '../report/import-report.js';
import { runError } from '../run/run-error.js';
import type { ImportJob, SubmissionJob } from './import-queue.js';
import { keepSuspendedUpload } from './keep-suspended-upload.js';
import { progressWriter } from './progress-writer.js';

export interface ImportJobOptions {
  readonly log: Logger;
  /** Progress is written at most this often (default 1 s). */
  readonly progressIntervalMs?: number;
}

/** A failure the queue must not retry: the work is recorded as failed in PostgreSQL. */
function permanent(err: unknown): boolean {
  return isAppError(err) && !err.retryable;
}

function errorJson(err: unknown): Record<string, unknown> {
  return isAppError(err) ? runError(err) : runError(err instanceof Error ? err.message : err);
}

async function failQueued(
  db: Executor,
  ids: readonly number[],
  error: Record<string, unknown>,
  at: Date,
): Promise<void> {
  await db
    .updateTable('import_run')
    .set({ status: 'failed', error: JSON.stringify(error), finished_at: at })
    .where('id', 'in', [...ids])
    .where('status', '=', 'queued')
    .execute();
}

/** The engine options of a submission: the submitter's establishment scope travels with it. */
function engineOptions(job: SubmissionJob, options: IngestOptions): IngestOptions {
  return { ...options, scope: job.scope };
}

async function runSubmission(
  deps: IngestDeps,
  job: SubmissionJob,
  o: ImportJobOptions,
): Promise<{ imports: { importId: number; status: string }[] }> {
  const queued = await deps.db
    .selectFrom('import_run')
    .select(['id', 'delivery_name'])
    .where('id', 'in', job.importIds)
    .where('status', '=', 'queued')
    .execute();
  if (queued.length === 0) {
    o.log.info({ importIds: job.importIds }, 'submission already run');
    await rm(job.spoolDir, { recursive: true, force: true });
    return { imports: [] };
  }
  const ids = queued.map((r) => Number(r.id));
  const names = await readdir(job.spoolDir).catch(() => null);
  if (names === null || names.length === 0) {
    await failQueued(
      deps.db,
      ids,
      {
        code: 'UPLOAD_MISSING',
        message: `the uploaded files are no longer in ${job.spoolDir}; submit the delivery again`,
      },
      nowOf(deps),
    );
    return { imports: [] };
  }
  const progress = progressWriter(deps.db, o.log, {
    ...(o.progressIntervalMs !== undefined ? { intervalMs: o.progressIntervalMs } : {}),
  });
  let imports: readonly ImportReport[];
  try {
    ({ imports } = await ingestPaths(
      deps,
      names.sort().map((n) => join(job.spoolDir, n)),
      engineOptions(job, {
        dryRun: job.dryRun,
        source: 'api',
        actor: job.actor,
        queuedRuns: new Map(queued.map((r) => [r.delivery_name, Number(r.id)])),
        onPhase: progress.phase,
        onRecords: progress.records,
        onProgress: progress.bytes,
      }),
    ));
  } catch (err) {
    await progress.flush();
    if (permanent(err)) {
      await failQueued(
        deps.db,
        ids,
        {
          code: 'NOT_RUN',
          message: `another delivery of the same upload failed: ${errorJson(err).message as string}`,
        },
        nowOf(deps),
      );
      await rm(job.spoolDir, { recursive: true, force: true });
    }
    throw err;
  }
  await progress.flush();
  await failQueued(
    deps.db,
    ids,
    {
      code: 'DELIVERY_MISSING',
      message: 'this delivery was not found again in the uploaded files',
    },
    nowOf(deps),
  );
  // Received while the directory is suspended: kept in the archive for the resumption (which
  // names the runs it cannot find, should the copy fail).
  if (deps.archiveDir && imports.some((r) => r.status === 'suspended')) {
    const importIds = imports.map((r) => r.importId);
    await keepSuspendedUpload(deps.archiveDir, job.spoolDir, importIds).then(
      (archive) => o.log.info({ importIds, archive }, 'suspended upload kept for the resumption'),
      (err: unknown) => o.log.error({ importIds, err }, 'suspended upload not archived'),
    );
  }
  await rm(job.spoolDir, { recursive: true, force: true });
  return { imports: imports.map((r) => ({ importId: r.importId, status: r.status })) };
}

async function runDecision(
  deps: IngestDeps,
  decisionId: number,
  o: ImportJobOptions,
): Promise<{ decisionId: number; status: string }> {
  const d = await deps.db
    .selectFrom('import_decision')
    .selectAll()
    .where('id', '=', decisionId)
    .executeTakeFirst();
  if (!d || d.status === 'done' || d.status === 'failed') {
    o.log.info({ decisionId }, 'decision already executed');
    return { decisionId, status: d?.status ?? 'absent' };
  }
  const setStatus = (status: 'queued' | 'running' | 'done' | 'failed', error?: unknown) =>
    deps.db
      .updateTable('import_decision')
      .set({
        status,
        ...(error !== undefined ? { error: JSON.stringify(errorJson(error)) } : {}),
        ...(status === 'done' || status === 'failed' ? { finished_at: nowOf(deps) } : {}),
      })
      .where('id', '=', decisionId)
      .execute();
  await setStatus('running');
  try {
    await decideHeldPlan(deps, {
      importId: Number(d.import_id),
      uai: d.uai,
      decision: d.decision,
      actor: d.actor,
    });
  } catch (err) {
    await setStatus(permanent(err) ? 'failed' : 'queued', err);
    throw err;
  }
  await setStatus('done');
  return { decisionId, status: 'done' };
}

/**
 * Executes one job of the import queue: an uploaded delivery (its runs were created `queued`;
 * the spool folder is removed once they are done, kept when the failure may be retried) or a
 * decision on a held plan.
 */
export async function runImportJob(
  deps: IngestDeps,
  job: ImportJob,
  o: ImportJobOptions,
): Promise<unknown> {
  return job.kind === 'submission'
    ? runSubmission(deps, job, o)
    : runDecision(deps, job.decisionId, o);
}
