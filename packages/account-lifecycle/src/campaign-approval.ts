import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { requireCampaign } from './campaign.repository.js';
import { runCampaign, type RunOptions, type RunResult } from './campaign-run.js';
import { LifecycleErrors } from './errors.js';

export interface ApprovalResult {
  readonly campaignId: number;
  readonly uai: string;
  readonly approvedBy: string;
  readonly approvedAt: Date;
  /** Items of the establishment's list when it was approved. */
  readonly items: number;
  /** False when the establishment had already approved (nothing changed). */
  readonly created: boolean;
  /** The establishment's items run at once when the campaign's date has passed. */
  readonly run: RunResult | null;
}

/**
 * An establishment approves the list of a campaign that needs it (departed staff). Idempotent
 * (a second approval keeps the first). Nothing is deleted before: the run skips the items of
 * establishments without an approval; an approval given after the run date runs that
 * establishment's items at once.
 */
export async function approveCampaign(
  db: Kysely<Database>,
  campaignId: number,
  uai: string,
  actor: string,
  at: Date,
  options: Omit<RunOptions, 'uai'> = {},
): Promise<ApprovalResult> {
  const campaign = await requireCampaign(db, campaignId);
  if (campaign.approval !== 'establishment') {
    throw LifecycleErrors.APPROVAL_NOT_REQUIRED({ id: campaignId, kind: campaign.kind });
  }
  const count = await sql<{ n: number }>`select count(*)::int as n from campaign_item
    where campaign_id = ${campaignId} and uai = ${uai}`.execute(db);
  const items = count.rows[0]?.n ?? 0;
  if (items === 0) throw LifecycleErrors.NOTHING_TO_APPROVE({ id: campaignId, uai });
  const inserted = await sql<{ approved_at: Date }>`
    insert into campaign_approval (campaign_id, uai, approved_by, approved_at, items)
    values (${campaignId}, ${uai}, ${actor}, ${at}, ${items})
    on conflict do nothing returning approved_at`.execute(db);
  const row = (
    await sql<{ approved_by: string; approved_at: Date; items: number }>`
      select approved_by, approved_at, items from campaign_approval
      where campaign_id = ${campaignId} and uai = ${uai}`.execute(db)
  ).rows[0]!;
  const due = campaign.state !== 'previewed' || at >= campaign.runAt;
  const run = due ? await runCampaign(db, campaignId, at, { ...options, uai }) : null;
  return {
    campaignId,
    uai,
    approvedBy: row.approved_by,
    approvedAt: new Date(row.approved_at),
    items: row.items,
    created: inserted.rows.length > 0,
    run,
  };
}
