import type { Database, Kysely, KoxoSnapshot } from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import { KoxoErrors } from './errors.js';
import type { KoxoOptions } from './koxo-options.js';
import { publishSnapshot, type KoxoTargetRef } from './regenerate.js';
import {
  lockEstablishment,
  setSnapshotStatus,
  snapshotByVersion,
  snapshotFiles,
} from './snapshot.repository.js';

export interface DecisionDeps {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
}

async function heldSnapshot(
  trx: Kysely<Database>,
  target: KoxoTargetRef,
  uai: string,
  version: number,
): Promise<KoxoSnapshot> {
  await lockEstablishment(trx, target.id, uai);
  const s = await snapshotByVersion(trx, target.id, uai, version);
  if (!s) throw KoxoErrors.SNAPSHOT_NOT_FOUND({ target: target.name, uai, version });
  if (s.status !== 'held') throw KoxoErrors.SNAPSHOT_NOT_HELD({ uai, version, status: s.status });
  return s;
}

/**
 * An operator accepts a held snapshot (the shrink is real: end of year, a class closed): its
 * files are written to the target's folder and served, as generated (no regeneration).
 */
export async function approveSnapshot(
  deps: DecisionDeps,
  target: KoxoTargetRef,
  options: Pick<KoxoOptions, 'exportDir'>,
  uai: string,
  version: number,
  actor: string,
): Promise<KoxoSnapshot> {
  return deps.db.transaction().execute(async (trx) => {
    const s = await heldSnapshot(trx, target, uai, version);
    const files = await snapshotFiles(trx, deps.box, s.id, target.name);
    await publishSnapshot(trx, target, options, uai, s, files);
    await setSnapshotStatus(trx, s.id, 'published', actor);
    return { ...s, status: 'published' as const, decided_by: actor };
  });
}

/** An operator refuses a held snapshot: it is never published (the last published stays served). */
export async function discardSnapshot(
  deps: DecisionDeps,
  target: KoxoTargetRef,
  uai: string,
  version: number,
  actor: string,
): Promise<KoxoSnapshot> {
  return deps.db.transaction().execute(async (trx) => {
    const s = await heldSnapshot(trx, target, uai, version);
    await setSnapshotStatus(trx, s.id, 'discarded', actor);
    return { ...s, status: 'discarded' as const, decided_by: actor };
  });
}

/** Snapshots of a target waiting for a decision (the newest of their establishment). */
export async function heldSnapshots(
  db: Kysely<Database>,
  targetId: number,
  uais: readonly string[] | null,
): Promise<KoxoSnapshot[]> {
  let q = db
    .selectFrom('koxo_snapshot')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('status', '=', 'held');
  if (uais) q = q.where('uai', 'in', uais.length > 0 ? [...uais] : ['']);
  return q.orderBy('uai').orderBy('version').execute();
}
