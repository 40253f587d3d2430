import { openSecrets, type SecretBox } from '@aaf-sync/targets';
import { koxoOptions } from './koxo-options.js';
import { lastRunStart } from './readback.repository.js';
import { runKoxoReadBack, type ReadBackContext, type ReadBackRunResult } from './run-readback.js';

export interface DueReadBack {
  readonly target: string;
  /** The run's result, or the error that kept it from running (busy, bad options). */
  readonly result: ReadBackRunResult | { readonly skipped: string };
}

/**
 * Runs the read-back of every active `koxo` target with a `readBack` block whose last run
 * started `everyMinutes` ago or more (the targets process calls this every minute). A target
 * that fails does not stop the others: its run is recorded failed (AD unreachable), or it is
 * skipped with the reason (a run already going on elsewhere, a missing bind password).
 */
export async function runDueKoxoReadBacks(
  ctx: ReadBackContext & { readonly box: SecretBox },
): Promise<DueReadBack[]> {
  const now = ctx.now ?? (() => new Date());
  const rows = await ctx.db
    .selectFrom('target')
    .selectAll()
    .where('kind', '=', 'koxo')
    .where('state', '=', 'active')
    .orderBy('id')
    .execute();
  const out: DueReadBack[] = [];
  for (const row of rows) {
    let readBack;
    try {
      readBack = koxoOptions(row).readBack;
    } catch (err) {
      out.push({ target: row.name, result: { skipped: (err as Error).message } });
      continue;
    }
    if (!readBack) continue;
    const last = await lastRunStart(ctx.db, Number(row.id));
    if (last && now().getTime() - last.getTime() < readBack.everyMinutes * 60_000) continue;
    try {
      const target = {
        id: Number(row.id),
        name: row.name,
        uais: row.uais,
        options: row.options,
        secrets: openSecrets(ctx.box, row),
      };
      out.push({ target: row.name, result: await runKoxoReadBack(ctx, target) });
    } catch (err) {
      out.push({ target: row.name, result: { skipped: (err as Error).message } });
    }
  }
  return out;
}
