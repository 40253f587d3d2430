import { readFileSync } from 'node:fs';
import { fakeClock } from '@aaf-sync/calendar';
import { seedStructure } from '@aaf-sync/testing';
import t from 'tap';
import { A, B } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw document tests edit freely
type RawDocument = Record<string, any>;
const exampleUrl = new URL(
  '../../../../../packages/calendar/examples/2025-2026.json',
  import.meta.url,
);
const example = (): RawDocument => JSON.parse(readFileSync(exampleUrl, 'utf8')) as RawDocument;

interface Problem {
  code: string;
  status: number;
  errors?: { in: string; path: string; message: string }[];
}

t.test(
  'the calendar document: validated, versioned with who changed what, admin only',
  async (t) => {
    const ctx = await build(t);
    const admin = await ctx.key(['admin']);
    const adminA = await ctx.key(['admin'], [A.uai]);
    const reader = await ctx.key(['directory:read']);
    const put = (token: string, payload: Record<string, unknown>) =>
      ctx.inject({
        method: 'PUT',
        url: '/v1/calendar',
        headers: { authorization: `Bearer ${token}` },
        payload,
      });

    const none = await ctx.get(admin, '/v1/calendar');
    t.equal(none.statusCode, 404);
    t.equal(none.headers['content-type'], 'application/problem+json; charset=utf-8');
    t.equal(body<Problem>(none).code, 'CALENDAR_ERR_NOT_SET');

    const broken = example();
    broken.feed.targets.byKind.scribe.resumeOn = '2025-08-01';
    broken.campaigns[3].approval = 'none';
    const refused = await put(admin, { document: broken });
    t.equal(refused.statusCode, 400);
    const problem = body<Problem>(refused);
    t.equal(problem.code, 'CALENDAR_ERR_INVALID_DOCUMENT');
    t.same(problem.errors?.map((e) => `${e.in} ${e.path}`).sort(), [
      'body document.campaigns.3.approval',
      'body document.feed.targets.byKind.scribe',
    ]);

    t.equal((await put(reader, { document: example() })).statusCode, 403, 'not an admin');
    const scoped = await put(adminA, { document: example() });
    t.equal(scoped.statusCode, 403, 'an establishment admin cannot change the académie calendar');
    t.equal(body<Problem>(scoped).code, 'API_ERR_FORBIDDEN');
    t.equal((await ctx.get(admin, '/v1/calendar')).statusCode, 404, 'nothing stored so far');

    const first = await put(admin, { document: example(), expectedVersion: 0 });
    t.equal(first.statusCode, 200, first.body);
    t.match(body(first), { version: 1, stored: true });

    const edited = example();
    edited.campaigns[2].runOn = '2025-09-30T20:00';
    const stale = await put(admin, { document: edited, expectedVersion: 0 });
    t.equal(stale.statusCode, 409);
    t.equal(body<Problem>(stale).code, 'CALENDAR_ERR_VERSION_CONFLICT');
    const second = await put(admin, { document: edited, expectedVersion: 1, comment: 'KoXo late' });
    t.equal(second.statusCode, 200);
    t.same(body(second), {
      version: 2,
      stored: true,
      changes: [
        { path: 'campaigns.2.runOn', before: '2025-09-26T20:00', after: '2025-09-30T20:00' },
      ],
      overridesOutsideLimits: [],
    });

    const current = body<{ version: number; document: RawDocument; changedBy: string }>(
      await ctx.get(admin, '/v1/calendar'),
    );
    t.equal(current.version, 2);
    t.equal(current.document.campaigns[2].runOn, '2025-09-30T20:00');
    t.match(current.changedBy, /^key:/);
    const v1 = body<{ document: RawDocument }>(await ctx.get(admin, '/v1/calendar?version=1'));
    t.equal(v1.document.campaigns[2].runOn, '2025-09-26T20:00');
    t.equal((await ctx.get(admin, '/v1/calendar?version=9')).statusCode, 404);
    t.equal((await ctx.get(reader, '/v1/calendar')).statusCode, 403);

    const versions = body<{
      items: { version: number; comment: string | null; changes: unknown[] }[];
    }>(await ctx.get(admin, '/v1/calendar/versions'));
    t.same(
      versions.items.map((v) => [v.version, v.comment]),
      [
        [2, 'KoXo late'],
        [1, null],
      ],
    );
    t.equal(versions.items[0]!.changes.length, 1);

    const audits = await ctx.db
      .selectFrom('audit_log')
      .select(['action', 'status'])
      .where('action', '=', 'calendar.update')
      .orderBy('id')
      .execute();
    t.same(
      audits.map((a) => a.status),
      [400, 403, 403, 200, 409, 200],
      'every attempt audited',
    );
  },
);

