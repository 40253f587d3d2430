import { randomBytes } from 'node:crypto';
import { sql } from '@aaf-sync/db';
import { findTarget, openSecrets, reconcileBatch } from '@aaf-sync/targets';
import { testAd, testDb } from '@aaf-sync/testing';
import t from 'tap';
import { koxoReadBackReport, runDueKoxoReadBacks, runKoxoReadBack } from '../src/index.js';
import { personsByJointure } from '../src/readback.repository.js';
import { UAI, box, exportDir, koxoTarget, seedPupil, seedSchool } from './fixtures.js';
import { koxoSite } from './koxo-site.js';

const names = (list: readonly { jointure: string }[]) => list.map((a) => a.jointure);

t.test(
  'read-back on Samba AD: different login, missing, deleted instead of disabled, disabled, unknown',
  async (t) => {
    const { db } = await testDb(t);
    const ad = await testAd(t);
    const site = koxoSite(ad);
    const dir = await exportDir(t);
    await seedSchool(db);
    // sAMAccountNames are unique in the whole domain: our logins carry this test's suffix.
    const sfx = randomBytes(3).toString('hex');
    await sql`update identifier set value = value || '-' || ${sfx} where namespace = 'koxo'`.execute(
      db,
    );
    const reader = await site.reader();
    const { target, driver } = await koxoTarget(
      db,
      dir,
      {},
      {
        readBack: {
          url: ad.url,
          baseDn: ad.baseDn,
          bindDn: reader.dn,
          missingAfterSyncs: 2,
          everyMinutes: 60,
          uaiAttribute: 'department',
          tls: { rejectUnauthorized: false },
        },
      },
      'koxo-a',
      { bindPassword: reader.password },
    );
    while ((await reconcileBatch(db, target, driver, { batchSize: 100 })).taken > 0);
    t.match(await driver.test(), { ok: true, detail: /read-back bind to ldaps:.* works/ });
    const loginOf = (j: string) => (j === 'T1' ? `jprof-${sfx}` : `e${j.toLowerCase()}-${sfx}`);

    // KoXo's first synchronisation: P1 and T1 as we named them, P2 under a login of its own,
    // P3 created disabled, P4 not created; two entries with ids we never sent.
    const p1 = await site.create({ login: loginOf('P1'), employeeNumber: 'P1' });
    await site.create({ login: loginOf('T1'), employeeNumber: 'T1' });
    await site.create({ login: `eleve2-${sfx}`, employeeNumber: 'P2' });
    await site.create({ login: loginOf('P3'), employeeNumber: 'P3', enabled: false });
    await site.create({ login: `x1-${sfx}`, employeeNumber: 'NOT-OURS-1', department: UAI });
    await site.create({ login: `x2-${sfx}`, employeeNumber: 'NOT-OURS-2' });

    let clock = new Date('2026-12-05T08:00:00Z');
    const ctx = { db, now: () => clock };
    const first = await runKoxoReadBack(ctx, target);
    t.match(first, {
      status: 'ok',
      error: null,
      counts: { entries: 6, matched: 4, unknown: 2, missing: 1, duplicates: 0 },
    });

    let report = await koxoReadBackReport(db, target, null);
    let school = report.establishments[0]!;
    t.equal(school.uai, UAI);
    t.match(school, { published: 5, listed: 5, found: 4 });
    t.same(names(school.differentLogin), ['P2'], 'P2 was named by KoXo');
    t.match(school.differentLogin[0], {
      login: `ep2-${sfx}`,
      samAccountName: `eleve2-${sfx}`,
      enabled: true,
      homeDirectory: `\\\\srv-koxo\\eleves$\\eleve2-${sfx}`,
    });
    t.same(names(school.disabled), ['P3']);
    t.same(names(school.missing), [], 'P4 missing once: below missingAfterSyncs (2)');
    t.same(names(school.deletedInsteadOfDisabled), []);
    t.same(
      school.unknownEntries.map((u) => u.employeeNumber),
      ['NOT-OURS-1'],
      'placed by its department (uaiAttribute)',
    );
    t.same(
      report.unattributedUnknownEntries?.map((u) => u.employeeNumber),
      ['NOT-OURS-2'],
    );
    const scoped = await koxoReadBackReport(db, target, [UAI]);
    t.equal(scoped.unattributedUnknownEntries, null, 'an establishment key sees only its own');

    // Second synchronisation: the site deletes P1 instead of disabling it; P4 still absent.
    await site.remove(p1);
    clock = new Date('2026-12-05T09:00:00Z');
    const second = await runKoxoReadBack(ctx, target);
    t.match(second, { status: 'ok', counts: { entries: 5, matched: 3, missing: 2 } });
    report = await koxoReadBackReport(db, target, [UAI]);
    school = report.establishments[0]!;
    t.same(names(school.deletedInsteadOfDisabled), ['P1'], 'seen before, gone now');
    t.match(school.deletedInsteadOfDisabled[0], {
      directoryState: 'active',
      samAccountName: `ep1-${sfx}`,
      missingRuns: 1,
      seenAt: '2026-12-05T08:00:00.000Z',
      missingSince: '2026-12-05T09:00:00.000Z',
    });
    t.same(names(school.missing), ['P4'], 'never seen after 2 runs');
    t.same(names(school.differentLogin), ['P2']);
    t.same(names(school.disabled), ['P3']);
    t.equal(school.found, 3);

    // The AD cannot be reached: the run fails with the reason, nothing else changes.
    const before = await db.selectFrom('koxo_readback').selectAll().orderBy('person_id').execute();
    const row = await findTarget(db, 'koxo-a');
    const down = {
      ...target,
      options: {
        ...row.options,
        readBack: { ...(row.options['readBack'] as object), url: 'ldaps://127.0.0.1:1' },
      },
    };
    clock = new Date('2026-12-05T10:00:00Z');
    const failed = await runKoxoReadBack(ctx, down);
    t.equal(failed.status, 'failed');
    t.match(failed.error, /LDAP_ERR_UNAVAILABLE/);
    t.same(
      await db.selectFrom('koxo_readback').selectAll().orderBy('person_id').execute(),
      before,
      'values and missing counts kept',
    );
    const wrongPassword = { ...target, secrets: { bindPassword: 'not-the-password' } };
    const refused = await runKoxoReadBack(ctx, wrongPassword);
    t.match(refused, { status: 'failed', error: /LDAP_ERR_BIND_REFUSED/ });
    report = await koxoReadBackReport(db, target, [UAI]);
    t.match(report.lastRun, { status: 'failed', error: /LDAP_ERR_BIND_REFUSED/ });
    t.match(report.lastSuccessfulRun, { id: second.runId, status: 'ok' });
    t.same(names(report.establishments[0]!.deletedInsteadOfDisabled), ['P1'], 'report kept');

    // Disabling (what a site with SyncDoNotDeleteUsers=1 does) is reported as such.
    const t1 = await db
      .selectFrom('koxo_readback')
      .select('dn')
      .where('sam_account_name', '=', loginOf('T1'))
      .executeTakeFirstOrThrow();
    await site.disable(t1.dn!);
    clock = new Date('2026-12-05T11:00:00Z');
    t.match(await runKoxoReadBack(ctx, target), { status: 'ok' });
    report = await koxoReadBackReport(db, target, [UAI]);
    t.same(names(report.establishments[0]!.disabled), ['P3', 'T1']);
  },
);

