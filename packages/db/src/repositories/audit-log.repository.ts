import type { NewAuditLog } from '../tables/api.table.js';
import type { Executor } from '../executor.js';

/** Appends one audit row (a write through the API or an operator command). */
export async function insertAudit(db: Executor, entry: NewAuditLog): Promise<void> {
  await db.insertInto('audit_log').values(entry).execute();
}
