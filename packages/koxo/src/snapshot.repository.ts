import { sql, type Executor, type KoxoSnapshot, type KoxoSnapshotStatus } from '@aaf-sync/db';
import type { SecretBox } from '@aaf-sync/targets';
import type { GeneratedFile } from './build-files.js';

/** The box context file contents are sealed under (another context cannot open them). */
const CONTENT_CONTEXT = 'koxo-file';

export async function lockEstablishment(db: Executor, targetId: number, uai: string) {
  await sql`select pg_advisory_xact_lock(hashtext(${`koxo:${targetId}:${uai}`}))`.execute(db);
}

/** The newest snapshot of the establishment with one of these statuses. */
export async function latestSnapshot(
  db: Executor,
  targetId: number,
  uai: string,
  statuses: readonly KoxoSnapshotStatus[],
): Promise<KoxoSnapshot | undefined> {
  return db
    .selectFrom('koxo_snapshot')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('uai', '=', uai)
    .where('status', 'in', [...statuses])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function snapshotByVersion(
  db: Executor,
  targetId: number,
  uai: string,
  version: number,
): Promise<KoxoSnapshot | undefined> {
  return db
    .selectFrom('koxo_snapshot')
    .selectAll()
    .where('target_id', '=', targetId)
    .where('uai', '=', uai)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Rows per file name of a snapshot. */
export async function fileRows(db: Executor, snapshotId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('koxo_file')
    .select(['name', 'rows'])
    .where('snapshot_id', '=', snapshotId)
    .execute();
  return new Map(rows.map((r) => [r.name, r.rows]));
}

export async function insertSnapshot(
  db: Executor,
  box: SecretBox,
  s: {
    targetId: number;
    uai: string;
    status: KoxoSnapshotStatus;
    eventSeq: number;
    generatedAt: Date;
    digest: string;
    holdReason: string | null;
    files: readonly GeneratedFile[];
  },
): Promise<KoxoSnapshot> {
  const last = await db
    .selectFrom('koxo_snapshot')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('target_id', '=', s.targetId)
    .where('uai', '=', s.uai)
    .executeTakeFirst();
  const snapshot = await db
    .insertInto('koxo_snapshot')
    .values({
      target_id: s.targetId,
      uai: s.uai,
      version: Number(last?.v ?? 0) + 1,
      status: s.status,
      event_seq: s.eventSeq,
      generated_at: s.generatedAt,
      digest: s.digest,
      hold_reason: s.holdReason,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (const f of s.files) {
    const sealed = box.seal({ csv: f.content.toString('base64') }, CONTENT_CONTEXT);
    await db
      .insertInto('koxo_file')
      .values({
        snapshot_id: snapshot.id,
        name: f.name,
        primary_group: f.primaryGroup,
        rows: f.rows,
        sha256: f.sha256,
        jointures: [...f.jointures],
        content_key_id: sealed.keyId,
        content_ciphertext: sealed.ciphertext,
      })
      .execute();
  }
  return snapshot;
}

export async function setSnapshotStatus(
  db: Executor,
  id: number,
  status: KoxoSnapshotStatus,
  decidedBy: string | null,
): Promise<void> {
  await db
    .updateTable('koxo_snapshot')
    .set({
      status,
      decided_by: decidedBy,
      decided_at: decidedBy ? new Date() : null,
    })
    .where('id', '=', id)
    .execute();
}

/** Older held snapshots of the establishment become `superseded` (only the newest may publish). */
export async function supersedeHeld(db: Executor, targetId: number, uai: string, keepId: number) {
  await db
    .updateTable('koxo_snapshot')
    .set({ status: 'superseded' })
    .where('target_id', '=', targetId)
    .where('uai', '=', uai)
    .where('status', '=', 'held')
    .where('id', '!=', keepId)
    .execute();
}

/** A stored file with its content opened. */
export interface StoredFile {
  readonly name: string;
  readonly primaryGroup: string;
  readonly rows: number;
  readonly sha256: string;
  readonly jointures: readonly string[];
  readonly content: Buffer;
}

export async function snapshotFiles(
  db: Executor,
  box: SecretBox,
  snapshotId: number,
  targetName: string,
  names?: readonly string[],
): Promise<StoredFile[]> {
  let q = db.selectFrom('koxo_file').selectAll().where('snapshot_id', '=', snapshotId);
  if (names) q = q.where('name', 'in', [...names]);
  const rows = await q.orderBy('name').execute();
  return rows.map((r) => {
    const opened = box.open(
      { keyId: r.content_key_id, ciphertext: r.content_ciphertext },
      CONTENT_CONTEXT,
      targetName,
    );
    return {
      name: r.name,
      primaryGroup: r.primary_group,
      rows: r.rows,
      sha256: r.sha256,
      jointures: r.jointures,
      content: Buffer.from(String(opened.csv), 'base64'),
    };
  });
}

/** Jointures already published by the target for this establishment. */
export async function publishedJointures(
  db: Executor,
  targetId: number,
  uai: string,
): Promise<Set<string>> {
  const rows = await db
    .selectFrom('koxo_account')
    .select('jointure')
    .where('target_id', '=', targetId)
    .where('uai', '=', uai)
    .execute();
  return new Set(rows.map((r) => r.jointure));
}

export async function recordPublishedAccounts(
  db: Executor,
  targetId: number,
  uai: string,
  snapshotId: number,
  jointures: readonly string[],
): Promise<void> {
  if (jointures.length === 0) return;
  await sql`
    insert into koxo_account (target_id, jointure, uai, first_snapshot_id)
    select ${targetId}, j, ${uai}, ${snapshotId} from unnest(${sql.val([...jointures])}::text[]) j
    on conflict do nothing
  `.execute(db);
}
