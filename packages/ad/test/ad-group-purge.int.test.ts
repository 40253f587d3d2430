import { sql } from '@aaf-sync/db';
import { seedClassGroup, seedMembership, seedTeachingLink } from '@aaf-sync/testing';
import t from 'tap';
import { adWorld, provisionAll, replayAll, UAI_A } from './fixtures.js';

t.test(
  'empty groups: the class and its team are deleted once no member is left, kept before',
  async (t) => {
    const w = await adWorld(t);
    await w.person({
      jointure: 'E1',
      login: 'lmartin',
      category: 'pupil',
      givenName: 'Léa',
      sn: 'Martin',
      structures: ['S-A'],
    });
    await w.person({
      jointure: 'T1',
      login: 'pprof',
      category: 'staff',
      profile: 'teacher',
      givenName: 'Paul',
      sn: 'Prof',
      structures: ['S-A'],
    });
    const sixA = await seedClassGroup(w.db, { structure: 'S-A', kind: 'class', code: '6A' });
    await seedMembership(w.db, sixA, 'E1');
    await seedTeachingLink(w.db, { person: 'T1', structure: 'S-A', kind: 'class', code: '6A' });
    await provisionAll(w);
    t.match(await w.sync(), { applied: 2, failed: 0 });
    const group = w.groupDn(UAI_A, '6a');
    const team = w.groupDn(UAI_A, 'profs-6a');
    t.ok(await w.read(group), 'the class group exists');
    t.ok(await w.read(team), 'with its team');
    const item = { id: 'c/6A', uai: UAI_A, kind: 'class' as const, code: '6A' };
    const never = { id: 'c/9Z', uai: UAI_A, kind: 'class' as const, code: '9Z' };

    // The pupil is still there on the target: the group is kept and the reason given.
    t.same(await w.driver.purgeGroups!([item]), [
      { id: 'c/6A', outcome: 'kept', reason: '1 member(s) on the target again' },
    ]);
    t.ok(await w.read(group), 'kept');

    // The pupil leaves (disabled, out of the groups): the class and its team go.
    await sql`update person set state = 'departed' where jointure = 'E1'`.execute(w.db);
    await sql`delete from membership where person_jointure = 'E1'`.execute(w.db);
    await replayAll(w);
    t.match(await w.sync(), { failed: 0 });
    t.notOk((await w.read(group))?.member, 'no member left');
    const results = await w.driver.purgeGroups!([item, never]);
    t.same(
      results.map((r) => [
        r.id,
        r.outcome,
        'removed' in r ? r.removed.map((d) => d.toLowerCase()) : [],
      ]),
      [
        ['c/6A', 'deleted', [team.toLowerCase(), group.toLowerCase()]],
        ['c/9Z', 'deleted', []],
      ],
    );
    t.equal(await w.read(group), null, 'the group object is deleted');
    t.equal(await w.read(team), null, 'and the team');
    t.equal(w.stats.groupDeletes, 2);

    // Twice: nothing more.
    t.same(await w.driver.purgeGroups!([item]), [{ id: 'c/6A', outcome: 'deleted', removed: [] }]);
    t.equal(w.stats.groupDeletes, 2);
  },
);
