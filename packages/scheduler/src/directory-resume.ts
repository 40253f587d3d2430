import { randomUUID } from 'node:crypto';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AafLimits } from '@aaf-sync/aaf';
import type { Database, Kysely } from '@aaf-sync/db';
import { submitUpload } from '@aaf-sync/ingest';

export interface ArchiveFolders {
  /** Where the ingester archives processed deliveries (AAF_ARCHIVE_DIR). */
  readonly archiveDir: string;
  /** The ingester's upload spool (AAF_UPLOAD_DIR): resubmitted deliveries are queued there. */
  readonly uploadDir: string;
  readonly limits?: AafLimits | undefined;
}

export interface DirectoryResumption {
  /** The initialisation complete received during the suspension (null: none yet). */
  readonly complete: { importId: number; fileDate: string } | null;
  /** The suspended runs submitted again (the complete, then the deltas after it). */
  readonly resubmitted: readonly number[];
  /** The new queued runs the ingester will apply. */
  readonly queued: readonly number[];
  /** Suspended runs whose files are no longer in the archive (submit them again by hand). */
  readonly notArchived: readonly number[];
}

/** The archive folder of an import: `<importIds joined by +>-<delivery name>`. */
async function archiveFolderOf(archiveDir: string, importId: number): Promise<string | null> {
  const names = await readdir(archiveDir).catch(() => [] as string[]);
  const name = names.find((n) => n.split('-', 1)[0]!.split('+').includes(String(importId)));
  return name ? join(archiveDir, name) : null;
}

/**
 * At the directory's resumption: the latest complete received while the feed was suspended
 * (`suspended` since `suspendedSince`) — the initialisation complete of the new year — and the
 * deltas received after it are queued again for the ingester from the archive, in that order,
 * as an upload of actor `calendar` received `at` (the scheduler's clock); the ingester applies
 * them (the feed is no longer suspended). The archive holds inbox deliveries and API uploads
 * alike (the engine keeps an upload whose runs were suspended there). Deltas older than that
 * complete stay `suspended` (the complete supersedes them). Without a complete nothing is
 * queued: the next complete that arrives is applied as usual.
 */
export async function resubmitSuspended(
  db: Kysely<Database>,
  where: ArchiveFolders,
  suspendedSince: string,
  at: Date = new Date(),
): Promise<DirectoryResumption> {
  const complete = await db
    .selectFrom('import_run')
    .select(['id', 'file_date'])
    .where('status', '=', 'suspended')
    .where('kind', '=', 'complete')
    .where('file_date', '>=', suspendedSince)
    .orderBy('file_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!complete) return { complete: null, resubmitted: [], queued: [], notArchived: [] };
  const deltas = await db
    .selectFrom('import_run')
    .select(['id'])
    .where('status', '=', 'suspended')
    .where('kind', '=', 'delta')
    .where('file_date', '>=', complete.file_date)
    .orderBy('file_date')
    .orderBy('id')
    .execute();
  const runs = [Number(complete.id), ...deltas.map((d) => Number(d.id))];
  const folders = new Map<string, number[]>();
  const notArchived: number[] = [];
  for (const id of runs) {
    const folder = await archiveFolderOf(where.archiveDir, id);
    if (!folder) notArchived.push(id);
    else folders.set(folder, [...(folders.get(folder) ?? []), id]);
  }
  const queued: number[] = [];
  const resubmitted: number[] = [];
  await mkdir(where.uploadDir, { recursive: true });
  for (const [folder, ids] of folders) {
    const tmp = join(where.uploadDir, `.calendar-resume-${randomUUID()}`);
    await cp(folder, tmp, { recursive: true });
    try {
      const names = (await readdir(tmp)).sort();
      const { runs: created } = await submitUpload(db, where.uploadDir, {
        paths: names.map((n) => join(tmp, n)),
        dryRun: false,
        actor: 'calendar',
        scope: { uais: null },
        source: 'calendar',
        receivedAt: at,
        ...(where.limits ? { limits: where.limits } : {}),
      });
      queued.push(...created.map((r) => r.importId));
      resubmitted.push(...ids);
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  }
  return {
    complete: { importId: Number(complete.id), fileDate: complete.file_date },
    resubmitted,
    queued,
    notArchived,
  };
}
