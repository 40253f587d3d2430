import type {
  Database,
  Kysely,
  PersonCategory,
  PersonState,
  Profile,
  TargetKind,
} from '@aaf-sync/db';
import type { SecretBox } from './secret-box.js';

/** An account as the directory holds it now (a person with at least one primary identifier). */
export interface Account {
  readonly id: number;
  readonly jointure: string;
  readonly state: PersonState;
  readonly category: PersonCategory;
  readonly profile: Profile;
  readonly givenName: string;
  readonly sn: string;
  readonly mail: string | null;
  readonly version: number;
  /** UAIs of the establishments the person belongs to. */
  readonly uais: readonly string[];
  /** Primary identifier per namespace (`scribe` → `jmartin`…). */
  readonly logins: Readonly<Record<string, string>>;
  /** ISO date (YYYY-MM-DD), civility (AAF `personalTitle`: `M.`, `Mme`…), INE (pupils). */
  readonly birthDate: string | null;
  readonly civility: string | null;
  readonly ine: string | null;
  /**
   * Classes and groups the person belongs to (pupils), with their establishment's UAI; a class
   * carries its level (`classMef`: the MEF most of its active pupils have).
   */
  readonly memberships: readonly MembershipRef[];
  /** Classes and groups the person teaches (teachers), only those that still have pupils. */
  readonly teaching: readonly ClassRef[];
  /** Active pupils with an account this person is legally responsible for (relatives). */
  readonly children: readonly AccountChild[];
  /**
   * The pupil's MEF (AAF `ENTEleveMEF`): its code and label (the `mef` nomenclature's label, else
   * the record's `ENTEleveLibelleMEF`, else the code); null when the record names none.
   */
  readonly mef: AccountMef | null;
  /** The pupil's id in its school's SIECLE (AAF `ENTEleveStructRattachId`), or null. */
  readonly schoolId: string | null;
  /**
   * Subjects the person teaches (teachers: `teaching_link` subject codes, only in classes and groups
   * that still have pupils), with their establishment's UAI and the nomenclature's label.
   */
  readonly subjects: readonly AccountSubject[];
  /** Classes whose head teacher (professeur principal) the person is. */
  readonly headOf: readonly ClassRef[];
  /**
   * The rentrée blocking holds the account now (calendar-driven, migration 0022): targets keep
   * the account but disable logins until `until` (null when not blocked).
   */
  readonly access: AccountAccess;
}

/** Whether the calendar blocks the account now, until when and why (the message). */
export interface AccountAccess {
  readonly blocked: boolean;
  readonly until: Date | null;
  readonly why: string | null;
}

export interface AccountMef {
  readonly code: string;
  readonly label: string;
}

export interface AccountSubject {
  readonly uai: string;
  readonly code: string;
  readonly label: string;
}

/** A class (`class`) or group (`group`, AAF "groupe") of an establishment, by its code. */
export interface ClassRef {
  readonly uai: string;
  readonly kind: 'class' | 'group';
  readonly code: string;
}

/**
 * A pupil's class or group. `classMef` (classes only) is the class's level: the MEF most of its
 * active pupils have (ties to the smallest code), the same for every pupil of the class whatever
 * their own MEF; absent when no pupil of the class names one.
 */
export interface MembershipRef extends ClassRef {
  readonly classMef?: AccountMef;
}

/** A legal relative's child as targets need it: establishments and logins. */
export interface AccountChild {
  readonly jointure: string;
  readonly uais: readonly string[];
  readonly logins: Readonly<Record<string, string>>;
}

/** What a target should hold for an account: its key there (DN, login) and attributes. */
export interface DesiredEntry {
  readonly key: string;
  readonly attributes: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Set by the full reconcile in place of `attributes` (then empty) when the driver digests
   * desired entries (`TargetDriver.digest`): what the driver's `inSync` compares.
   */
  readonly digest?: unknown;
}

/** One row of a batch: the entry wanted now (null: the target should hold nothing). */
export interface ApplyItem {
  readonly personId: number;
  readonly jointure: string | null;
  readonly desiredVersion: number;
  /** The key the target holds the account under, from the last successful apply. */
  readonly previousKey: string | null;
  /** Whether the target holds an entry for the account (last successful apply). */
  readonly present: boolean;
  readonly entry: DesiredEntry | null;
  /**
   * With `entry` null: a deletion campaign deleted the account on this target, so the driver
   * deletes what it holds (instead of disabling it). Never set otherwise.
   */
  readonly purge?: boolean;
}

export type ApplyResult =
  | { readonly personId: number; readonly ok: true; readonly key: string | null }
  | { readonly personId: number; readonly ok: false; readonly error: string };

