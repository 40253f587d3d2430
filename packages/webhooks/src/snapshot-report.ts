import { bulkInsert, sql, type Database, type Kysely } from '@aaf-sync/db';
import { z } from 'zod';

export const REPORT_STATUSES = [
  'created',
  'updated',
  'present',
  'disabled',
  'removed',
  'error',
] as const;

/**
 * What an agent read back after applying a snapshot: the body of POST /v1/snapshots/{uai}/reports
 * as the API validates it (unknown keys are dropped).
 */
export const SnapshotReportInput = z.object({
  reporter: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)
    .describe('Who reports: the server or its webhook subscription name.'),
  items: z
    .array(
      z.object({
        id: z.string().min(1).max(64).describe('Stable id (jointure) from the snapshot.'),
        login: z.string().max(256).optional(),
        homePath: z.string().max(1024).optional(),
        status: z.enum(REPORT_STATUSES),
        detail: z.string().max(1000).optional(),
      }),
    )
    .min(1)
    .max(20_000),
});
export type SnapshotReportInput = z.output<typeof SnapshotReportInput>;

/**
 * Stores an agent's read-back for accounts of one establishment (one row per reporter and
 * account, replaced by the next report). Ids that are not accounts of that establishment are
 * not stored and are answered back as `unknown`.
 */
export async function storeReport(
  db: Kysely<Database>,
  uai: string,
  report: SnapshotReportInput,
): Promise<{ stored: number; unknown: string[] }> {
  const ids = [...new Set(report.items.map((i) => i.id))];
  const known = await sql<{ jointure: string }>`
    select distinct ps.person_jointure as jointure from person_structure ps
    join structure s on s.jointure = ps.structure_jointure
    where s.uai = ${uai} and ps.person_jointure = any(${sql.val(ids)}::text[])
  `.execute(db);
  const ok = new Set(known.rows.map((r) => r.jointure));
  const rows = report.items
    .filter((i) => ok.has(i.id))
    .map((i) => ({
      reporter: report.reporter,
      uai,
      person_jointure: i.id,
      login: i.login ?? null,
      home_path: i.homePath ?? null,
      status: i.status,
      detail: i.detail ?? null,
    }));
  await bulkInsert(
    db,
    'snapshot_report',
    ['reporter', 'uai', 'person_jointure', 'login', 'home_path', 'status', 'detail'],
    rows,
    {
      // reported_at: its default, now(), on insert and update alike
      onConflict: (oc) =>
        oc.columns(['reporter', 'uai', 'person_jointure']).doUpdateSet((eb) => ({
          login: eb.ref('excluded.login'),
          home_path: eb.ref('excluded.home_path'),
          status: eb.ref('excluded.status'),
          detail: eb.ref('excluded.detail'),
          reported_at: eb.ref('excluded.reported_at'),
        })),
    },
  );
  return { stored: rows.length, unknown: ids.filter((id) => !ok.has(id)) };
}
