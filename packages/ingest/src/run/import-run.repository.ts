import type { AafFileName, AafKind, Level } from '@aaf-sync/aaf';
import { sql, type Executor, type ImportFileStatus, type ImportStatus } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';
import { dropPlanItems } from './import-plan.repository.js';
import { runError } from './run-error.js';

export interface NewRun {
  readonly kind: AafKind;
  readonly scope: string;
  readonly level: Level;
  readonly fileDate: string;
  readonly source: string;
  readonly deliveryName: string;
  readonly contentHash: string;
  readonly dryRun: boolean;
  readonly options: Record<string, unknown>;
  /** `key:<id>`, `cli:<user>`, or null (inbox). */
  readonly submittedBy: string | null;
  /** The submitter's establishment scope; null = academy-wide. */
  readonly submitterUais: readonly string[] | null;
}

/** A new run in `planning`, started at `at` (the engine's clock). */
export async function createRun(db: Executor, run: NewRun, at: Date): Promise<number> {
  const row = await db
    .insertInto('import_run')
    .values({
      created_at: at,
      kind: run.kind,
      scope: run.scope,
      level: run.level,
      file_date: run.fileDate,
      source: run.source,
      delivery_name: run.deliveryName,
      content_hash: run.contentHash,
      status: 'planning',
      dry_run: run.dryRun,
      options: JSON.stringify(run.options),
      submitted_by: run.submittedBy,
      submitter_uais: run.submitterUais === null ? null : [...run.submitterUais],
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * Starts a run created as `queued` (by the API): fills in what reading the delivery told, and
 * moves it to `planning`. Refuses a run that is no longer queued (INGEST_ERR_RUN_NOT_QUEUED).
 */
export async function startQueuedRun(db: Executor, id: number, run: NewRun): Promise<number> {
  const row = await db
    .updateTable('import_run')
    .set({
      kind: run.kind,
      scope: run.scope,
      level: run.level,
      file_date: run.fileDate,
      delivery_name: run.deliveryName,
      content_hash: run.contentHash,
      status: 'planning',
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .returning('id')
    .executeTakeFirst();
  if (!row) {
    const found = await db
      .selectFrom('import_run')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    throw IngestErrors.RUN_NOT_QUEUED({ importId: id, status: found?.status ?? 'absent' });
  }
  return row.id;
}

export async function setRunStatus(
  db: Executor,
  id: number,
  status: ImportStatus,
  extra: {
    error?: Record<string, unknown> | null;
    summary?: Record<string, unknown>;
    /** The run finished at this instant (the engine's clock): `finished_at`. */
    finished?: Date;
  } = {},
): Promise<void> {
  await db
    .updateTable('import_run')
    .set({
      status,
      ...(extra.error !== undefined
        ? { error: extra.error === null ? null : JSON.stringify(extra.error) }
        : {}),
      ...(extra.summary !== undefined ? { summary: JSON.stringify(extra.summary) } : {}),
      ...(extra.finished ? { finished_at: extra.finished } : {}),
    })
    .where('id', '=', id)
    .execute();
}

/** Adds UAIs to those the import changed (an apply, then approvals of its held plans). */
export async function addUaisTouched(
  db: Executor,
  id: number,
  uais: readonly string[],
): Promise<void> {
  if (uais.length === 0) return;
  await sql`
    update import_run set uais_touched = array(
      select distinct u from unnest(uais_touched || ${[...uais]}::text[]) u order by u)
    where id = ${id}`.execute(db);
}

/**
 * The audit row of an applied import submitted by an API key: who, which import, the UAIs it
 * changed. Written in the apply transaction.
 */
export async function auditApply(
  db: Executor,
  entry: {
    importId: number;
    actor: string;
    action: string;
    uais: readonly string[];
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      actor: entry.actor,
      key_id: entry.actor.slice('key:'.length),
      action: entry.action,
      uais: [...entry.uais],
      details: JSON.stringify({ importId: entry.importId, ...entry.details }),
    })
    .execute();
}

export async function insertFile(
  db: Executor,
  importId: number,
  file: { name: AafFileName; sha256: string; size: number; status: ImportFileStatus },
): Promise<number> {
  const row = await db
    .insertInto('import_file')
    .values({
      import_id: importId,
      name: file.name.name,
      entity: file.name.entity,
      kind: file.name.kind,
      file_date: file.name.date,
      chunk: file.name.chunk,
      sha256: file.sha256,
      size_bytes: file.size,
      status: file.status,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface FileUpdate {
  readonly status: ImportFileStatus;
  readonly records?: number;
  readonly rejects?: number;
  readonly unknownAttributes?: Record<string, number>;
  /** What became of the records (created, updated…, rejected) and the warnings by code. */
  readonly outcomes?: Record<string, unknown>;
  readonly encoding?: string | null;
  readonly formatVersion?: string | null;
  readonly error?: Record<string, unknown> | null;
}

export async function updateFile(db: Executor, fileId: number, u: FileUpdate): Promise<void> {
  await db
    .updateTable('import_file')
    .set({
      status: u.status,
      ...(u.records !== undefined ? { records: u.records } : {}),
      ...(u.rejects !== undefined ? { rejects: u.rejects } : {}),
      ...(u.unknownAttributes ? { unknown_attributes: JSON.stringify(u.unknownAttributes) } : {}),
      ...(u.outcomes ? { outcomes: JSON.stringify(u.outcomes) } : {}),
      ...(u.encoding !== undefined ? { encoding: u.encoding } : {}),
      ...(u.formatVersion !== undefined ? { format_version: u.formatVersion } : {}),
      ...(u.error !== undefined
        ? { error: u.error === null ? null : JSON.stringify(u.error) }
        : {}),
    })
    .where('id', '=', fileId)
    .execute();
}

/** Date of the last complete applied (fully or partly) for this scope and level. */
export async function lastAppliedComplete(
  db: Executor,
  scope: string,
  level: Level,
): Promise<string | null> {
  const row = await db
    .selectFrom('import_run')
    .select((eb) => eb.fn.max('file_date').as('date'))
    .where('kind', '=', 'complete')
    .where('scope', '=', scope)
    .where('level', '=', level)
    .where('status', 'in', ['applied', 'partially_held'])
    .executeTakeFirst();
  return (row?.date as string | null | undefined) ?? null;
}

/**
 * Which of these files were already applied by an earlier import: same content (sha256) and same
 * file date. (A newer complete with the same content as an older one is not a duplicate: what it
 * leaves out departs.) Returns `<sha256> <date>` keys.
 */
/**
 * The files of this delivery already applied, as `sha256 date` keys. A file counts as applied
 * only when an import of the same reach applied it: an academy-wide import, or one submitted with
 * exactly the same establishments. A scoped import applies only its establishments' records of a
 * file (the others are refused OUT_OF_SCOPE), so it never makes the file a duplicate for an
 * academy-wide import or for another establishment's key.
 */
export async function appliedFiles(
  db: Executor,
  files: readonly { sha256: string; date: string }[],
  submitterUais: readonly string[] | null = null,
): Promise<Set<string>> {
  if (files.length === 0) return new Set();
  const sameReach =
    submitterUais === null
      ? sql`r.submitter_uais is null`
      : sql`(r.submitter_uais is null or (r.submitter_uais @> ${[...submitterUais]}::text[]
          and r.submitter_uais <@ ${[...submitterUais]}::text[]))`;
  const { rows } = await sql<{ key: string }>`
    select distinct f.sha256 || ' ' || f.file_date as key
    from import_file f join import_run r on r.id = f.import_id
    where f.sha256 = any(${files.map((f) => f.sha256)}::text[]) and f.status = 'applied'
      and ${sameReach}`.execute(db);
  return new Set(rows.map((r) => r.key));
}

/**
 * Runs left in 'planning' or 'applying' by a process that died (the import lock is held by the
 * caller, so no live import owns them): marked failed, their plan dropped. Nothing of them was
 * applied — the apply transaction rolled back with the process. `at`: the engine's clock.
 */
export async function recoverInterruptedRuns(db: Executor, at: Date): Promise<number[]> {
  const rows = await db
    .updateTable('import_run')
    .set({
      status: 'failed',
      finished_at: at,
      error: JSON.stringify(runError(IngestErrors.INTERRUPTED())),
    })
    .where('status', 'in', ['planning', 'applying'])
    .returning('id')
    .execute();
  const ids = rows.map((r) => r.id);
  await dropPlanItems(db, ids.map(Number));
  return ids;
}
