import { aafIdOf, type PersonCategory, type PersonState, type Profile } from '@aaf-sync/db';
import { visibleDetails, visiblePrimary } from './establishment-filter.js';
import type { Reader } from './reader.js';

/** A person as the API shows it. Personal fields are present only for the personal audience. */
export interface PersonView {
  readonly id: number;
  readonly jointure: string;
  /** Académie scope of the files that feed the person ('-': none). */
  readonly scope: string;
  readonly category: PersonCategory;
  readonly profile: Profile;
  readonly level: '1d' | '2d';
  readonly givenName: string;
  readonly sn: string;
  readonly civility: string | null;
  readonly primaryStructure: string | null;
  readonly state: PersonState;
  readonly departedAt: string | null;
  readonly version: number;
  readonly updatedAt: string;
  readonly birthName?: string | null;
  readonly birthDate?: string | null;
  readonly ine?: string | null;
  readonly mail?: string | null;
  readonly details?: Record<string, unknown>;
}

/** The person columns read for every audience. */
export const PUBLIC_PERSON_COLUMNS = [
  'p.id',
  'p.jointure',
  'p.aaf_id',
  'p.scope',
  'p.category',
  'p.profile',
  'p.level',
  'p.given_name',
  'p.sn',
  'p.civility',
  'p.primary_structure',
  'p.state',
  'p.departed_at',
  'p.version',
  'p.updated_at',
] as const;

/** The columns read only for the personal audience (never selected otherwise). */
export const PERSONAL_PERSON_COLUMNS = [
  'p.birth_name',
  'p.birth_date',
  'p.ine',
  'p.mail',
  'p.details',
] as const;

export interface PersonRow {
  id: number;
  /** The directory key (links, events, cursors). */
  jointure: string;
  /** The AAF id within `scope`: what the views call `jointure` (absent: the key). */
  aaf_id?: string;
  scope: string;
  category: PersonCategory;
  profile: Profile;
  level: '1d' | '2d';
  given_name: string;
  sn: string;
  civility: string | null;
  primary_structure: string | null;
  state: PersonState;
  departed_at: Date | string | null;
  version: number;
  updated_at: Date | string;
  birth_name?: string | null;
  birth_date?: string | null;
  ine?: string | null;
  mail?: string | null;
  details?: Record<string, unknown>;
}

/** ISO 8601 text of a timestamp column (pg gives Dates; raw SQL through JSON gives strings). */
export function isoTime(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function isoTimeOrNull(value: Date | string | null | undefined): string | null {
  return value === null || value === undefined ? null : isoTime(value);
}

/**
 * Maps a person row to its view for `reader`: personal fields dropped for the `public` audience;
 * for an establishment-scoped reader, a primary structure of another establishment reads null
 * and `details` entries of other establishments are removed (as in the reader's feed).
 */
export function personRowToView(row: PersonRow, reader: Reader): PersonView {
  const view: PersonView = {
    id: row.id,
    jointure: row.aaf_id ?? row.jointure,
    scope: row.scope,
    category: row.category,
    profile: row.profile,
    level: row.level,
    givenName: row.given_name,
    sn: row.sn,
    civility: row.civility,
    primaryStructure: aafIdOrNull(visiblePrimary(reader, row.primary_structure) as string | null),
    state: row.state,
    departedAt: isoTimeOrNull(row.departed_at),
    version: row.version,
    updatedAt: isoTime(row.updated_at),
  };
  if (reader.audience !== 'personal') return view;
  return {
    ...view,
    birthName: row.birth_name ?? null,
    birthDate: row.birth_date ?? null,
    ine: row.ine ?? null,
    mail: row.mail ?? null,
    details: visibleDetails(reader, row.details ?? {}),
  };
}

/** The AAF id of a structure key (what leaves the directory), null kept. */
function aafIdOrNull(key: string | null): string | null {
  return key === null ? null : aafIdOf(key);
}
