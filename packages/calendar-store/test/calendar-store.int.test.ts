import { readFileSync } from 'node:fs';
import { CalendarErrors } from '@aaf-sync/calendar';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import {
  clearBlockingOverride,
  establishmentBlocking,
  listCalendarVersions,
  loadCalendar,
  loadCalendarVersion,
  requireCalendar,
  saveCalendar,
  setBlockingOverride,
  upcomingTransitions,
} from '../src/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw document tests edit freely
type RawDocument = Record<string, any>;
const exampleUrl = new URL('../../calendar/examples/2025-2026.json', import.meta.url);
const example = (): RawDocument => JSON.parse(readFileSync(exampleUrl, 'utf8')) as RawDocument;
const A = '0860001A';
const B = '0860002B';

t.test('versions: who changed what, conflicts, invalid documents, no-op saves', async (t) => {
  const { db } = await testDb(t);
  t.equal(await loadCalendar(db), null);
  await t.rejects(requireCalendar(db), { code: CalendarErrors.NOT_SET.code });

  const first = await saveCalendar(db, {
    document: example(),
    actor: 'cli:ops',
    expectedVersion: 0,
  });
  t.match(first, { version: 1, stored: true });
  t.ok(first.changes.length > 50, 'the first version lists every field as added');

  const again = await saveCalendar(db, { document: example(), actor: 'key:x' });
  t.match(again, { version: 1, stored: false, changes: [] }, 'the same document stores nothing');

  const edited = example();
  edited.feed.targets.byKind.koxo.resumeOn = '2025-09-01';
  await t.rejects(saveCalendar(db, { document: edited, actor: 'key:k1', expectedVersion: 0 }), {
    code: CalendarErrors.VERSION_CONFLICT.code,
  });
  const second = await saveCalendar(db, {
    document: edited,
    actor: 'key:k1',
    expectedVersion: 1,
    comment: 'KoXo resumes on Monday',
  });
  t.match(second, {
    version: 2,
    changes: [
      { path: 'feed.targets.byKind.koxo.resumeOn', before: '2025-08-29', after: '2025-09-01' },
    ],
  });
  t.equal(second.changes.length, 1);

  const broken = example();
  broken.feed.targets.byKind.koxo.resumeOn = '2025-08-01';
  await t.rejects(saveCalendar(db, { document: broken, actor: 'key:k1' }), {
    code: CalendarErrors.INVALID_DOCUMENT.code,
  });

  const versions = await listCalendarVersions(db, { limit: 10 });
  t.same(
    versions.map((v) => [v.version, v.changedBy, v.comment]),
    [
      [2, 'key:k1', 'KoXo resumes on Monday'],
      [1, 'cli:ops', null],
    ],
  );
  t.same(
    (await listCalendarVersions(db, { limit: 10, before: 2 })).map((v) => v.version),
    [1],
  );
  t.equal((await requireCalendar(db)).document.feed.targets.byKind.koxo?.resumeOn, '2025-09-01');
  t.equal(
    (await loadCalendarVersion(db, 1))?.document.feed.targets.byKind.koxo?.resumeOn,
    '2025-08-29',
  );
});

t.test(
  'establishment overrides: within limits only, applied to its own establishment',
  async (t) => {
    const { db } = await testDb(t);
    await t.rejects(
      setBlockingOverride(db, A, { end: new Date('2025-08-28T06:00:00Z') }, 'key:a'),
      {
        code: CalendarErrors.NOT_SET.code,
      },
    );
    await saveCalendar(db, { document: example(), actor: 'cli:ops' });
    const early = new Date('2025-08-28T06:00:00Z');
    const stored = await setBlockingOverride(
      db,
      A,
      { end: early, message: 'Ouvert le 28' },
      'key:a',
    );
    t.match(stored, {
      uai: A,
      end: early,
      message: 'Ouvert le 28',
      calendarVersion: 1,
      changedBy: 'key:a',
    });
    await t.rejects(
      setBlockingOverride(db, B, { end: new Date('2025-09-10T06:00:00Z') }, 'key:b'),
      { code: CalendarErrors.BLOCKING_END_TOO_LATE.code },
    );
    const at = new Date('2025-08-29T10:00:00Z');
    const a = await establishmentBlocking(db, A, at);
    const b = await establishmentBlocking(db, B, at);
    t.match(
      a.profiles.find((p) => p.profile === 'pupil'),
      { blocked: false, source: 'establishment' },
    );
    t.match(
      b.profiles.find((p) => p.profile === 'pupil'),
      { blocked: true, source: 'calendar' },
    );
    t.equal(b.override, null, 'the refused override stored nothing');
    t.match(
      a.profiles.find((p) => p.profile === 'teacher'),
      { blocked: false, rule: null },
    );

    const stricter = example();
    stricter.rentreeBlocking.rules[0].limits.earliestEnd = '2025-08-30T00:00';
    const saved = await saveCalendar(db, { document: stricter, actor: 'cli:ops' });
    t.same(saved.overridesOutsideLimits, [A], 'a stricter calendar names the overrides it voids');
    t.match((await establishmentBlocking(db, A, at)).profiles[0], {
      blocked: true,
      overrideIgnored: true,
    });

    t.ok(await clearBlockingOverride(db, A));
    t.notOk(await clearBlockingOverride(db, A));
  },
);

t.test(
  'upcoming: ordered transitions, overrides shown to their own establishment only',
  async (t) => {
    const { db } = await testDb(t);
    await t.rejects(upcomingTransitions(db, { from: new Date(), to: new Date() }), {
      code: CalendarErrors.NOT_SET.code,
    });
    await saveCalendar(db, { document: example(), actor: 'cli:ops' });
    await setBlockingOverride(db, A, { end: new Date('2025-08-28T06:00:00Z') }, 'key:a');
    const from = new Date('2025-08-27T00:00:00Z');
    const to = new Date('2025-09-03T00:00:00Z');
    const all = await upcomingTransitions(db, { from, to, deliveries: false });
    t.same(
      all.transitions.map((x) => x.id),
      [
        `2025-2026/blocking.end/rentree/${A}`,
        '2025-2026/feed.resume/kind:ad',
        '2025-2026/feed.resume/kind:koxo',
        '2025-2026/feed.resume/kind:noop',
        '2025-2026/feed.resume/kind:scribe',
        '2025-2026/feed.resume/kind:webhook',
        '2025-2026/campaign.preview/scribe-departed-pupils',
        '2025-2026/campaign.preview/scribe-empty-groups',
        '2025-2026/retention.import-archives/import-archives',
        '2025-2026/blocking.end/rentree',
        '2025-2026/campaign.run/scribe-departed-pupils',
        '2025-2026/campaign.run/scribe-empty-groups',
      ],
    );
    const forB = await upcomingTransitions(db, { from, to, uais: [B], deliveries: false });
    t.notOk(
      forB.transitions.some((x) => x.id.includes(A)),
      'B does not see A',
    );
    t.equal(
      forB.transitions.find((x) => x.type === 'blocking.end')?.scope.exceptUais,
      undefined,
      'nor that A has its own date',
    );
    const forA = await upcomingTransitions(db, { from, to, uais: [A], deliveries: false });
    t.ok(forA.transitions.some((x) => x.id.endsWith(A)));
    t.notOk(
      forA.transitions.some((x) => x.id === '2025-2026/blocking.end/rentree'),
      'the académie-wide reopening does not concern A any more',
    );
    const withFiles = await upcomingTransitions(db, { from, to });
    t.ok(withFiles.transitions.some((x) => x.id === '2025-2026/delivery.due/delta/2025-08-27'));
  },
);