t.test('runDueKoxoReadBacks runs a target every `everyMinutes`, not more often', async (t) => {
  const { db } = await testDb(t);
  const ad = await testAd(t);
  const dir = await exportDir(t);
  await seedSchool(db);
  await koxoTarget(
    db,
    dir,
    {},
    {
      readBack: {
        url: ad.url,
        baseDn: ad.baseDn,
        bindDn: ad.bindDn,
        everyMinutes: 30,
        tls: { rejectUnauthorized: false },
      },
    },
    'koxo-due',
    { bindPassword: ad.bindPassword },
  );
  // A koxo target without a read-back is left alone.
  const filesOnly = await koxoTarget(db, dir, {}, {}, 'koxo-files-only');
  t.match(await filesOnly.driver.test(), { ok: true, detail: /no read-back configured/ });
  let clock = new Date('2026-12-05T08:00:00Z');
  const ctx = { db, box, now: () => clock };
  const first = await runDueKoxoReadBacks(ctx);
  t.match(first, [{ target: 'koxo-due', result: { status: 'ok' } }]);
  clock = new Date('2026-12-05T08:29:00Z');
  t.same(await runDueKoxoReadBacks(ctx), [], 'not due yet');
  clock = new Date('2026-12-05T08:30:00Z');
  t.match(await runDueKoxoReadBacks(ctx), [{ target: 'koxo-due', result: { status: 'ok' } }]);
  const runs = await db.selectFrom('koxo_readback_run').select('status').execute();
  t.equal(runs.length, 2);
  const row = await findTarget(db, 'koxo-due');
  t.ok(openSecrets(box, row)['bindPassword'], 'the bind password stays sealed in the target');
});

t.test(
  'an AAF id reused by a second académie matches the person this target was sent',
  async (t) => {
    const { db } = await testDb(t);
    const dir = await exportDir(t);
    await seedSchool(db);
    // P9 of scope '-' studies at S-B (not this target's); the second académie's P9 (directory key
    // P9@SUD) studies at S-A, which the target publishes. KoXo only knows the AAF id, P9.
    const other = await seedPupil(db, 'P9', { structure: 'S-B', login: 'ep9-other' });
    const sent = await seedPupil(db, 'P9@SUD', { login: 'ep9-sud', scope: 'SUD' });
    const { target, driver } = await koxoTarget(db, dir);
    while ((await reconcileBatch(db, target, driver, { batchSize: 100 })).taken > 0);

    const published = await personsByJointure(db, target.id, ['P9', 'P1']);
    t.equal(published.get('P9'), sent, 'the person the target published under that AAF id');
    t.ok(published.get('P1'), 'ids equal to their keys still match');
    const elsewhere = await personsByJointure(db, target.id + 1000, ['P9']);
    t.equal(elsewhere.get('P9'), other, 'a target that published neither: the directory key');
  },
);
