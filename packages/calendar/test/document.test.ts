import t, { type Test } from 'tap';
import {
  CalendarErrors,
  diffDocuments,
  parseCalendarDocument,
  type DocumentIssue,
} from '../src/index.js';
import { example, exampleJson, type RawDocument } from './example.js';

function issuesOf(t: Test, input: unknown): DocumentIssue[] {
  try {
    parseCalendarDocument(input);
  } catch (err) {
    t.ok(CalendarErrors.INVALID_DOCUMENT.is(err), 'CALENDAR_ERR_INVALID_DOCUMENT');
    return (err as { details: { issues: DocumentIssue[] } }).details.issues;
  }
  t.fail('the document was accepted');
  return [];
}

t.test('the shipped 2025-2026 example is valid and carries the dates of the guides', async (t) => {
  const doc = example();
  t.equal(doc.schoolYear, '2025-2026');
  t.equal(doc.feed.directory.suspendFrom, '2025-07-04', 'imports suspended from 4 July 2025');
  t.equal(doc.feed.targets.byKind.ent?.resumeOn, '2025-08-20', 'ENT resumes Wed 20 Aug');
  t.equal(doc.feed.targets.byKind.scribe?.resumeOn, '2025-08-29', 'Scribe resumes Fri 29 Aug');
  t.equal(doc.feed.targets.byKind.koxo?.resumeOn, '2025-08-29', 'KoXo resumes Fri 29 Aug');
  const rule = doc.rentreeBlocking.rules[0]!;
  t.same(rule.profiles, ['pupil', 'relative']);
  t.equal(rule.start, '2025-08-20T00:00');
  t.equal(rule.end, '2025-09-02T07:00', 'until Tuesday 2 September in the morning');
  const staff = doc.campaigns.filter((c) => c.kind === 'departed-staff');
  t.ok(staff.length > 0 && staff.every((c) => c.approval === 'establishment'));
  t.equal(doc.retention.importArchives.maxAgeMonths, 6);
});

t.test('every problem is reported with its path', async (t) => {
  const doc = exampleJson();
  doc.timeZone = 'Europe/Atlantis';
  doc.feed.directory.resumeOn = '2025-02-30';
  doc.campaigns[0].approval = 'sometimes';
  doc.extra = 1;
  const issues = issuesOf(t, doc);
  const paths = issues.map((i) => i.path);
  t.ok(paths.includes('timeZone'), 'unknown time zone');
  t.ok(paths.includes('feed.directory.resumeOn'), 'impossible date');
  t.ok(paths.includes('campaigns.0.approval'), 'unknown approval');
  t.ok(paths.includes('(document)'), 'unknown key');
});

t.test('cross-field checks: order of dates, limits, approvals, period', async (t) => {
  const cases: [string, (d: RawDocument) => void, string][] = [
    [
      'a target cannot resume before the directory',
      (d) => {
        d.feed.targets.byKind.scribe.resumeOn = '2025-08-19';
      },
      'feed.targets.byKind.scribe',
    ],
    [
      'a named target too',
      (d) => {
        d.feed.targets.byTarget['scribe-lyc'] = { kind: 'scribe', resumeOn: '2025-08-01' };
      },
      'feed.targets.byTarget.scribe-lyc',
    ],
    [
      'the directory must resume after it is suspended',
      (d) => {
        d.feed.directory.resumeOn = '2025-07-01';
      },
      'feed.directory',
    ],
    [
      'departed staff need the establishment approval',
      (d) => {
        d.campaigns[3].approval = 'none';
      },
      'campaigns.3.approval',
    ],
    [
      'the blocking end lies within its limits',
      (d) => {
        d.rentreeBlocking.rules[0].end = '2025-09-10T00:00';
      },
      'rentreeBlocking.rules.0.end',
    ],
    [
      'a profile is in one rule only',
      (d) => {
        d.rentreeBlocking.rules.push({ ...d.rentreeBlocking.rules[0], id: 'again' });
      },
      'rentreeBlocking.rules.1.profiles',
    ],
    [
      'every date lies within the period',
      (d) => {
        d.retention.credentialExports.deleteOn = '2026-07-15';
      },
      'retention.credentialExports.deleteOn',
    ],
    [
      'group warnings come before the deletion',
      (d) => {
        d.yearLimitedGroups.warnings = ['2025-07-20'];
      },
      'yearLimitedGroups.warnings.0',
    ],
    [
      'campaign ids are unique',
      (d) => {
        d.campaigns[1].id = d.campaigns[0].id;
      },
      'campaigns.1.id',
    ],
    [
      'a day expects a delta or a complete, not both',
      (d) => {
        d.deliveries.complete.weekdays = ['sat', 'mon'];
      },
      'deliveries',
    ],
    [
      'the school year is two consecutive years',
      (d) => {
        d.schoolYear = '2025-2027';
      },
      'schoolYear',
    ],
  ];
  for (const [name, breakIt, path] of cases) {
    const doc = exampleJson();
    breakIt(doc);
    t.ok(
      issuesOf(t, doc).some((i) => i.path === path),
      `${name} (${path})`,
    );
  }
});

t.test('diffDocuments names every changed leaf', async (t) => {
  const a = exampleJson();
  const b = exampleJson();
  b.feed.targets.byKind.koxo.resumeOn = '2025-09-01';
  b.campaigns.pop();
  t.same(diffDocuments(a, a), []);
  const changes = diffDocuments(a, b);
  t.ok(
    changes.some((c) => c.path === 'feed.targets.byKind.koxo.resumeOn' && c.after === '2025-09-01'),
  );
  t.ok(changes.some((c) => c.path === 'campaigns.4.id' && c.after === null));
  t.ok(diffDocuments(null, a).length > 50, 'a first version lists every leaf');
});