t.test('upcoming and the rentrée blocking of an establishment, with a fake clock', async (t) => {
  const clock = fakeClock(new Date('2025-08-27T08:00:00Z')); // Wednesday 27 August, 10:00 Paris
  const ctx = await build(t, { clock });
  await seedStructure(ctx.db, A);
  await seedStructure(ctx.db, B);
  const admin = await ctx.key(['admin']);
  const adminA = await ctx.key(['admin'], [A.uai]);
  const readerA = await ctx.key(['directory:read'], [A.uai]);
  const readerB = await ctx.key(['directory:read'], [B.uai]);
  const blocking = (token: string, uai: string, method: 'PUT' | 'DELETE', payload?: object) =>
    ctx.inject({
      method,
      url: `/v1/establishments/${uai}/blocking`,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  type View = {
    profiles: {
      profile: string;
      blocked: boolean;
      until: string;
      why: string | null;
      source: string;
    }[];
  };
  const pupil = (res: { json(): unknown }) =>
    (res.json() as View).profiles.find((p) => p.profile === 'pupil')!;

  t.equal(
    (await blocking(adminA, A.uai, 'PUT', { end: 'now' })).statusCode,
    404,
    'no calendar yet: CALENDAR_ERR_NOT_SET',
  );
  const stored = await ctx.inject({
    method: 'PUT',
    url: '/v1/calendar',
    headers: { authorization: `Bearer ${admin}` },
    payload: { document: example() },
  });
  t.equal(stored.statusCode, 200);

  const before = pupil(await ctx.get(readerA, `/v1/establishments/${A.uai}/blocking`));
  t.match(before, { blocked: true, until: '2025-09-02T05:00:00.000Z', source: 'calendar' });
  t.match(before.why, /indisponible/);

  // The principal of A lifts the blocking at once and changes the message.
  const lifted = await blocking(adminA, A.uai, 'PUT', { end: 'now', message: 'Bienvenue !' });
  t.equal(lifted.statusCode, 200, lifted.body);
  t.match(pupil(lifted), {
    blocked: false,
    source: 'establishment',
    until: '2025-08-27T08:00:00.000Z',
  });
  t.match(
    pupil(await ctx.get(readerB, `/v1/establishments/${B.uai}/blocking`)),
    { blocked: true },
    'B is still blocked',
  );

  // Over the limit (5 September 18:00): refused, nothing changed.
  const tooLate = await blocking(adminA, A.uai, 'PUT', { end: '2025-09-08T08:00' });
  t.equal(tooLate.statusCode, 422);
  t.equal(body<Problem>(tooLate).code, 'CALENDAR_ERR_BLOCKING_END_TOO_LATE');
  const tooEarly = await blocking(adminA, A.uai, 'PUT', { end: '2025-08-24T12:00:00+02:00' });
  t.equal(body<Problem>(tooEarly).code, 'CALENDAR_ERR_BLOCKING_END_TOO_EARLY');
  const bad = await blocking(adminA, A.uai, 'PUT', { end: 'tomorrow' });
  t.equal(bad.statusCode, 400);
  t.equal(body<Problem>(bad).code, 'API_ERR_VALIDATION');
  t.match(pupil(await ctx.get(readerA, `/v1/establishments/${A.uai}/blocking`)), {
    blocked: false,
  });

  // A key of A cannot touch B; a reader cannot write.
  const foreign = await blocking(adminA, B.uai, 'PUT', { end: 'now' });
  t.equal(foreign.statusCode, 403);
  t.equal(body<Problem>(foreign).code, 'API_ERR_OUT_OF_SCOPE');
  t.equal((await blocking(readerB, B.uai, 'PUT', { end: 'now' })).statusCode, 403);
  t.equal((await ctx.get(readerA, `/v1/establishments/${B.uai}/blocking`)).statusCode, 403);

  // What happens next: A sees its own reopening (already past) and not B's; B the académie one.
  clock.set(new Date('2025-08-26T08:00:00Z'));
  const extended = await blocking(adminA, A.uai, 'PUT', { end: '2025-09-04T08:00' });
  t.equal(extended.statusCode, 200, 'extended within the limit');
  const upcoming = (token: string) =>
    ctx.get(token, '/v1/calendar/upcoming?days=10&deliveries=false');
  type Up = { transitions: { id: string; at: string; scope: { exceptUais?: string[] } }[] };
  const forA = body<Up>(await upcoming(readerA)).transitions.map((x) => x.id);
  const forB = body<Up>(await upcoming(readerB)).transitions.map((x) => x.id);
  t.ok(forA.includes(`2025-2026/blocking.end/rentree/${A.uai}`));
  t.notOk(forA.includes('2025-2026/blocking.end/rentree'));
  t.ok(forB.includes('2025-2026/blocking.end/rentree'));
  t.notOk(
    forB.some((id) => id.includes(A.uai)),
    'B learns nothing of A',
  );
  const all = body<Up>(await upcoming(admin));
  t.same(all.transitions.find((x) => x.id === '2025-2026/blocking.end/rentree')?.scope.exceptUais, [
    A.uai,
  ]);
  t.same(
    all.transitions.slice(0, 5).map((x) => x.id),
    [
      '2025-2026/feed.resume/kind:ad',
      '2025-2026/feed.resume/kind:koxo',
      '2025-2026/feed.resume/kind:noop',
      '2025-2026/feed.resume/kind:scribe',
      '2025-2026/feed.resume/kind:webhook',
    ],
  );
  const withFiles = body<Up>(await ctx.get(admin, '/v1/calendar/upcoming?days=2'));
  t.ok(withFiles.transitions.some((x) => x.id === '2025-2026/delivery.due/delta/2025-08-26'));

  t.equal((await blocking(adminA, A.uai, 'DELETE')).statusCode, 204);
  t.match(pupil(await ctx.get(readerA, `/v1/establishments/${A.uai}/blocking`)), {
    blocked: true,
    source: 'calendar',
  });
  const audits = await ctx.db
    .selectFrom('audit_log')
    .select(['action', 'status', 'uais'])
    .where('action', 'like', 'calendar.blocking.%')
    .orderBy('id')
    .execute();
  t.same(
    audits.map((a) => `${a.action} ${a.status} ${a.uais.join(',')}`),
    [
      `calendar.blocking.set 404 ${A.uai}`,
      `calendar.blocking.set 200 ${A.uai}`,
      `calendar.blocking.set 422 ${A.uai}`,
      `calendar.blocking.set 422 ${A.uai}`,
      `calendar.blocking.set 400 ${A.uai}`,
      `calendar.blocking.set 403 ${B.uai}`,
      `calendar.blocking.set 403 ${B.uai}`,
      `calendar.blocking.set 200 ${A.uai}`,
      `calendar.blocking.clear 204 ${A.uai}`,
    ],
  );
});

t.test('feed state per establishment and the expected AAF files', async (t) => {
  const clock = fakeClock(new Date('2025-08-21T08:00:00Z'));
  const ctx = await build(t, { clock });
  await seedStructure(ctx.db, A);
  await seedStructure(ctx.db, B);
  const admin = await ctx.key(['admin']);
  const readerA = await ctx.key(['directory:read'], [A.uai]);
  const importsReader = await ctx.key(['imports:read']);
  await ctx.inject({
    method: 'PUT',
    url: '/v1/calendar',
    headers: { authorization: `Bearer ${admin}` },
    payload: { document: example() },
  });
  await ctx.db
    .insertInto('import_run')
    .values({
      kind: 'complete',
      scope: 'ENT',
      level: '2d',
      file_date: '2025-08-19',
      source: 'inbox',
      delivery_name: 'ENT_Complet_20250819.tgz',
      content_hash: 'init',
      status: 'applied',
      finished_at: new Date('2025-08-20T03:00:00Z'),
      uais_touched: [A.uai],
    })
    .execute();
  type Feed = {
    initialisationAppliedAt: string | null;
    consumers: { consumer: string; state: string }[];
  };
  const states = (f: Feed) => Object.fromEntries(f.consumers.map((c) => [c.consumer, c.state]));
  const a = body<Feed>(await ctx.get(readerA, `/v1/establishments/${A.uai}/feed`));
  t.equal(a.initialisationAppliedAt, '2025-08-20T03:00:00.000Z');
  t.match(states(a), { directory: 'open', ent: 'open', scribe: 'off', koxo: 'off' });
  const b = body<Feed>(await ctx.get(admin, `/v1/establishments/${B.uai}/feed`));
  t.match(states(b), { directory: 'waiting-initialisation', scribe: 'off' });
  t.equal(
    (await ctx.get(readerA, `/v1/establishments/${B.uai}/feed`)).statusCode,
    404,
    'a key of A learns nothing of B',
  );

  clock.set(new Date('2025-08-23T08:00:00Z')); // Saturday 10:00 Paris
  type Deliveries = {
    missing: number;
    items: { kind: string; date: string; received: boolean; missing: boolean }[];
  };
  const d = body<Deliveries>(await ctx.get(importsReader, '/v1/calendar/deliveries?days=5'));
  t.same(
    d.items.map((i) => `${i.kind} ${i.date} ${i.received} ${i.missing}`),
    [
      'delta 2025-08-20 false true',
      'delta 2025-08-21 false true',
      'complete 2025-08-23 false false',
    ],
    'the deltas after the resumption are missing; the summer expected nothing',
  );
  t.equal(d.missing, 2);
  t.equal((await ctx.get(readerA, '/v1/calendar/deliveries')).statusCode, 403);
});
