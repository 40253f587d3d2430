import type {
  ClassGroupKind,
  PersonAliasReason,
  PersonCategory,
  PersonState,
  Profile,
  ProvisioningStatus,
  TargetKind,
  TargetState,
} from '@aaf-sync/db';
import { classGroupKey } from './class-group-view.js';
import { visibleDetails } from './establishment-filter.js';
import { isoTime, isoTimeOrNull } from './person-view.js';
import type { Reader } from './reader.js';

interface Link {
  jointure: string;
  givenName: string | null;
  sn: string | null;
  relationship: string | null;
  legal: number | null;
  financial: boolean | null;
  contact: boolean | null;
  payment: boolean | null;
  /** Whether the linked person holds an account (a relative: only while legal). */
  hasAccount: boolean | null;
}

export interface AccountRow {
  id: number;
  has_account: boolean;
  /** The directory key (links, events, cursors). */
  jointure: string;
  /** The AAF id within `scope`: what the view calls `jointure` (absent: the key). */
  aaf_id?: string;
  scope: string;
  category: PersonCategory;
  profile: Profile;
  level: '1d' | '2d';
  given_name: string;
  sn: string;
  birth_name: string | null;
  birth_date: string | null;
  civility: string | null;
  ine: string | null;
  mail: string | null;
  primary_structure: string | null;
  details: Record<string, unknown>;
  state: PersonState;
  departed_at: Date | string | null;
  version: number;
  created_at: Date | string;
  updated_at: Date | string;
  establishments: {
    jointure: string;
    uai: string | null;
    name: string | null;
    primary: boolean;
    since: string;
  }[];
  memberships: {
    kind: ClassGroupKind;
    structureJointure: string;
    uai: string | null;
    code: string;
    label: string;
    state: 'active' | 'empty';
    since: string;
  }[];
  teaching: {
    kind: ClassGroupKind;
    structureJointure: string;
    code: string;
    subjectCode: string;
    classGroupState: 'active' | 'empty' | null;
  }[];
  functions: {
    structureJointure: string;
    code: string;
    label: string;
    disciplineCode: string;
    disciplineLabel: string;
  }[];
  /** Establishments whose direction the person is part of (ENTEnsFonctionDir, DIR functions). */
  direction: { structureJointure: string; uai: string | null }[];
  relatives: Link[];
  pupils: Link[];
  identifiers: {
    namespace: string;
    value: string;
    status: 'primary' | 'alias' | 'retired';
    createdAt: string;
    retiredAt: string | null;
  }[];
  former_jointures: {
    jointure: string;
    reason: PersonAliasReason;
    importId: number | null;
    since: string;
  }[];
  last_import: {
    id: number;
    kind: 'complete' | 'delta';
    scope: string;
    level: '1d' | '2d';
    fileDate: string;
    deliveryName: string;
    status: string;
    createdAt: string;
    finishedAt: string | null;
  } | null;
  last_file: {
    id: number;
    name: string;
    entity: string;
    kind: string;
    fileDate: string;
  } | null;
  provisioning: {
    target: string;
    kind: TargetKind;
    targetState: TargetState;
    status: ProvisioningStatus;
    targetKey: string | null;
    present: boolean;
    desiredVersion: number;
    appliedVersion: number | null;
    appliedAt: string | null;
    lastError: string | null;
    nextAttemptAt: string;
    /** What a KoXo site's AD holds for the account (packages/koxo read-back), else null. */
    readBack: {
      samAccountName: string | null;
      dn: string | null;
      homeDirectory: string | null;
      enabled: boolean | null;
      seenAt: string | null;
      missingRuns: number;
      missingSince: string | null;
    } | null;
  }[];
  /** The rentrée blocking holding the account now (migration 0022), null when none. */
  access_block: { since: string; until: string; why: string } | null;
  /** What pedagogical servers read back after a snapshot, of the scope's establishments. */
  server_reports: {
    reporter: string;
    uai: string;
    login: string | null;
    homePath: string | null;
    status: string;
    detail: string | null;
    reportedAt: string;
  }[];
}

export interface IdentifierView {
  readonly value: string;
  readonly status: 'primary' | 'alias' | 'retired';
  readonly createdAt: string;
  readonly retiredAt: string | null;
}

/**
 * The account status: a top-level object of named sections (`provisioning`: per target). Later
 * work adds sections (access blocking, planned deletions) next to these without changing them; clients
 * must ignore sections they do not know.
 */
