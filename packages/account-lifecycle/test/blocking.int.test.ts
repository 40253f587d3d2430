import { CalendarErrors } from '@aaf-sync/calendar';
import { loadBlockingOverrides, setBlockingOverride } from '@aaf-sync/calendar-store';
import { seedIdentifier, seedMembership, seedPerson } from '@aaf-sync/testing';
import { loadAccounts } from '@aaf-sync/targets';
import { sql } from '@aaf-sync/db';
import t from 'tap';
import { blockingEffects, syncAccessBlocks } from '../src/index.js';
import {
  accessEvents,
  effectContext,
  headSeq,
  propagate,
  scribeWorld,
  seedSchool,
  storeExampleCalendar,
  transition,
  UAI_A,
  UAI_B,
} from './fixtures.js';

// The example calendar (Europe/Paris): pupils and relatives blocked from 2025-08-20T00:00 to
// 2025-09-02T07:00; a principal may end it from 2025-08-25T00:00 up to 2025-09-05T18:00.
const START = new Date('2025-08-19T22:00:00Z');
const END = new Date('2025-09-02T05:00:00Z');

t.test(
  'rentrée blocking: disabled on slapd at the start, early unblock, refused extension, re-enabled at the end',
  async (t) => {
    const w = await scribeWorld(t);
    const ids = await seedSchool(w);
    t.same(await w.sync(), { applied: 6, failed: 0, excluded: 0 });
    await storeExampleCalendar(w.db);
    const { ctx, clock } = effectContext(w.db, START);
    const lea = w.userDn(UAI_A, 'eleves', 'lea.martin');
    const zoe = w.userDn(UAI_B, 'eleves', 'zoe.martin');
    const anne = w.userDn(UAI_A, 'responsables', 'anne.martin');
    const prof = w.userDn(UAI_A, 'personnels', 'p.prof');

    // Start: pupils and relatives of both schools, not the staff.
    const start = await transition(w.db, 'blocking.start', 'rentree');
    let seq = await headSeq(w.db);
    const first = await blockingEffects['blocking.start'](ctx, start);
    t.match(first.counts, { blocked: 4, unblocked: 0, blockedProfiles: 4 });
    t.same((await accessEvents(w.db, seq)).sort(), [
      'E1:false>true:calendar',
      'E2:false>true:calendar',
      'E3:false>true:calendar',
      'R1:false>true:calendar',
    ]);
    const accounts = await loadAccounts(w.db, [ids.e1, ids.t1]);
    t.match(accounts.get(ids.e1)!.access, { blocked: true, until: END, why: /indisponible/ });
    t.same(accounts.get(ids.t1)!.access, { blocked: false, until: null, why: null });

    const synced = await propagate(w);
    t.equal(synced.failed, 0);
    t.match(await w.read(lea), { shadowexpire: ['1'] }, 'a blocked pupil is disabled');
    t.match(await w.read(anne), { shadowexpire: ['1'] }, 'a blocked relative is disabled');
    t.notOk((await w.read(prof))?.shadowexpire, 'staff are not blocked');
    t.ok(
      (await w.read(w.groupDn(UAI_A, '6a')))?.memberuid?.includes('lea.martin'),
      'a blocked pupil stays in its class (ready for the year)',
    );

    // Twice: nothing more.
    seq = await headSeq(w.db);
    t.match((await blockingEffects['blocking.start'](ctx, start)).counts, {
      blocked: 0,
      unblocked: 0,
    });
    t.same(await accessEvents(w.db, seq), [], 'a replay writes no event');

    // A pupil created during the window (the initialisation complete) is blocked from creation.
    const newId = await seedPerson(w.db, {
      jointure: 'E9',
      category: 'pupil',
      givenName: 'Noé',
      sn: 'Neuf',
      structures: ['S-A'],
    });
    await seedIdentifier(w.db, { personId: newId, namespace: 'scribe', value: 'noe.neuf' });
    const sixA = await sql<{ id: number }>`select id from class_group
      where structure_jointure = 'S-A' and code = '6A'`.execute(w.db);
    await seedMembership(w.db, Number(sixA.rows[0]!.id), 'E9');
    t.equal((await loadAccounts(w.db, [newId])).get(newId)!.access.blocked, true);

    // The principal of A lifts the blocking early (within the limits): at once for A only.
    clock.set(new Date('2025-08-26T08:00:00Z'));
    await setBlockingOverride(w.db, UAI_A, { end: new Date('2025-08-26T07:00:00Z') }, 'key:pa');
    seq = await headSeq(w.db);
    const lifted = await syncAccessBlocks(w.db, {
      at: clock.now(),
      uais: [UAI_A],
      actor: 'key:pa',
    });
    t.match(lifted, { establishments: 1, blockedProfiles: 0, unblocked: 4 });
    t.same((await accessEvents(w.db, seq)).sort(), [
      'E1:true>false:key:pa',
      'E2:true>false:key:pa',
      'E9:true>false:key:pa',
      // Anne's other school (B) is still blocked, but A reopened: she may log in.
      'R1:true>false:key:pa',
    ]);
    await propagate(w);
    t.notOk((await w.read(lea))?.shadowexpire, 'reopened in A');
    t.notOk((await w.read(anne))?.shadowexpire, 'a relative reopens with one of her schools');
    t.match(await w.read(zoe), { shadowexpire: ['1'] }, 'B is still blocked');

    // The principal of B asks for more than the limits allow: refused, nothing stored.
    await t.rejects(
      setBlockingOverride(w.db, UAI_B, { end: new Date('2025-09-10T08:00:00Z') }, 'key:pb'),
      { code: CalendarErrors.BLOCKING_END_TOO_LATE.code },
    );
    t.notOk((await loadBlockingOverrides(w.db)).has(UAI_B));

    // The académie end (A has its own transitions: excluded from this one).
    clock.set(END);
    const end = await transition(w.db, 'blocking.end', 'rentree');
    t.same(end.scope.exceptUais, [UAI_A]);
    seq = await headSeq(w.db);
    t.match((await blockingEffects['blocking.end'](ctx, end)).counts, {
      blocked: 0,
      unblocked: 1,
    });
    t.same(await accessEvents(w.db, seq), ['E3:true>false:calendar']);
    await propagate(w);
    t.notOk((await w.read(zoe))?.shadowexpire, 're-enabled at the end');
    t.same(
      (await sql<{ n: number }>`select count(*)::int as n from access_block`.execute(w.db)).rows[0]
        ?.n,
      0,
    );
    // A's own end, run late: nothing left to do.
    const endA = await transition(w.db, 'blocking.end', `rentree/${UAI_A}`);
    t.match((await blockingEffects['blocking.end'](ctx, endA)).counts, {
      blocked: 0,
      unblocked: 0,
    });
  },
);

t.test('a start missed until after the end blocks nobody', async (t) => {
  const w = await scribeWorld(t);
  await seedSchool(w);
  await storeExampleCalendar(w.db);
  const { ctx } = effectContext(w.db, new Date('2025-09-03T08:00:00Z'));
  const start = await transition(w.db, 'blocking.start', 'rentree');
  t.match((await blockingEffects['blocking.start'](ctx, start)).counts, { blocked: 0 });
  t.same(await accessEvents(w.db), []);
});

t.test('notices resume: one académie-wide notice, once', async (t) => {
  const w = await scribeWorld(t);
  await storeExampleCalendar(w.db);
  const { ctx, notices } = effectContext(w.db, new Date('2025-09-14T22:00:00Z'));
  const tr = await transition(w.db, 'blocking.notices-resume', 'deactivation');
  await blockingEffects['blocking.notices-resume'](ctx, tr);
  await blockingEffects['blocking.notices-resume'](ctx, tr);
  t.match(notices, [{ kind: 'blocking.notices-resume', uais: [], dedupeKey: tr.id }]);
  t.equal(notices.length, 1);
});
