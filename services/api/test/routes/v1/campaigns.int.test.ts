import { readFileSync } from 'node:fs';
import { previewCampaign, runCampaign, syncAccessBlocks } from '@aaf-sync/account-lifecycle';
import { fakeClock } from '@aaf-sync/calendar';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { sql } from '@aaf-sync/db';
import { createSecretBox, findTarget, noopDriver, purgeGroupsBatch } from '@aaf-sync/targets';
import { seedPerson } from '@aaf-sync/testing';
import t from 'tap';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

const example = () =>
  JSON.parse(
    readFileSync(
      new URL('../../../../../packages/calendar/examples/2025-2026.json', import.meta.url),
      'utf8',
    ),
  ) as Record<string, unknown>;

interface AccountBody {
  access: { blocked: boolean; since: string | null; until: string | null; why: string | null };
}

t.test(
  'account status shows blocked / until / why; an early unblock applies at once',
  async (t) => {
    const clock = fakeClock(new Date('2025-08-20T10:00:00Z'));
    const ctx = await build(t, { clock });
    const school = await seedSchool(ctx.db);
    await saveCalendar(ctx.db, { document: example(), actor: 'test' });
    // What the scheduler's blocking.start does.
    await syncAccessBlocks(ctx.db, { at: clock.now(), actor: 'calendar' });
    const reader = await ctx.key(['accounts:read']);
    const adminA = await ctx.key(['admin'], [A.uai]);
    const access = async (jointure: string) =>
      body<AccountBody>(
        await ctx.get(reader, `/v1/accounts/${encodeURIComponent(`id:${school.ids[jointure]}`)}`),
      ).access;

    t.match(await access('A-P1'), {
      blocked: true,
      since: '2025-08-19T22:00:00.000Z',
      until: '2025-09-02T05:00:00.000Z',
      why: /indisponible du 20 août/,
    });
    t.same(await access('A-T1'), { blocked: false, since: null, until: null, why: null });

    clock.set(new Date('2025-08-26T08:00:00Z'));
    const lifted = await ctx.inject({
      method: 'PUT',
      url: `/v1/establishments/${A.uai}/blocking`,
      headers: { authorization: `Bearer ${adminA}` },
      payload: { end: 'now' },
    });
    t.equal(lifted.statusCode, 200, lifted.body);
    t.match(await access('A-P1'), { blocked: false, until: null });
    t.match(await access('B-P1'), { blocked: true }, 'the other establishment is still blocked');
    const events = await sql<{ entity_key: string; changes: string; actor: string }>`
    select entity_key, changes::text as changes, actor from change_event
    where entity_key = 'A-P1' and (changes::jsonb) ? 'accessBlocked' order by seq`.execute(ctx.db);
    t.same(
      events.rows.map((e) => [JSON.parse(e.changes), e.actor.startsWith('key:') ? 'key' : e.actor]),
      [
        [{ accessBlocked: [false, true] }, 'calendar'],
        [{ accessBlocked: [true, false] }, 'key'],
      ],
    );
    // Back to the académie dates: blocked again at once.
    const cleared = await ctx.inject({
      method: 'DELETE',
      url: `/v1/establishments/${A.uai}/blocking`,
      headers: { authorization: `Bearer ${adminA}` },
    });
    t.equal(cleared.statusCode, 204);
    t.match(await access('A-P1'), { blocked: true });

    // A new calendar version ending the blocking earlier applies at once too.
    const doc = example() as { rentreeBlocking: { rules: { end: string }[] } };
    doc.rentreeBlocking.rules[0]!.end = '2025-08-26T00:00';
    const saved = await ctx.inject({
      method: 'PUT',
      url: '/v1/calendar',
      headers: { authorization: `Bearer ${await ctx.key(['admin'])}` },
      payload: { document: doc },
    });
    t.equal(saved.statusCode, 200, saved.body);
    t.match(await access('A-P1'), { blocked: false });
    t.match(await access('B-P1'), { blocked: false });
  },
);

