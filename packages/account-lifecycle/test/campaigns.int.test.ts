import { sql } from '@aaf-sync/db';
import { seedIdentifier, seedPerson, seedRelativeLink } from '@aaf-sync/testing';
import { purgeGroupsBatch } from '@aaf-sync/targets';
import t from 'tap';
import {
  approveCampaign,
  campaignEffects,
  campaignItems,
  campaignReport,
  findCampaignByName,
  LifecycleErrors,
  runCampaign,
} from '../src/index.js';
import {
  depart,
  effectContext,
  propagate,
  scribeWorld,
  seedSchool,
  storeExampleCalendar,
  transition,
  UAI_A,
  type ScribeWorld,
} from './fixtures.js';

// The example calendar: scribe-departed-pupils previewed 2025-08-29, run 2025-09-02T20:00 Paris;
// scribe-departed-staff (establishment approval) previewed 2025-10-01, run 2025-11-03T20:00.
const PUPILS_PREVIEW = new Date('2025-08-28T22:00:00Z');
const PUPILS_RUN = new Date('2025-09-02T18:00:00Z');
const STAFF_PREVIEW = new Date('2025-09-30T22:00:00Z');
const STAFF_RUN = new Date('2025-11-03T19:00:00Z');

/** The school of the Scribe fixtures, plus a relative whose only child leaves (R2 of E2). */
async function school(w: ScribeWorld) {
  const ids = await seedSchool(w);
  const r2 = await w.person({
    jointure: 'R2',
    login: 'paul.petit',
    category: 'relative',
    givenName: 'Paul',
    sn: 'Petit',
    structures: ['S-A'],
  });
  await seedRelativeLink(w.db, { pupil: 'E2', relative: 'R2', legal: 1 });
  await sql`insert into provisioning (target_id, person_id, desired_version)
    values (${w.target.id}, ${r2}, 1) on conflict do nothing`.execute(w.db);
  t.equal((await w.sync()).failed, 0);
  return { ...ids, r2 };
}

const scribeIds = async (w: ScribeWorld, personId: number) =>
  (
    await sql<{ value: string; status: string }>`select value, status from identifier
      where person_id = ${personId} and namespace = 'scribe'`.execute(w.db)
  ).rows;

t.test('departed pupils and their relatives: deleted on slapd on the run date only', async (t) => {
  const w = await scribeWorld(t);
  const ids = await school(w);
  const tom = w.userDn(UAI_A, 'eleves', 'tom.petit');
  const paul = w.userDn(UAI_A, 'responsables', 'paul.petit');
  const lea = w.userDn(UAI_A, 'eleves', 'lea.martin');
  t.ok(await w.read(paul), 'the relative has an entry');

  await depart(w, 'E2', [UAI_A]);
  await depart(w, 'R2', [UAI_A], { relativeLosesAccount: true });
  await propagate(w);
  t.match(await w.read(tom), { shadowexpire: ['1'] }, 'a departure disables, never deletes');
  t.match(await w.read(paul), { shadowexpire: ['1'] });

  await storeExampleCalendar(w.db);
  const { ctx, clock, notices } = effectContext(w.db, PUPILS_PREVIEW);
  const preview = await transition(w.db, 'campaign.preview', 'scribe-departed-pupils');
  const p = await campaignEffects['campaign.preview'](ctx, preview);
  t.match(p.counts, { items: 2, added: 2, establishments: 1 });
  t.match(notices, [
    {
      kind: 'campaign.preview',
      uais: [UAI_A],
      data: { campaign: 'scribe-departed-pupils', items: 2, approval: 'none' },
    },
  ]);
  const campaign = (await findCampaignByName(w.db, '2025-2026', 'scribe-departed-pupils'))!;
  const items = await campaignItems(w.db, campaign.id, [UAI_A]);
  t.same(
    items.map((i) => [i.label, i.target, i.uai, i.status, i.targetKey]),
    [
      ['Petit Paul (relative, R2)', 'scribe-test', UAI_A, 'planned', paul],
      ['Petit Tom (pupil, E2)', 'scribe-test', UAI_A, 'planned', tom],
    ],
    'the preview: who, on which target, in which establishment',
  );
  t.same(await campaignItems(w.db, campaign.id, ['0999999Z']), [], 'a scoped reader sees its own');
  await propagate(w);
  t.ok(await w.read(tom), 'nothing is deleted by the preview');
  // A full reconcile meanwhile (a target resuming after the summer): the disabled entries
  // keep their keys, so the run still finds them held.
  await sql`update provisioning set status = 'pending', desired_version = desired_version + 1
    where target_id = ${w.target.id}`.execute(w.db);
  await w.sync();
  t.ok((await w.rows()).get('E2')?.target_key, 'a replay keeps the key of a disabled entry');

  clock.set(PUPILS_RUN);
  const run = await transition(w.db, 'campaign.run', 'scribe-departed-pupils');
  t.match((await campaignEffects['campaign.run'](ctx, run)).counts, {
    deleted: 2,
    skipped: 0,
    waiting: 0,
  });
  t.match(await campaignReport(w.db, campaign.id, null), {
    state: 'done',
    counts: { planned: 0, deleted: 2, skipped: 0, pendingOnTarget: 2 },
  });
  const synced = await propagate(w);
  t.equal(synced.failed, 0);
  t.equal(await w.read(tom), null, 'the departed pupil is deleted');
  t.equal(await w.read(paul), null, 'the relative left without a child is deleted');
  t.ok(await w.read(lea), 'the others stay');
  t.notOk(
    (await w.read(w.groupDn(UAI_A, '6a')))?.memberuid?.includes('tom.petit'),
    'out of its groups',
  );
  t.equal(w.stats.deletes, 2);
  t.same(await scribeIds(w, ids.e2), [{ value: 'tom.petit', status: 'primary' }], 'kept reserved');
  t.match(await campaignReport(w.db, campaign.id, null), {
    counts: { deleted: 2, pendingOnTarget: 0 },
  });
  t.same(
    (await campaignItems(w.db, campaign.id, null)).map((i) => i.onTarget),
    ['removed', 'removed'],
  );

  // Twice: no change anywhere.
  const before = { ...w.stats };
  t.match((await campaignEffects['campaign.run'](ctx, run)).counts, { deleted: 0, skipped: 0 });
  t.match((await campaignEffects['campaign.preview'](ctx, preview)).counts, { added: 0 });
  await propagate(w);
  t.same(w.stats, before, 'a second run writes nothing on the target');
  t.equal(notices.filter((n) => n.kind === 'campaign.report').length, 1);

  // A replay of every row (full reconcile) still deletes nothing more and recreates nothing.
  await sql`update provisioning set status = 'pending', desired_version = desired_version + 1
    where target_id = ${w.target.id}`.execute(w.db);
  await w.sync();
  t.equal(await w.read(tom), null, 'a deleted account is not recreated');
});

