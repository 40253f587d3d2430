import { sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import {
  createManagedGroup,
  deleteManagedGroup,
  extendManagedGroup,
  getManagedGroup,
  groupEffects,
} from '../src/index.js';
import {
  A,
  B,
  effectContext,
  exampleDocument,
  seedEstablishments,
  transitionsOf,
} from './fixtures.js';

const ALL = { uais: null };

t.test(
  'year-limited groups: two warnings, deletion, summary; extended and unlimited survive',
  async (t) => {
    const { db } = await testDb(t);
    const ids = await seedEstablishments(db);
    const doc = exampleDocument();
    const [warning1, warning2] = transitionsOf(doc, 'groups.warning');
    const [deletion] = transitionsOf(doc, 'groups.delete');
    const [summary] = transitionsOf(doc, 'groups.summary');
    t.ok(warning1 && warning2 && deletion && summary, 'the example has two warnings');
    const ctx = effectContext(db, new Date('2025-03-10T09:00:00Z'));
    const by = (who: string) => ({ actor: who, now: ctx.clock.now() });

    const create = (
      uai: string,
      name: string,
      managers: string[],
      more: { lifetime?: 'unlimited' | 'school-year'; source?: 'api' | 'timetable' } = {},
    ) =>
      createManagedGroup(
        db,
        {
          uai,
          name,
          lifetime: more.lifetime ?? 'school-year',
          source: more.source,
          managers: managers.map((m) => ids[m]!),
          members: uai === A.uai ? [ids.P1!, ids.P2!] : [ids.P3!],
        },
        by('key:test'),
      );
    const choir = await create(A.uai, 'Chorale', ['T1']);
    const chess = await create(A.uai, 'Club échecs', ['T1', 'T2']);
    const workshop = await create(A.uai, 'Atelier théâtre', ['T2']);
    const latin = await create(A.uai, 'Latin', ['T1'], { lifetime: 'unlimited' });
    const timetable = await create(A.uai, '3A-G1', ['T1'], { source: 'timetable' });
    const orphan = await create(A.uai, 'Sans responsable', []);
    const robots = await create(B.uai, 'Robotique', ['T3']);
    const removed = await create(A.uai, 'Supprimé à la main', ['T1']);
    t.equal(choir.schoolYear, '2024-2025', 'the school year of the creation date');
    t.equal(choir.expiresWithSchoolYear, '2024-2025');
    t.equal(latin.expiresWithSchoolYear, null, 'an unlimited group never expires');
    await extendManagedGroup(db, ALL, workshop.id, {}, by('key:t2'));
    t.equal(
      (await getManagedGroup(db, ALL, workshop.id)).expiresWithSchoolYear,
      '2025-2026',
      'extended by one year',
    );
    await deleteManagedGroup(db, ALL, removed.id, by('key:t1'));
    // A manager who left since: the group counts as without manager (the admins are told).
    await db
      .insertInto('managed_group_manager')
      .values({ group_id: orphan.id, person_id: ids.GONE! })
      .execute();

    t.test('first warning: one notice per manager, what goes and how to extend', async (t) => {
      ctx.clock.set(warning1!.at);
      const out = await groupEffects['groups.warning'](ctx, warning1!);
      t.match(out.counts, { notices: 4, groups: 4 });
      const keys = [...ctx.notices.keys()].sort();
      t.same(keys, [
        `${warning1!.id}/manager:${ids.T1}`,
        `${warning1!.id}/manager:${ids.T2}`,
        `${warning1!.id}/manager:${ids.T3}`,
        `${warning1!.id}/uai:${A.uai}`,
      ]);
      const t1 = ctx.notices.get(`${warning1!.id}/manager:${ids.T1}`)!;
      t.match(t1, { kind: 'groups.warning', uais: [A.uai], managers: [ids.T1] });
      t.match(t1.body, /Chorale/);
      t.match(t1.body, /Club échecs/);
      t.notMatch(
        t1.body,
        /Latin|3A-G1|Supprimé/,
        'unlimited, timetable and deleted groups not listed',
      );
      t.match(t1.body, /POST \/v1\/managed-groups\/\{id\}\/extend/);
      t.match(t1.data, { deleteOn: '2025-07-15T18:00:00.000Z', endingSchoolYear: '2024-2025' });
      const t2 = ctx.notices.get(`${warning1!.id}/manager:${ids.T2}`)!;
      t.match(t2.body, /Club échecs/);
      t.notMatch(t2.body, /Atelier/, 'the extended group is not listed');
      const orphanNotice = ctx.notices.get(`${warning1!.id}/uai:${A.uai}`)!;
      t.notOk(orphanNotice.managers, 'a group without manager: the establishment admins');
      t.match(orphanNotice.body, /Sans responsable/);
      t.match(ctx.notices.get(`${warning1!.id}/manager:${ids.T3}`), { uais: [B.uai] });

      const calls = ctx.calls.length;
      await groupEffects['groups.warning'](ctx, warning1!);
      t.equal(ctx.notices.size, 4, 'twice: the same dedupe keys, no new notice');
      t.same(
        ctx.calls
          .slice(calls)
          .map((n) => n.dedupeKey)
          .sort(),
        keys,
        'the second run repeats exactly the same notices',
      );
    });

    t.test('second warning: a group extended in between is no longer listed', async (t) => {
      await extendManagedGroup(db, ALL, chess.id, { until: '2025-2026' }, by('key:t2'));
      ctx.clock.set(warning2!.at);
      await groupEffects['groups.warning'](ctx, warning2!);
      const t2 = ctx.notices.get(`${warning2!.id}/manager:${ids.T2}`);
      t.notOk(t2, 'T2 has nothing left to lose');
      const t1 = ctx.notices.get(`${warning2!.id}/manager:${ids.T1}`)!;
      t.match(t1.body, /Chorale/);
      t.notMatch(t1.body, /Club échecs/);
    });

    t.test(
      'deletion: year-limited and timetable groups go, with events; twice = nothing',
      async (t) => {
        ctx.clock.set(deletion!.at);
        const events = async () =>
          (
            await db
              .selectFrom('change_event')
              .select(['entity_key', 'op', 'actor', 'uais', 'changes'])
              .where('entity_type', '=', 'managed_group')
              .where('actor', '=', 'calendar')
              .orderBy('seq')
              .execute()
          ).map((e) => ({ ...e, entity_key: Number(e.entity_key) }));
        const out = await groupEffects['groups.delete'](ctx, deletion!);
        t.same(out.counts, { deleted: 3, timetable: 1 });
        const live = await db
          .selectFrom('managed_group')
          .select(['id', 'deleted_at', 'deleted_by', 'deleted_by_transition'])
          .orderBy('id')
          .execute();
        const deleted = live.filter((g) => g.deleted_by === 'calendar').map((g) => Number(g.id));
        t.same(deleted, [choir.id, timetable.id, orphan.id, robots.id]);
        t.ok(
          live
            .filter((g) => g.deleted_by === 'calendar')
            .every(
              (g) =>
                g.deleted_by_transition === deletion!.id &&
                new Date(g.deleted_at!).getTime() === deletion!.at.getTime(),
            ),
          'stamped with the transition and the clock',
        );
        for (const kept of [chess, workshop, latin]) {
          t.equal((await getManagedGroup(db, ALL, kept.id)).deletedAt, null, `${kept.name} kept`);
        }
        const first = await events();
        t.same(
          first.map((e) => [e.entity_key, e.op]),
          deleted.map((id) => [id, 'deleted']),
        );
        t.match(first[3], { uais: [B.uai], changes: { reason: 'school-year-ended' } });

        const again = await groupEffects['groups.delete'](ctx, deletion!);
        t.same(again.counts, { deleted: 0, timetable: 0 });
        t.same(await events(), first, 'twice: no new event');
      },
    );

    t.test('summary: what was deleted, per manager; timetable groups never listed', async (t) => {
      ctx.clock.set(summary!.at);
      const before = ctx.notices.size;
      const out = await groupEffects['groups.summary'](ctx, summary!);
      t.match(out.counts, { notices: 3, groups: 3 });
      const mine = [...ctx.notices.values()].filter((n) => n.kind === 'groups.summary');
      t.same(
        mine.map((n) => n.dedupeKey).sort(),
        [
          `${summary!.id}/manager:${ids.T1}`,
          `${summary!.id}/manager:${ids.T3}`,
          `${summary!.id}/uai:${A.uai}`,
        ],
        'T2 lost nothing',
      );
      const t1 = ctx.notices.get(`${summary!.id}/manager:${ids.T1}`)!;
      t.match(t1.body, /Chorale/);
      t.notMatch(t1.body, /3A-G1|Supprimé|Club échecs|Latin/);
      t.equal(ctx.notices.size, before + 3);
      await groupEffects['groups.summary'](ctx, summary!);
      t.equal(ctx.notices.size, before + 3, 'twice: no new notice');
    });

    t.test('the next year: the extended groups go then', async (t) => {
      const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from managed_group
      where deleted_at is null and coalesce(extended_until, school_year) = '2025-2026'`.execute(db);
      t.equal(rows[0]!.n, 2, 'chess and workshop now end with 2025-2026');
    });
  },
);
