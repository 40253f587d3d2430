import type { MefRecord, StructureRecord, SubjectRecord } from '@aaf-sync/aaf';
import type { PlanAction } from '@aaf-sync/db';
import type { PersonDiff } from './person-diff.js';
import type { PersonColumns } from './person-state.js';

export type ReferenceRecord = StructureRecord | SubjectRecord | MefRecord;

export interface ReferencePayload {
  readonly record: ReferenceRecord;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  readonly hash: string;
  readonly fields: Readonly<Record<string, readonly [unknown, unknown]>>;
}

export interface PersonPayload {
  readonly columns: PersonColumns;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  readonly hash: string;
  /**
   * Fingerprint of the addRequest bytes the record was read from (see RequestPrint): stored
   * with the row so that the next identical request is skipped. Null after a modify merge;
   * absent from plans held before it existed.
   */
  readonly rawHash?: string | null;
  readonly diff: PersonDiff;
  /** Existing row id (update, restore). */
  readonly personId: number | null;
  /** Structures the record names that the directory does not hold (links left out). */
  readonly unknownStructures: readonly string[];
  /**
   * The person's jointure before this item: a pupil found again by its INE under a new jointure
   * (the row is renamed, the old jointure kept as an alias, then updated like any other).
   */
  readonly renamedFrom?: string;
}

export interface LeavePayload {
  readonly personId: number;
  /** The structures the person leaves (all of them for a departure). */
  readonly structures: readonly string[];
  /** Why: absent from a complete, or a deleteRequest. */
  readonly reason: 'absent' | 'deleted';
}

/** One line of a plan (`import_plan_item`). `unit` is the establishment whose hold it obeys. */
export type PlanItem =
  | {
      readonly entity: 'structure' | 'subject' | 'mef';
      readonly action: 'create' | 'update';
      readonly key: string;
      readonly unit: string | null;
      readonly baseVersion: number | null;
      readonly fileId: number | null;
      readonly payload: ReferencePayload;
    }
  | {
      readonly entity: 'person';
      readonly action: Extract<PlanAction, 'create' | 'update' | 'restore'>;
      readonly key: string;
      readonly unit: string | null;
      readonly baseVersion: number | null;
      readonly fileId: number | null;
      readonly payload: PersonPayload;
    }
  | {
      readonly entity: 'person';
      readonly action: Extract<PlanAction, 'depart' | 'leave'>;
      readonly key: string;
      readonly unit: string | null;
      readonly baseVersion: number;
      readonly fileId: number | null;
      readonly payload: LeavePayload;
    };

export type PersonChangeItem = Extract<PlanItem, { payload: PersonPayload }>;
export type LeaveItem = Extract<PlanItem, { payload: LeavePayload }>;
export type ReferenceItem = Extract<PlanItem, { payload: ReferencePayload }>;
