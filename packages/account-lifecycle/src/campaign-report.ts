import { sql, type CampaignItemStatus, type Executor, type GroupPurgeStatus } from '@aaf-sync/db';
import {
  listCampaignRecords,
  requireCampaign,
  type CampaignRecord,
} from './campaign.repository.js';

/**
 * Where a deleted item stands on its target: `removed` (the target deleted it), `pending` (not
 * yet), `recorded` (a group the target did not delete: kept with members, or a kind that holds
 * no groups, or failed — `targetPurge` says which).
 */
export type OnTarget = 'pending' | 'removed' | 'recorded' | null;

/** A deleted group's deletion on its target (`group_purge`, worked by the targets process). */
export interface TargetPurgeView {
  readonly status: GroupPurgeStatus;
  /** Why it was kept (`skipped`), or `not on the target` (deleted: there was nothing). */
  readonly reason: string | null;
  readonly attempts: number;
  /** The last refusal or outage (retried with backoff while `pending`). */
  readonly lastError: string | null;
  readonly doneAt: Date | null;
}

export interface CampaignCounts {
  readonly planned: number;
  readonly deleted: number;
  readonly skipped: number;
  /** Deleted items the target has not removed yet (its worker has not applied them). */
  readonly pendingOnTarget: number;
  /** Deleted items the target removed (accounts deleted, groups deleted or already absent). */
  readonly removedOnTarget: number;
  /** Deleted groups the target kept (members there again, not ours, a kind without groups). */
  readonly keptOnTarget: number;
  /** Deleted groups the target refused to delete too many times (`targetPurge.lastError`). */
  readonly failedOnTarget: number;
}

export interface CampaignEstablishment extends CampaignCounts {
  readonly uai: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: Date | null;
}

export interface CampaignSummary extends CampaignRecord {
  readonly counts: CampaignCounts;
  /** Per establishment (restricted to the reader's). */
  readonly establishments: readonly CampaignEstablishment[];
}

export interface CampaignItemView {
  readonly target: string;
  readonly targetKind: string;
  readonly subject: string;
  readonly personId: number | null;
  readonly classGroupId: number | null;
  readonly uai: string | null;
  readonly label: string;
  readonly targetKey: string | null;
  readonly status: CampaignItemStatus;
  readonly reason: string | null;
  readonly doneAt: Date | null;
  /** `removed` once the target's worker deleted it; see OnTarget. */
  readonly onTarget: OnTarget;
  /** Groups only: their deletion on the target (null: accounts, or not queued). */
  readonly targetPurge: TargetPurgeView | null;
}

const inUais = (uais: readonly string[] | null, col: string) =>
  uais === null ? sql`true` : sql`${sql.ref(col)} = any(${sql.val([...uais])}::text[])`;

const ON_TARGET = sql`case when ci.status <> 'deleted' then null
  when ci.class_group_id is not null then case gp.status when 'deleted' then 'removed'
    when 'pending' then 'pending' else 'recorded' end
  when r.target_key is null and r.status in ('applied', 'excluded') then 'removed'
  else 'pending' end`;

/** The provisioning row (accounts) and the group purge (groups) of an item `ci`. */
const ON_TARGET_JOINS = sql`
  left join provisioning r on r.target_id = ci.target_id and r.person_id = ci.person_id
  left join group_purge gp on gp.campaign_id = ci.campaign_id and gp.target_id = ci.target_id
    and gp.subject = ci.subject`;

async function establishmentsOf(
  db: Executor,
  ids: readonly number[],
  uais: readonly string[] | null,
): Promise<Map<number, CampaignEstablishment[]>> {
  const out = new Map<number, CampaignEstablishment[]>();
  if (ids.length === 0) return out;
  const { rows } = await sql<{
    campaign_id: number;
    uai: string | null;
    planned: number;
    deleted: number;
    skipped: number;
    pending: number;
    removed: number;
    kept: number;
    failed: number;
    approved_by: string | null;
    approved_at: Date | null;
  }>`
    select ci.campaign_id, ci.uai,
      count(*) filter (where ci.status = 'planned')::int as planned,
      count(*) filter (where ci.status = 'deleted')::int as deleted,
      count(*) filter (where ci.status = 'skipped')::int as skipped,
      count(*) filter (where ${ON_TARGET} = 'pending')::int as pending,
      count(*) filter (where ${ON_TARGET} = 'removed')::int as removed,
      count(*) filter (where ci.status = 'deleted' and gp.status = 'skipped')::int as kept,
      count(*) filter (where ci.status = 'deleted' and gp.status = 'failed')::int as failed,
      min(a.approved_by) as approved_by, min(a.approved_at) as approved_at
    from campaign_item ci ${ON_TARGET_JOINS}
    left join campaign_approval a on a.campaign_id = ci.campaign_id and a.uai = ci.uai
    where ci.campaign_id = any(${sql.val([...ids])}::bigint[]) and ${inUais(uais, 'ci.uai')}
    group by ci.campaign_id, ci.uai order by ci.campaign_id, ci.uai`.execute(db);
  for (const r of rows) {
    const list = out.get(Number(r.campaign_id)) ?? [];
    list.push({
      uai: r.uai,
      planned: r.planned,
      deleted: r.deleted,
      skipped: r.skipped,
      pendingOnTarget: r.pending,
      removedOnTarget: r.removed,
      keptOnTarget: r.kept,
      failedOnTarget: r.failed,
      approvedBy: r.approved_by,
      approvedAt: r.approved_at ? new Date(r.approved_at) : null,
    });
    out.set(Number(r.campaign_id), list);
  }
  return out;
}

