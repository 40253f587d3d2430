import type { z } from 'zod';
import type { CalendarDocument } from './document.schema.js';
import { CALENDAR_TARGET_KINDS } from './kinds.js';
import { addDays, localToInstant } from './local-time.js';
import { targetWindow } from './feed-windows.js';

type Path = (string | number)[];

/**
 * Cross-field checks of a calendar document: years, the period, every date inside it, windows
 * in order, each target resuming after the directory, blocking dates within their limits,
 * campaigns and group notices in order. Each problem names its path.
 */
export function checkDocument(doc: CalendarDocument, ctx: z.RefinementCtx): void {
  const problem = (path: Path, message: string) =>
    ctx.addIssue({ code: 'custom', path, message, input: undefined });
  const at = (when: string) => localToInstant(when, doc.timeZone).getTime();

  const [first, second] = doc.schoolYear.split('-').map(Number);
  if (second !== first! + 1) problem(['schoolYear'], 'the second year must follow the first');
  if (doc.period.from > doc.period.to) problem(['period'], '`from` must not be after `to`');
  const periodStart = at(doc.period.from);
  const periodEnd = at(addDays(doc.period.to, 1));
  for (const [path, when] of localWhens(doc)) {
    const t = at(when);
    if (t < periodStart || t >= periodEnd) {
      problem(path, `${when} is outside the period ${doc.period.from}..${doc.period.to}`);
    }
  }
  const before = (a: string, b: string, strict: boolean) =>
    strict ? at(a) < at(b) : at(a) <= at(b);

  const overlap = doc.deliveries.delta.weekdays.filter((d) =>
    doc.deliveries.complete.weekdays.includes(d),
  );
  if (overlap.length > 0) {
    problem(
      ['deliveries'],
      `a day cannot expect both a delta and a complete (${overlap.join(', ')})`,
    );
  }

  const { directory, initialisationComplete: init, targets } = doc.feed;
  if (!before(directory.suspendFrom, directory.resumeOn, true)) {
    problem(['feed', 'directory'], 'the directory must be suspended before it resumes');
  }
  if (!before(init.expectedFrom, init.expectedBy, false)) {
    problem(['feed', 'initialisationComplete'], '`expectedFrom` must not be after `expectedBy`');
  }
  const checkWindow = (path: Path, w: { suspendFrom: string; resumeOn: string }) => {
    if (!before(w.suspendFrom, w.resumeOn, true)) {
      problem(path, `suspended from ${w.suspendFrom}, it must resume after that (${w.resumeOn})`);
    } else if (!before(directory.resumeOn, w.resumeOn, false)) {
      problem(path, `resumes on ${w.resumeOn}, before the directory (${directory.resumeOn})`);
    }
  };
  checkWindow(['feed', 'targets', 'default'], targets.default);
  for (const kind of CALENDAR_TARGET_KINDS) {
    if (targets.byKind[kind]) {
      checkWindow(['feed', 'targets', 'byKind', kind], targetWindow(doc, { kind }));
    }
  }
  for (const [name, t] of Object.entries(targets.byTarget)) {
    checkWindow(['feed', 'targets', 'byTarget', name], targetWindow(doc, { kind: t.kind, name }));
  }

  const profiles = new Set<string>();
  const ruleIds = new Set<string>();
  doc.rentreeBlocking.rules.forEach((rule, i) => {
    const path: Path = ['rentreeBlocking', 'rules', i];
    if (ruleIds.has(rule.id)) problem([...path, 'id'], `rule id ${rule.id} is used twice`);
    ruleIds.add(rule.id);
    for (const p of rule.profiles) {
      if (profiles.has(p)) problem([...path, 'profiles'], `profile ${p} is in two rules`);
      profiles.add(p);
    }
    const l = rule.limits;
    if (!before(rule.start, rule.end, true)) problem(path, '`start` must be before `end`');
    if (!before(l.earliestStart, rule.start, false) || !before(rule.start, l.latestStart, false)) {
      problem([...path, 'start'], 'must lie within limits.earliestStart..limits.latestStart');
    }
    if (!before(l.earliestEnd, rule.end, false) || !before(rule.end, l.latestEnd, false)) {
      problem([...path, 'end'], 'must lie within limits.earliestEnd..limits.latestEnd');
    }
    if (rule.message.length > l.messageMaxLength) {
      problem([...path, 'message'], 'is longer than limits.messageMaxLength');
    }
  });

  const campaignIds = new Set<string>();
  doc.campaigns.forEach((c, i) => {
    const path: Path = ['campaigns', i];
    if (campaignIds.has(c.id)) problem([...path, 'id'], `campaign id ${c.id} is used twice`);
    campaignIds.add(c.id);
    if (!before(c.previewOn, c.runOn, false))
      problem(path, '`previewOn` must not be after `runOn`');
    if (c.kind === 'departed-staff' && c.approval !== 'establishment') {
      problem(
        [...path, 'approval'],
        'departed staff are deleted only with the establishment approval',
      );
    }
  });

  const g = doc.yearLimitedGroups;
  g.warnings.forEach((w, i) => {
    const next = g.warnings[i + 1] ?? g.deleteOn;
    if (!before(w, next, true)) {
      problem(['yearLimitedGroups', 'warnings', i], 'warnings must be in order, before `deleteOn`');
    }
  });
  if (!before(g.deleteOn, g.summaryOn, false)) {
    problem(['yearLimitedGroups', 'summaryOn'], 'the summary cannot precede the deletion');
  }
}

