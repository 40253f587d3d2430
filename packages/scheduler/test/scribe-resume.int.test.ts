import { fakeClock } from '@aaf-sync/calendar';
import t from 'tap';
// The Scribe test world of packages/scribe (real slapd subtree, real database, a scribe target).
import { scribeWorld, UAI_A } from '../../scribe/test/fixtures.js';
import { coreEffects, runDue } from '../src/index.js';
import { paris, silentLog, storeCalendar } from './helpers.js';

t.test(
  'a Scribe target on the real slapd: suspended for the summer, resumed with a full reconcile',
  async (t) => {
    const w = await scribeWorld(t);
    await storeCalendar(w.db, (doc) => {
      doc.feed.targets.byKind.scribe.resumeOn = '2025-08-29T06:00';
    });
    const clock = fakeClock(paris('2025-07-04T03:00'));
    const deps = {
      db: w.db,
      clock,
      log: silentLog,
      effects: coreEffects({ archiveDir: '/nonexistent', uploadDir: '/nonexistent' }),
    };
    await runDue(deps);
    const state = async () =>
      (
        await w.db
          .selectFrom('target')
          .select('state')
          .where('name', '=', 'scribe-test')
          .executeTakeFirstOrThrow()
      ).state;
    t.equal(await state(), 'suspended');

    // A pupil appears in the directory during the summer: nothing reaches the server.
    await w.person({
      jointure: 'E9',
      login: 'ines.roux',
      category: 'pupil',
      givenName: 'Inès',
      sn: 'Roux',
      structures: ['S-A'],
    });
    t.equal((await w.rows()).size, 0, 'no provisioning row while suspended');
    t.equal(await w.read(w.userDn(UAI_A, 'eleves', 'ines.roux')), null);

    clock.set(paris('2025-08-29T06:30'));
    const resumed = await runDue(deps);
    t.ok(resumed.ran.some((r) => r.id === '2025-2026/feed.resume/kind:scribe'));
    t.equal(await state(), 'active');
    t.match(
      [...(await w.rows()).values()],
      [{ status: 'pending' }],
      'the full reconcile set the account pending',
    );
    const synced = await w.sync();
    t.equal(synced.applied, 1);
    t.match(
      await w.read(w.userDn(UAI_A, 'eleves', 'ines.roux')),
      { sn: ['Roux'] },
      'the entry is on slapd',
    );
  },
);
