import { sql, type Database, type Kysely } from '@aaf-sync/db';

/** What a driver test asserts about one provisioning row. */
export interface ProvisioningRowState {
  readonly status: string;
  readonly last_error: string | null;
  readonly target_key: string | null;
}

/** The provisioning rows of a target by person jointure (status, last error, key in the target). */
export async function provisioningRows(
  db: Kysely<Database>,
  targetId: number,
): Promise<Map<string, ProvisioningRowState>> {
  const { rows } = await sql<ProvisioningRowState & { jointure: string }>`
    select p.jointure, r.status, r.last_error, r.target_key from provisioning r
    join person p on p.id = r.person_id where r.target_id = ${targetId}`.execute(db);
  return new Map(rows.map((r) => [r.jointure, r]));
}

/**
 * Marks every person of the database wanted by the target (a pending row at version 1), as a
 * full reconcile would for persons seeded after the target was created.
 */
export async function provisionAllPersons(db: Kysely<Database>, targetId: number): Promise<void> {
  await sql`insert into provisioning (target_id, person_id, desired_version)
    select ${targetId}, id, 1 from person on conflict do nothing`.execute(db);
}

/** Sets every row of the target pending again, due now, as a full reconcile or a replay would. */
export async function replayAllRows(db: Kysely<Database>, targetId: number): Promise<void> {
  await sql`update provisioning set status = 'pending', desired_version = desired_version + 1,
    next_attempt_at = now() where target_id = ${targetId}`.execute(db);
}
