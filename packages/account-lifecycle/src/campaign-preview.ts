import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { eligiblePerson, HELD } from './campaign-eligibility.js';
import { toCampaign, type CampaignRecord } from './campaign.repository.js';
import type { CampaignSpec } from './campaign-spec.js';

export interface PreviewResult {
  readonly campaign: CampaignRecord;
  /** Items added by this preview (0 when it ran before: idempotent). */
  readonly added: number;
  /** Items listed per establishment (`''`: establishment unknown). */
  readonly byUai: ReadonlyMap<string, number>;
}

/**
 * Stores the campaign (once per school year and name) and lists what it will delete, per target
 * of its kind (or its one named target): for the account campaigns, the persons the campaign
 * concerns that the target still holds (even disabled), each with its establishment (from the
 * target's key, the person's establishments, its last event, or the target's only UAI); for the
 * empty-groups campaign, the empty classes and groups of the target's establishments. Items are
 * added once (a second preview adds only newcomers, and none once the campaign runs).
 */
export async function previewCampaign(
  db: Kysely<Database>,
  spec: CampaignSpec,
): Promise<PreviewResult> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<Parameters<typeof toCampaign>[0]>`
      insert into campaign as c (school_year, name, kind, target_kind, target_name, approval,
        preview_at, run_at)
      values (${spec.schoolYear}, ${spec.name}, ${spec.kind}, ${spec.targetKind},
        ${spec.targetName}, ${spec.approval}, ${spec.previewAt}, ${spec.runAt})
      on conflict (school_year, name) do update set preview_at = excluded.preview_at,
        run_at = excluded.run_at, approval = excluded.approval, target_name = excluded.target_name
      returning *`.execute(trx);
    const campaign = toCampaign(rows[0]!);
    const targets = sql`(select t.* from target t where t.kind = ${spec.targetKind}
      and (${spec.targetName}::text is null or t.name = ${spec.targetName}))`;
    let added = 0;
    if (campaign.state === 'previewed') {
      const result =
        spec.kind === 'empty-groups'
          ? await sql`
            insert into campaign_item (campaign_id, target_id, subject, class_group_id, uai, label)
            select ${campaign.id}, t.id, 'group:' || cg.id, cg.id, s.uai, cg.kind || ' ' || cg.code
            from ${targets} t join structure s on s.uai = any(t.uais)
            join class_group cg on cg.structure_jointure = s.jointure
            where cg.state = 'empty'
            on conflict do nothing`.execute(trx)
          : await sql`
            insert into campaign_item (campaign_id, target_id, subject, person_id, uai, label,
              target_key)
            select ${campaign.id}, t.id, 'person:' || p.id, p.id,
              coalesce(
                (select u from unnest(t.uais) u
                  where r.target_key ilike '%ou=' || u || ',%' order by u limit 1),
                (select s.uai from person_structure ps
                  join structure s on s.jointure = ps.structure_jointure
                  where ps.person_jointure = p.jointure and s.uai = any(t.uais)
                  order by s.uai limit 1),
                (select u from change_event e cross join unnest(e.uais) u
                  where e.entity_type = 'person' and e.entity_key = p.jointure
                    and u = any(t.uais) order by e.seq desc limit 1),
                case when cardinality(t.uais) = 1 then t.uais[1] end),
              p.sn || ' ' || p.given_name || ' (' || p.category || ', ' || p.jointure || ')',
              r.target_key
            from ${targets} t join provisioning r on r.target_id = t.id
            join person p on p.id = r.person_id
            where ${HELD} and not r.purge and ${eligiblePerson(spec.kind)}
            on conflict do nothing`.execute(trx);
      added = Number(result.numAffectedRows ?? 0);
    }
    const counts = await sql<{ uai: string; n: number }>`
      select coalesce(uai, '') as uai, count(*)::int as n from campaign_item
      where campaign_id = ${campaign.id} group by 1 order by 1`.execute(trx);
    return { campaign, added, byUai: new Map(counts.rows.map((r) => [r.uai, r.n])) };
  });
}
