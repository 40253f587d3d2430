/**
 * The contract between the AAF reader (this package) and its consumers (the ingestion engine).
 * Raw records keep the file's attributes as they are; normalized records are what the directory
 * stores. See ../README.md and docs/aaf-format.md.
 */
import type { Readable } from 'node:stream';

/** File entity tokens, as they appear in file names (`…_<Entity>_0000.xml`). */
export type AafEntity =
  'EtabEducNat' | 'MatiereEducNat' | 'MefEducNat' | 'Eleve' | 'PersRelEleve' | 'PersEducNat';

/** Processing order inside a delivery: structures → nomenclatures → persons (links last). */
export const ENTITY_ORDER: readonly AafEntity[] = [
  'EtabEducNat',
  'MatiereEducNat',
  'MefEducNat',
  'Eleve',
  'PersRelEleve',
  'PersEducNat',
];

export type AafKind = 'complete' | 'delta';
export type Level = '1d' | '2d';

/** What a file name tells: `ENT_<scope>_<Complet|Delta>_<YYYYMMDD>_<Entity>_<NNNN>.xml`. */
export interface AafFileName {
  /** The base name, without folders. */
  readonly name: string;
  /** Tokens before the kind, joined with `_` (e.g. `ENT_TEST`, `FULL_ENTTSSERVICES`, `ENT`). */
  readonly prefix: string;
  /** The scope token (académie/consumer code or UAI) when present, else null. */
  readonly scope: string | null;
  readonly kind: AafKind;
  /** The file date as YYYY-MM-DD. */
  readonly date: string;
  readonly entity: AafEntity;
  /** The chunk number (`_0000` → 0). */
  readonly chunk: number;
}

/** One operation of a file, attributes as read (values deduplicated, empty values kept). */
export interface RawRecord {
  readonly op: 'add' | 'modify' | 'delete';
  /** `categoriePersonne`, `categorieStructure`, `categorieMatiere`, `categorieMef` (or null). */
  readonly categoryAttribute: string | null;
  /** `Eleve`, `PersRelEleve`, `PersEducNat`, `EtabEducNat`, `MatEducNat`, `MefEducNat`… */
  readonly category: string | null;
  /** `<identifier><id>`: the jointure (or subject/MEF code). */
  readonly id: string;
  /**
   * add: every `<attr>`; modify: every `<modification>` (operation `replace`: the new complete
   * value set); delete: empty. Values in file order, duplicates removed, '' kept for `<value/>`.
   */
  readonly attributes: Readonly<Record<string, readonly string[]>>;
  /** 1-based line of the request's start tag. */
  readonly line: number;
  /**
   * An addRequest read by `readAafFileSkipping` from its own bytes: their fingerprint (see
   * RequestPrint). Stored with the record, it lets the next identical request be skipped.
   */
  readonly rawHash?: string;
}

/**
 * Stable reject reason codes. A record reject drops the record; a value reject drops one value
 * (or one attribute) and keeps the record.
 */
export type RejectCode =
  // reader: the shape of a request
  | 'MALFORMED_RECORD'
  | 'MISSING_IDENTIFIER'
  | 'UNSUPPORTED_OPERATION'
  | 'CATEGORY_MISMATCH'
  | 'DUPLICATE_RECORD'
  // normalizer: content
  | 'IDENTIFIER_MISMATCH'
  | 'MISSING_REQUIRED'
  | 'INVALID_DATE'
  | 'INVALID_VALUE'
  | 'COMPOSITE_ARITY'
  // ingestion engine: consistency with the directory
  | 'UNKNOWN_ENTITY'
  | 'CATEGORY_CHANGE'
  | 'UNLINKED_RELATIVE'
  | 'UNKNOWN_STRUCTURE'
  | 'OUT_OF_SCOPE'
  /** An id holding '@', the separator of the directory keys of académie scopes. */
  | 'INVALID_IDENTIFIER';

export interface Reject {
  readonly code: RejectCode;
  readonly message: string;
  /** The attribute concerned, for value rejects. */
  readonly attribute?: string;
  /** The offending value, for value rejects. */
  readonly value?: string;
}

/**
 * The data-quality warning codes: the record is kept (an account is worth more than a perfect
 * record) but something in it is doubtful. Listed per establishment, distinct from rejects. The
 * one list: the report's and the API's descriptions are built from it.
 */