function summary(c: CampaignRecord, establishments: CampaignEstablishment[]): CampaignSummary {
  const sum = (k: keyof CampaignCounts) => establishments.reduce((n, e) => n + e[k], 0);
  return {
    ...c,
    counts: {
      planned: sum('planned'),
      deleted: sum('deleted'),
      skipped: sum('skipped'),
      pendingOnTarget: sum('pendingOnTarget'),
      removedOnTarget: sum('removedOnTarget'),
      keptOnTarget: sum('keptOnTarget'),
      failedOnTarget: sum('failedOnTarget'),
    },
    establishments,
  };
}

/**
 * The campaigns with their counts (the execution report) per establishment; `uais` restricts
 * the counts to an establishment-scoped reader's (null: every establishment).
 */
export async function listCampaigns(
  db: Executor,
  uais: readonly string[] | null,
): Promise<CampaignSummary[]> {
  const campaigns = await listCampaignRecords(db);
  const per = await establishmentsOf(
    db,
    campaigns.map((c) => c.id),
    uais,
  );
  return campaigns.map((c) => summary(c, per.get(c.id) ?? []));
}

/** One campaign's report (counts per establishment, approvals). */
export async function campaignReport(
  db: Executor,
  id: number,
  uais: readonly string[] | null,
): Promise<CampaignSummary> {
  const c = await requireCampaign(db, id);
  return summary(c, (await establishmentsOf(db, [id], uais)).get(id) ?? []);
}

/**
 * What the campaign deletes (or deleted): who or which group, on which target, in which
 * establishment, its status and where it stands on the target. `uais` as for listCampaigns.
 */
export async function campaignItems(
  db: Executor,
  id: number,
  uais: readonly string[] | null,
  options: { limit?: number; offset?: number } = {},
): Promise<CampaignItemView[]> {
  await requireCampaign(db, id);
  const { rows } = await sql<{
    target: string;
    target_kind: string;
    subject: string;
    person_id: number | null;
    class_group_id: number | null;
    uai: string | null;
    label: string;
    target_key: string | null;
    status: CampaignItemStatus;
    reason: string | null;
    done_at: Date | null;
    on_target: OnTarget;
    gp_status: GroupPurgeStatus | null;
    gp_reason: string | null;
    gp_attempts: number | null;
    gp_error: string | null;
    gp_done_at: Date | null;
  }>`
    select t.name as target, t.kind as target_kind, ci.subject, ci.person_id, ci.class_group_id,
      ci.uai, ci.label, ci.target_key, ci.status, ci.reason, ci.done_at,
      ${ON_TARGET} as on_target, gp.status as gp_status, gp.reason as gp_reason,
      gp.attempts as gp_attempts, gp.last_error as gp_error, gp.done_at as gp_done_at
    from campaign_item ci join target t on t.id = ci.target_id ${ON_TARGET_JOINS}
    where ci.campaign_id = ${id} and ${inUais(uais, 'ci.uai')}
    order by ci.uai, t.name, ci.label, ci.subject
    limit ${options.limit ?? 1000} offset ${options.offset ?? 0}`.execute(db);
  return rows.map((r) => ({
    target: r.target,
    targetKind: r.target_kind,
    subject: r.subject,
    personId: r.person_id === null ? null : Number(r.person_id),
    classGroupId: r.class_group_id === null ? null : Number(r.class_group_id),
    uai: r.uai,
    label: r.label,
    targetKey: r.target_key,
    status: r.status,
    reason: r.reason,
    doneAt: r.done_at ? new Date(r.done_at) : null,
    onTarget: r.on_target,
    targetPurge:
      r.gp_status === null
        ? null
        : {
            status: r.gp_status,
            reason: r.gp_reason,
            attempts: r.gp_attempts ?? 0,
            lastError: r.gp_error,
            doneAt: r.gp_done_at ? new Date(r.gp_done_at) : null,
          },
  }));
}