t.test('a pupil back before the run is skipped', async (t) => {
  const w = await scribeWorld(t);
  await school(w);
  await depart(w, 'E2', [UAI_A]);
  await propagate(w);
  await storeExampleCalendar(w.db);
  const { ctx, clock } = effectContext(w.db, PUPILS_PREVIEW);
  await campaignEffects['campaign.preview'](
    ctx,
    await transition(w.db, 'campaign.preview', 'scribe-departed-pupils'),
  );
  // Back (restored) before the run.
  await sql`update person set state = 'active', departed_at = null where jointure = 'E2'`.execute(
    w.db,
  );
  await sql`insert into person_structure (person_jointure, structure_jointure)
    values ('E2', 'S-A')`.execute(w.db);
  clock.set(PUPILS_RUN);
  const r = await campaignEffects['campaign.run'](
    ctx,
    await transition(w.db, 'campaign.run', 'scribe-departed-pupils'),
  );
  t.match(r.counts, { deleted: 0, skipped: 1 }, 'the pupil stays');
  const c = (await findCampaignByName(w.db, '2025-2026', 'scribe-departed-pupils'))!;
  t.match(
    (await campaignItems(w.db, c.id, null)).find((i) => i.label.includes('Tom')),
    { status: 'skipped', reason: 'back in the directory' },
  );
});

