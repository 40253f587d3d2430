import {
  CALENDAR_TARGET_KINDS,
  feedState,
  localDateOf,
  missingDeliveries,
  expectedDeliveries,
  type CalendarTargetKind,
  type FeedState,
} from '@aaf-sync/calendar';
import type { Executor } from '@aaf-sync/db';
import { requireCalendar } from './calendar-store.js';
import {
  findFirstCompleteApplied,
  findReceivedFiles,
  findTargetsServing,
} from './calendar.repository.js';

export interface ConsumerFeed extends FeedState {
  /** `directory`, a target kind, or `target:<name>` for a target serving the establishment. */
  readonly consumer: string;
}

export interface EstablishmentFeed {
  readonly uai: string;
  readonly calendarVersion: number;
  /** When its initialisation complete of the new year was applied (null: not yet). */
  readonly initialisationAppliedAt: Date | null;
  readonly consumers: readonly ConsumerFeed[];
}

/**
 * The feed state of one establishment at `at`: the directory, every target kind, and each target
 * serving it. "Initialisation applied" is the first complete dated from
 * `feed.initialisationComplete.expectedFrom` on that changed the establishment.
 */
export async function establishmentFeed(
  db: Executor,
  uai: string,
  at: Date,
): Promise<EstablishmentFeed> {
  const { version, document } = await requireCalendar(db);
  const fromDate = document.feed.initialisationComplete.expectedFrom.slice(0, 10);
  const applied = (await findFirstCompleteApplied(db, uai, fromDate)) ?? null;
  const facts = { initialisationAppliedAt: applied };
  const consumers: ConsumerFeed[] = [
    { consumer: 'directory', ...feedState(document, { kind: 'directory' }, at, facts) },
    ...CALENDAR_TARGET_KINDS.map((kind) => ({
      consumer: kind,
      ...feedState(document, { kind }, at, facts),
    })),
  ];
  for (const t of await findTargetsServing(db, uai)) {
    const kind = t.kind as CalendarTargetKind;
    consumers.push({
      consumer: `target:${t.name}`,
      ...feedState(document, { kind, name: t.name }, at, facts),
    });
  }
  return { uai, calendarVersion: version, initialisationAppliedAt: applied, consumers };
}

export interface DeliveryStatus {
  readonly kind: 'delta' | 'complete';
  readonly date: string;
  readonly deadline: Date;
  readonly received: boolean;
  /** Not received and its deadline has passed at `at`. */
  readonly missing: boolean;
}

/**
 * The AAF files the calendar expected for the local days of `[from, to]`, each with whether it
 * arrived and whether it is missing at `at` (deadline passed): the API side of the
 * missing-file alert.
 */
export async function deliveryReport(
  db: Executor,
  options: { from: Date; to: Date; at: Date },
): Promise<{ calendarVersion: number; items: DeliveryStatus[] }> {
  const { version, document } = await requireCalendar(db);
  const tz = document.timeZone;
  const rows = await findReceivedFiles(
    db,
    localDateOf(options.from, tz),
    localDateOf(options.to, tz),
  );
  const received = rows.map((r) => ({ kind: r.kind, date: r.file_date }));
  const missing = new Set(
    missingDeliveries(document, received, options.at, options.from).map(
      (m) => `${m.kind}/${m.date}`,
    ),
  );
  const got = new Set(received.map((r) => `${r.kind}/${r.date}`));
  const items = expectedDeliveries(document, options.from, options.to).map((e) => ({
    ...e,
    received: got.has(`${e.kind}/${e.date}`),
    missing: missing.has(`${e.kind}/${e.date}`),
  }));
  return { calendarVersion: version, items };
}
