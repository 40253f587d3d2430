import {
  appendEvents,
  type Database,
  type GroupLifetime,
  type GroupSource,
  type Kysely,
  type ManagedGroup,
  type Transaction,
} from '@aaf-sync/db';
import { GroupsErrors } from './errors.js';
import {
  activePersonsOf,
  findManagedGroup,
  groupPeopleSummary,
  listGroupPeople,
  replaceGroupPeople,
  type GroupScope,
} from './managed-group.repository.js';
import {
  expiryOf,
  managedGroupToView,
  type ManagedGroupDetail,
  type ManagedGroupView,
} from './managed-group-view.js';
import { isSchoolYear, nextSchoolYear, schoolYearOf } from './school-year.js';

/** Who does it, and when (the caller's clock). */
export interface Actor {
  readonly actor: string;
  readonly now: Date;
}

export interface CreateManagedGroupInput {
  readonly uai: string;
  readonly name: string;
  readonly description?: string | null | undefined;
  readonly lifetime: GroupLifetime;
  /** Default: the school year of `now` (1 August – 31 July). */
  readonly schoolYear?: string | undefined;
  readonly source?: GroupSource | undefined;
  readonly managers: readonly number[];
  readonly members: readonly number[];
}

export interface UpdateManagedGroupInput {
  readonly name?: string | undefined;
  readonly description?: string | null | undefined;
  readonly lifetime?: GroupLifetime | undefined;
}

type Trx = Transaction<Database>;

function isNameConflict(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' && e.constraint === 'managed_group_live_name';
}

async function checkPeople(
  trx: Trx,
  uai: string,
  managers: readonly number[],
  members: readonly number[],
): Promise<void> {
  const ids = [...new Set([...managers, ...members])];
  const found = await activePersonsOf(trx, uai, ids);
  const missing = ids.filter((id) => !found.has(id)).sort((a, b) => a - b);
  if (missing.length > 0) {
    throw GroupsErrors.PERSON_NOT_IN_ESTABLISHMENT({ ids: missing.join(', '), uai });
  }
  const notStaff = [...new Set(managers)].filter((id) => found.get(id) !== 'staff');
  if (notStaff.length > 0) throw GroupsErrors.MANAGER_NOT_STAFF({ ids: notStaff.join(', ') });
}

async function detailOf(db: Kysely<Database> | Trx, g: ManagedGroup): Promise<ManagedGroupDetail> {
  const [managers, members] = await Promise.all([
    listGroupPeople(db, 'managed_group_manager', g.id),
    listGroupPeople(db, 'managed_group_member', g.id),
  ]);
  return {
    ...managedGroupToView(
      g,
      managers.map((m) => m.id),
      members.length,
    ),
    managers,
    members,
  };
}

async function live(trx: Trx, scope: GroupScope, id: number): Promise<ManagedGroup> {
  const g = await findManagedGroup(trx, scope, id, { forUpdate: true });
  if (!g) throw GroupsErrors.NOT_FOUND({ id });
  if (g.deleted_at) {
    throw GroupsErrors.DELETED({ id, deletedAt: new Date(g.deleted_at).toISOString() });
  }
  return g;
}

/** Events of managed groups: entity `managed_group`, key = id. */
function event(
  g: ManagedGroup,
  op: 'created' | 'updated' | 'deleted',
  changes: Record<string, unknown>,
  actor: string,
) {
  return {
    entityType: 'managed_group' as const,
    entityKey: String(g.id),
    op,
    version: g.version,
    uais: [g.uai],
    changes,
    actor,
  };
}

export async function getManagedGroup(
  db: Kysely<Database>,
  scope: GroupScope,
  id: number,
): Promise<ManagedGroupDetail> {
  const g = await findManagedGroup(db, scope, id);
  if (!g) throw GroupsErrors.NOT_FOUND({ id });
  return detailOf(db, g);
}

/** Views of listed rows (manager ids and member counts in two queries). */
export async function viewsOf(
  db: Kysely<Database>,
  rows: readonly ManagedGroup[],
): Promise<ManagedGroupView[]> {
  const people = await groupPeopleSummary(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const p = people.get(r.id)!;
    return managedGroupToView(r, p.managers, p.members);
  });
}

