import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Postgres `date` columns are read as 'YYYY-MM-DD' strings (see create-db.ts). */
export type DateString = string;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type Json<T = unknown> = ColumnType<T, T | string, T | string>;
/**
 * A jsonb column with a database default. (`Generated<Json<T>>` would nest two ColumnTypes, which
 * `Selectable` unwraps only once: rows would be typed `Json<T>` instead of `T`.)
 */
export type JsonDefault<T = unknown> = ColumnType<T, T | string | undefined, T | string>;

export const IMPORT_KINDS = ['complete', 'delta'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];
export const IMPORT_STATUSES = [
  'queued',
  'planning',
  'planned',
  'applying',
  'applied',
  'held',
  'partially_held',
  'dry_run',
  'duplicate',
  'refused',
  'failed',
  'discarded',
  /** Planned and reported while the calendar suspends the directory feed; not applied. */
  'suspended',
] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];
/** The statuses of a run not finished yet: waiting for the ingester, or being worked on. */
export const RUNNING_IMPORT_STATUSES: readonly ImportStatus[] = ['queued', 'planning', 'applying'];

export interface ImportRunTable {
  id: Generated<number>;
  kind: ImportKind;
  scope: string;
  /** Null while queued (known once the ingester reads the delivery). */
  level: '1d' | '2d' | null;
  file_date: DateString;
  source: string;
  delivery_name: string;
  /** Null while queued. */
  content_hash: string | null;
  status: ImportStatus;
  dry_run: Generated<boolean>;
  options: JsonDefault<Record<string, unknown>>;
  summary: Json<Record<string, unknown>> | null;
  error: Json<Record<string, unknown>> | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
  /** Who submitted it: `key:<id>`, `cli:<user>`, or null (inbox, older runs). */
  submitted_by: string | null;
  /** The submitter's establishment scope (UAIs); null = academy-wide. */
  submitter_uais: string[] | null;
  /** UAIs of the establishments the import changed (its applied plans and approvals). */
  uais_touched: Generated<string[]>;
  progress: Json<ImportProgress> | null;
  /** Report lines of no establishment: `noEstablishment` persons, `references` (structures…). */
  tallies: JsonDefault<Record<string, unknown>>;
}

export const IMPORT_PHASES = ['queued', 'reading', 'planning', 'applying', 'done'] as const;
export type ImportPhase = (typeof IMPORT_PHASES)[number];

/** Where a running import is, written by the ingester (throttled). */
export interface ImportProgress {
  readonly phase: ImportPhase;
  readonly recordsRead: number;
  readonly bytesRead: number;
  readonly updatedAt: string;
}

export const IMPORT_FILE_STATUSES = [
  'pending',
  'parsed',
  'applied',
  'duplicate',
  'failed',
  'skipped',
] as const;
export type ImportFileStatus = (typeof IMPORT_FILE_STATUSES)[number];

export interface ImportFileTable {
  id: Generated<number>;
  import_id: number;
  name: string;
  entity: string;
  kind: ImportKind;
  file_date: DateString;
  chunk: number;
  sha256: string;
  size_bytes: number;
  encoding: string | null;
  format_version: string | null;
  records: Generated<number>;
  rejects: Generated<number>;
  unknown_attributes: JsonDefault<Record<string, number>>;
  /** What became of the file's records (created, updated…, rejected) and its warnings by code. */
  outcomes: JsonDefault<Record<string, unknown>>;
  status: ImportFileStatus;
  error: Json<Record<string, unknown>> | null;
}

/** A data-quality warning: the record was kept, but something in it is doubtful. */
export interface ImportWarningTable {
  id: Generated<number>;
  import_id: number;
  structure_jointure: string | null;
  uai: string | null;
  code: string;
  /** The jointure of the person or class concerned. */
  subject: string;
  message: string;
}

/**
 * The legal codes the last apply gave relatives their accounts by (RELATIVE_ACCOUNT_LEGAL_CODES);
 * one row. A change makes the next apply recompute every active relative.
 */
export interface RelativeAccountCodesTable {
  singleton: Generated<boolean>;
  codes: number[];
  import_id: number | null;
  updated_at: Generated<Date>;
}

export interface ImportRejectTable {
  id: Generated<number>;
  import_id: number;
  file_id: number | null;
  file_name: string;
  line: number | null;
  entity: string | null;
  identifier: string | null;
  structure_jointure: string | null;
  uai: string | null;
  code: string;
  message: string;
  attribute: string | null;
  raw: string | null;
}

/** The columns of `import_reject` that describe the reject (written by the engine, exported as CSV). */
export const REJECT_DETAIL_COLUMNS = [
  'file_name',
  'line',
  'entity',
  'identifier',
  'structure_jointure',
  'uai',
  'code',
  'message',
  'attribute',
  'raw',
] as const satisfies readonly (keyof ImportRejectTable)[];

export const PLAN_STATUSES = [
  'planned',
  'applied',
  'held',
  'approved',
  'discarded',
  'dry_run',
  'superseded',
] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export interface ImportPlanTable {
  import_id: number;
  structure_jointure: string;
  uai: string | null;
  status: PlanStatus;
  counts: Json<Record<string, number>>;
  active_before: Generated<number>;
  departures: Generated<number>;
  /** The plan departs more than the hold threshold (held, or would be held in a dry run). */
  over_threshold: Generated<boolean>;
  decided_at: Timestamp | null;
  decided_by: string | null;
}

export const PLAN_ACTIONS = ['create', 'update', 'restore', 'depart', 'leave'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export interface ImportPlanItemTable {
  import_id: number;
  seq: number;
  structure_jointure: string | null;
  entity: string;
  key: string;
  action: PlanAction;
  base_version: number | null;
  file_id: number | null;
  payload: Json<Record<string, unknown>>;
}

export const DECISION_KINDS = ['approve', 'discard'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];
export const DECISION_STATUSES = ['queued', 'running', 'done', 'failed'] as const;
export type DecisionStatus = (typeof DECISION_STATUSES)[number];

export interface ImportDecisionTable {
  id: Generated<number>;
  import_id: number;
  uai: string;
  decision: DecisionKind;
  actor: string;
  status: Generated<DecisionStatus>;
  error: Json<Record<string, unknown>> | null;
  requested_at: Generated<Date>;
  finished_at: Timestamp | null;
}

export type ImportDecision = Selectable<ImportDecisionTable>;
export type ImportRun = Selectable<ImportRunTable>;
export type NewImportRun = Insertable<ImportRunTable>;
export type NewImportPlan = Insertable<ImportPlanTable>;
export type ImportRunUpdate = Updateable<ImportRunTable>;
export type ImportFile = Selectable<ImportFileTable>;
export type ImportReject = Selectable<ImportRejectTable>;
export type ImportWarning = Selectable<ImportWarningTable>;
export type NewImportWarning = Insertable<ImportWarningTable>;
export type NewImportReject = Insertable<ImportRejectTable>;
export type ImportPlan = Selectable<ImportPlanTable>;
export type ImportPlanItem = Selectable<ImportPlanItemTable>;
