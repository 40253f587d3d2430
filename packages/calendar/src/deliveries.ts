import type { CalendarDocument } from './document.schema.js';
import { addDays, localDateOf, localToInstant, weekdayOf } from './local-time.js';

export type DeliveryKind = 'delta' | 'complete';

/** A file the AAF should send: its kind, the day it describes, and when it is late. */
export interface ExpectedDelivery {
  readonly kind: DeliveryKind;
  /** The day of the changes (the AAF file's date), local. */
  readonly date: string;
  /** After this instant, a missing file is reported. */
  readonly deadline: Date;
}

/** A file that arrived (as the ingester recorded it). */
export interface ReceivedDelivery {
  readonly kind: DeliveryKind;
  readonly date: string;
}

/**
 * The kind of file expected for a local day, or null: deltas and completes on their weekdays,
 * public holidays honoured per kind, nothing outside the document period nor while the directory
 * feed is suspended (the summer).
 */
export function expectedOn(doc: CalendarDocument, date: string): ExpectedDelivery | null {
  if (date < doc.period.from || date > doc.period.to) return null;
  const dayStart = localToInstant(date, doc.timeZone).getTime();
  const dir = doc.feed.directory;
  const suspended =
    dayStart >= localToInstant(dir.suspendFrom, doc.timeZone).getTime() &&
    dayStart < localToInstant(dir.resumeOn, doc.timeZone).getTime();
  if (suspended) return null;
  const weekday = weekdayOf(date);
  const holiday = doc.deliveries.publicHolidays.includes(date);
  for (const kind of ['complete', 'delta'] as const) {
    const cadence = doc.deliveries[kind];
    if (!cadence.weekdays.includes(weekday)) continue;
    if (holiday && !cadence.onPublicHolidays) continue;
    const due = `${addDays(date, cadence.deadline.afterDays)}T${cadence.deadline.at}`;
    return { kind, date, deadline: localToInstant(due, doc.timeZone) };
  }
  return null;
}

/** Every file expected for the local days from `from` to `to` (instants; both days included). */
export function expectedDeliveries(
  doc: CalendarDocument,
  from: Date,
  to: Date,
): ExpectedDelivery[] {
  const out: ExpectedDelivery[] = [];
  const last = localDateOf(to, doc.timeZone);
  for (let d = localDateOf(from, doc.timeZone); d <= last; d = addDays(d, 1)) {
    const e = expectedOn(doc, d);
    if (e) out.push(e);
  }
  return out;
}

/**
 * The expected files whose deadline passed at `now` (since `since`, by file day) and that did not
 * arrive. A file arriving twice counts once; a file of a day nothing was expected is ignored.
 */
export function missingDeliveries(
  doc: CalendarDocument,
  received: readonly ReceivedDelivery[],
  now: Date,
  since: Date = localToInstant(doc.period.from, doc.timeZone),
): ExpectedDelivery[] {
  const got = new Set(received.map((r) => `${r.kind}/${r.date}`));
  return expectedDeliveries(doc, since, now).filter(
    (e) => e.deadline.getTime() <= now.getTime() && !got.has(`${e.kind}/${e.date}`),
  );
}

/** True when the file expected for `date` is missing after its deadline at `now`. */
export function isDeliveryMissing(
  doc: CalendarDocument,
  date: string,
  received: readonly ReceivedDelivery[],
  now: Date,
): boolean {
  const e = expectedOn(doc, date);
  if (!e || e.deadline.getTime() > now.getTime()) return false;
  return !received.some((r) => r.kind === e.kind && r.date === date);
}