t.test('departed staff: nothing deleted without the establishment approval', async (t) => {
  const w = await scribeWorld(t);
  await school(w);
  const admin = w.userDn(UAI_A, 'personnels', 'a.admin');
  await depart(w, 'S1', [UAI_A]);
  await propagate(w);
  await storeExampleCalendar(w.db);
  const { ctx, clock, notices } = effectContext(w.db, STAFF_PREVIEW);
  await campaignEffects['campaign.preview'](
    ctx,
    await transition(w.db, 'campaign.preview', 'scribe-departed-staff'),
  );
  t.match(notices, [
    { kind: 'campaign.preview', uais: [UAI_A], body: /Nothing is deleted without your approval/ },
  ]);
  const c = (await findCampaignByName(w.db, '2025-2026', 'scribe-departed-staff'))!;

  clock.set(STAFF_RUN);
  const run = await transition(w.db, 'campaign.run', 'scribe-departed-staff');
  t.match((await campaignEffects['campaign.run'](ctx, run)).counts, {
    deleted: 0,
    skipped: 0,
    waiting: 1,
  });
  await propagate(w);
  t.match(await w.read(admin), { shadowexpire: ['1'] }, 'still there (disabled) without approval');
  t.match(await campaignReport(w.db, c.id, null), { state: 'running', counts: { planned: 1 } });

  await t.rejects(approveCampaign(w.db, c.id, '0999999Z', 'key:x', clock.now()), {
    code: LifecycleErrors.NOTHING_TO_APPROVE.code,
  });
  const pupils = await findCampaignByName(w.db, '2025-2026', 'scribe-departed-pupils');
  t.equal(pupils, null);

  // The establishment approves after the run date: its items run at once.
  clock.advance(86_400_000);
  const a = await approveCampaign(w.db, c.id, UAI_A, 'key:principal', clock.now());
  t.match(a, { created: true, items: 1, approvedBy: 'key:principal', run: { deleted: 1 } });
  await propagate(w);
  t.equal(await w.read(admin), null, 'deleted after the approval');
  t.match(await campaignReport(w.db, c.id, null), {
    state: 'done',
    establishments: [{ uai: UAI_A, deleted: 1, approvedBy: 'key:principal' }],
  });
  const again = await approveCampaign(w.db, c.id, UAI_A, 'key:other', clock.now());
  t.match(again, { created: false, approvedBy: 'key:principal', run: { deleted: 0 } });
});

t.test('a crashed run resumes: items already decided are skipped', async (t) => {
  const w = await scribeWorld(t);
  await school(w);
  for (let i = 0; i < 4; i += 1) {
    const id = await seedPerson(w.db, {
      jointure: `X${i}`,
      category: 'pupil',
      givenName: `Élève${i}`,
      sn: 'Parti',
      structures: ['S-A'],
    });
    await seedIdentifier(w.db, { personId: id, namespace: 'scribe', value: `eleve${i}.parti` });
    await sql`insert into provisioning (target_id, person_id, desired_version)
      values (${w.target.id}, ${id}, 1)`.execute(w.db);
  }
  await w.sync();
  for (let i = 0; i < 4; i += 1) await depart(w, `X${i}`, [UAI_A]);
  await propagate(w);
  await storeExampleCalendar(w.db);
  const { ctx } = effectContext(w.db, PUPILS_PREVIEW);
  await campaignEffects['campaign.preview'](
    ctx,
    await transition(w.db, 'campaign.preview', 'scribe-departed-pupils'),
  );
  const c = (await findCampaignByName(w.db, '2025-2026', 'scribe-departed-pupils'))!;
  let batches = 0;
  await t.rejects(
    runCampaign(w.db, c.id, PUPILS_RUN, {
      batchSize: 2,
      afterBatch: () => {
        batches += 1;
        throw new Error('process killed');
      },
    }),
    /process killed/,
  );
  t.equal(batches, 1);
  const decided = async () =>
    (await campaignItems(w.db, c.id, null)).filter((i) => i.status !== 'planned');
  const first = await decided();
  t.equal(first.length, 2, 'one batch committed before the crash');
  const later = new Date(PUPILS_RUN.getTime() + 60_000);
  const resumed = await runCampaign(w.db, c.id, later, { batchSize: 2 });
  t.match(resumed, { deleted: 2, waiting: 0, campaign: { state: 'done' } });
  const all = await decided();
  t.equal(all.length, 4);
  for (const f of first) {
    t.same(
      all.find((x) => x.subject === f.subject)?.doneAt,
      f.doneAt,
      `${f.label}: decided once, not again`,
    );
  }
  await propagate(w);
  for (let i = 0; i < 4; i += 1) {
    t.equal(await w.read(w.userDn(UAI_A, 'eleves', `eleve${i}.parti`)), null);
  }
});

