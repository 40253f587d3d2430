import type { WrittenFile } from './chunk-writer.js';
import type { GenerateOptions } from './options.js';
import type { SchoolLevel } from './plan.js';

/** The manifest written next to the files (`manifest.json`); see the README for each field. */
export interface Manifest {
  readonly format: 'aaf-sync-generator/1';
  readonly seed: number;
  /** The options after defaults, without `out`. */
  readonly options: Omit<GenerateOptions, 'out'>;
  readonly deliveries: readonly DeliveryManifest[];
}

export interface DeliveryManifest {
  readonly level: SchoolLevel;
  readonly kind: 'complete' | 'delta';
  /** YYYY-MM-DD. */
  readonly date: string;
  /** Folder of the files relative to the output folder (`.`, `2d`, `1d`). */
  readonly dir: string;
  /** Archive file name in `dir` when `archive` is set, else null. */
  readonly archive: string | null;
  readonly files: readonly WrittenFile[];
  readonly expected: CompleteExpectation | DeltaExpectation;
}

export interface PersonCounts {
  readonly pupils: number;
  readonly relatives: number;
  readonly staff: number;
}

export interface StructureExpectation {
  readonly jointure: string;
  readonly uai: string;
  /** ENTStructureNomCourant as written. */
  readonly name: string;
  readonly type: string;
  readonly level: SchoolLevel;
  /** Pupils whose ENTPersonStructRattach is this structure. */
  readonly pupils: number;
  /** Distinct relatives linked to those pupils (legal or contact). */
  readonly relatives: number;
  /**
   * Those of them legally responsible (legal 1 or 2) for one of those pupils: the relative
   * accounts of the establishment; the others are contacts without an account.
   */
  readonly relativeAccounts: number;
  /** Staff naming the structure (attachment, functions, direction, services) by profile. */
  readonly teachers: number;
  readonly nonTeachers: number;
  /** Classes and groups with at least one pupil. */
  readonly classes: number;
  readonly groups: number;
}

export interface RejectExpectation {
  /** A RejectCode of @aaf-sync/aaf. */
  readonly code: 'MISSING_REQUIRED' | 'COMPOSITE_ARITY';
  /** `record`: the record is dropped; `value`: one value is dropped, the record kept. */
  readonly scope: 'record' | 'value';
  readonly entity: string;
  readonly attribute: string;
  readonly count: number;
  readonly ids: readonly string[];
}

export interface QuirkExpectation {
  readonly kind:
    | 'raw-utf8-file'
    | 'iso-8859-15-file'
    | 'html-named-entities'
    | 'double-escaped-apostrophe'
    | 'unknown-attribute'
    | 'non-latin-names'
    /** A pupil born on 31 February: kept, with a BIRTH_DATE_INVALID warning. */
    | 'impossible-birth-date'
    /** A chief or deputy whose DIR function alone puts it in the direction (no ENTEnsFonctionDir). */
    | 'dir-function-without-fonction-dir'
    /** A teacher teaching a class of a structure absent from the files: one UNKNOWN_STRUCTURE warning. */
    | 'unknown-structure-teaching'
    /**
     * (Both levels) A CM2 pupil of the 1D Complet carrying the INE of a 6e pupil of the 2D
     * Complet: the same child, still listed by the école at the rentrée. Read after the 2D
     * Complet: a second person and an INE_CONFLICT warning (the collégien stays at the collège);
     * read before it: the collège's record takes the pupil over (identity by INE). `ids`: the
     * 1D jointures; `pairs`: `<1D jointure>$<2D jointure>`.
     */
    | 'ine-shared-with-college';
  /** Files concerned (file quirks) or the entity (record quirks). */
  readonly files?: readonly string[];
  readonly entity?: string;
  readonly attribute?: string;
  readonly pairs?: readonly string[];
  readonly count: number;
  readonly ids?: readonly string[];
}

export interface CompleteExpectation {
  readonly persons: PersonCounts & {
    readonly teachers: number;
    readonly nonTeachers: number;
    /** Relatives with at least one legal link / with contact links only. */
    readonly relativesLegal: number;
    readonly relativesContactOnly: number;
    readonly total: number;
  };
  readonly structures: readonly StructureExpectation[];
  readonly subjects: number;
  readonly mefs: number;
  readonly classes: number;
  readonly groups: number;
  /** Distinct (pupil, relative) links; legal = legal responsibility 1. */
  readonly relativeLinks: {
    readonly total: number;
    readonly legal: number;
    readonly contactOnly: number;
  };
  /** Distinct (teacher, structure, class|group, subject) values; stale: the class has no pupil. */
  readonly teachingLinks: {
    readonly total: number;
    readonly classes: number;
    readonly groups: number;
    readonly stale: number;
  };
  /** Distinct (teacher, structure, class) head-teacher links. */
  readonly headTeacherLinks: number;
  /** Distinct (staff, structure) direction links (ENTEnsFonctionDir). */
  readonly directionLinks: number;
  /** Teachers whose functions name two structures. */
  readonly multiStructureTeachers: number;
  /** Staff records with an empty ENTPersonStructRattach. */
  readonly staffWithoutStructRattach: number;
  /** Staff whose only function is the `-$SANS OBJET$-$SANS OBJET` placeholder. */
  readonly placeholderFunctions: number;
  readonly rejects: readonly RejectExpectation[];
  readonly quirks: readonly QuirkExpectation[];
}

export interface DeltaExpectation {
  readonly adds: PersonCounts;
  readonly modifies: PersonCounts;
  readonly deletes: PersonCounts;
  /** Persons present once this Delta is applied on the Complet and the previous Deltas. */
  readonly after: PersonCounts;
}
