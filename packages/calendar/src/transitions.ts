import { effectiveBlockings, type BlockingOverride } from './blocking.js';
import { expectedDeliveries, type ExpectedDelivery } from './deliveries.js';
import type { CalendarDocument } from './document.schema.js';
import { CalendarErrors } from './errors.js';
import { targetWindow } from './feed-windows.js';
import { CALENDAR_TARGET_KINDS, type CalendarTargetKind } from './kinds.js';
import { localToInstant } from './local-time.js';

export const TRANSITION_TYPES = [
  'feed.suspend',
  'feed.initialisation-expected',
  'feed.initialisation-overdue',
  'feed.resume',
  'blocking.start',
  'blocking.end',
  'blocking.notices-resume',
  'campaign.preview',
  'campaign.run',
  'groups.warning',
  'groups.delete',
  'groups.summary',
  'retention.import-archives',
  'retention.credential-exports',
  'delivery.due',
] as const;
export type TransitionType = (typeof TRANSITION_TYPES)[number];

/** Who a transition concerns. Absent fields: everybody (every target, every establishment). */
export interface TransitionScope {
  /** `directory`, or a target kind. */
  readonly consumer?: 'directory' | CalendarTargetKind;
  /** One named target (a per-target override). */
  readonly target?: string;
  /** One establishment (its blocking override). */
  readonly uai?: string;
  /** Establishments excluded because they have their own transition of this kind. */
  readonly exceptUais?: readonly string[];
  /** Targets excluded because they have their own date. */
  readonly exceptTargets?: readonly string[];
}

/** Something the calendar makes happen at an instant. */
export interface Transition {
  /**
   * Stable id: `<schoolYear>/<type>/<subject>`. It does not contain the date (moving a date in
   * the document keeps the id, so a transition done before the move is not done twice), except
   * for deliveries, whose subject is the file's day.
   */
  readonly id: string;
  readonly at: Date;
  readonly type: TransitionType;
  readonly scope: TransitionScope;
  readonly summary: string;
  /** Type-specific details (campaign kind and approval, profiles, message, file kind…). */
  readonly details: Readonly<Record<string, unknown>>;
}

export interface TransitionOptions {
  /** Establishment overrides of the rentrée blocking, by UAI. */
  readonly blockingOverrides?: ReadonlyMap<string, BlockingOverride> | undefined;
  /** Include the `delivery.due` deadlines of expected files (default true). */
  readonly deliveries?: boolean | undefined;
}

/** Longest period `transitionsBetween` accepts (a school year and some margin). */
export const MAX_PERIOD_DAYS = 400;

/**
 * Every transition of the document, in order (instant, then the order of TRANSITION_TYPES, then
 * id). Per-establishment blocking overrides add their own start/end and exclude those
 * establishments from the académie-wide ones.
 */
