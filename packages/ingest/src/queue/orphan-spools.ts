import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { RUNNING_IMPORT_STATUSES, sql, type Database, type Kysely } from '@aaf-sync/db';

export interface OrphanSweepOptions {
  /** A folder younger than this is left alone (the API may be between its move and its insert). */
  readonly minAgeMs?: number;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

/**
 * Removes the upload spool folders (`AAF_UPLOAD_DIR/<date>-<uuid>`) that no unfinished import
 * refers to: the API process died between moving an upload into the spool and recording its
 * runs, or a worker died before its clean-up. A folder referred to by a queued, planning or
 * applying run is kept, and so is any folder younger than `minAgeMs` (one hour by default).
 * Answers the names removed.
 */
export async function sweepOrphanUploads(
  db: Kysely<Database>,
  uploadDir: string,
  options: OrphanSweepOptions = {},
): Promise<string[]> {
  const root = resolve(uploadDir);
  const minAge = options.minAgeMs ?? 3_600_000;
  const now = (options.now ?? Date.now)();
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true }))
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
  } catch {
    return []; // no spool yet
  }
  if (names.length === 0) return [];
  const { rows } = await sql<{ spool: string }>`
    select distinct options->>'spoolDir' as spool from import_run
    where status = any(${sql.val([...RUNNING_IMPORT_STATUSES])}::text[]) and options->>'spoolDir' is not null
  `.execute(db);
  const inUse = new Set(rows.map((r) => resolve(r.spool)));
  const removed: string[] = [];
  for (const name of names) {
    const path = join(root, name);
    if (inUse.has(path)) continue;
    const info = await stat(path).catch(() => null);
    if (!info || now - info.mtimeMs < minAge) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
