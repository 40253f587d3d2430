import type { GroupLifetime, GroupSource, ManagedGroup } from '@aaf-sync/db';

export interface GroupPersonView {
  readonly id: number;
  readonly givenName: string;
  readonly sn: string;
  readonly profile: string;
}

/** A managed group as the API shows it. */
export interface ManagedGroupView {
  readonly id: number;
  readonly uai: string;
  readonly name: string;
  readonly description: string | null;
  readonly lifetime: GroupLifetime;
  readonly schoolYear: string;
  readonly source: GroupSource;
  /** The school year at whose end it is deleted (null: unlimited). */
  readonly expiresWithSchoolYear: string | null;
  readonly extendedUntil: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly deletedAt: string | null;
  readonly managerIds: number[];
  readonly memberCount: number;
}

export interface ManagedGroupDetail extends ManagedGroupView {
  readonly managers: GroupPersonView[];
  readonly members: GroupPersonView[];
}

/** The school year at whose end the group goes (timetable groups: always their own year). */
export function expiryOf(
  g: Pick<ManagedGroup, 'lifetime' | 'school_year' | 'extended_until' | 'source'>,
): string | null {
  if (g.source === 'timetable') return g.school_year;
  if (g.lifetime === 'unlimited') return null;
  return g.extended_until ?? g.school_year;
}

export function managedGroupToView(
  g: ManagedGroup,
  managerIds: readonly number[],
  memberCount: number,
): ManagedGroupView {
  return {
    id: Number(g.id),
    uai: g.uai,
    name: g.name,
    description: g.description,
    lifetime: g.lifetime,
    schoolYear: g.school_year,
    source: g.source,
    expiresWithSchoolYear: expiryOf(g),
    extendedUntil: g.extended_until,
    createdBy: g.created_by,
    createdAt: new Date(g.created_at).toISOString(),
    updatedAt: new Date(g.updated_at).toISOString(),
    version: g.version,
    deletedAt: g.deleted_at ? new Date(g.deleted_at).toISOString() : null,
    managerIds: [...managerIds].sort((a, b) => a - b),
    memberCount,
  };
}
