import {
  eventWatermark,
  PROVISIONING_STATUSES,
  sql,
  type Database,
  type Kysely,
  type ProvisioningStatus,
  type TargetKind,
  type TargetState,
} from '@aaf-sync/db';
import { TargetsErrors } from './errors.js';
import { findTarget, type TargetScope } from './target.repository.js';

export { PROVISIONING_STATUSES };

export interface TargetStatus {
  readonly name: string;
  readonly kind: TargetKind;
  readonly state: TargetState;
  readonly uais: readonly string[];
  readonly cursor: number;
  readonly head: number;
  /** Events after the cursor, and the age of the oldest of them (0 at the head). */
  readonly lagEvents: number;
  readonly lagSeconds: number;
  readonly lagging: boolean;
  readonly needsReset: boolean;
  readonly rows: Readonly<Record<ProvisioningStatus, number>>;
  /** When a batch last applied (or removed) something on the target. */
  readonly lastAppliedAt: string | null;
  readonly lastBatch: { at: string; seconds: number; size: number } | null;
  /** The most recent failure among the target's failed rows. */
  readonly lastError: { jointure: string | null; error: string; at: string } | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/**
 * Where one target stands: cursor and head of the log, lag in events and seconds, its rows by
 * status, its worker's last batch and last error. `lagging`: the oldest event it has not
 * dispatched is older than the retention (it holds the purge back).
 */
export async function targetStatus(
  db: Kysely<Database>,
  name: string,
  options: { retentionDays: number; scope?: TargetScope; now?: Date },
): Promise<TargetStatus> {
  const target = await findTarget(db, name, options.scope ?? null);
  const now = options.now ?? new Date();
  const watermark = await eventWatermark(db);
  const { rows } = await sql<{
    seq: number | null;
    head: number;
    oldest: Date | null;
    counts: Record<string, number>;
    applied_at: Date | null;
    batch_at: Date | null;
    batch_seconds: number | null;
    batch_size: number | null;
    last_error: { jointure: string | null; error: string; at: string } | null;
  }>`
    select c.seq, c.applied_at, c.batch_at, c.batch_seconds, c.batch_size,
      greatest((select coalesce(max(seq), 0) from change_event), ${watermark}::bigint) as head,
      (select e.occurred_at from change_event e where e.seq > c.seq order by e.seq limit 1) as oldest,
      (select coalesce(jsonb_object_agg(x.status, x.n), '{}') from (
        select status, count(*)::int as n from provisioning where target_id = t.id group by status
      ) x) as counts,
      (select json_build_object('jointure', p.jointure, 'error', r.last_error, 'at', r.updated_at)
        from provisioning r left join person p on p.id = r.person_id
        where r.target_id = t.id and r.status = 'failed'
        order by r.updated_at desc limit 1) as last_error
    from target t left join target_consumer c on c.target_id = t.id
    where t.id = ${target.id}
  `.execute(db);
  const r = rows[0]!;
  const cursor = Number(r.seq ?? 0);
  const oldest = r.oldest === null ? null : new Date(r.oldest);
  const cutOff = now.getTime() - options.retentionDays * 86_400_000;
  return {
    name: target.name,
    kind: target.kind,
    state: target.state,
    uais: target.uais,
    cursor,
    head: Number(r.head),
    lagEvents: Math.max(0, Number(r.head) - cursor),
    lagSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest.getTime()) / 1000),
    lagging: target.state === 'active' && oldest !== null && oldest.getTime() < cutOff,
    needsReset: cursor < watermark,
    rows: Object.fromEntries(PROVISIONING_STATUSES.map((s) => [s, r.counts[s] ?? 0])) as Record<
      ProvisioningStatus,
      number
    >,
    lastAppliedAt: iso(r.applied_at),
    lastBatch:
      r.batch_at === null
        ? null
        : { at: iso(r.batch_at)!, seconds: Number(r.batch_seconds), size: Number(r.batch_size) },
    lastError: r.last_error ? { ...r.last_error, at: iso(r.last_error.at)! } : null,
  };
}

export interface ProvisioningRowView {
  readonly personId: number;
  readonly jointure: string | null;
  readonly status: ProvisioningStatus;
  readonly targetKey: string | null;
  readonly present: boolean;
  readonly desiredVersion: number;
  readonly appliedVersion: number | null;
  readonly attempts: number;
  readonly nextAttemptAt: string;
  readonly lastError: string | null;
  readonly appliedAt: string | null;
  readonly updatedAt: string;
}