export const WARNING_CODES = [
  'BIRTH_DATE_MISSING',
  'BIRTH_DATE_INVALID',
  'RELATIVE_FLAGS_CONFLICT',
  'GROUP_CLASSES_UNKNOWN',
  // ingestion engine
  'RELATIVE_UNLINKED',
  'RELATIVE_PUPILS_DEPARTED',
  /** A link to a structure absent from the directory: kept aside until the structure arrives. */
  'UNKNOWN_STRUCTURE',
  /** A new structure jointure with the UAI of a known structure: held for approval. */
  'UAI_CONFLICT',
  /** Two active pupils share an INE. */
  'INE_CONFLICT',
] as const;

export type WarningCode = (typeof WARNING_CODES)[number];

export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
  readonly attribute?: string;
  readonly value?: string;
}

/** Reader output: a record, or a record-level reject (the raw XML of the request is given). */
export type ReaderItem =
  | { readonly type: 'record'; readonly record: RawRecord }
  | {
      readonly type: 'reject';
      readonly line: number;
      readonly id: string | null;
      readonly reject: Reject;
      readonly raw: string;
    };

/**
 * The fingerprint of one addRequest's bytes, before any parsing: SHA-1 (base64) of the file's
 * entity, its encoding and the bytes from `<addRequest>` to `</addRequest>`. The same
 * fingerprint means the same bytes, hence the same record once parsed.
 */
export interface RequestPrint {
  /** `<identifier><id>`, read from the bytes (only for plain ids: no entity, no markup). */
  readonly id: string;
  readonly hash: string;
}

/**
 * An addRequest `readAafFileSkipping` was told to skip: not parsed (its bytes are identical to
 * a record the consumer already holds). Counted in the file's records like any other.
 */
export interface UnchangedItem {
  readonly type: 'unchanged';
  readonly id: string;
  readonly rawHash: string;
  /** 1-based line of the request's start tag. */
  readonly line: number;
  /** The names of its `<attributes>` the format does not document for the file's entity. */
  readonly unknownAttributes: readonly string[];
  /** The request as written (for a reject the consumer may still decide on; decoded when read). */
  readonly raw: string;
}

