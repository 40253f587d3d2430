import {
  approveCampaign,
  campaignItems,
  campaignReport,
  campaignSpec,
  listCampaigns,
  previewCampaign,
  runCampaign,
  type CampaignItemView,
  type CampaignSummary,
} from '@aaf-sync/account-lifecycle';
import { requireCalendar } from '@aaf-sync/calendar-store';
import { insertAudit, type Database, type Kysely } from '@aaf-sync/db';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase } from '../target-context.js';

const USAGE = [
  'aaf-sync campaign list [--json]',
  'aaf-sync campaign preview <id | calendar name> [--uai <uai>] [--json]',
  'aaf-sync campaign approve <id> --uai <uai>',
  'aaf-sync campaign run <id> [--uai <uai>] [--force]',
  '',
  'Year-end deletion campaigns of the calendar (departed pupils and their relatives, empty',
  'groups, departed staff). The scheduler previews and runs them on their dates; these commands',
  'do the same by hand. list: every campaign with its counts (the execution report). preview',
  '<name>: stores the preview of the calendar campaign now (no notices: the scheduler sends',
  'them) and prints it; preview <id>: prints what it deletes, who, on which target, in which',
  'establishment, with the status. approve: the establishment approves a departed-staff list',
  '(after the run date its items run at once). run: runs the planned items (refused before the',
  'run date without --force); resumable and idempotent. approve and run are audited.',
].join('\n');

type Values = Record<string, string | boolean | undefined>;

function line(c: CampaignSummary): string {
  const n = c.counts;
  return (
    `#${c.id} ${c.schoolYear} ${c.name} (${c.kind}, ${c.targetName ?? c.targetKind}, ` +
    `approval ${c.approval}) ${c.state}, run ${c.runAt.toISOString()}: ${n.planned} planned, ` +
    `${n.deleted} deleted (${n.pendingOnTarget} pending on targets), ${n.skipped} skipped` +
    (n.keptOnTarget > 0 ? `, ${n.keptOnTarget} kept on targets` : '') +
    (n.failedOnTarget > 0 ? `, ${n.failedOnTarget} FAILED on targets` : '')
  );
}

/** A group the target did not delete: why (kept with its reason, or the last refusal). */
function purgeNote(i: CampaignItemView): string {
  const p = i.targetPurge;
  if (!p || p.status === 'deleted') return '';
  const why = p.status === 'skipped' ? p.reason : p.lastError;
  return ` target ${p.status}${why ? `: ${why}` : ''}`;
}

function idOf(value: string | undefined): number {
  const id = Number(value);
  if (!value || !Number.isInteger(id) || id < 1) {
    throw CliErrors.USAGE({ problem: `expected a campaign id\n\n${USAGE}` });
  }
  return id;
}

async function list(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  const all = await listCampaigns(db, null);
  ctx.stdout.write(
    v.json
      ? `${JSON.stringify(all)}\n`
      : all.length === 0
        ? 'no campaign yet\n'
        : `${all.map(line).join('\n')}\n`,
  );
  return 0;
}

async function preview(
  ctx: CommandContext,
  db: Kysely<Database>,
  v: Values,
  arg: string | undefined,
): Promise<number> {
  let id: number;
  if (arg && !/^\d+$/.test(arg)) {
    const { document } = await requireCalendar(db);
    id = (await previewCampaign(db, campaignSpec(document, arg))).campaign.id;
  } else {
    id = idOf(arg);
  }
  const uais = typeof v.uai === 'string' ? [v.uai] : null;
  const report = await campaignReport(db, id, uais);
  const items = await campaignItems(db, id, uais, { limit: 100_000 });
  if (v.json) {
    ctx.stdout.write(`${JSON.stringify({ campaign: report, items })}\n`);
    return 0;
  }
  ctx.stdout.write(`${line(report)}\n`);
  for (const i of items) {
    ctx.stdout.write(
      `  ${i.uai ?? '?'} ${i.target} ${i.label} ${i.targetKey ?? ''} ${i.status}` +
        `${i.reason ? ` (${i.reason})` : ''}${i.onTarget ? ` [${i.onTarget}]` : ''}` +
        `${purgeNote(i)}\n`,
    );
  }
  return 0;
}

async function approve(ctx: CommandContext, db: Kysely<Database>, v: Values, arg?: string) {
  const id = idOf(arg);
  if (typeof v.uai !== 'string')
    throw CliErrors.USAGE({ problem: `--uai is required\n\n${USAGE}` });
  const actor = operator();
  const a = await approveCampaign(db, id, v.uai, actor, new Date());
  await insertAudit(db, {
    actor,
    action: 'campaigns.approve',
    uais: [v.uai],
    details: { campaign: id, uai: v.uai, items: a.items, created: a.created },
  });
  ctx.stdout.write(
    `campaign #${id} approved for ${a.uai} by ${a.approvedBy} (${a.items} item(s))` +
      (a.run ? `; ran: ${a.run.deleted} deleted, ${a.run.skipped} skipped` : '') +
      '\n',
  );
  return 0;
}

async function run(ctx: CommandContext, db: Kysely<Database>, v: Values, arg?: string) {
  const id = idOf(arg);
  const now = new Date();
  const report = await campaignReport(db, id, null);
  if (now < report.runAt && !v.force) {
    throw CliErrors.USAGE({
      problem: `campaign #${id} runs on ${report.runAt.toISOString()}; --force to run it now`,
    });
  }
  const uai = typeof v.uai === 'string' ? v.uai : undefined;
  const r = await runCampaign(db, id, now, { uai });
  await insertAudit(db, {
    actor: operator(),
    action: 'campaigns.run',
    uais: uai ? [uai] : [],
    details: { campaign: id, deleted: r.deleted, skipped: r.skipped, waiting: r.waiting },
  });
  ctx.stdout.write(
    `campaign #${id}: ${r.deleted} deleted, ${r.skipped} skipped, ${r.waiting} waiting ` +
      `(${r.campaign.state})\n`,
  );
  return 0;
}

async function main(ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseOptions(
    {
      args: [...ctx.argv],
      allowPositionals: true,
      options: {
        uai: { type: 'string' },
        force: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  const [action, arg] = positionals;
  const actions = { list, preview, approve, run } as const;
  if (!action || !(action in actions)) {
    throw CliErrors.USAGE({ problem: `expected list, preview, approve or run\n\n${USAGE}` });
  }
  return withDatabase(ctx.config, 2, async ({ db }) => {
    return await actions[action as keyof typeof actions](ctx, db, values, arg);
  });
}

export const campaignCommand: Command = {
  name: 'campaign',
  summary: 'year-end deletion campaigns: list, preview, approve, run',
  usage: USAGE,
  run: main,
};