t.test(
  'empty groups: deleted on slapd by the targets loop, kept when members came back',
  async (t) => {
    const w = await scribeWorld(t);
    await school(w);
    const dn = (cn: string) => w.groupDn(UAI_A, cn);
    t.ok(await w.read(dn('6a')), 'the class exists on the target');
    t.ok(await w.read(dn('profs-6a')), 'with its teaching team');
    t.ok(await w.read(dn('latin')), 'and the option group');
    // Every pupil of 6A and LATIN leaves: the worker takes them out of the groups.
    await depart(w, 'E1', [UAI_A]);
    await depart(w, 'E2', [UAI_A]);
    t.equal((await propagate(w)).failed, 0);
    t.notOk((await w.read(dn('6a')))?.memberuid, '6a has no member left');
    await sql`update class_group set state = 'empty' where code in ('6A', '6B', 'LATIN')`.execute(
      w.db,
    );
    await storeExampleCalendar(w.db);
    const { ctx, clock } = effectContext(w.db, PUPILS_PREVIEW);
    const p = await campaignEffects['campaign.preview'](
      ctx,
      await transition(w.db, 'campaign.preview', 'scribe-empty-groups'),
    );
    t.match(p.counts, { items: 3 });
    // A Scribe admin puts someone in LATIN meanwhile: the target still needs the group.
    await w.admin.modify(dn('latin'), [
      { operation: 'add', attribute: 'memberUid', values: ['a.admin'] },
    ]);
    clock.set(PUPILS_RUN);
    const run = await transition(w.db, 'campaign.run', 'scribe-empty-groups');
    t.match((await campaignEffects['campaign.run'](ctx, run)).counts, { deleted: 3 });
    const c = (await findCampaignByName(w.db, '2025-2026', 'scribe-empty-groups'))!;
    t.match(await campaignReport(w.db, c.id, null), {
      counts: { deleted: 3, pendingOnTarget: 3, removedOnTarget: 0 },
    });
    t.ok(await w.read(dn('6a')), 'the scheduler only marks the work: nothing deleted yet');

    // The targets process works the purges (after the accounts).
    t.match(await purgeGroupsBatch(w.db, w.target, w.driver, { batchSize: 50 }), {
      taken: 3,
      deleted: 2,
      skipped: 1,
      failed: 0,
    });
    t.equal(await w.read(dn('6a')), null, 'the empty class is deleted');
    t.equal(await w.read(dn('profs-6a')), null, 'with its teaching team');
    t.ok(await w.read(dn('latin')), 'a group with members on the target is kept');
    t.ok(await w.read(dn('profs-latin')), 'and its team');
    t.equal(w.stats.groupDeletes, 2);
    t.match(await campaignReport(w.db, c.id, null), {
      counts: {
        deleted: 3,
        pendingOnTarget: 0,
        removedOnTarget: 2,
        keptOnTarget: 1,
        failedOnTarget: 0,
      },
    });
    const items = await campaignItems(w.db, c.id, null);
    t.match(
      items.map((i) => [
        i.label,
        i.status,
        i.onTarget,
        i.targetPurge?.status,
        i.targetPurge?.reason,
      ]),
      [
        ['class 6A', 'deleted', 'removed', 'deleted', null],
        ['class 6B', 'deleted', 'removed', 'deleted', 'not on the target'],
        ['group LATIN', 'deleted', 'recorded', 'skipped', '1 member(s) on the target again'],
      ],
    );

    // Twice: nothing more is deleted, nothing queued again.
    t.match((await campaignEffects['campaign.run'](ctx, run)).counts, { deleted: 0 });
    t.match(await purgeGroupsBatch(w.db, w.target, w.driver, { batchSize: 50 }), { taken: 0 });
    await sql`update group_purge set status = 'pending'`.execute(w.db);
    t.match(await purgeGroupsBatch(w.db, w.target, w.driver, { batchSize: 50 }), {
      deleted: 2,
      skipped: 1,
    });
    t.equal(w.stats.groupDeletes, 2, 'a replay deletes nothing more on the target');
  },
);

t.test('empty groups: a group with pupils again is skipped and not queued', async (t) => {
  const w = await scribeWorld(t);
  await school(w);
  await sql`update class_group set state = 'empty' where code = '6B'`.execute(w.db);
  await storeExampleCalendar(w.db);
  const { ctx, clock } = effectContext(w.db, PUPILS_PREVIEW);
  await campaignEffects['campaign.preview'](
    ctx,
    await transition(w.db, 'campaign.preview', 'scribe-empty-groups'),
  );
  await sql`update class_group set state = 'active' where code = '6B'`.execute(w.db);
  clock.set(PUPILS_RUN);
  const run = await transition(w.db, 'campaign.run', 'scribe-empty-groups');
  t.match((await campaignEffects['campaign.run'](ctx, run)).counts, { deleted: 0, skipped: 1 });
  const c = (await findCampaignByName(w.db, '2025-2026', 'scribe-empty-groups'))!;
  t.match(await campaignItems(w.db, c.id, null), [
    { label: 'class 6B', status: 'skipped', reason: 'has pupils again', targetPurge: null },
  ]);
  const { rows } = await sql`select * from group_purge`.execute(w.db);
  t.equal(rows.length, 0, 'nothing for the targets to delete');
});