export interface AccountView {
  readonly id: number;
  readonly jointure: string;
  /** Académie scope of the files that feed the person ('-': none). */
  readonly scope: string;
  readonly identity: {
    readonly category: PersonCategory;
    readonly profile: Profile;
    readonly level: '1d' | '2d';
    readonly civility: string | null;
    readonly givenName: string;
    readonly sn: string;
    readonly birthName: string | null;
    readonly birthDate: string | null;
    readonly ine: string | null;
    readonly mail: string | null;
  };
  readonly lifecycle: {
    readonly state: PersonState;
    readonly departedAt: string | null;
    readonly createdAt: string;
    readonly updatedAt: string;
    readonly version: number;
    /** False for a relative who is only a contact of its pupils (no identifiers, no target). */
    readonly hasAccount: boolean;
  };
  readonly establishments: {
    readonly jointure: string;
    readonly uai: string | null;
    readonly name: string | null;
    readonly primary: boolean;
    readonly since: string;
  }[];
  readonly memberships: {
    readonly kind: ClassGroupKind;
    readonly key: string;
    readonly structureJointure: string;
    readonly uai: string | null;
    readonly code: string;
    readonly label: string;
    readonly state: 'active' | 'empty';
    readonly since: string;
  }[];
  readonly teaching: AccountRow['teaching'];
  readonly functions: AccountRow['functions'];
  readonly direction: AccountRow['direction'];
  readonly relations: { readonly relatives: Link[]; readonly pupils: Link[] };
  /** Identifiers by namespace, the primary first. */
  readonly identifiers: Record<string, IdentifierView[]>;
  /**
   * Jointures the person was known by before (a pupil found again by its INE under a new
   * jointure, issue 9 rule 2): the account can still be looked up by them.
   */
  readonly formerJointures: {
    readonly jointure: string;
    readonly reason: PersonAliasReason;
    readonly importId: number | null;
    readonly since: string;
  }[];
  /** Contact and schooling details as the last import recorded them. */
  readonly details: Record<string, unknown>;
  /** The import and the file that last changed this account (null if none recorded). */
  readonly lastChange: {
    readonly import: AccountRow['last_import'];
    readonly file: AccountRow['last_file'];
  } | null;
  /**
   * The account on each target that has a provisioning row for it (for a scoped reader: the
   * targets serving one of its establishments): row status, key on the target, applied
   * version vs desired, when last applied, the last error and the next attempt.
   */
  readonly provisioning: AccountRow['provisioning'];
  /**
   * Whether the calendar blocks the account now (rentrée blocking): until when and why (the
   * message shown to the user). Targets disable a blocked account and re-enable it at the end.
   */
  readonly access: {
    readonly blocked: boolean;
    readonly since: string | null;
    readonly until: string | null;
    readonly why: string | null;
  };
  /**
   * What pedagogical servers read back after applying a snapshot (login, home path, status),
   * by reporter and UAI; a scoped reader sees its establishments' reports only.
   */
  readonly serverReports: AccountRow['server_reports'];
}

/**
 * Maps the account row (findAccount) to the account status view. The query already restricts
 * establishments, memberships, teaching and functions to the scope; for a scoped `reader` the
 * `details` entries of other establishments are removed here.
 */
export function accountRowToView(row: AccountRow, reader: Reader): AccountView {
  const identifiers: Record<string, IdentifierView[]> = {};
  for (const i of row.identifiers) {
    (identifiers[i.namespace] ??= []).push({
      value: i.value,
      status: i.status,
      createdAt: isoTime(i.createdAt),
      retiredAt: isoTimeOrNull(i.retiredAt),
    });
  }
  const lastImport = row.last_import
    ? {
        ...row.last_import,
        createdAt: isoTime(row.last_import.createdAt),
        finishedAt: isoTimeOrNull(row.last_import.finishedAt),
      }
    : null;
  return {
    id: Number(row.id),
    jointure: row.aaf_id ?? row.jointure,
    scope: row.scope,
    identity: {
      category: row.category,
      profile: row.profile,
      level: row.level,
      civility: row.civility,
      givenName: row.given_name,
      sn: row.sn,
      birthName: row.birth_name,
      birthDate: row.birth_date,
      ine: row.ine,
      mail: row.mail,
    },
    lifecycle: {
      state: row.state,
      departedAt: isoTimeOrNull(row.departed_at),
      createdAt: isoTime(row.created_at),
      updatedAt: isoTime(row.updated_at),
      version: row.version,
      hasAccount: row.has_account,
    },
    establishments: row.establishments.map((e) => ({ ...e, since: isoTime(e.since) })),
    memberships: row.memberships.map((m) => ({
      kind: m.kind,
      key: classGroupKey(m.structureJointure, m.code),
      structureJointure: m.structureJointure,
      uai: m.uai,
      code: m.code,
      label: m.label,
      state: m.state,
      since: isoTime(m.since),
    })),
    teaching: row.teaching,
    functions: row.functions,
    direction: row.direction ?? [],
    relations: { relatives: row.relatives, pupils: row.pupils },
    identifiers,
    formerJointures: (row.former_jointures ?? []).map((a) => ({
      jointure: a.jointure,
      reason: a.reason,
      importId: a.importId === null ? null : Number(a.importId),
      since: isoTime(a.since),
    })),
    details: visibleDetails(reader, row.details ?? {}),
    lastChange: lastImport || row.last_file ? { import: lastImport, file: row.last_file } : null,
    provisioning: (row.provisioning ?? []).map((r) => ({
      ...r,
      appliedAt: isoTimeOrNull(r.appliedAt),
      nextAttemptAt: isoTime(r.nextAttemptAt),
      readBack: r.readBack
        ? {
            ...r.readBack,
            seenAt: isoTimeOrNull(r.readBack.seenAt),
            missingSince: isoTimeOrNull(r.readBack.missingSince),
          }
        : null,
    })),
    access: row.access_block
      ? {
          blocked: true,
          since: isoTime(row.access_block.since),
          until: isoTime(row.access_block.until),
          why: row.access_block.why,
        }
      : { blocked: false, since: null, until: null, why: null },
    serverReports: (row.server_reports ?? []).map((r) => ({
      ...r,
      reportedAt: isoTime(r.reportedAt),
    })),
  };
}
