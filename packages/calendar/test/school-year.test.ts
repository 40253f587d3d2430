import t from 'tap';
import {
  allTransitions,
  blockingState,
  CalendarErrors,
  fakeClock,
  feedState,
  localWhenOf,
  pendingTransitions,
  transitionsBetween,
  validateBlockingOverride,
  type Transition,
} from '../src/index.js';
import { example, paris } from './example.js';

const doc = example();
const DAY = 86_400_000;
const start = paris('2025-06-01');
const end = paris('2025-11-30');
const local = (tr: Transition) => `${localWhenOf(tr.at, doc.timeZone)} ${tr.id}`;

t.test('a fake clock runs June → November: every transition listed once, in order', async (t) => {
  const clock = fakeClock(start);
  const seen: Transition[] = [];
  let last = clock.now();
  // Irregular steps (a scheduler wakes when it can), and a week down at the end of August.
  while (clock.now() < end) {
    const now = clock.now();
    const step =
      now >= paris('2025-08-25') && now < paris('2025-09-01') ? 9 * DAY : DAY + 3_600_000;
    clock.advance(step);
    const upTo = clock.now() < end ? clock.now() : end;
    seen.push(...transitionsBetween(doc, last, upTo));
    last = upTo;
  }
  const expected = allTransitions(doc).filter((tr) => tr.at > start && tr.at <= end);
  t.same(seen.map(local), expected.map(local), 'the same list as the whole period at once');
  t.equal(new Set(seen.map((tr) => tr.id)).size, seen.length, 'no transition twice');
  for (let i = 1; i < seen.length; i++) {
    if (seen[i - 1]!.at > seen[i]!.at) t.fail(`out of order at ${local(seen[i]!)}`);
  }
  const ids = seen.filter((tr) => tr.type !== 'delivery.due').map(local);
  t.same(ids, [
    '2025-06-30T08:00 2025-2026/groups.warning/1',
    '2025-07-04T00:00 2025-2026/feed.suspend/directory',
    '2025-07-04T00:00 2025-2026/feed.suspend/kind:ad',
    '2025-07-04T00:00 2025-2026/feed.suspend/kind:ent',
    '2025-07-04T00:00 2025-2026/feed.suspend/kind:koxo',
    '2025-07-04T00:00 2025-2026/feed.suspend/kind:noop',
    '2025-07-04T00:00 2025-2026/feed.suspend/kind:scribe',
    '2025-07-04T00:00 2025-2026/feed.suspend/kind:webhook',
    '2025-07-07T08:00 2025-2026/groups.warning/2',
    '2025-07-15T20:00 2025-2026/groups.delete/year-limited',
    '2025-07-15T20:00 2025-2026/retention.credential-exports/credential-exports',
    '2025-07-16T08:00 2025-2026/groups.summary/year-limited',
    '2025-08-14T00:00 2025-2026/feed.initialisation-expected/directory',
    '2025-08-20T00:00 2025-2026/feed.initialisation-overdue/directory',
    '2025-08-20T00:00 2025-2026/feed.resume/directory',
    '2025-08-20T00:00 2025-2026/feed.resume/kind:ent',
    '2025-08-20T00:00 2025-2026/blocking.start/rentree',
    '2025-08-29T00:00 2025-2026/feed.resume/kind:ad',
    '2025-08-29T00:00 2025-2026/feed.resume/kind:koxo',
    '2025-08-29T00:00 2025-2026/feed.resume/kind:noop',
    '2025-08-29T00:00 2025-2026/feed.resume/kind:scribe',
    '2025-08-29T00:00 2025-2026/feed.resume/kind:webhook',
    '2025-08-29T00:00 2025-2026/campaign.preview/scribe-departed-pupils',
    '2025-08-29T00:00 2025-2026/campaign.preview/scribe-empty-groups',
    '2025-08-29T00:00 2025-2026/retention.import-archives/import-archives',
    '2025-09-02T07:00 2025-2026/blocking.end/rentree',
    '2025-09-02T20:00 2025-2026/campaign.run/scribe-departed-pupils',
    '2025-09-02T20:00 2025-2026/campaign.run/scribe-empty-groups',
    '2025-09-15T00:00 2025-2026/blocking.notices-resume/deactivation',
    '2025-09-15T00:00 2025-2026/campaign.preview/koxo-departed-pupils',
    '2025-09-15T00:00 2025-2026/campaign.preview/koxo-departed-staff',
    '2025-09-26T20:00 2025-2026/campaign.run/koxo-departed-pupils',
    '2025-09-26T20:00 2025-2026/campaign.run/koxo-departed-staff',
    '2025-10-01T00:00 2025-2026/campaign.preview/scribe-departed-staff',
    '2025-11-03T20:00 2025-2026/campaign.run/scribe-departed-staff',
  ]);
  const deliveries = seen.filter((tr) => tr.type === 'delivery.due');
  t.notOk(
    deliveries.some((d) => {
      const day = String(d.details.date);
      return day >= '2025-07-04' && day < '2025-08-20';
    }),
    'no file due during the summer suspension',
  );
  t.ok(deliveries.some((d) => d.id === '2025-2026/delivery.due/delta/2025-08-20'));
});

