import type {
  AafEntity,
  AafKind,
  Level,
  PersonCategory,
  RawRecord,
  Reject,
  Warning,
} from '@aaf-sync/aaf';
import type { IngestDeps } from '../deps.js';
import { warningRow, type WarningRow } from '../report/import-warnings.js';
import type { RejectSink } from '../run/reject-sink.js';
import { EstablishmentStats, ReferenceStats } from './establishment-stats.js';
import type { PlanSpool } from './plan-spool.js';
import type { StructureDirectory } from './structure-directory.js';
import { aafIdOf, type PersonKeys } from './scope-keys.js';
import type { ScopeCheck } from './submitter-scope.js';

export interface SeenPerson {
  readonly category: PersonCategory;
}

/**
 * What reading records finds: kept per file, merged into the delivery (`mergeScratch`) only when
 * the file was read whole.
 */
export interface Findings {
  readonly stats: EstablishmentStats;
  /** Structures, subjects and MEFs, on lines of their own. */
  readonly references: ReferenceStats;
  /** Persons present (changed or not): departures are computed from it. */
  readonly seen: Map<string, SeenPerson>;
  /** Relative jointure → establishment of the first pupil naming it. */
  readonly relativeUnits: Map<string, string>;
  /** Keys of structures, subjects and MEFs present. */
  readonly seenReferences: Set<string>;
  /** Establishments named by the persons (their units). */
  readonly referencedStructures: Set<string>;
  /** Data-quality warnings (the delivery's: of the files read whole, stored when planning ends). */
  readonly warnings: WarningRow[];
}

export function newFindings(): Findings {
  return {
    stats: new EstablishmentStats(),
    references: new ReferenceStats(),
    seen: new Map(),
    relativeUnits: new Map(),
    seenReferences: new Set(),
    referencedStructures: new Set(),
    warnings: [],
  };
}

/** What the planning of one delivery accumulates across its files. */
export interface DeliveryState extends Findings {
  readonly deps: IngestDeps;
  readonly importId: number;
  readonly kind: AafKind;
  readonly levelHint: Level | null;
  /**
   * The académie scope of the delivery's file names ('-': none). Its records touch only the
   * persons and structures of this scope: the same id in another scope is another person (its
   * records and references are mapped to directory keys, see scope-keys.ts).
   */
  readonly fileScope: string;
  /** Structure keys (`keyOf`) of the delivery's scope, UAIs and names. */
  readonly structures: StructureDirectory;
  /** Person keys of the delivery's scope. */
  readonly personKeys: PersonKeys;
  /** The submitter's establishments: records outside them are rejected (OUT_OF_SCOPE). */
  readonly scope: ScopeCheck;
  readonly plans: PlanSpool;
  readonly rejects: RejectSink;
  /**
   * New structure jointures whose UAI a known structure holds → that structure's jointure: held
   * for approval (never a silent second school), and unknown to the persons of the delivery.
   */
  readonly uaiConflicts: Map<string, string>;
  /** Pupils found again by their INE in this delivery: old jointure → new jointure. */
  readonly ineMerges: Map<string, string>;
  /**
   * Whether planning may store the fingerprints of unchanged records whose bytes changed
   * (`person.raw_hash`, not part of the directory): not in a dry run.
   */
  readonly writesFingerprints: boolean;
  /**
   * The directory held no person when planning began (a first import). Nothing writes persons
   * while a delivery is planned (the import lock is held), so the look-ups of existing persons
   * (by jointure, INE, scope, relatives' establishments) would find nothing and are skipped.
   */
  readonly noPersons: boolean;
  /**
   * Creates are planned without their field diff (`[null, value]` for every column, which the
   * item's columns already hold): a first import to be applied on the fast path
   * (`settings.fastFirstImport`), not a dry run (whose plan is kept for reading).
   */
  readonly lightCreates: boolean;
}

/** What one file adds; merged into the delivery state only when the file was read whole. */
export interface FileScratch extends Findings {
  /** null: items planned from the directory itself (persons whose unknown structures arrived). */
  readonly fileId: number | null;
  readonly fileName: string;
  readonly entity: AafEntity;
  /** What became of each record of the file: they add up to `records`. */
  readonly outcomes: Record<RecordOutcome, number>;
  /** Unknown attribute name → number of records carrying it. */
  readonly unknownAttributes: Map<string, number>;
  records: number;
}

/**
 * What became of one record of a file (a request read): exactly one each. `held`: a new structure
 * held for its UAI (UAI_CONFLICT), counted `created` once approved.
 */
export type RecordOutcome =
  'created' | 'updated' | 'restored' | 'unchanged' | 'departed' | 'rejected' | 'held';

/** Every outcome at zero: a new file's tally, and what an older stored run lacks. */
export function noOutcomes(): Record<RecordOutcome, number> {
  return { created: 0, updated: 0, restored: 0, unchanged: 0, departed: 0, rejected: 0, held: 0 };
}

export function newFileScratch(
  fileId: number | null,
  fileName: string,
  entity: AafEntity,
): FileScratch {
  return {
    fileId,
    fileName,
    entity,
    ...newFindings(),
    outcomes: noOutcomes(),
    unknownAttributes: new Map(),
    records: 0,
  };
}

export function mergeScratch(state: Findings, file: Findings): void {
  state.stats.merge(file.stats);
  state.references.merge(file.references);
  for (const [k, v] of file.seen) state.seen.set(k, v);
  for (const [k, v] of file.relativeUnits)
    if (!state.relativeUnits.has(k)) state.relativeUnits.set(k, v);
  for (const k of file.seenReferences) state.seenReferences.add(k);
  for (const k of file.referencedStructures) state.referencedStructures.add(k);
  state.warnings.push(...file.warnings);
}

/** Notes a data-quality warning of a kept record, under its establishment when known. */
export function warnIn(
  state: DeliveryState,
  file: FileScratch,
  id: string,
  warnings: readonly Warning[],
  structure: string | null,
): void {
  for (const w of warnings)
    file.warnings.push(warningRow(w, aafIdOf(id), structure, state.structures.uai(structure)));
}

/**
 * Records a reject of the current file, counted against its establishment when known. `uai`
 * overrides the establishment's UAI in the directory (an OUT_OF_SCOPE reject names the UAI the
 * record sent).
 */
export async function rejectIn(
  state: DeliveryState,
  file: FileScratch,
  raw: Pick<RawRecord, 'id' | 'line'> & { aafId?: string; xml?: string | null },
  reject: Reject,
  structure: string | null,
  uai?: string | null,
): Promise<void> {
  const category = CATEGORY_OF[file.entity];
  if (category) file.stats.add(structure, 'rejects', 1, category);
  await state.rejects.add({
    fileId: file.fileId,
    fileName: file.fileName,
    line: raw.line,
    entity: file.entity,
    // the AAF id, as the file names it (not the directory key)
    identifier: raw.aafId ?? aafIdOf(raw.id),
    structure,
    uai: uai !== undefined ? uai : state.structures.uai(structure),
    reject,
    raw: raw.xml ?? null,
  });
}

/** Notes what one record of the file came to. */
export function tally(file: FileScratch, outcome: RecordOutcome): void {
  file.outcomes[outcome] += 1;
}

export const CATEGORY_OF: Partial<Record<AafEntity, PersonCategory>> = {
  Eleve: 'pupil',
  PersRelEleve: 'relative',
  PersEducNat: 'staff',
};
