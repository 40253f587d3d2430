import {
  RUNNING_IMPORT_STATUSES,
  type ImportFile,
  type ImportKind,
  type ImportPlan,
  type ImportProgress,
  type ImportReject,
  type ImportRun,
  type ImportStatus,
  type ImportWarning,
  type PlanStatus,
} from '@aaf-sync/db';
import { isoTime, isoTimeOrNull } from './person-view.js';

export interface ImportRunView {
  readonly id: number;
  readonly kind: ImportKind;
  readonly scope: string;
  /** Null while queued. */
  readonly level: '1d' | '2d' | null;
  readonly fileDate: string;
  readonly source: string;
  readonly deliveryName: string;
  /** Null while queued. */
  readonly contentHash: string | null;
  readonly status: ImportStatus;
  readonly dryRun: boolean;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly error: Record<string, unknown> | null;
  /** Where the ingester is (null for imports that did not go through the queue). */
  readonly progress: ImportProgress | null;
}

export interface ImportFileView {
  readonly id: number;
  readonly name: string;
  readonly entity: string;
  readonly kind: ImportKind;
  readonly fileDate: string;
  readonly chunk: number;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly encoding: string | null;
  readonly formatVersion: string | null;
  readonly records: number;
  readonly rejects: number;
  readonly unknownAttributes: Record<string, number>;
  readonly status: string;
  readonly error: Record<string, unknown> | null;
}

export interface ImportPlanView {
  readonly structureJointure: string;
  readonly uai: string | null;
  readonly status: PlanStatus;
  readonly counts: Record<string, number>;
  readonly activeBefore: number;
  readonly departures: number;
  readonly decidedAt: string | null;
  readonly decidedBy: string | null;
}

export interface RejectView {
  readonly id: number;
  readonly fileId: number | null;
  readonly fileName: string;
  readonly line: number | null;
  readonly entity: string | null;
  readonly identifier: string | null;
  readonly structureJointure: string | null;
  readonly uai: string | null;
  readonly code: string;
  readonly message: string;
  readonly attribute: string | null;
  readonly raw: string | null;
}

export type ImportRunRow = Omit<
  ImportRun,
  'options' | 'summary' | 'submitted_by' | 'submitter_uais' | 'uais_touched' | 'tallies'
>;

export function importRunRowToView(row: ImportRunRow & { summary?: unknown }): ImportRunView {
  return {
    id: Number(row.id),
    kind: row.kind,
    scope: row.scope,
    level: row.level,
    fileDate: row.file_date,
    source: row.source,
    deliveryName: row.delivery_name,
    contentHash: row.content_hash,
    status: row.status,
    dryRun: row.dry_run,
    createdAt: isoTime(row.created_at),
    finishedAt: isoTimeOrNull(row.finished_at),
    error: row.error,
    progress: progressOf(row),
  };
}

/** Statuses whose report (`summary`) the engine writes right after committing them. */
const REPORTED: readonly ImportStatus[] = [
  'applied',
  'held',
  'partially_held',
  'dry_run',
  'duplicate',
  'refused',
];

/**
 * The progress the ingester wrote, made consistent with the status (the status is the truth: a
 * finished run is `done` even if its last progress write lost the race; a queued run is `queued`).
 * A run whose status is committed but whose report is not written yet is not `done`: a client
 * polling for `done` then reads the report.
 */
function progressOf(row: ImportRunRow & { summary?: unknown }): ImportProgress | null {
  if (row.status === 'queued')
    return { phase: 'queued', recordsRead: 0, bytesRead: 0, updatedAt: isoTime(row.created_at) };
  if (!row.progress) return null;
  // (`summary` undefined: a list row, read without its report)
  const reporting = row.summary === null && REPORTED.includes(row.status);
  return RUNNING_IMPORT_STATUSES.includes(row.status) || reporting
    ? row.progress
    : { ...row.progress, phase: 'done' };
}

export function importFileRowToView(row: ImportFile): ImportFileView {
  return {
    id: Number(row.id),
    name: row.name,
    entity: row.entity,
    kind: row.kind,
    fileDate: row.file_date,
    chunk: row.chunk,
    sha256: row.sha256,
    sizeBytes: Number(row.size_bytes),
    encoding: row.encoding,
    formatVersion: row.format_version,
    records: row.records,
    rejects: row.rejects,
    unknownAttributes: row.unknown_attributes ?? {},
    status: row.status,
    error: row.error,
  };
}

export function importPlanRowToView(row: ImportPlan): ImportPlanView {
  return {
    structureJointure: row.structure_jointure,
    uai: row.uai,
    status: row.status,
    // The numeric counters (the engine also keeps `byCategory` and `holdReason` there: they are
    // in the import's report, `summary`).
    counts: Object.fromEntries(
      Object.entries(row.counts as Record<string, unknown>).filter(
        (e): e is [string, number] => typeof e[1] === 'number',
      ),
    ),
    activeBefore: row.active_before,
    departures: row.departures,
    decidedAt: isoTimeOrNull(row.decided_at),
    decidedBy: row.decided_by,
  };
}

export function rejectRowToView(row: ImportReject): RejectView {
  return {
    id: Number(row.id),
    fileId: row.file_id === null ? null : Number(row.file_id),
    fileName: row.file_name,
    line: row.line,
    entity: row.entity,
    identifier: row.identifier,
    structureJointure: row.structure_jointure,
    uai: row.uai,
    code: row.code,
    message: row.message,
    attribute: row.attribute,
    raw: row.raw,
  };
}

/** A data-quality warning of an import (the record was kept). */
export interface WarningView {
  readonly id: number;
  readonly code: string;
  readonly uai: string | null;
  readonly structure: string | null;
  readonly subject: string;
  readonly message: string;
}

export function warningRowToView(row: ImportWarning): WarningView {
  return {
    id: Number(row.id),
    code: row.code,
    uai: row.uai,
    structure: row.structure_jointure,
    subject: row.subject,
    message: row.message,
  };
}