t.test('a scheduler that was down runs each missed transition once', async (t) => {
  const done = new Set<string>();
  const run = (now: Date) => {
    const due = pendingTransitions(doc, now, done, { deliveries: false });
    for (const tr of due) done.add(tr.id);
    return due.map((tr) => tr.id);
  };
  run(paris('2025-08-19'));
  const afterOutage = run(paris('2025-09-03'));
  t.ok(afterOutage.includes('2025-2026/feed.resume/kind:scribe'), 'missed resumption listed');
  t.ok(afterOutage.includes('2025-2026/blocking.end/rentree'));
  t.same(run(paris('2025-09-03')), [], 'twice changes nothing');
  t.same(run(paris('2025-09-04')), []);
  const moved = example();
  moved.feed.targets.byKind.scribe = { resumeOn: '2025-09-04' };
  t.same(
    pendingTransitions(moved, paris('2025-09-05'), done, { deliveries: false }),
    [],
    'ids do not carry dates: a date moved after its transition ran does not run it again',
  );
});

t.test('the year seen from one establishment, with its principal', async (t) => {
  const clock = fakeClock(paris('2025-06-01'));
  const uai = '0860001A';
  const initialisationAppliedAt = paris('2025-08-20T05:00');
  const states: string[] = [];
  const record = () => {
    const now = clock.now();
    const facts = {
      initialisationAppliedAt: now >= initialisationAppliedAt ? initialisationAppliedAt : null,
    };
    const feed = (c: Parameters<typeof feedState>[1]) => feedState(doc, c, now, facts).state;
    states.push(
      `${localWhenOf(now, doc.timeZone)} directory=${feed({ kind: 'directory' })} ` +
        `ent=${feed({ kind: 'ent' })} scribe=${feed({ kind: 'scribe' })} koxo=${feed({ kind: 'koxo' })}`,
    );
  };
  for (const when of [
    '2025-06-15',
    '2025-07-10',
    '2025-08-20T02:00',
    '2025-08-20T06:00',
    '2025-08-29T06:00',
    '2025-11-30',
  ]) {
    clock.set(paris(when));
    record();
  }
  t.same(states, [
    '2025-06-15T00:00 directory=open ent=open scribe=open koxo=open',
    '2025-07-10T00:00 directory=off ent=off scribe=off koxo=off',
    '2025-08-20T02:00 directory=waiting-initialisation ent=waiting-initialisation scribe=off koxo=off',
    '2025-08-20T06:00 directory=open ent=open scribe=off koxo=off',
    '2025-08-29T06:00 directory=open ent=open scribe=open koxo=open',
    '2025-11-30T00:00 directory=open ent=open scribe=open koxo=open',
  ]);

  // 27 August: the principal lifts the blocking on 28 August at 08:00 and changes the message.
  clock.set(paris('2025-08-27T10:00'));
  const override = validateBlockingOverride(doc, {
    end: paris('2025-08-28T08:00'),
    message: 'Bonne rentrée : votre ENT rouvre le 28 août.',
  });
  t.ok(blockingState(doc, 'pupil', clock.now(), override).blocked);
  t.equal(blockingState(doc, 'pupil', clock.now(), override).why, override.message);
  // An extension past the académie limit is refused.
  t.throws(() => validateBlockingOverride(doc, { end: paris('2025-09-08') }), {
    code: CalendarErrors.BLOCKING_END_TOO_LATE.code,
  });
  const overrides = new Map([[uai, override]]);
  const window = transitionsBetween(doc, clock.now(), paris('2025-09-03'), {
    blockingOverrides: overrides,
    deliveries: false,
  }).filter((tr) => tr.type.startsWith('blocking.'));
  t.same(window.map(local), [
    '2025-08-28T08:00 2025-2026/blocking.end/rentree/0860001A',
    '2025-09-02T07:00 2025-2026/blocking.end/rentree',
  ]);
  t.same(window[1]!.scope.exceptUais, [uai], 'the académie-wide reopening skips the establishment');
  clock.set(paris('2025-08-28T08:00'));
  t.notOk(blockingState(doc, 'pupil', clock.now(), override).blocked, 'reopened early here');
  t.ok(blockingState(doc, 'pupil', clock.now()).blocked, 'still blocked elsewhere');
});

t.test('periods are checked', async (t) => {
  t.throws(() => transitionsBetween(doc, end, start), { code: CalendarErrors.BAD_PERIOD.code });
  t.throws(() => transitionsBetween(doc, start, new Date(start.getTime() + 401 * DAY)), {
    code: CalendarErrors.BAD_PERIOD.code,
  });
});