/** Every local date or date-time of the document, with its path. */
function localWhens(doc: CalendarDocument): [Path, string][] {
  const out: [Path, string][] = [];
  doc.deliveries.publicHolidays.forEach((d, i) =>
    out.push([['deliveries', 'publicHolidays', i], d]),
  );
  const f = doc.feed;
  out.push([['feed', 'directory', 'suspendFrom'], f.directory.suspendFrom]);
  out.push([['feed', 'directory', 'resumeOn'], f.directory.resumeOn]);
  out.push([
    ['feed', 'initialisationComplete', 'expectedFrom'],
    f.initialisationComplete.expectedFrom,
  ]);
  out.push([['feed', 'initialisationComplete', 'expectedBy'], f.initialisationComplete.expectedBy]);
  const windows: [Path, { suspendFrom?: string | undefined; resumeOn?: string | undefined }][] = [
    [['feed', 'targets', 'default'], f.targets.default],
    ...Object.entries(f.targets.byKind).map(
      ([k, w]) => [['feed', 'targets', 'byKind', k], w!] as [Path, typeof w & object],
    ),
    ...Object.entries(f.targets.byTarget).map(
      ([k, w]) => [['feed', 'targets', 'byTarget', k], w] as [Path, typeof w],
    ),
  ];
  for (const [path, w] of windows) {
    if (w.suspendFrom) out.push([[...path, 'suspendFrom'], w.suspendFrom]);
    if (w.resumeOn) out.push([[...path, 'resumeOn'], w.resumeOn]);
  }
  doc.rentreeBlocking.rules.forEach((r, i) => {
    const p: Path = ['rentreeBlocking', 'rules', i];
    for (const key of ['start', 'end'] as const) out.push([[...p, key], r[key]]);
    for (const key of ['earliestStart', 'latestStart', 'earliestEnd', 'latestEnd'] as const) {
      out.push([[...p, 'limits', key], r.limits[key]]);
    }
  });
  const notices = doc.rentreeBlocking.deactivationNoticesSuspendedUntil;
  if (notices) out.push([['rentreeBlocking', 'deactivationNoticesSuspendedUntil'], notices]);
  doc.campaigns.forEach((c, i) => {
    out.push([['campaigns', i, 'previewOn'], c.previewOn]);
    out.push([['campaigns', i, 'runOn'], c.runOn]);
  });
  const g = doc.yearLimitedGroups;
  g.warnings.forEach((w, i) => out.push([['yearLimitedGroups', 'warnings', i], w]));
  out.push([['yearLimitedGroups', 'deleteOn'], g.deleteOn]);
  out.push([['yearLimitedGroups', 'summaryOn'], g.summaryOn]);
  out.push([
    ['yearTransition', 'staleTeachingLinksUntil'],
    doc.yearTransition.staleTeachingLinksUntil,
  ]);
  out.push([['retention', 'importArchives', 'purgeOn'], doc.retention.importArchives.purgeOn]);
  out.push([
    ['retention', 'credentialExports', 'deleteOn'],
    doc.retention.credentialExports.deleteOn,
  ]);
  return out;
}
