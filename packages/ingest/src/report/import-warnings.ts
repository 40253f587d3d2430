import type { Warning, WarningCode } from '@aaf-sync/aaf';
import { bulkInsert, sql, type Database, type Executor, type Kysely } from '@aaf-sync/db';
import type { WarningReport } from './import-report.schema.js';

/** A data-quality warning of an import, ready to store (the record concerned was kept). */
export interface WarningRow {
  readonly structure: string | null;
  readonly uai: string | null;
  readonly code: WarningCode;
  /** The jointure of the person or structure concerned. */
  readonly subject: string;
  readonly message: string;
}

export type { WarningReport };

/** A normalizer warning as a row, with the value that caused it. */
export function warningRow(
  w: Warning,
  subject: string,
  structure: string | null,
  uai: string | null,
): WarningRow {
  const message = w.value ? `${w.message} (${w.value})` : w.message;
  return { structure, uai, code: w.code, subject, message };
}

/** Stores the warnings of an import (one statement per 5,000). */
export async function writeWarnings(
  db: Executor,
  importId: number,
  rows: readonly WarningRow[],
): Promise<void> {
  await bulkInsert(
    db,
    'import_warning',
    ['import_id', 'structure_jointure', 'uai', 'code', 'subject', 'message'],
    rows.map((w) => ({
      import_id: importId,
      structure_jointure: w.structure,
      uai: w.uai,
      code: w.code,
      subject: w.subject,
      message: w.message,
    })),
    { chunk: 5000 },
  );
}

/**
 * After an apply: relatives of pupils this import departed whose pupils have all departed
 * (they keep no account, and SIECLE usually removes them next), listed under the establishment
 * of the pupil that left.
 */
export async function recordOrphanedRelatives(db: Executor, importId: number): Promise<void> {
  await sql`
    insert into import_warning (import_id, structure_jointure, uai, code, subject, message)
    select distinct on (rl.relative_jointure) ${importId}, pu.primary_structure, s.uai,
      'RELATIVE_PUPILS_DEPARTED', rl.relative_jointure,
      'relative ' || rl.relative_jointure || ': every pupil it is linked to has departed'
    from person pu
    join relative_link rl on rl.pupil_jointure = pu.jointure
    join person r on r.jointure = rl.relative_jointure and r.state = 'active'
    left join structure s on s.jointure = pu.primary_structure
    where pu.last_import_id = ${importId} and pu.category = 'pupil' and pu.state = 'departed'
      and not exists (select 1 from relative_link o join person op on op.jointure = o.pupil_jointure
        where o.relative_jointure = rl.relative_jointure and op.state = 'active')
      and not exists (select 1 from import_warning w where w.import_id = ${importId}
        and w.code = 'RELATIVE_PUPILS_DEPARTED' and w.subject = rl.relative_jointure)
    order by rl.relative_jointure, pu.jointure`.execute(db);
}

/** The warnings of an import (only those of `uais` when given), by establishment then subject. */
export async function importWarnings(
  db: Kysely<Database>,
  importId: number,
  uais: readonly string[] | null,
  limit: number,
): Promise<{ warnings: WarningReport[]; byCode: Record<string, number>; truncated: boolean }> {
  let query = db
    .selectFrom('import_warning')
    .select(['code', 'uai', 'structure_jointure', 'subject', 'message'])
    .where('import_id', '=', importId);
  if (uais !== null) query = query.where('uai', 'in', uais.length > 0 ? [...uais] : ['']);
  const rows = await query
    .orderBy('uai')
    .orderBy('code')
    .orderBy('subject')
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  let counts = db
    .selectFrom('import_warning')
    .select(['code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('import_id', '=', importId);
  if (uais !== null) counts = counts.where('uai', 'in', uais.length > 0 ? [...uais] : ['']);
  const byCode: Record<string, number> = {};
  for (const r of await counts.groupBy('code').orderBy('code').execute())
    byCode[r.code] = Number(r.n);
  return {
    warnings: rows.slice(0, limit).map((r) => ({
      code: r.code,
      uai: r.uai,
      structure: r.structure_jointure,
      subject: r.subject,
      message: r.message,
    })),
    byCode,
    truncated: rows.length > limit,
  };
}

/**
 * After an apply: active pupils sharing an INE with another active pupil, when this import
 * touched one of them (two records of one person under two jointures: the old school still lists
 * it, or two deliveries disagree). One warning per INE, under the establishment of the pupil of
 * this import.
 */
export async function recordIneConflicts(db: Executor, importId: number): Promise<void> {
  await sql`
    insert into import_warning (import_id, structure_jointure, uai, code, subject, message)
    select distinct on (p.ine) ${importId}, p.primary_structure, s.uai, 'INE_CONFLICT', p.jointure,
      'pupils ' || (select string_agg(o.jointure, ', ' order by o.jointure) from person o
        where o.ine = p.ine and o.state = 'active' and o.category = 'pupil')
        || ' are active and share INE ' || p.ine
    from person p
    left join structure s on s.jointure = p.primary_structure
    where p.last_import_id = ${importId} and p.category = 'pupil' and p.state = 'active'
      and p.ine is not null
      and exists (select 1 from person o where o.ine = p.ine and o.jointure <> p.jointure
        and o.state = 'active' and o.category = 'pupil')
    order by p.ine, p.jointure`.execute(db);
}
