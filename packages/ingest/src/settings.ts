import { DEFAULT_AAF_LIMITS, type AafLimits } from '@aaf-sync/aaf';

/** The settings of the import engine (a slice of the service configuration). */
export interface IngestSettings {
  /** Hold an establishment whose plan departs more than this share of its active persons. */
  readonly holdThresholdPercent: number;
  /** …but only when at least this many persons depart. */
  readonly holdMinDepartures: number;
  /** Keep relatives no pupil links to (reported), or reject them (UNLINKED_RELATIVE). */
  readonly keepUnlinkedRelatives: boolean;
  /**
   * Legal-responsibility codes of `ENTElevePersRelEleve` that give a relative an account (a link
   * without the flag, from the legacy attributes, counts as legal). Default 1 and 2.
   */
  readonly relativeAccountLegalCodes?: readonly number[];
  /** Records per database batch. */
  readonly batchSize: number;
  /** Bounds on the files read (nesting, attributes, values, bytes): see packages/aaf. */
  readonly aafLimits?: AafLimits;
  /**
   * The first import into an empty directory takes the fast path (default true): lighter plan
   * items, no look-ups or version checks, persons and events written with `COPY`. The same
   * directory results either way; false forces the general path (tests compare the two).
   */
  readonly fastFirstImport?: boolean;
}

export const DEFAULT_INGEST_SETTINGS: IngestSettings = Object.freeze({
  holdThresholdPercent: 10,
  holdMinDepartures: 5,
  keepUnlinkedRelatives: true,
  relativeAccountLegalCodes: [1, 2],
  batchSize: 1000,
  aafLimits: DEFAULT_AAF_LIMITS,
});
