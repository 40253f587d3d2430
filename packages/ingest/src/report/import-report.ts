import { sql, type Database, type ExpressionBuilder, type Kysely } from '@aaf-sync/db';
import { joinPerson, personAccessFor, runFor } from '@aaf-sync/directory';
import {
  zeroByCategory,
  zeroCounts,
  zeroReferenceCounts,
  type ByCategory,
  type Counts,
} from '../plan/establishment-stats.js';
import { noOutcomes } from '../plan/delivery-state.js';
import type { SubmitterScope } from '../plan/submitter-scope.js';
import { plansForReport } from '../run/import-plan.repository.js';
import type {
  EstablishmentReport,
  FileOutcomes,
  ImportReport,
  NoEstablishmentReport,
} from './import-report.schema.js';
import { importWarnings } from './import-warnings.js';

export type {
  EstablishmentReport,
  FileOutcomes,
  FileReport,
  ImportReport,
  NoEstablishmentReport,
  RejectReport,
} from './import-report.schema.js';

async function staleLinks(
  db: Kysely<Database>,
  structures: string[],
): Promise<Map<string, number>> {
  if (structures.length === 0) return new Map();
  const { rows } = await sql<{ structure_jointure: string; n: number }>`
    select t.structure_jointure, count(*)::int as n from teaching_link t
    where t.structure_jointure = any(${structures}::text[])
      and not exists (select 1 from class_group c where c.structure_jointure = t.structure_jointure
                      and c.kind = t.kind and c.code = t.code and c.state = 'active')
    group by t.structure_jointure`.execute(db);
  return new Map(rows.map((r) => [r.structure_jointure, r.n]));
}

/**
 * Relative accounts and contact-only relatives of each establishment, as the directory is now.
 * Two grouped statements from the establishments' persons (a correlated count per establishment
 * scanned the persons once per establishment: quadratic in an académie; starting from every
 * relative, a delta's report read the whole directory).
 */
async function relativeCounts(
  db: Kysely<Database>,
  structures: string[],
): Promise<Map<string, { accounts: number; contacts: number }>> {
  if (structures.length === 0) return new Map();
  const access = await personAccessFor(db, structures);
  const withAccount = joinPerson(
    access,
    'r',
    'ps.person_jointure',
    sql`r.category = 'relative' and r.state = 'active' and r.has_account`,
    ['jointure'],
  );
  const pupil = joinPerson(
    access,
    'pu',
    'ps.person_jointure',
    sql`pu.category = 'pupil' and pu.state = 'active'`,
    ['jointure'],
  );
  const withoutAccount = joinPerson(access, 'r', 'rl.relative_jointure', sql`not r.has_account`, [
    'jointure',
  ]);
  const [accounts, contacts] = await runFor(access, db, (db) =>
    Promise.all([
      sql<{ s: string; n: number }>`
      select ps.structure_jointure as s, count(*)::int as n
      from person_structure ps ${withAccount}
      where ps.structure_jointure = any(${structures}::text[])
      group by 1`.execute(db),
      sql<{ s: string; n: number }>`
      select ps.structure_jointure as s, count(distinct rl.relative_jointure)::int as n
      from person_structure ps ${pupil}
      join relative_link rl on rl.pupil_jointure = pu.jointure
      ${withoutAccount}
      where ps.structure_jointure = any(${structures}::text[])
      group by 1`.execute(db),
    ]),
  );
  const byStructure = (rows: readonly { s: string; n: number }[]) =>
    new Map(rows.map((r) => [r.s, r.n]));
  const a = byStructure(accounts.rows);
  const c = byStructure(contacts.rows);
  return new Map(structures.map((s) => [s, { accounts: a.get(s) ?? 0, contacts: c.get(s) ?? 0 }]));
}

async function establishments(
  db: Kysely<Database>,
  importId: number,
  uais: readonly string[] | null,
): Promise<EstablishmentReport[]> {
  const plans = await plansForReport(db, importId, uais);
  const stale = await staleLinks(
    db,
    plans.map((p) => p.structure_jointure),
  );
  const relatives = await relativeCounts(
    db,
    plans.map((p) => p.structure_jointure),
  );
  const warned = await db
    .selectFrom('import_warning')
    .select(['structure_jointure', (eb) => eb.fn.countAll<number>().as('n')])
    .where('import_id', '=', importId)
    .groupBy('structure_jointure')
    .execute();
  const warnings = new Map(warned.map((w) => [w.structure_jointure, Number(w.n)]));
  return plans.map((p) => ({
    uai: p.uai ?? p.current_uai ?? null,
    structure: p.structure_jointure,
    name: p.name ?? null,
    status: p.status,
    ...zeroCounts(),
    ...(p.counts as Counts),
    byCategory: (p.counts as { byCategory?: ByCategory }).byCategory ?? zeroByCategory(),
    activeBefore: p.active_before,
    departures: p.departures,
    departureRatio:
      p.active_before > 0 ? Math.round((p.departures / p.active_before) * 10000) / 10000 : 0,
    overThreshold: p.over_threshold,
    holdReason:
      ((p.counts as { holdReason?: EstablishmentReport['holdReason'] }).holdReason ?? null) ||
      (p.over_threshold ? 'departures' : null),
    staleTeachingLinks: stale.get(p.structure_jointure) ?? 0,
    duplicateRelatives: Number((p.counts as Record<string, number>).duplicateRelatives ?? 0),
    relativeAccounts: relatives.get(p.structure_jointure)?.accounts ?? 0,
    relativeContacts: relatives.get(p.structure_jointure)?.contacts ?? 0,
    warnings: warnings.get(p.structure_jointure) ?? 0,
  }));
}