export async function createManagedGroup(
  db: Kysely<Database>,
  input: CreateManagedGroupInput,
  by: Actor,
): Promise<ManagedGroupDetail> {
  const schoolYear = input.schoolYear ?? schoolYearOf(by.now);
  if (!isSchoolYear(schoolYear)) {
    throw GroupsErrors.BAD_EXTENSION({ id: 'new', until: schoolYear, reason: 'not a school year' });
  }
  return db.transaction().execute(async (trx) => {
    await checkPeople(trx, input.uai, input.managers, input.members);
    let row: ManagedGroup;
    try {
      const inserted = await trx
        .insertInto('managed_group')
        .values({
          uai: input.uai,
          name: input.name,
          description: input.description ?? null,
          lifetime: input.lifetime,
          school_year: schoolYear,
          source: input.source ?? 'api',
          created_by: by.actor,
          created_at: by.now,
          updated_at: by.now,
          extended_until: null,
          extended_by: null,
          extended_at: null,
          deleted_at: null,
          deleted_by: null,
          deleted_by_transition: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      row = { ...inserted, id: Number(inserted.id) };
    } catch (err) {
      if (isNameConflict(err)) throw GroupsErrors.NAME_TAKEN({ name: input.name, uai: input.uai });
      throw err;
    }
    await replaceGroupPeople(trx, 'managed_group_manager', row.id, input.managers);
    await replaceGroupPeople(trx, 'managed_group_member', row.id, input.members);
    const detail = await detailOf(trx, row);
    await appendEvents(trx, [
      event(
        row,
        'created',
        {
          after: {
            name: row.name,
            lifetime: row.lifetime,
            schoolYear: row.school_year,
            source: row.source,
            managers: detail.managerIds,
            members: detail.members.map((m) => m.id),
          },
        },
        by.actor,
      ),
    ]);
    return detail;
  });
}

export async function updateManagedGroup(
  db: Kysely<Database>,
  scope: GroupScope,
  id: number,
  patch: UpdateManagedGroupInput,
  by: Actor,
): Promise<ManagedGroupDetail> {
  return db.transaction().execute(async (trx) => {
    const g = await live(trx, scope, id);
    const fields: Record<string, [unknown, unknown]> = {};
    if (patch.name !== undefined && patch.name !== g.name) fields.name = [g.name, patch.name];
    if (patch.description !== undefined && patch.description !== g.description) {
      fields.description = [g.description, patch.description];
    }
    if (patch.lifetime !== undefined && patch.lifetime !== g.lifetime) {
      fields.lifetime = [g.lifetime, patch.lifetime];
    }
    if (Object.keys(fields).length === 0) return detailOf(trx, g);
    let row: ManagedGroup;
    try {
      const updated = await trx
        .updateTable('managed_group')
        .set({
          ...(fields.name ? { name: patch.name! } : {}),
          ...(fields.description ? { description: patch.description ?? null } : {}),
          ...(fields.lifetime ? { lifetime: patch.lifetime! } : {}),
          updated_at: by.now,
          version: g.version + 1,
        })
        .where('id', '=', g.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      row = { ...updated, id: Number(updated.id) };
    } catch (err) {
      if (isNameConflict(err)) throw GroupsErrors.NAME_TAKEN({ name: patch.name!, uai: g.uai });
      throw err;
    }
    await appendEvents(trx, [event(row, 'updated', { fields }, by.actor)]);
    return detailOf(trx, row);
  });
}

/** Replaces the managers or the members of a group (one `updated` event with what changed). */
export async function setGroupPeople(
  db: Kysely<Database>,
  scope: GroupScope,
  id: number,
  role: 'managers' | 'members',
  ids: readonly number[],
  by: Actor,
): Promise<ManagedGroupDetail> {
  return db.transaction().execute(async (trx) => {
    const g = await live(trx, scope, id);
    await checkPeople(trx, g.uai, role === 'managers' ? ids : [], role === 'members' ? ids : []);
    const table = role === 'managers' ? 'managed_group_manager' : 'managed_group_member';
    const { added, removed } = await replaceGroupPeople(trx, table, g.id, ids);
    if (added.length === 0 && removed.length === 0) return detailOf(trx, g);
    const row = await bump(trx, g, by.now);
    await appendEvents(trx, [event(row, 'updated', { [role]: { added, removed } }, by.actor)]);
    return detailOf(trx, row);
  });
}

async function bump(
  trx: Trx,
  g: ManagedGroup,
  now: Date,
  set: Partial<Pick<ManagedGroup, 'extended_until' | 'extended_by' | 'extended_at'>> = {},
): Promise<ManagedGroup> {
  const row = await trx
    .updateTable('managed_group')
    .set({ ...set, updated_at: now, version: g.version + 1 })
    .where('id', '=', g.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ...row, id: Number(row.id) };
}

/**
 * Extends a year-limited group to a later school year (default: the year after the one it is
 * limited to), at most the year after the current one. Extending to the year it already has is
 * a no-op.
 */
export async function extendManagedGroup(
  db: Kysely<Database>,
  scope: GroupScope,
  id: number,
  options: { until?: string | undefined },
  by: Actor,
): Promise<ManagedGroupDetail> {
  return db.transaction().execute(async (trx) => {
    const g = await live(trx, scope, id);
    if (g.source === 'timetable') {
      throw GroupsErrors.NOT_EXTENSIBLE({ id, reason: 'timetable groups end with their year' });
    }
    if (g.lifetime === 'unlimited') {
      throw GroupsErrors.NOT_EXTENSIBLE({ id, reason: 'the group is unlimited' });
    }
    const current = expiryOf(g)!;
    const until = options.until ?? nextSchoolYear(current);
    const latest = nextSchoolYear(schoolYearOf(by.now));
    if (!isSchoolYear(until)) {
      throw GroupsErrors.BAD_EXTENSION({ id, until, reason: 'not a school year YYYY-YYYY' });
    }
    if (until === current) return detailOf(trx, g);
    if (until < current) {
      throw GroupsErrors.BAD_EXTENSION({ id, until, reason: `it already lasts until ${current}` });
    }
    if (until > latest) {
      throw GroupsErrors.BAD_EXTENSION({ id, until, reason: `the latest is ${latest}` });
    }
    const row = await bump(trx, g, by.now, {
      extended_until: until,
      extended_by: by.actor,
      extended_at: by.now,
    });
    await appendEvents(trx, [
      event(row, 'updated', { fields: { expiresWithSchoolYear: [current, until] } }, by.actor),
    ]);
    return detailOf(trx, row);
  });
}

/** Soft deletion by a person (the calendar's deletion is in group-effects.ts). */
export async function deleteManagedGroup(
  db: Kysely<Database>,
  scope: GroupScope,
  id: number,
  by: Actor,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const g = await findManagedGroup(trx, scope, id, { forUpdate: true });
    if (!g) throw GroupsErrors.NOT_FOUND({ id });
    if (g.deleted_at) return;
    const row = await trx
      .updateTable('managed_group')
      .set({ deleted_at: by.now, deleted_by: by.actor, updated_at: by.now, version: g.version + 1 })
      .where('id', '=', g.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await appendEvents(trx, [
      event({ ...row, id: Number(row.id) }, 'deleted', { before: { name: g.name } }, by.actor),
    ]);
  });
}