/**
 * One target's provisioning rows, by person id, `limit` at a time after `after` (keyset
 * paging: `nextCursor` is the last person id, null at the end); filtered by status and by the
 * establishment the person belongs to now (one of the target's, else TARGETS_ERR_NOT_SERVED).
 */
export async function listProvisioning(
  db: Kysely<Database>,
  name: string,
  options: {
    status?: ProvisioningStatus;
    uai?: string;
    after?: number;
    limit: number;
    scope?: TargetScope;
  },
): Promise<{ items: ProvisioningRowView[]; nextCursor: string | null }> {
  const target = await findTarget(db, name, options.scope ?? null);
  if (options.uai !== undefined && !target.uais.includes(options.uai)) {
    throw TargetsErrors.NOT_SERVED({ name, uai: options.uai });
  }
  let query = db
    .selectFrom('provisioning as r')
    .leftJoin('person as p', 'p.id', 'r.person_id')
    .select([
      'r.person_id',
      'p.jointure',
      'r.status',
      'r.target_key',
      'r.present',
      'r.desired_version',
      'r.applied_version',
      'r.attempts',
      'r.next_attempt_at',
      'r.last_error',
      'r.applied_at',
      'r.updated_at',
    ])
    .where('r.target_id', '=', target.id)
    .orderBy('r.person_id')
    .limit(options.limit + 1);
  if (options.after !== undefined) query = query.where('r.person_id', '>', options.after);
  if (options.status !== undefined) query = query.where('r.status', '=', options.status);
  if (options.uai !== undefined) {
    const uai = options.uai;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('person_structure as ps')
          .innerJoin('structure as s', 's.jointure', 'ps.structure_jointure')
          .select(sql`1`.as('one'))
          .whereRef('ps.person_jointure', '=', 'p.jointure')
          .where('s.uai', '=', uai),
      ),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, options.limit);
  return {
    items: page.map((r) => ({
      personId: Number(r.person_id),
      jointure: r.jointure,
      status: r.status,
      targetKey: r.target_key,
      present: r.present,
      desiredVersion: r.desired_version,
      appliedVersion: r.applied_version,
      attempts: r.attempts,
      nextAttemptAt: iso(r.next_attempt_at)!,
      lastError: r.last_error,
      appliedAt: iso(r.applied_at),
      updatedAt: iso(r.updated_at)!,
    })),
    nextCursor: rows.length > options.limit ? String(page[page.length - 1]!.person_id) : null,
  };
}

export interface TargetGauge {
  readonly name: string;
  readonly kind: TargetKind;
  readonly pending: number;
  readonly failed: number;
  readonly lagEvents: number;
  readonly lagSeconds: number;
  /** Duration of the worker's last batch (null: none yet). */
  readonly batchSeconds: number | null;
}

/**
 * The numbers /metrics exposes for every target, in one statement: rows pending and failed
 * (through the partial index of due rows), lag in events and seconds, last batch duration.
 */
export async function targetGauges(
  db: Kysely<Database>,
  now: Date = new Date(),
): Promise<TargetGauge[]> {
  const watermark = await eventWatermark(db);
  const { rows } = await sql<{
    name: string;
    kind: TargetKind;
    seq: number | null;
    head: number;
    oldest: Date | null;
    pending: number;
    failed: number;
    batch_seconds: number | null;
  }>`
    with head as (
      select greatest((select coalesce(max(seq), 0) from change_event), ${watermark}::bigint) as seq
    )
    select t.name, t.kind, c.seq, head.seq as head, c.batch_seconds,
      (select e.occurred_at from change_event e where e.seq > c.seq order by e.seq limit 1) as oldest,
      (select count(*)::int from provisioning r
        where r.target_id = t.id and r.status = 'pending') as pending,
      (select count(*)::int from provisioning r
        where r.target_id = t.id and r.status = 'failed') as failed
    from target t cross join head left join target_consumer c on c.target_id = t.id
    order by t.name
  `.execute(db);
  return rows.map((r) => ({
    name: r.name,
    kind: r.kind,
    pending: r.pending,
    failed: r.failed,
    lagEvents: Math.max(0, Number(r.head) - Number(r.seq ?? 0)),
    lagSeconds:
      r.oldest === null ? 0 : Math.max(0, (now.getTime() - new Date(r.oldest).getTime()) / 1000),
    batchSeconds: r.batch_seconds === null ? null : Number(r.batch_seconds),
  }));
}