t.test('campaigns: list, preview, approval by the establishment only, report', async (t) => {
  const clock = fakeClock(new Date('2025-10-01T08:00:00Z'));
  const ctx = await build(t, { clock });
  await seedSchool(ctx.db);
  const admin = await ctx.key(['admin']);
  const target = await ctx.inject({
    method: 'POST',
    url: '/v1/targets',
    headers: { authorization: `Bearer ${admin}` },
    payload: { kind: 'noop', name: 'noop-both', uais: [A.uai, B.uai] },
  });
  t.equal(target.statusCode, 201, target.body);
  const targetId = Number(
    (await sql<{ id: number }>`select id from target`.execute(ctx.db)).rows[0]!.id,
  );
  for (const [jointure, structure, sn] of [
    ['A-T9', A.jointure, 'Lefèvre-Parti'],
    ['B-T9', B.jointure, 'Zorglub-Parti'],
  ] as const) {
    const id = await seedPerson(ctx.db, {
      jointure,
      category: 'staff',
      profile: 'teacher',
      givenName: 'Ancien',
      sn,
      structures: [structure],
      state: 'departed',
    });
    await sql`insert into provisioning (target_id, person_id, desired_version, applied_version,
      status, target_key) values (${targetId}, ${id}, 1, 1, 'excluded', ${jointure.toLowerCase()})`.execute(
      ctx.db,
    );
  }
  const runAt = new Date('2025-11-03T19:00:00Z');
  const { campaign } = await previewCampaign(ctx.db, {
    schoolYear: '2025-2026',
    name: 'noop-departed-staff',
    kind: 'departed-staff',
    targetKind: 'noop',
    targetName: null,
    approval: 'establishment',
    previewAt: new Date('2025-10-01T00:00:00Z'),
    runAt,
  });
  const readerA = await ctx.key(['accounts:read'], [A.uai]);
  const adminA = await ctx.key(['admin'], [A.uai]);
  const adminB = await ctx.key(['admin'], [B.uai]);

  const list = await ctx.get(readerA, '/v1/campaigns');
  t.equal(list.statusCode, 200);
  t.notMatch(list.body, /Zorglub|0990002P/, 'a scoped key sees nothing of the other school');
  t.match(body(list), {
    items: [
      {
        id: campaign.id,
        kind: 'departed-staff',
        approval: 'establishment',
        state: 'previewed',
        counts: { planned: 1 },
        establishments: [{ uai: A.uai, planned: 1, approvedBy: null }],
      },
    ],
  });
  const preview = await ctx.get(readerA, `/v1/campaigns/${campaign.id}/preview`);
  t.match(body(preview), {
    items: [{ target: 'noop-both', uai: A.uai, label: /Lefèvre-Parti/, status: 'planned' }],
  });
  t.equal((body(preview) as { items: unknown[] }).items.length, 1);
  t.equal(
    (await ctx.get(readerA, `/v1/campaigns/${campaign.id}/preview?uai=${B.uai}`)).statusCode,
    403,
  );
  t.equal((await ctx.get(admin, '/v1/campaigns/999999')).statusCode, 404);

  const approve = (token: string, uai: string) =>
    ctx.inject({
      method: 'POST',
      url: `/v1/campaigns/${campaign.id}/approve`,
      headers: { authorization: `Bearer ${token}` },
      payload: { uai },
    });
  t.equal((await approve(readerA, A.uai)).statusCode, 403, 'approving takes an admin key');
  const foreign = await approve(adminB, A.uai);
  t.equal(foreign.statusCode, 403);
  t.match(body(foreign), { code: 'API_ERR_OUT_OF_SCOPE' });
  const approved = await approve(adminA, A.uai);
  t.equal(approved.statusCode, 200, approved.body);
  t.match(body(approved), { uai: A.uai, items: 1, created: true, run: null });

  // The run date: A's list is deleted, B's waits for its approval.
  clock.set(runAt);
  const r = await runCampaign(ctx.db, campaign.id, runAt);
  t.match(r, { deleted: 1, skipped: 0, waiting: 1 });
  const report = await ctx.get(admin, `/v1/campaigns/${campaign.id}`);
  t.match(body(report), {
    state: 'running',
    counts: { planned: 1, deleted: 1 },
    establishments: [
      { uai: A.uai, deleted: 1, pendingOnTarget: 1 },
      { uai: B.uai, planned: 1, approvedBy: null },
    ],
  });
  const purge = await sql<{ purge: boolean; status: string }>`
    select r.purge, r.status from provisioning r join person p on p.id = r.person_id
    where p.jointure in ('A-T9', 'B-T9') order by p.jointure`.execute(ctx.db);
  t.same(purge.rows, [
    { purge: true, status: 'pending' },
    { purge: false, status: 'excluded' },
  ]);
  const audit = await sql<{ status: number }>`
    select status from audit_log where action = 'campaigns.approve' order by id`.execute(ctx.db);
  t.same(
    audit.rows.map((a) => a.status),
    [403, 403, 200],
    'every attempt audited, one approval',
  );
});

t.test('empty groups: where each group stands on its target', async (t) => {
  const ctx = await build(t, { clock: fakeClock(new Date('2025-09-02T19:00:00Z')) });
  await seedSchool(ctx.db);
  const admin = await ctx.key(['admin']);
  const created = await ctx.inject({
    method: 'POST',
    url: '/v1/targets',
    headers: { authorization: `Bearer ${admin}` },
    payload: { kind: 'noop', name: 'noop-a', uais: [A.uai] },
  });
  t.equal(created.statusCode, 201, created.body);
  const runAt = new Date('2025-09-02T18:00:00Z');
  const { campaign } = await previewCampaign(ctx.db, {
    schoolYear: '2025-2026',
    name: 'noop-empty-groups',
    kind: 'empty-groups',
    targetKind: 'noop',
    targetName: null,
    approval: 'none',
    previewAt: new Date('2025-08-29T00:00:00Z'),
    runAt,
  });
  t.match(await runCampaign(ctx.db, campaign.id, runAt), { deleted: 1 });
  const preview = async () =>
    body<{ campaign: { counts: unknown }; items: unknown[] }>(
      await ctx.get(admin, `/v1/campaigns/${campaign.id}/preview`),
    );
  t.match(await preview(), {
    campaign: { counts: { deleted: 1, pendingOnTarget: 1, removedOnTarget: 0 } },
    items: [
      {
        label: 'group OLD',
        status: 'deleted',
        onTarget: 'pending',
        targetPurge: { status: 'pending', attempts: 0, doneAt: null },
      },
    ],
  });
  // The targets process: the noop driver holds no groups.
  const row = await findTarget(ctx.db, 'noop-a');
  const target = { ...row, options: {}, secrets: {} };
  const box = createSecretBox(Buffer.alloc(32, 1).toString('base64'));
  const driver = noopDriver()(target, { db: ctx.db, box });
  t.match(await purgeGroupsBatch(ctx.db, target, driver, { batchSize: 10 }), { skipped: 1 });
  t.match(await preview(), {
    campaign: { counts: { pendingOnTarget: 0, keptOnTarget: 1, failedOnTarget: 0 } },
    items: [
      {
        onTarget: 'recorded',
        targetPurge: {
          status: 'skipped',
          reason: 'the noop driver deletes no groups',
          doneAt: /^\d{4}-\d{2}-\d{2}T/,
        },
      },
    ],
  });
});
