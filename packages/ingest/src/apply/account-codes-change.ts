import { sql } from '@aaf-sync/db';
import type { ApplyContext } from './apply-context.js';
import { accountCodes } from './relative-accounts.js';

/**
 * RELATIVE_ACCOUNT_LEGAL_CODES as this apply uses them, against those the last apply recorded
 * (`relative_account_codes`, one row). When they differ, or were never recorded, every relative
 * active before this apply is queued for the end-of-apply recompute, which gives or takes
 * accounts and establishments by the new codes, with their events, like a change of links. Run
 * before the batches: the relatives of the import itself are computed when applied (a first
 * import queues nobody). An establishment-scoped submitter's import leaves it to the next
 * academy-wide one (the recompute would change other establishments). Returns how many were
 * queued.
 */
export async function queueRelativesOnCodesChange(
  ctx: ApplyContext,
  scoped: boolean,
): Promise<number> {
  if (scoped) return 0;
  const codes = [...new Set(accountCodes(ctx))].sort((a, b) => a - b);
  const recorded = await ctx.trx
    .selectFrom('relative_account_codes')
    .select('codes')
    .forUpdate()
    .executeTakeFirst();
  if (recorded && [...recorded.codes].sort((a, b) => a - b).join() === codes.join()) return 0;
  const { rows } = await sql<{ jointure: string }>`
    select jointure from person where category = 'relative' and state = 'active'`.execute(ctx.trx);
  for (const r of rows) ctx.touchedRelatives.add(r.jointure);
  const row = { codes, import_id: ctx.importId };
  await ctx.trx
    .insertInto('relative_account_codes')
    .values(row)
    .onConflict((oc) => oc.column('singleton').doUpdateSet({ ...row, updated_at: sql`now()` }))
    .execute();
  return rows.length;
}
