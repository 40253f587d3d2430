import {
  sql,
  type Executor,
  type ImportFile,
  type ImportKind,
  type ImportPlan,
  type ImportReject,
  type ImportStatus,
  type ImportWarning,
} from '@aaf-sync/db';
import type { ImportRunRow } from './import-view.js';
import type { KeysetPage } from './person.repository.js';
import type { Scope } from './scope.js';

const RUN_COLUMNS = [
  'r.id',
  'r.kind',
  'r.scope',
  'r.level',
  'r.file_date',
  'r.source',
  'r.delivery_name',
  'r.content_hash',
  'r.status',
  'r.dry_run',
  'r.error',
  'r.created_at',
  'r.finished_at',
  'r.progress',
] as const;

/**
 * An import is visible to a scoped caller when it planned one of the scope's establishments, or
 * when its submitter's scope overlaps the caller's (a scoped key reads back its own uploads, even
 * one whose every record was refused as out of scope).
 */
function importInScope(scope: Scope) {
  if (scope.uais === null) return sql<boolean>`true`;
  const uais = [...scope.uais];
  return sql<boolean>`(r.submitter_uais && ${uais}::text[] or exists (select 1 from import_plan pl
    where pl.import_id = r.id and pl.uai = any(${uais}::text[])))`;
}

export interface ImportFilter {
  readonly status?: ImportStatus;
  readonly kind?: ImportKind;
}

/** Imports in scope, newest first; `page.after` is an id (the page continues below it). */
export async function listImports(
  db: Executor,
  scope: Scope,
  filter: ImportFilter,
  page: KeysetPage<number>,
): Promise<ImportRunRow[]> {
  let q = db.selectFrom('import_run as r').select(RUN_COLUMNS).where(importInScope(scope));
  if (filter.status) q = q.where('r.status', '=', filter.status);
  if (filter.kind) q = q.where('r.kind', '=', filter.kind);
  if (page.after !== null) q = q.where('r.id', '<', page.after);
  return q.orderBy('r.id', 'desc').limit(page.limit).execute();
}

/** One import with the engine's report (`summary`); undefined when absent or out of scope. */
export async function findImport(
  db: Executor,
  scope: Scope,
  id: number,
): Promise<(ImportRunRow & { summary: Record<string, unknown> | null }) | undefined> {
  return db
    .selectFrom('import_run as r')
    .select(RUN_COLUMNS)
    .select('r.summary')
    .where('r.id', '=', id)
    .where(importInScope(scope))
    .executeTakeFirst();
}

/** The files of an import, in processing order. */
export async function listImportFiles(db: Executor, importId: number): Promise<ImportFile[]> {
  return db
    .selectFrom('import_file')
    .selectAll()
    .where('import_id', '=', importId)
    .orderBy('id')
    .execute();
}

/** The establishment plans of an import (only the scope's establishments for scoped callers). */
export async function listImportPlans(
  db: Executor,
  scope: Scope,
  importId: number,
): Promise<ImportPlan[]> {
  let q = db.selectFrom('import_plan').selectAll().where('import_id', '=', importId);
  if (scope.uais !== null) q = q.where('uai', 'in', [...scope.uais]);
  return q.orderBy('uai').orderBy('structure_jointure').execute();
}

/** The plan of one establishment (by UAI) in an import; undefined when absent or out of scope. */
export async function findImportPlan(
  db: Executor,
  scope: Scope,
  importId: number,
  uai: string,
): Promise<ImportPlan | undefined> {
  if (scope.uais !== null && !scope.uais.includes(uai)) return undefined;
  return db
    .selectFrom('import_plan')
    .selectAll()
    .where('import_id', '=', importId)
    .where('uai', '=', uai)
    .orderBy('structure_jointure')
    .limit(1)
    .executeTakeFirst();
}

export interface RejectFilter {
  readonly uai?: string;
  readonly code?: string;
}

/**
 * Rejects of an import by id; scoped callers see only rejects of their establishments, and for
 * an import submitted within their scope also the OUT_OF_SCOPE rejects and those tied to no
 * establishment (records the submitter sent; other rejects without one stay with unscoped
 * callers).
 */
export async function listRejects(
  db: Executor,
  scope: Scope,
  importId: number,
  filter: RejectFilter,
  page: KeysetPage<number>,
): Promise<ImportReject[]> {
  let q = db.selectFrom('import_reject').selectAll().where('import_id', '=', importId);
  if (scope.uais !== null) {
    const uais = [...scope.uais];
    q = q.where(
      sql<boolean>`(uai = any(${uais}::text[]) or ((code = 'OUT_OF_SCOPE' or uai is null) and exists (
        select 1 from import_run r where r.id = import_id and r.submitter_uais && ${uais}::text[])))`,
    );
  }
  if (filter.uai) q = q.where('uai', '=', filter.uai);
  if (filter.code) q = q.where('code', '=', filter.code);
  if (page.after !== null) q = q.where('id', '>', page.after);
  return q.orderBy('id').limit(page.limit).execute();
}

export interface WarningFilter {
  readonly uai?: string;
  readonly code?: string;
}

/**
 * Data-quality warnings of an import by id (every one of them, page by page: the report lists
 * the first thousand); scoped callers see those of their establishments, and for an import
 * submitted within their scope also those tied to no establishment.
 */
export async function listWarnings(
  db: Executor,
  scope: Scope,
  importId: number,
  filter: WarningFilter,
  page: KeysetPage<number>,
): Promise<ImportWarning[]> {
  let q = db.selectFrom('import_warning').selectAll().where('import_id', '=', importId);
  if (scope.uais !== null) {
    const uais = [...scope.uais];
    q = q.where(
      sql<boolean>`(uai = any(${uais}::text[]) or (uai is null and exists (
        select 1 from import_run r where r.id = import_id and r.submitter_uais && ${uais}::text[])))`,
    );
  }
  if (filter.uai) q = q.where('uai', '=', filter.uai);
  if (filter.code) q = q.where('code', '=', filter.code);
  if (page.after !== null) q = q.where('id', '>', page.after);
  return q.orderBy('id').limit(page.limit).execute();
}
