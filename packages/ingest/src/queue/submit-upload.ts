import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, cp } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { openDeliveries, type AafLimits } from '@aaf-sync/aaf';
import type { Database, Kysely } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';
import { assertSubmitterMayImport } from '../ingest-delivery.js';
import type { SubmissionJob } from './import-queue.js';

export interface QueuedRun {
  readonly importId: number;
  readonly deliveryName: string;
}

export interface UploadSubmission {
  /** The uploaded files (AAF XML files, .tgz, .zip); moved into the spool. */
  readonly paths: readonly string[];
  readonly dryRun: boolean;
  readonly actor: string;
  readonly scope: { readonly uais: readonly string[] | null };
  readonly source?: string;
  /** The reader's limits (config `AAF_MAX_*`): an archive over them is refused at once. */
  readonly limits?: AafLimits;
  /** When the upload was received (the runs' `created_at`; default: the wall clock). */
  readonly receivedAt?: Date;
}

async function move(from: string, to: string): Promise<void> {
  await rename(from, to).catch(async (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EXDEV') throw err;
    await cp(from, to, { recursive: true });
    await rm(from, { recursive: true, force: true });
  });
}

/**
 * Stores an upload for the ingester: moves its files to a folder of their own under
 * `uploadDir`, lists the deliveries they hold (names only: no record is parsed), and creates one
 * `queued` import run per delivery in one transaction. Returns the job to enqueue. A container
 * holding no AAF file is refused (INGEST_ERR_NOTHING_TO_IMPORT) and nothing is kept.
 *
 * An upload may hold several deliveries (e.g. a complete and a delta): each gets its run, in
 * the order the engine imports them; one job carries them all, like `ingestPaths` on a folder.
 */
export async function submitUpload(
  db: Kysely<Database>,
  uploadDir: string,
  u: UploadSubmission,
): Promise<{ job: SubmissionJob; runs: QueuedRun[] }> {
  const receivedAt = u.receivedAt ?? new Date();
  const spoolDir = join(
    resolve(uploadDir),
    `${receivedAt.toISOString().slice(0, 10)}-${randomUUID()}`,
  );
  await mkdir(spoolDir, { recursive: true });
  try {
    const paths: string[] = [];
    for (const p of u.paths) {
      const to = join(spoolDir, basename(p));
      await move(p, to);
      paths.push(to);
    }
    const deliveries = (await openDeliveries(paths, u.limits ? { limits: u.limits } : {})).filter(
      (d) => d.files.length > 0,
    );
    if (deliveries.length === 0)
      throw IngestErrors.NOTHING_TO_IMPORT({ paths: u.paths.map((p) => basename(p)).join(', ') });
    const scope = { uais: u.scope.uais === null ? null : [...u.scope.uais] };
    // A scoped submitter's complete is refused now, not after queueing (403, nothing kept).
    for (const d of deliveries) assertSubmitterMayImport(d, scope);
    const options = { actor: u.actor, spoolDir, scope };
    const runs = await db.transaction().execute(async (trx) => {
      const created: QueuedRun[] = [];
      for (const d of deliveries) {
        const row = await trx
          .insertInto('import_run')
          .values({
            created_at: receivedAt,
            kind: d.kind,
            scope: d.scope ?? '-',
            level: d.level ?? null,
            file_date: d.date,
            source: u.source ?? 'api',
            delivery_name: d.name,
            content_hash: null,
            status: 'queued',
            dry_run: u.dryRun,
            options: JSON.stringify(options),
            submitted_by: u.actor,
            submitter_uais: scope.uais,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        created.push({ importId: Number(row.id), deliveryName: d.name });
      }
      return created;
    });
    const importIds = runs.map((r) => r.importId);
    return {
      job: { kind: 'submission', importIds, spoolDir, dryRun: u.dryRun, actor: u.actor, scope },
      runs,
    };
  } catch (err) {
    await rm(spoolDir, { recursive: true, force: true });
    throw err;
  }
}
