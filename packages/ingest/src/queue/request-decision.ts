import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';

export interface DecisionRequest {
  readonly importId: number;
  /** UAI (or structure jointure) of the held establishment. */
  readonly uai: string;
  readonly decision: 'approve' | 'discard';
  readonly actor: string;
}

/**
 * Records an approve/discard request for a held plan (the caller checked that it is held and in
 * scope); the ingester executes it. One pending request per plan (INGEST_ERR_DECISION_PENDING).
 */
export async function requestDecision(
  db: Kysely<Database>,
  r: DecisionRequest,
): Promise<{ kind: 'decision'; decisionId: number }> {
  try {
    const row = await db
      .insertInto('import_decision')
      .values({ import_id: r.importId, uai: r.uai, decision: r.decision, actor: r.actor })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { kind: 'decision', decisionId: Number(row.id) };
  } catch (err) {
    if ((err as { code?: string }).code === '23505')
      throw IngestErrors.DECISION_PENDING({ importId: r.importId, uai: r.uai }, { cause: err });
    throw err;
  }
}

export interface DecisionView {
  readonly id: number;
  readonly uai: string;
  readonly decision: 'approve' | 'discard';
  readonly status: 'queued' | 'running' | 'done' | 'failed';
  readonly actor: string;
  readonly error: Record<string, unknown> | null;
  readonly requestedAt: string;
  readonly finishedAt: string | null;
}

/** The decisions requested on an import's held plans, oldest first (`uais`: only these). */
export async function listDecisions(
  db: Kysely<Database>,
  importId: number,
  uais: readonly string[] | null,
): Promise<DecisionView[]> {
  let q = db.selectFrom('import_decision').selectAll().where('import_id', '=', importId);
  if (uais !== null) q = q.where('uai', '=', sql<string>`any(${[...uais]}::text[])`);
  const rows = await q.orderBy('id').execute();
  return rows.map((r) => ({
    id: Number(r.id),
    uai: r.uai,
    decision: r.decision,
    status: r.status,
    actor: r.actor,
    error: r.error,
    requestedAt: r.requested_at.toISOString(),
    finishedAt: r.finished_at ? new Date(r.finished_at).toISOString() : null,
  }));
}