export function allTransitions(
  doc: CalendarDocument,
  options: TransitionOptions = {},
): Transition[] {
  const out: Transition[] = [];
  const at = (when: string) => localToInstant(when, doc.timeZone);
  const year = doc.schoolYear;
  const add = (
    type: TransitionType,
    subject: string,
    when: Date,
    scope: TransitionScope,
    summary: string,
    details: Record<string, unknown> = {},
  ) => out.push({ id: `${year}/${type}/${subject}`, at: when, type, scope, summary, details });

  const f = doc.feed;
  add(
    'feed.suspend',
    'directory',
    at(f.directory.suspendFrom),
    { consumer: 'directory' },
    'directory feed suspended: files are kept and reported, not applied',
  );
  add(
    'feed.resume',
    'directory',
    at(f.directory.resumeOn),
    { consumer: 'directory' },
    'directory feed resumes with the initialisation complete of the new year',
  );
  add(
    'feed.initialisation-expected',
    'directory',
    at(f.initialisationComplete.expectedFrom),
    { consumer: 'directory' },
    'the initialisation complete of the new year is expected',
  );
  add(
    'feed.initialisation-overdue',
    'directory',
    at(f.initialisationComplete.expectedBy),
    { consumer: 'directory' },
    'alert if the initialisation complete has not arrived',
  );
  const named = Object.keys(f.targets.byTarget).sort();
  for (const kind of CALENDAR_TARGET_KINDS) {
    const w = targetWindow(doc, { kind });
    const scope = { consumer: kind, ...(named.length ? { exceptTargets: named } : {}) };
    add('feed.suspend', `kind:${kind}`, at(w.suspendFrom), scope, `${kind} targets suspended`, {
      source: w.source,
    });
    add(
      'feed.resume',
      `kind:${kind}`,
      at(w.resumeOn),
      scope,
      `${kind} targets resume (full reconcile once the initialisation complete is applied)`,
      { source: w.source },
    );
  }
  for (const name of named) {
    const w = targetWindow(doc, { kind: f.targets.byTarget[name]!.kind, name });
    add(
      'feed.suspend',
      `target:${name}`,
      at(w.suspendFrom),
      { target: name },
      `target ${name} suspended`,
      { source: w.source },
    );
    add(
      'feed.resume',
      `target:${name}`,
      at(w.resumeOn),
      { target: name },
      `target ${name} resumes (full reconcile once the initialisation complete is applied)`,
      { source: w.source },
    );
  }

  const overrides = options.blockingOverrides ?? new Map<string, BlockingOverride>();
  const overridden = [...overrides.keys()].sort();
  for (const b of effectiveBlockings(doc)) {
    const scope = overridden.length ? { exceptUais: overridden } : {};
    const details = { profiles: b.profiles, message: b.message };
    add(
      'blocking.start',
      b.rule,
      b.start,
      scope,
      `access blocked for ${b.profiles.join(', ')}`,
      details,
    );
    add(
      'blocking.end',
      b.rule,
      b.end,
      scope,
      `access reopened for ${b.profiles.join(', ')}`,
      details,
    );
  }
  for (const uai of overridden) {
    for (const b of effectiveBlockings(doc, overrides.get(uai))) {
      const details = { profiles: b.profiles, message: b.message, source: b.source };
      add(
        'blocking.start',
        `${b.rule}/${uai}`,
        b.start,
        { uai },
        `access blocked for ${b.profiles.join(', ')} in ${uai}`,
        details,
      );
      add(
        'blocking.end',
        `${b.rule}/${uai}`,
        b.end,
        { uai },
        `access reopened for ${b.profiles.join(', ')} in ${uai}`,
        details,
      );
    }
  }
  const notices = doc.rentreeBlocking.deactivationNoticesSuspendedUntil;
  if (notices) {
    add(
      'blocking.notices-resume',
      'deactivation',
      at(notices),
      {},
      'notices of account deactivation to pupils and relatives resume',
    );
  }

  for (const c of doc.campaigns) {
    const scope = { consumer: c.targetKind, ...(c.target ? { target: c.target } : {}) };
    const details = { campaign: c.id, kind: c.kind, approval: c.approval };
    add(
      'campaign.preview',
      c.id,
      at(c.previewOn),
      scope,
      `preview of campaign ${c.id} (${c.kind})`,
      details,
    );
    add(
      'campaign.run',
      c.id,
      at(c.runOn),
      scope,
      c.approval === 'establishment'
        ? `campaign ${c.id} (${c.kind}) runs for the establishments that approved it`
        : `campaign ${c.id} (${c.kind}) runs`,
      details,
    );
  }

  const g = doc.yearLimitedGroups;
  g.warnings.forEach((w, i) =>
    add(
      'groups.warning',
      String(i + 1),
      at(w),
      {},
      `warning ${i + 1} to managers of year-limited groups`,
      { deleteOn: at(g.deleteOn).toISOString() },
    ),
  );
  add(
    'groups.delete',
    'year-limited',
    at(g.deleteOn),
    {},
    'year-limited groups (and timetable groups) are deleted',
  );
  add(
    'groups.summary',
    'year-limited',
    at(g.summaryOn),
    {},
    'summary of the deleted groups to their managers',
  );

  const r = doc.retention;
  add(
    'retention.import-archives',
    'import-archives',
    at(r.importArchives.purgeOn),
    {},
    `archived import files older than ${r.importArchives.maxAgeMonths} months are deleted`,
    { maxAgeMonths: r.importArchives.maxAgeMonths },
  );
  add(
    'retention.credential-exports',
    'credential-exports',
    at(r.credentialExports.deleteOn),
    {},
    'credential exports of the year are deleted',
  );

  if (options.deliveries ?? true) {
    for (const e of deliveriesOf(doc)) {
      add(
        'delivery.due',
        `${e.kind}/${e.date}`,
        e.deadline,
        { consumer: 'directory' },
        `the ${e.kind} of ${e.date} is due (alert if missing)`,
        { kind: e.kind, date: e.date },
      );
    }
  }
  return out.sort(compareTransitions);
}

const deliveryCache = new WeakMap<CalendarDocument, ExpectedDelivery[]>();

/** Every expected file of the document's period (computed once per parsed document). */
function deliveriesOf(doc: CalendarDocument): ExpectedDelivery[] {
  let list = deliveryCache.get(doc);
  if (!list) {
    const from = localToInstant(doc.period.from, doc.timeZone);
    const to = localToInstant(doc.period.to, doc.timeZone);
    list = expectedDeliveries(doc, from, to);
    deliveryCache.set(doc, list);
  }
  return list;
}

const RANK = new Map(TRANSITION_TYPES.map((t, i) => [t, i]));

export function compareTransitions(a: Transition, b: Transition): number {
  return (
    a.at.getTime() - b.at.getTime() ||
    RANK.get(a.type)! - RANK.get(b.type)! ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/**
 * The transitions due in the half-open period `(from, to]`, in order. Consecutive periods
 * (`(t0, t1]`, `(t1, t2]`…) list each transition exactly once, so a scheduler that was down
 * from t1 to t3 finds the missed ones in `(t1, t3]`, once. The scheduler also keeps the ids it
 * ran (see `pendingTransitions`), which makes replays harmless.
 */
export function transitionsBetween(
  doc: CalendarDocument,
  from: Date,
  to: Date,
  options: TransitionOptions = {},
): Transition[] {
  if (!(from.getTime() <= to.getTime())) {
    throw CalendarErrors.BAD_PERIOD({ reason: '`from` must not be after `to`' });
  }
  if (to.getTime() - from.getTime() > MAX_PERIOD_DAYS * 86_400_000) {
    throw CalendarErrors.BAD_PERIOD({ reason: `longer than ${MAX_PERIOD_DAYS} days` });
  }
  return allTransitions(doc, options).filter(
    (t) => t.at.getTime() > from.getTime() && t.at.getTime() <= to.getTime(),
  );
}

/**
 * Every transition due at `now` (at or before it) whose id is not in `done`, in order: what a
 * scheduler coming back runs, each once, however long it was down.
 */
export function pendingTransitions(
  doc: CalendarDocument,
  now: Date,
  done: ReadonlySet<string>,
  options: TransitionOptions = {},
): Transition[] {
  return allTransitions(doc, options).filter(
    (t) => t.at.getTime() <= now.getTime() && !done.has(t.id),
  );
}
