import { sql, type CampaignItemStatus, type Executor } from '@aaf-sync/db';
import {
  listCampaignRecords,
  requireCampaign,
  type CampaignRecord,
} from './campaign.repository.js';

/** Where a deleted item stands on its target. */
export type OnTarget = 'pending' | 'removed' | 'recorded' | null;

export interface CampaignCounts {
  readonly planned: number;
  readonly deleted: number;
  readonly skipped: number;
  /** Deleted items the target has not removed yet (its worker has not applied them). */
  readonly pendingOnTarget: number;
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
  /** `removed` once the target's worker deleted it; `recorded` for groups (directory side). */
  readonly onTarget: OnTarget;
}

const inUais = (uais: readonly string[] | null, col: string) =>
  uais === null ? sql`true` : sql`${sql.ref(col)} = any(${sql.val([...uais])}::text[])`;

const ON_TARGET = sql`case when ci.status <> 'deleted' then null
  when ci.class_group_id is not null then 'recorded'
  when r.target_key is null and r.status in ('applied', 'excluded') then 'removed'
  else 'pending' end`;

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
    approved_by: string | null;
    approved_at: Date | null;
  }>`
    select ci.campaign_id, ci.uai,
      count(*) filter (where ci.status = 'planned')::int as planned,
      count(*) filter (where ci.status = 'deleted')::int as deleted,
      count(*) filter (where ci.status = 'skipped')::int as skipped,
      count(*) filter (where ${ON_TARGET} = 'pending')::int as pending,
      min(a.approved_by) as approved_by, min(a.approved_at) as approved_at
    from campaign_item ci
    left join provisioning r on r.target_id = ci.target_id and r.person_id = ci.person_id
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
  }>`
    select t.name as target, t.kind as target_kind, ci.subject, ci.person_id, ci.class_group_id,
      ci.uai, ci.label, ci.target_key, ci.status, ci.reason, ci.done_at,
      ${ON_TARGET} as on_target
    from campaign_item ci join target t on t.id = ci.target_id
    left join provisioning r on r.target_id = ci.target_id and r.person_id = ci.person_id
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
  }));
}
