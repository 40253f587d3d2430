import type { Transition } from '@aaf-sync/calendar';
import { requireCalendar } from '@aaf-sync/calendar-store';
import { previewCampaign } from './campaign-preview.js';
import { campaignReport } from './campaign-report.js';
import { runCampaign } from './campaign-run.js';
import { campaignSpec } from './campaign-spec.js';
import type { EffectContext, EffectOutcome, EffectRegistry } from '@aaf-sync/scheduler';

const nameOf = (t: Transition) => String(t.details.campaign);

/**
 * `campaign.preview`: the campaign's list is stored and each establishment concerned gets a
 * notice (who, on which target, when; and how to approve when the campaign needs it).
 */
async function preview(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  const { document } = await requireCalendar(ctx.db);
  const spec = campaignSpec(document, nameOf(t));
  const p = await previewCampaign(ctx.db, spec);
  const c = p.campaign;
  for (const [uai, n] of p.byUai) {
    if (uai === '') continue;
    const approval =
      c.approval === 'establishment'
        ? ` Nothing is deleted without your approval: POST /v1/campaigns/${c.id}/approve ` +
          `{"uai":"${uai}"} (or pnpm aaf-sync campaign approve ${c.id} --uai ${uai}).`
        : '';
    await ctx.notify({
      kind: 'campaign.preview',
      uais: [uai],
      title: `Campaign ${c.name}: ${n} deletion(s) planned on ${c.runAt.toISOString()}`,
      body:
        `The ${c.kind} campaign will delete ${n} item(s) of ${uai} on the ${c.targetKind} ` +
        `target(s) on ${c.runAt.toISOString()}. The list: GET /v1/campaigns/${c.id}/preview?uai=` +
        `${uai}.${approval}`,
      data: {
        campaignId: c.id,
        campaign: c.name,
        kind: c.kind,
        targetKind: c.targetKind,
        runAt: c.runAt.toISOString(),
        approval: c.approval,
        items: n,
      },
      dedupeKey: `${t.id}/${uai}`,
    });
  }
  const total = [...p.byUai.values()].reduce((a, b) => a + b, 0);
  return {
    summary: `campaign ${c.name} (#${c.id}) lists ${total} item(s) in ${p.byUai.size} establishment(s)`,
    counts: { items: total, added: p.added, establishments: p.byUai.size },
  };
}

/**
 * `campaign.run`: the campaign runs (previewed first if its preview was missed); each
 * establishment with decided items gets the execution report as a notice.
 */
async function run(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  const { document } = await requireCalendar(ctx.db);
  const spec = campaignSpec(document, nameOf(t));
  const { campaign } = await previewCampaign(ctx.db, spec);
  const now = ctx.clock.now();
  const r = await runCampaign(ctx.db, campaign.id, now < t.at ? t.at : now);
  const report = await campaignReport(ctx.db, campaign.id, null);
  for (const e of report.establishments) {
    if (e.uai === null || e.deleted + e.skipped === 0) continue;
    await ctx.notify({
      kind: 'campaign.report',
      uais: [e.uai],
      title: `Campaign ${campaign.name}: ${e.deleted} deleted, ${e.skipped} skipped`,
      body:
        `The ${campaign.kind} campaign ran for ${e.uai}: ${e.deleted} deleted, ${e.skipped} ` +
        `skipped (back in the directory or nothing held), ${e.planned} waiting` +
        (campaign.approval === 'establishment' && e.planned > 0 ? ' for your approval' : '') +
        `. Report: GET /v1/campaigns/${campaign.id}.`,
      data: { campaignId: campaign.id, campaign: campaign.name, ...e },
      dedupeKey: `${t.id}/${e.uai}`,
    });
  }
  ctx.log.info(
    {
      transition: t.id,
      campaign: campaign.id,
      deleted: r.deleted,
      skipped: r.skipped,
      waiting: r.waiting,
    },
    'campaign run',
  );
  return {
    summary:
      `campaign ${campaign.name} (#${campaign.id}): ${r.deleted} deleted, ${r.skipped} skipped, ` +
      `${r.waiting} waiting for approval`,
    counts: { deleted: r.deleted, skipped: r.skipped, waiting: r.waiting },
  };
}

/** The deletion campaign effects (EffectRegistry shape; the scheduler spreads them in). */
export const campaignEffects = {
  'campaign.preview': preview,
  'campaign.run': run,
} satisfies EffectRegistry;