/**
 * A scoped submitter sees the rejects of its establishments, those tied to no establishment (its
 * own records that could not be read) and every OUT_OF_SCOPE reject (what it sent and was
 * refused: id, line and the UAI the record named).
 */
function rejectsFor(uais: readonly string[] | null) {
  return (eb: ExpressionBuilder<Database, 'import_reject'>) =>
    uais === null
      ? eb.lit(true)
      : eb.or([
          eb('uai', 'in', uais.length > 0 ? [...uais] : ['']),
          eb('uai', 'is', null),
          eb('code', '=', 'OUT_OF_SCOPE'),
        ]);
}

/**
 * Reads everything about one import back from the database into its report. With a `scope`
 * (the establishment-scoped submitter of this import) it lists only the scope's establishments,
 * and the rejects of `rejectsFor`; totals count what is listed.
 */
export async function buildImportReport(
  db: Kysely<Database>,
  importId: number,
  options: { rejectLimit?: number; scope?: SubmitterScope } = {},
): Promise<ImportReport> {
  const uais = options.scope?.uais ?? null;
  const limit = options.rejectLimit ?? 1000;
  const run = await db
    .selectFrom('import_run')
    .selectAll()
    .where('id', '=', importId)
    .executeTakeFirstOrThrow();
  const files = await db
    .selectFrom('import_file')
    .selectAll()
    .where('import_id', '=', importId)
    .orderBy('id')
    .execute();
  const rejects = await db
    .selectFrom('import_reject')
    .select(['code', 'file_name', 'line', 'entity', 'identifier', 'uai', 'attribute', 'message'])
    .where('import_id', '=', importId)
    .where(rejectsFor(uais))
    .orderBy('id')
    .limit(limit + 1)
    .execute();
  const byCode = await db
    .selectFrom('import_reject')
    .select(['code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('import_id', '=', importId)
    .where(rejectsFor(uais))
    .groupBy('code')
    .orderBy('code')
    .execute();
  const ests = await establishments(db, importId, uais);
  const warned = await importWarnings(db, importId, uais, limit);
  const tallies = run.tallies as {
    noEstablishment?: NoEstablishmentReport;
    references?: NonNullable<ImportReport['references']>;
  };
  const noEstablishment =
    uais !== null
      ? null
      : {
          ...zeroCounts(),
          byCategory: zeroByCategory(),
          ...(tallies.noEstablishment ?? {}),
        };
  const references =
    uais !== null
      ? null
      : {
          // (per line: a run stored before a count existed reads it as 0)
          structures: { ...zeroReferenceCounts(), ...tallies.references?.structures },
          subjects: { ...zeroReferenceCounts(), ...tallies.references?.subjects },
          mefs: { ...zeroReferenceCounts(), ...tallies.references?.mefs },
        };
  const totals = { ...zeroCounts(), records: files.reduce((n, f) => n + f.records, 0), held: 0 };
  for (const e of [...ests, ...(noEstablishment ? [noEstablishment] : [])]) {
    for (const k of Object.keys(zeroCounts()) as (keyof Counts)[]) totals[k] += e[k];
    if ('status' in e && e.status === 'held') totals.held += 1;
  }
  totals.rejects = byCode.reduce((n, r) => n + Number(r.n), 0);
  return {
    importId,
    delivery: run.delivery_name,
    kind: run.kind,
    date: run.file_date,
    scope: run.scope,
    // Set when the engine starts the run; a report is only built after that.
    level: run.level ?? '2d',
    source: run.source,
    dryRun: run.dry_run,
    status: run.status,
    error: run.error,
    createdAt: run.created_at.toISOString(),
    finishedAt: run.finished_at ? new Date(run.finished_at).toISOString() : null,
    files: files.map((f) => ({
      name: f.name,
      entity: f.entity,
      kind: f.kind,
      date: f.file_date,
      chunk: f.chunk,
      sizeBytes: f.size_bytes,
      sha256: f.sha256,
      status: f.status,
      records: f.records,
      rejects: f.rejects,
      unknownAttributes: f.unknown_attributes,
      outcomes: {
        ...noOutcomes(),
        warnings: {},
        ...(f.outcomes as Partial<FileOutcomes>),
      },
      encoding: f.encoding,
      formatVersion: f.format_version,
      error: f.error,
    })),
    establishments: ests,
    noEstablishment,
    references,
    totals,
    rejectsByCode: Object.fromEntries(byCode.map((r) => [r.code, Number(r.n)])),
    rejects: rejects.slice(0, limit).map((r) => ({
      code: r.code,
      file: r.file_name,
      line: r.line,
      entity: r.entity,
      identifier: r.identifier,
      uai: r.uai,
      attribute: r.attribute,
      message: r.message,
    })),
    rejectsTruncated: rejects.length > limit,
    warningsByCode: warned.byCode,
    warnings: warned.warnings,
    warningsTruncated: warned.truncated,
  };
}