/** What the reader learnt about a file once it has been read to the end. */
export interface ReadSummary {
  /** The encoding used to decode the file (from the XML declaration; utf-8 when absent). */
  readonly encoding: string;
  /** `AAF-VE1301` from a `<!-- versionAF="…" -->` comment, when present. */
  readonly formatVersion: string | null;
  readonly records: number;
  readonly rejects: number;
  readonly bytes: number;
  /**
   * Bytes that were not valid in a file read as UTF-8 (declared or assumed) and were decoded as
   * windows-1252 instead (a mislabelled Latin-1 file); 0 for a clean file. See the README.
   * Optional in the type for compatibility; always set by readAafFile.
   */
  readonly invalidBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Deliveries

/** One XML file of a delivery: its parsed name, its size, and a way to stream its bytes. */
export interface AafDeliveryFile {
  readonly fileName: AafFileName;
  /** Uncompressed size in bytes (as listed by the directory or the archive). */
  readonly size: number;
  /**
   * Where it comes from: the file path, or `<archive path>!<entry name>`. Optional in the type
   * for compatibility; always set by openDeliveries.
   */
  readonly source?: string;
  /** Opens the file's bytes (from disk or streamed out of its archive); call once per read. */
  open(): Promise<Readable>;
}

/** A set of files of one kind, date and scope (one académie export), in processing order. */
export interface AafDelivery {
  /** The archive name, or `<prefix>_<Complet|Delta>_<YYYYMMDD>` for loose files. */
  readonly name: string;
  readonly kind: AafKind;
  /** YYYY-MM-DD. */
  readonly date: string;
  readonly scope: string | null;
  /** From the archive name (`ENT1D…`/`ENT2D…`) or a `1d`/`2d` folder; null: infer per record. */
  readonly level: Level | null;
  /** Sorted by ENTITY_ORDER, then chunk. */
  readonly files: readonly AafDeliveryFile[];
  /** Files found next to the delivery's files and not read (DTD, unrelated, bad names…). */
  readonly ignored: readonly { readonly name: string; readonly reason: string }[];
}

// ---------------------------------------------------------------------------------------------
// Normalized records

export interface StructureRecord {
  readonly kind: 'structure';
  readonly level: Level;
  readonly jointure: string;
  /** Valid UAI (`^[0-9]{7}[A-Z]$`) or null (an invalid one is a value reject). */
  readonly uai: string | null;
  /** Display name: ENTStructureNomCourant with `$` separators turned into ' - '. */
  readonly name: string;
  readonly type: string | null;
  readonly contract: string | null;
  readonly academy: string | null;
  /** Classes/groups the structure declares (2D); informative only: classes come from pupils. */
  readonly declaredClasses: readonly { code: string; label: string; mefs: readonly string[] }[];
  readonly declaredGroups: readonly { code: string; label: string; classes: readonly string[] }[];
  /**
   * The rest, by theme (`contact`: address, phone, mail…; `admin`: SIREN, ministry, basin,
   * district…). Plain JSON values. Optional in the type for compatibility; always set by
   * normalizeRecord.
   */
  readonly details?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface SubjectRecord {
  readonly kind: 'subject';
  readonly code: string;
  readonly label: string;
}

export interface MefRecord {
  readonly kind: 'mef';
  readonly code: string;
  readonly label: string;
  readonly attachment: string | null;
  readonly stat11: string | null;
}

/** A class or group reference: 2D `struct$code` (label = code); 1D 5 fields (id, label). */
export interface GroupRef {
  readonly structure: string;
  readonly code: string;
  readonly label: string;
}

export interface RelativeRef {
  readonly jointure: string;
  /** BCN relationship code (10 mère, 20 père, …) or null when absent (2D legacy attributes). */
  readonly relationship: string | null;
  readonly financial: boolean | null;
  /** 0 none, 1 legal representative, 2 "personne en charge" (post-2020 meaning). */
  readonly legal: number | null;
  readonly contact: boolean | null;
  readonly payment: boolean | null;
}

export interface FunctionRef {
  readonly structure: string;
  readonly code: string;
  readonly label: string;
  readonly disciplineCode: string;
  readonly disciplineLabel: string;
}

export interface TeachingRef {
  readonly structure: string;
  readonly kind: 'class' | 'group';
  readonly code: string;
  /** Subject code (ENTMatJointure) from the …Matieres attributes; '' when none. */
  readonly subject: string;
}

export type PersonCategory = 'pupil' | 'relative' | 'staff';
export type Profile = 'pupil' | 'relative' | 'teacher' | 'staff';

export interface PersonRecord {
  readonly kind: 'person';
  readonly category: PersonCategory;
  /** staff → teacher or staff, by ENTPersonCategorieEnseignant, else presence, else ENS/DOC. */
  readonly profile: Profile;
  readonly level: Level;
  readonly jointure: string;
  readonly givenName: string;
  readonly sn: string;
  readonly birthName: string | null;
  readonly otherGivenNames: readonly string[];
  readonly civility: string | null;
  /** YYYY-MM-DD. */
  readonly birthDate: string | null;
  readonly ine: string | null;
  readonly mail: string | null;
  /**
   * Every structure jointure the record names (attachment, classes, groups, functions,
   * direction, teaching), deduplicated, the primary first. Relatives: empty (they belong to the
   * establishments of their pupils).
   */
  readonly structures: readonly string[];
  /** ENTPersonStructRattach, else the first function's structure, else the first structure. */
  readonly primaryStructure: string | null;
  // pupils
  readonly classes: readonly GroupRef[];
  readonly groups: readonly GroupRef[];
  readonly relatives: readonly RelativeRef[];
  // relatives
  readonly pupils: readonly string[];
  // staff
  readonly functions: readonly FunctionRef[];
  readonly direction: readonly string[];
  readonly teaching: readonly TeachingRef[];
  readonly headTeacher: readonly { structure: string; code: string }[];
  /**
   * The rest, by theme, for the API to expose per audience: `contact` (phones, address, mail
   * consent), `schooling` (MEF, level, regime, status, scholarship, transport, subjects…),
   * `staff` (disciplines, MEFs taught…). Plain JSON values.
   */
  readonly details: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export type NormalizedRecord = StructureRecord | SubjectRecord | MefRecord | PersonRecord;

export interface NormalizeResult<R extends NormalizedRecord = NormalizedRecord> {
  /** null when the record itself is rejected (one of `rejects` says why). */
  readonly record: R | null;
  readonly rejects: readonly Reject[];
  /** Doubtful content of a kept record (see Warning). */
  readonly warnings: readonly Warning[];
}
