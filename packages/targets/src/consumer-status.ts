import { eventWatermark, sql, type Database, type Kysely, type TargetState } from '@aaf-sync/db';
import { fullReconcile } from './full-reconcile.js';
import { findTarget, type TargetScope } from './target.repository.js';

export interface ConsumerStatus {
  readonly target: string;
  readonly state: TargetState;
  readonly cursor: number;
  /** Events after the cursor. */
  readonly behind: number;
  /** When the oldest event not yet dispatched occurred (null: at the head). */
  readonly oldestPendingAt: string | null;
  /** The oldest undispatched event is older than the retention: it holds the purge back. */
  readonly lagging: boolean;
  /** Events after the cursor were purged (a suspended target): only a reset can catch up. */
  readonly needsReset: boolean;
  /** Provisioning rows not yet applied (pending or failed). */
  readonly pendingRows: number;
  readonly failedRows: number;
}

/**
 * Where each consumer of the event log stands. `lagging` marks an active target more than the
 * retention behind (the purge waits for it: reset it or fix it); `needsReset` a cursor below the
 * purge watermark.
 */
export async function consumerStatuses(
  db: Kysely<Database>,
  options: { retentionDays: number; now?: Date; scope?: TargetScope },
): Promise<ConsumerStatus[]> {
  const cutOff = new Date(
    (options.now ?? new Date()).getTime() - options.retentionDays * 86_400_000,
  );
  const watermark = await eventWatermark(db);
  const { rows } = await sql<{
    name: string;
    state: TargetState;
    uais: string[];
    seq: number;
    head: number;
    oldest: Date | null;
    pending: number;
    failed: number;
  }>`
    select t.name, t.state, t.uais, c.seq,
      greatest((select coalesce(max(seq), 0) from change_event), ${watermark}::bigint) as head,
      (select e.occurred_at from change_event e where e.seq > c.seq order by e.seq limit 1) as oldest,
      (select count(*)::int from provisioning r where r.target_id = t.id and r.status = 'pending') as pending,
      (select count(*)::int from provisioning r where r.target_id = t.id and r.status = 'failed') as failed
    from target t join target_consumer c on c.target_id = t.id
    order by t.name
  `.execute(db);
  const scope = options.scope ?? null;
  return rows
    .filter((r) => scope === null || r.uais.every((u) => scope.includes(u)))
    .map((r) => ({
      target: r.name,
      state: r.state,
      cursor: Number(r.seq),
      behind: Math.max(0, Number(r.head) - Number(r.seq)),
      oldestPendingAt: r.oldest ? new Date(r.oldest).toISOString() : null,
      lagging: r.state === 'active' && r.oldest !== null && new Date(r.oldest) < cutOff,
      needsReset: Number(r.seq) < watermark,
      pendingRows: r.pending,
      failedRows: r.failed,
    }));
}

/**
 * Resets a consumer: its cursor jumps to the head of the log and every account it should hold
 * or holds goes back to pending (a full reconcile from the directory as it is now).
 */
export async function resetConsumer(
  db: Kysely<Database>,
  name: string,
  actor: string,
  scope: TargetScope = null,
): Promise<{ cursor: number; rows: number }> {
  return db.transaction().execute(async (trx) => {
    const target = await findTarget(trx, name, scope);
    return fullReconcile(trx, target, { by: actor });
  });
}
