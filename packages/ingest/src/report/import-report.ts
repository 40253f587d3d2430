import {
  sql,
  type Database,
  type ExpressionBuilder,
  type ImportStatus,
  type Kysely,
} from '@aaf-sync/db';
import {
  zeroByCategory,
  zeroCounts,
  zeroReferenceCounts,
  type ByCategory,
  type Counts,
  type ReferenceCounts,
} from '../plan/establishment-stats.js';
import type { SubmitterScope } from '../plan/submitter-scope.js';
import { importWarnings, type WarningReport } from './import-warnings.js';

export interface FileReport {
  readonly name: string;
  readonly entity: string;
  readonly kind: string;
  readonly date: string;
  readonly chunk: number;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly status: string;
  readonly records: number;
  readonly rejects: number;
  readonly unknownAttributes: Record<string, number>;
  /**
   * What became of its records: created + updated + restored + unchanged + departed + rejected =
   * records (a record with value rejects but kept counts as kept); `warnings` by code.
   */
  readonly outcomes: FileOutcomes;
  readonly encoding: string | null;
  readonly formatVersion: string | null;
  readonly error: Record<string, unknown> | null;
}

export interface FileOutcomes {
  readonly created: number;
  readonly updated: number;
  readonly restored: number;
  readonly unchanged: number;
  readonly departed: number;
  readonly rejected: number;
  readonly warnings: Readonly<Record<string, number>>;
}

/** Persons that belong to no establishment (relatives linked to no pupil, staff without one). */
export interface NoEstablishmentReport extends Counts {
  readonly byCategory: ByCategory;
}

export interface EstablishmentReport extends Counts {
  readonly uai: string | null;
  readonly structure: string;
  readonly name: string | null;
  /** planned, applied, held, approved, discarded, dry_run, superseded. */
  readonly status: string;
  /** The counts of its persons by category (its own structure record is in `references`). */
  readonly byCategory: ByCategory;
  readonly activeBefore: number;
  readonly departures: number;
  /** departures / activeBefore, 0..1. */
  readonly departureRatio: number;
  /** Over the hold threshold: held (or, in a dry run, would be held). */
  readonly overThreshold: boolean;
  /**
   * Why it is held (or, in a dry run, would be): `departures` over the threshold, or
   * `uai_conflict` (a new structure jointure with the UAI of a known structure); null otherwise.
   */
  readonly holdReason: 'departures' | 'uai_conflict' | null;
  /** Teachers' links to classes or groups that have no pupil (never a reason to create them). */
  readonly staleTeachingLinks: number;
  /**
   * Pairs of likely-duplicate relatives (same names and same phone, mail or address under
   * different jointures) after the import; listed by GET /v1/establishments/{uai}/reports/….
   */
  readonly duplicateRelatives: number;
  /** Relatives holding an account in the establishment now (legal for an active pupil). */
  readonly relativeAccounts: number;
  /** Relatives of its active pupils who are contacts only (no account). */
  readonly relativeContacts: number;
  /** Data-quality warnings of this import under the establishment (records kept). */
  readonly warnings: number;
}

export interface RejectReport {
  readonly code: string;
  readonly file: string;
  readonly line: number | null;
  readonly entity: string | null;
  readonly identifier: string | null;
  readonly uai: string | null;
  readonly attribute: string | null;
  readonly message: string;
}

/** The import report (CLI `--json`, API, `import_run.summary`); documented in the README. */
export interface ImportReport {
  readonly importId: number;
  readonly delivery: string;
  readonly kind: 'complete' | 'delta';
  readonly date: string;
  readonly scope: string;
  readonly level: '1d' | '2d';
  readonly source: string;
  readonly dryRun: boolean;
  readonly status: ImportStatus;
  readonly error: Record<string, unknown> | null;
  readonly createdAt: string;
  readonly finishedAt: string | null;
  readonly files: readonly FileReport[];
  readonly establishments: readonly EstablishmentReport[];
  /** The persons of no establishment; null in a report for a scoped submitter. */
  readonly noEstablishment: NoEstablishmentReport | null;
  /** Structures, subjects and MEFs on lines of their own; null for a scoped submitter. */
  readonly references: {
    readonly structures: ReferenceCounts;
    readonly subjects: ReferenceCounts;
    readonly mefs: ReferenceCounts;
  } | null;
  /** Persons: the establishments' counts plus the no-establishment line. */
  readonly totals: Counts & { readonly records: number; readonly held: number };
  readonly rejectsByCode: Readonly<Record<string, number>>;
  readonly rejects: readonly RejectReport[];
  readonly rejectsTruncated: boolean;
  /** Data-quality warnings, distinct from rejects: the records were kept. */
  readonly warningsByCode: Readonly<Record<string, number>>;
  readonly warnings: readonly WarningReport[];
  readonly warningsTruncated: boolean;
}

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
 * Two grouped statements (a correlated count per establishment scanned the persons once per
 * establishment: quadratic in an académie).
 */
async function relativeCounts(
  db: Kysely<Database>,
  structures: string[],
): Promise<Map<string, { accounts: number; contacts: number }>> {
  if (structures.length === 0) return new Map();
  const [accounts, contacts] = await Promise.all([
    sql<{ s: string; n: number }>`
      select ps.structure_jointure as s, count(*)::int as n
      from person_structure ps join person r on r.jointure = ps.person_jointure
      where ps.structure_jointure = any(${structures}::text[])
        and r.category = 'relative' and r.state = 'active' and r.has_account
      group by 1`.execute(db),
    sql<{ s: string; n: number }>`
      select ps.structure_jointure as s, count(distinct rl.relative_jointure)::int as n
      from person r
      join relative_link rl on rl.relative_jointure = r.jointure
      join person pu on pu.jointure = rl.pupil_jointure and pu.category = 'pupil'
        and pu.state = 'active'
      join person_structure ps on ps.person_jointure = pu.jointure
        and ps.structure_jointure = any(${structures}::text[])
      where not r.has_account
      group by 1`.execute(db),
  ]);
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
  let query = db
    .selectFrom('import_plan as p')
    .leftJoin('structure as s', 's.jointure', 'p.structure_jointure')
    .select([
      'p.structure_jointure',
      'p.uai',
      'p.status',
      'p.counts',
      'p.active_before',
      'p.departures',
      'p.over_threshold',
      's.name',
      's.uai as current_uai',
    ])
    .where('p.import_id', '=', importId);
  if (uais !== null) query = query.where('p.uai', 'in', uais.length > 0 ? [...uais] : ['']);
  const plans = await query.orderBy('p.uai').orderBy('p.structure_jointure').execute();
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
          structures: zeroReferenceCounts(),
          subjects: zeroReferenceCounts(),
          mefs: zeroReferenceCounts(),
          ...(tallies.references ?? {}),
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
        created: 0,
        updated: 0,
        restored: 0,
        unchanged: 0,
        departed: 0,
        rejected: 0,
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
