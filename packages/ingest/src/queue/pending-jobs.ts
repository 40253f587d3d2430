import type { Database, Kysely } from '@aaf-sync/db';
import type { ImportJob } from './import-queue.js';

interface StoredOptions {
  actor?: string | null;
  spoolDir?: string;
  scope?: { uais: string[] | null };
}

/**
 * The import work PostgreSQL says is still to do: queued runs (grouped back into their upload's
 * job by spool folder) and queued or interrupted decisions. The ingester enqueues them again
 * when Redis lost their jobs.
 */
export async function pendingImportJobs(db: Kysely<Database>): Promise<ImportJob[]> {
  const runs = await db
    .selectFrom('import_run')
    .select(['id', 'dry_run', 'options'])
    .where('status', '=', 'queued')
    .orderBy('id')
    .execute();
  const bySpool = new Map<string, Extract<ImportJob, { kind: 'submission' }>>();
  for (const r of runs) {
    const o = r.options as StoredOptions;
    if (!o.spoolDir) continue;
    const job = bySpool.get(o.spoolDir);
    if (job) job.importIds.push(Number(r.id));
    else
      bySpool.set(o.spoolDir, {
        kind: 'submission',
        importIds: [Number(r.id)],
        spoolDir: o.spoolDir,
        dryRun: r.dry_run,
        actor: o.actor ?? 'unknown',
        scope: { uais: o.scope?.uais ?? null },
      });
  }
  const decisions = await db
    .selectFrom('import_decision')
    .select('id')
    .where('status', 'in', ['queued', 'running'])
    .orderBy('id')
    .execute();
  return [
    ...bySpool.values(),
    ...decisions.map((d) => ({ kind: 'decision' as const, decisionId: Number(d.id) })),
  ];
}
