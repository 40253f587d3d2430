import type { CalendarDocument } from '@aaf-sync/calendar';
import { requireCalendar } from '@aaf-sync/calendar-store';
import { appendEvents, EVENT_WRITER_LOCK, sql, type Database, type Kysely } from '@aaf-sync/db';
import { previousSchoolYear } from './school-year.js';
import {
  claimYearTransition,
  closeUnoccupiedClasses,
  findInitialisedWithoutTransition,
  findLeftoverClasses,
  findTeacherOnlyClasses,
  findYearTransition,
  saveYearTransitionReport,
  type InitialisedEstablishment,
  type LeftoverClass,
  type TeacherOnlyClass,
} from './year-transition.repository.js';

export interface YearTransitionOptions {
  /** The caller's clock (`closed_at`, `ranAt`). */
  readonly now: Date;
  /** The calendar document (default: the current stored one); its schoolYear is year N+1. */
  readonly document?: CalendarDocument | undefined;
  /** Only these establishments (default: every one whose initialisation complete was applied). */
  readonly uais?: readonly string[] | undefined;
}

/** What the transition did and found in one establishment (stored, served by the API). */
export interface YearTransitionReport {
  readonly uai: string;
  /** The new school year (N+1). */
  readonly schoolYear: string;
  /** The year that ended (N): what was closed belongs to it. */
  readonly endingSchoolYear: string;
  readonly importId: number;
  readonly initialisationAppliedAt: string;
  readonly ranAt: string;
  /** Classes and groups of year N that no pupil re-created (teachers' links did not count). */
  readonly closed: {
    kind: 'class' | 'group';
    code: string;
    label: string;
    teachers: number;
  }[];
  /** Classes whose pupils mostly sit in the class they had in year N (share ≥ leftoverShare). */
  readonly leftovers: LeftoverClass[];
  readonly leftoverShare: number;
  /** Class and group codes referenced only by teachers (stale links, reported not kept alive). */
  readonly teacherOnly: TeacherOnlyClass[];
  /** Until then stale teacher links are expected (late STS feedback) and only reported. */
  readonly staleTeachingLinksExpectedUntil: string;
}

export interface YearTransitionResult {
  readonly schoolYear: string;
  /** Establishments transitioned by this call, with their reports. */
  readonly ran: readonly YearTransitionReport[];
}

/**
 * The year transition: for every establishment whose initialisation complete of the calendar's
 * school year (N+1) has been applied and that has not transitioned yet, in one transaction per
 * establishment: its classes and groups without pupils are closed (one `class`/`group` updated
 * event each, actor `calendar`), suspected leftovers are computed, and the report is stored.
 * Cheap when there is nothing to do (one query); twice changes nothing.
 */
export async function runYearTransition(
  db: Kysely<Database>,
  options: YearTransitionOptions,
): Promise<YearTransitionResult> {
  const document = options.document ?? (await requireCalendar(db)).document;
  const schoolYear = document.schoolYear;
  const fromDate = document.feed.initialisationComplete.expectedFrom.slice(0, 10);
  const due = await findInitialisedWithoutTransition(
    db,
    schoolYear,
    fromDate,
    options.uais ?? null,
  );
  const ran: YearTransitionReport[] = [];
  for (const est of due) {
    const report = await transitionOne(db, document, est, options.now);
    if (report) ran.push(report);
  }
  return { schoolYear, ran };
}

async function transitionOne(
  db: Kysely<Database>,
  document: CalendarDocument,
  est: InitialisedEstablishment,
  now: Date,
): Promise<YearTransitionReport | null> {
  const schoolYear = document.schoolYear;
  const ending = previousSchoolYear(schoolYear);
  return db.transaction().execute(async (trx) => {
    // The event-log lock first, as the import apply takes it before touching classes: the two
    // cannot deadlock on class rows.
    await sql`select pg_advisory_xact_lock(${EVENT_WRITER_LOCK})`.execute(trx);
    const claimed = await claimYearTransition(trx, {
      schoolYear,
      uai: est.uai,
      importId: est.importId,
      appliedAt: est.appliedAt,
      ranAt: now,
    });
    if (!claimed) return null;
    const closed = await closeUnoccupiedClasses(trx, est.uai, ending, now);
    await appendEvents(
      trx,
      closed.map((c) => ({
        entityType: c.kind,
        entityKey: `${c.structure}$${c.code}`,
        op: 'updated' as const,
        version: c.version,
        uais: [est.uai],
        changes: {
          fields: {
            closedSchoolYear: [null, ending],
            ...(c.wasState === 'active' ? { state: ['active', 'empty'] } : {}),
          },
          reason: 'year-transition',
        },
        actor: 'calendar',
      })),
    );
    const teacherOnly = await findTeacherOnlyClasses(trx, est.uai);
    const teachers = new Map(teacherOnly.map((t) => [`${t.kind}/${t.code}`, t.teachers]));
    const leftoverShare = document.yearTransition.leftoverShare;
    const report: YearTransitionReport = {
      uai: est.uai,
      schoolYear,
      endingSchoolYear: ending,
      importId: est.importId,
      initialisationAppliedAt: est.appliedAt.toISOString(),
      ranAt: now.toISOString(),
      closed: closed.map((c) => ({
        kind: c.kind,
        code: c.code,
        label: c.label,
        teachers: teachers.get(`${c.kind}/${c.code}`) ?? 0,
      })),
      leftovers: await findLeftoverClasses(trx, est.uai, est.createdAt, leftoverShare),
      leftoverShare,
      teacherOnly,
      staleTeachingLinksExpectedUntil: document.yearTransition.staleTeachingLinksUntil,
    };
    await saveYearTransitionReport(trx, schoolYear, est.uai, { ...report });
    return report;
  });
}

/** The stored report of an establishment's transition (latest, or of `schoolYear`), or null. */
export async function yearTransitionReport(
  db: Kysely<Database>,
  uai: string,
  schoolYear?: string,
): Promise<YearTransitionReport | null> {
  const row = await findYearTransition(db, uai, schoolYear);
  if (!row || Object.keys(row.report).length === 0) return null;
  return row.report as unknown as YearTransitionReport;
}