/** The target as a driver sees it: options and secrets already validated and decrypted. */
export interface DriverTarget {
  readonly id: number;
  readonly name: string;
  readonly kind: TargetKind;
  readonly uais: readonly string[];
  readonly options: Readonly<Record<string, unknown>>;
  readonly secrets: Readonly<Record<string, unknown>>;
}

/** An entry the target holds, as its driver lists it (`inventory`). */
export interface HeldEntry {
  readonly key: string;
  /** The establishment the entry belongs to on the target side, when the driver knows it. */
  readonly uai: string | null;
  /** Its attributes, when the driver can read them (compared with the desired entry). */
  readonly attributes?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * What the driver kept of the entry for its own `inSync` instead of its attributes: a compact
   * digest made while listing (opaque to the reconcile, never reported).
   */
  readonly digest?: unknown;
}

/**
 * A class or group of an establishment that a deletion campaign (empty groups) deleted in the
 * directory: the target deletes what it holds for it (`purgeGroups`). `id` identifies the item
 * in the batch (the answer carries it back).
 */
export interface GroupPurgeItem {
  readonly id: string;
  readonly uai: string;
  readonly kind: 'class' | 'group';
  /** The directory's code of the class or group (as the AAF spells it). */
  readonly code: string;
}

/**
 * What became of one group on the target: `deleted` (what it held is gone: `removed` lists the
 * keys deleted, empty when it held nothing), `kept` (the target still needs it: it has members
 * again, or the entry there is not ours; `reason` says which) or `failed` (the target refused an
 * operation: retried with backoff).
 */
export type GroupPurgeResult =
  | { readonly id: string; readonly outcome: 'deleted'; readonly removed: readonly string[] }
  | { readonly id: string; readonly outcome: 'kept'; readonly reason: string }
  | { readonly id: string; readonly outcome: 'failed'; readonly error: string };

/**
 * What a target kind implements. `desired` is pure (from the directory as it is now);
 * `apply` makes the minimal change for each item and answers one result per item (a failing
 * account is a failed result, not an exception); it throws only when the whole target is
 * unavailable (its rows then stay pending). `test` checks the connection and the credentials.
 * `inventory` (optional) lists what the target holds for these establishments, for the full
 * reconcile; without it, the reconcile compares with the provisioning state only; `inSync`
 * (optional) is the driver's own comparison of a held entry with a desired one; `purgeGroups`
 * (optional) deletes the groups of an empty-groups campaign.
 */
export interface TargetDriver {
  desired(account: Account): DesiredEntry | null;
  apply(batch: readonly ApplyItem[]): Promise<ApplyResult[]>;
  test(): Promise<{ ok: boolean; detail: string }>;
  inventory?(uais: readonly string[]): Promise<HeldEntry[]>;
  /**
   * Whether what the target holds needs no write for this desired entry (optional; default: the
   * held attributes equal the desired ones). A driver with per-attribute policies (keep, merge)
   * answers with the same comparison its `apply` uses.
   */
  inSync?(held: HeldEntry, desired: DesiredEntry): boolean;
  /**
   * A compact digest of a desired entry for `inSync` (optional). A full reconcile computes each
   * account's desired entry as soon as the account is read and keeps only the key and this
   * digest (the entry's `digest`, `attributes` empty) until the inventory is in, so that the
   * accounts of a large target and their entries are not all held at once. `inSync` must then
   * accept such an entry.
   */
  digest?(desired: DesiredEntry): unknown;
  /**
   * Deletes the groups an empty-groups campaign deleted (optional: a kind whose targets hold no
   * group entries leaves it out, and its purges are skipped). Idempotent: a group already gone is
   * `deleted` with nothing removed; a group with members on the target is `kept`. One result
   * per item; throws only when the whole target is unavailable (the purges stay pending).
   */
  purgeGroups?(groups: readonly GroupPurgeItem[]): Promise<GroupPurgeResult[]>;
  /**
   * Batches this driver may apply at once (default 1): with more, the worker takes that many
   * batches side by side (`reconcileDue`), so that one batch's database work overlaps another's
   * writes. Only for a driver whose `apply` is safe to run concurrently with itself.
   */
  readonly lanes?: number;
  close?(): Promise<void>;
}

/**
 * What a driver may use besides its target: the database (allocations that must never be reused,
 * stored initial credentials, what the directory holds beyond the `Account` view) and the secret
 * box. `desired`
 * stays pure; only `apply`, `test` and `inventory` may read or write through it.
 */
export interface DriverContext {
  readonly db: Kysely<Database>;
  /** The secret box of the targets (seals what a driver stores at rest, e.g. initial passwords). */
  readonly box: SecretBox;
}

export type DriverFactory = (target: DriverTarget, context: DriverContext) => TargetDriver;

/** The drivers a process knows; a kind without one keeps its rows pending (TARGETS_ERR_NO_DRIVER). */
export type DriverRegistry = Readonly<Partial<Record<TargetKind, DriverFactory>>>;
