import { CalendarErrors, transitionsBetween, type Transition } from '@aaf-sync/calendar';
import type { Executor } from '@aaf-sync/db';
import { loadBlockingOverrides } from './blocking-overrides.js';
import { requireCalendar } from './calendar-store.js';

export interface UpcomingOptions {
  readonly from: Date;
  readonly to: Date;
  /** Only what concerns these establishments (an establishment-scoped key); null: everything. */
  readonly uais?: readonly string[] | null | undefined;
  readonly deliveries?: boolean | undefined;
}

export interface Upcoming {
  readonly calendarVersion: number;
  readonly schoolYear: string;
  readonly timeZone: string;
  readonly from: Date;
  readonly to: Date;
  readonly transitions: readonly Transition[];
}

/** True when a transition concerns at least one of `uais`. */
function concerns(t: Transition, uais: readonly string[]): boolean {
  if (t.scope.uai !== undefined) return uais.includes(t.scope.uai);
  const except = t.scope.exceptUais ?? [];
  return uais.some((u) => !except.includes(u));
}

/**
 * What the calendar will do in `(from, to]` (stored document and establishment overrides), per
 * target kind and establishment, without doing it: `calendar show`, `calendar simulate` and
 * GET /v1/calendar/upcoming. Establishments' overrides of other establishments are not shown to
 * a scoped caller.
 */
export async function upcomingTransitions(
  db: Executor,
  options: UpcomingOptions,
): Promise<Upcoming> {
  const calendar = await requireCalendar(db);
  if (options.from > options.to) {
    throw CalendarErrors.BAD_PERIOD({ reason: '`from` must not be after `to`' });
  }
  const uais = options.uais ?? null;
  const overrides = await loadBlockingOverrides(db, uais);
  let transitions = transitionsBetween(calendar.document, options.from, options.to, {
    blockingOverrides: overrides,
    deliveries: options.deliveries,
  });
  if (uais !== null) {
    transitions = transitions
      .filter((t) => concerns(t, uais))
      .map((t) =>
        t.scope.exceptUais
          ? {
              ...t,
              scope: { ...t.scope, exceptUais: t.scope.exceptUais.filter((u) => uais.includes(u)) },
            }
          : t,
      );
  }
  return {
    calendarVersion: calendar.version,
    schoolYear: calendar.document.schoolYear,
    timeZone: calendar.document.timeZone,
    from: options.from,
    to: options.to,
    transitions,
  };
}
