import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { eligiblePerson, HELD } from './campaign-eligibility.js';
import { requireCampaign, type CampaignRecord } from './campaign.repository.js';

export interface RunOptions {
  /** Only the items of this establishment (an approval arriving after the run date). */
  readonly uai?: string | undefined;
  /** Items per transaction (default 500). */
  readonly batchSize?: number | undefined;
  /** Called after each committed batch (progress; tests use it to crash a run midway). */
  readonly afterBatch?: ((done: number) => void | Promise<void>) | undefined;
}

export interface RunResult {
  readonly campaign: CampaignRecord;
  /** Items decided by this run. */
  readonly deleted: number;
  readonly skipped: number;
  /** Items still planned (establishments that have not approved). */
  readonly waiting: number;
}

/**
 * Runs a campaign's planned items in batches, each batch in its own transaction: an account the
 * campaign still concerns gets its provisioning row marked `purge` and pending (the targets
 * worker then deletes what the target holds: the Scribe driver deletes the entry), an account
 * back in the directory or no longer held by the target is skipped with the reason, an empty
 * group still empty is recorded deleted and queued for each target (`group_purge`: the targets
 * process deletes it there through the driver's `purgeGroups`). Items of a campaign that needs
 * approval run only in the establishments that approved it. Resumable: a crash leaves the
 * undecided items planned, and a second run decides only those (twice = no change). Identifiers
 * are never touched: they stay reserved to the person. The campaign is `done` when no item is left planned.
 */
export async function runCampaign(
  db: Kysely<Database>,
  campaignId: number,
  at: Date,
  options: RunOptions = {},
): Promise<RunResult> {
  const campaign = await requireCampaign(db, campaignId);
  const batch = options.batchSize ?? 500;
  await sql`update campaign set state = 'running', started_at = coalesce(started_at, ${at})
    where id = ${campaignId} and state = 'previewed'`.execute(db);
  let deleted = 0;
  let skipped = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const items = await sql<{ target_id: number; subject: string }>`
        select ci.target_id, ci.subject from campaign_item ci
        where ci.campaign_id = ${campaignId} and ci.status = 'planned'
          and (${options.uai ?? null}::text is null or ci.uai = ${options.uai ?? null})
          and (${campaign.approval} = 'none' or exists (select 1 from campaign_approval a
            where a.campaign_id = ci.campaign_id and a.uai = ci.uai))
        order by ci.target_id, ci.subject
        limit ${batch}
        for update skip locked`.execute(trx);
      if (items.rows.length === 0) return 0;
      const keys = JSON.stringify(items.rows.map((r) => ({ t: r.target_id, s: r.subject })));
      const batchItems = sql`(select ci.* from campaign_item ci
        join json_to_recordset(${keys}::json) as k(t bigint, s text)
          on ci.target_id = k.t and ci.subject = k.s
        where ci.campaign_id = ${campaignId})`;
      const marked = await sql<{ target_id: number; person_id: number }>`
        update provisioning r set purge = true, desired_version = r.desired_version + 1,
          status = 'pending', attempts = 0, next_attempt_at = now(), last_error = null,
          updated_at = now()
        from ${batchItems} ci join person p on p.id = ci.person_id
        where r.target_id = ci.target_id and r.person_id = ci.person_id
          and ${HELD} and ${eligiblePerson(campaign.kind)}
        returning r.target_id, r.person_id`.execute(trx);
      const done = JSON.stringify(
        marked.rows.map((r) => ({ t: r.target_id, s: `person:${r.person_id}` })),
      );
      const decided = await sql<{ status: string }>`
        update campaign_item c set
          status = case
            when c.class_group_id is not null then
              case when cg.state = 'empty' then 'deleted' else 'skipped' end
            when d.s is not null then 'deleted' else 'skipped' end,
          reason = case
            when c.class_group_id is not null then
              case when cg.state = 'empty' then null else 'has pupils again' end
            when d.s is not null then null
            when p.id is null then 'person no longer in the directory'
            when not ${eligiblePerson(campaign.kind)} then 'back in the directory'
            else 'nothing held on the target' end,
          done_at = ${at}
        from ${batchItems} ci
          left join person p on p.id = ci.person_id
          left join class_group cg on cg.id = ci.class_group_id
          left join json_to_recordset(${done}::json) as d(t bigint, s text)
            on d.t = ci.target_id and d.s = ci.subject
        where c.campaign_id = ci.campaign_id and c.target_id = ci.target_id
          and c.subject = ci.subject
        returning c.status`.execute(trx);
      // An empty group deleted: each target deletes it too (the targets process, group_purge).
      await sql`
        insert into group_purge (campaign_id, target_id, subject, uai, kind, code)
        select ci.campaign_id, ci.target_id, ci.subject, ci.uai, cg.kind, cg.code
        from ${batchItems} ci join class_group cg on cg.id = ci.class_group_id
        where ci.status = 'deleted' and ci.uai is not null
        on conflict do nothing`.execute(trx);
      for (const r of decided.rows) {
        if (r.status === 'deleted') deleted += 1;
        else skipped += 1;
      }
      return items.rows.length;
    });
    if (n > 0) await options.afterBatch?.(n);
    if (n < batch) break;
  }
  const left = await sql<{ n: number }>`select count(*)::int as n from campaign_item
    where campaign_id = ${campaignId} and status = 'planned'`.execute(db);
  const waiting = left.rows[0]?.n ?? 0;
  if (waiting === 0) {
    await sql`update campaign set state = 'done', finished_at = coalesce(finished_at, ${at})
      where id = ${campaignId}`.execute(db);
  }
  return { campaign: await requireCampaign(db, campaignId), deleted, skipped, waiting };
}
