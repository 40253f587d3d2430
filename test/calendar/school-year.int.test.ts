import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { campaignItems, campaignReport, findCampaignByName } from '@aaf-sync/account-lifecycle';
import { CalendarErrors, TRANSITION_TYPES } from '@aaf-sync/calendar';
import { loadBlockingOverrides } from '@aaf-sync/calendar-store';
import { createManagedGroup, extendManagedGroup, yearTransitionReport } from '@aaf-sync/groups';
import { listTransitionRows } from '@aaf-sync/scheduler';
import t from 'tap';
import { A, B, initialisationComplete, juneComplete, sampleDelta } from './school-year-files.js';
import { HOOK, paris, SCRIBE, schoolYearWorld, summary } from './school-year-world.js';

const ids = (r: { ran: readonly { id: string }[] }) =>
  r.ran.map((x) => x.id.replace(/^2025-2026\//, ''));

t.test(
  'a school year under a fake clock, June → November: calendar, directory, Scribe on slapd, webhooks',
  async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'aaf-school-year-'));
    t.teardown(() => rmSync(work, { recursive: true, force: true }));
    const w = await schoolYearWorld(t, work, paris('2025-06-28T10:00'));
    const inbox = (name: string) => join(work, 'inbox', name);

    // ── June: the last complete of year N is applied and reaches slapd and the receiver. ──
    const june = await w.receive(juneComplete(inbox('ENT_TEST_Complet_20250628'), '20250628'));
    t.equal(june.status, 'applied', 'June: files are applied');
    t.match(await w.scribeSync(), { failed: 0 });
    const login: Record<string, string> = {
      lea: await w.login('9300101'),
      hugo: await w.login('9300102'),
      mother: await w.login('9310201'),
      teacher: await w.login('9320301'),
      assistant: await w.login('9320303'),
      leaB: await w.login('9400101'),
      hugoB: await w.login('9400102'),
    };
    const uid = (who: string): string => {
      const v = login[who];
      if (v === undefined) throw new Error(`no login for ${who}`);
      return v;
    };
    let users = await w.ldapUsers();
    t.equal(users.size, 14, '2 × (2 pupils, 2 legal relatives, 3 staff): the contact has none');
    t.ok([...users.values()].every((u) => !u.disabled));
    const juneEvents = summary(await w.webhookSync());
    t.ok(juneEvents.includes('account.created 9300101'), 'the receiver got the accounts');
    const holders = ['9300101', '9300102', '9310201', '9310202', '9320301', '9320302', '9320303'];
    for (const j of [...holders, ...holders.map((h) => `94${h.slice(2)}`)])
      t.equal(
        juneEvents.filter((e) => e === `account.created ${j}`).length,
        1,
        `account.created ${j}, once`,
      );
    t.notOk(
      juneEvents.some((e) => e.endsWith('9310203') || e.endsWith('9410203')),
      'a contact-only relative holds no account: no account event',
    );
    t.same(await w.feed(A.uai), {
      directory: 'open',
      ent: 'open',
      scribe: 'open',
      koxo: 'open',
      ad: 'open',
      webhook: 'open',
      noop: 'open',
      [`target:${SCRIBE}`]: 'open',
      [`target:${HOOK}`]: 'open',
    });

    // Groups of year N created through the API by the teacher of A.
    const teacher = await w.personId('9320301');
    const pupils = [await w.personId('9300101'), await w.personId('9300102')];
    const by = { actor: 'key:teacher', now: w.clock.now() };
    const group = (name: string, o: { source?: 'timetable' } = {}) =>
      createManagedGroup(
        w.db,
        {
          uai: A.uai,
          name,
          lifetime: 'school-year',
          managers: [teacher],
          members: pupils,
          ...o,
        },
        by,
      );
    const choir = await group('Chorale');
    const theatre = await group('Atelier théâtre');
    await group('5A-G1', { source: 'timetable' });
    t.equal(choir.schoolYear, '2024-2025');

    // ── 30 June: first warning to the manager. ──
    const warning1 = await w.at('2025-06-30T08:00');
    t.same(warning1.failed, []);
    t.ok(ids(warning1).includes('groups.warning/1'));
    // The teacher keeps the theatre workshop one more year.
    await extendManagedGroup(
      w.db,
      { uais: [A.uai] },
      theatre.id,
      {},
      {
        actor: 'key:teacher',
        now: w.clock.now(),
      },
    );

    // ── 1 July: a delta (Yanis and Karim arrive, Hugo changes class, Léa leaves). ──
    w.clock.set(paris('2025-07-01T21:00'));
    const delta = await w.receive(sampleDelta(inbox('ENT_TEST_Delta_20250701'), '20250701'));
    t.equal(delta.status, 'applied');
    await w.scribeSync();
    login.yanis = await w.login('9300103');
    login.karim = await w.login('9310204');
    users = await w.ldapUsers();
    t.equal(users.get(uid('lea'))?.disabled, true, 'a departure disables, never deletes');
    t.equal(users.get(uid('yanis'))?.disabled, false, 'the newcomer is on slapd');
    t.ok(users.get(uid('karim')));
    const july = summary(await w.webhookSync());
    for (const e of [
      'notice.groups.warning 0990001N',
      'account.departed 9300101',
      'account.updated 9300102',
      'account.created 9300103',
      'account.created 9310204',
    ])
      t.ok(july.includes(e), `the receiver got ${e}`);

    // ── 4 July: the summer. Directory and every target suspended. ──
    const suspend = await w.at('2025-07-04T03:00');
    t.same(suspend.failed, []);
    for (const id of [
      'feed.suspend/directory',
      'feed.suspend/kind:scribe',
      'feed.suspend/kind:webhook',
    ])
      t.ok(ids(suspend).includes(id), `${id} ran`);
    t.equal(await w.targetState(SCRIBE), 'suspended');
    t.equal(await w.targetState(HOOK), 'suspended');
    t.match(await w.feed(A.uai), { directory: 'off', scribe: 'off', webhook: 'off' });

    // ── 7 July: second warning (the extended group is no longer listed). ──
    await w.at('2025-07-07T08:00');
    const warnings = await w.notices('groups.warning');
    t.same(
      warnings.map((n) => [
        n.managers,
        (n.data.groups as { name: string }[]).map((g) => g.name).sort(),
      ]),
      [
        [[teacher], ['Atelier théâtre', 'Chorale']],
        [[teacher], ['Chorale']],
      ],
      'one warning per manager and date, listing what will be deleted',
    );

    // ── 10 July: a delta arrives during the summer: planned and reported, not applied. ──
    w.clock.set(paris('2025-07-10T21:00'));
    const summerDelta = await w.receive(
      sampleDelta(inbox('ENT_TEST_Delta_20250710'), '20250710', [['BENALI', 'BENALI-ROUX']]),
    );
    t.equal(summerDelta.status, 'suspended', 'received during the summer: suspended');
    t.same(await w.scribeSync(), { applied: 0, failed: 0 }, 'nothing reaches the suspended target');

    // ── 15–16 July: year-limited groups deleted, then the summary. ──
    const deletion = await w.at('2025-07-15T20:00');
    t.ok(deletion.ran.some((r) => r.type === 'groups.delete'));
    const live = await w.db
      .selectFrom('managed_group')
      .select(['name', 'deleted_by'])
      .orderBy('name')
      .execute();
    t.same(
      live.map((g) => [g.name, g.deleted_by]),
      [
        ['5A-G1', 'calendar'],
        ['Atelier théâtre', null],
        ['Chorale', 'calendar'],
      ],
      'the extended group survives; the timetable group goes too',
    );
    await w.at('2025-07-16T08:00');
    const summaries = await w.notices('groups.summary');
    t.match(summaries, [{ managers: [teacher], uais: [A.uai] }]);
    t.same(
      (summaries[0]!.data.groups as { name: string }[]).map((g) => g.name),
      ['Chorale'],
      'the summary lists what was deleted (never timetable groups)',
    );
    t.same(await w.webhookSync(), [], 'the webhook target is suspended: nothing posted');

    // ── 16 August: the initialisation complete arrives while the directory is off. ──
    w.clock.set(paris('2025-08-16T10:00'));
    const init = await w.receive(
      initialisationComplete(inbox('ENT_TEST_Complet_20250816'), '20250816'),
    );
    t.equal(init.status, 'suspended', 'kept, planned, reported, not applied');
    t.equal(
      (await w.db.selectFrom('person').select('id').where('jointure', '=', '9300104').execute())
        .length,
      0,
    );

    // ── 20 August: directory resumption (the complete queued again), rentrée blocking. ──
    const rentree = await w.at('2025-08-20T08:00');
    t.same(rentree.failed, []);
    for (const id of [
      'feed.initialisation-expected/directory',
      'blocking.start/rentree',
      'feed.resume/directory',
      'feed.resume/kind:ent',
      'feed.initialisation-overdue/directory',
    ])
      t.ok(ids(rentree).includes(id), `${id} ran`);
    t.same(await w.notices('feed.initialisation-overdue'), [], 'the complete arrived in time');
    t.match(await w.feed(A.uai), { directory: 'waiting-initialisation', scribe: 'off' });
    t.equal(await w.sweepQueued(), 1, 'the initialisation complete is imported by the ingester');
    const applied = await w.db
      .selectFrom('import_run')
      .select(['status', 'file_date', 'source'])
      .where('kind', '=', 'complete')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    t.match(applied, { status: 'applied', file_date: '2025-08-16', source: 'calendar' });
    const summerRun = await w.db
      .selectFrom('import_run')
      .select('status')
      .where('id', '=', summerDelta.importId)
      .executeTakeFirstOrThrow();
    t.equal(summerRun.status, 'suspended', 'the summer delta is superseded by the complete');
    t.same(
      await w.db.selectFrom('person').select('id').where('sn', '=', 'BENALI-ROUX').execute(),
      [],
    );
    // The next job runs the year transition.
    await w.at('2025-08-20T08:01');
    t.match(await w.feed(A.uai), { directory: 'open', scribe: 'off', webhook: 'off' });
    t.match(await w.feed(B.uai), { directory: 'open' });
    login.noe = await w.login('9300104');
    t.notOk((await w.ldapUsers()).has(uid('noe')), 'Noé is not on slapd before Scribe resumes');

    const reportA = (await yearTransitionReport(w.db, A.uai))!;
    t.same(
      reportA.closed.map((c) => `${c.kind} ${c.code}`),
      ['class 5A', 'class 5B', 'group 5LAT'],
      'A: the classes no pupil re-created are closed',
    );
    t.same(reportA.leftovers, [], 'A: every pupil moved on');
    t.same(
      reportA.teacherOnly.map((c) => `${c.kind} ${c.code}`),
      ['class 5A', 'class 5B'],
      "A: the teacher's stale links are reported, and kept nothing alive",
    );
    const reportB = (await yearTransitionReport(w.db, B.uai))!;
    t.same(
      reportB.leftovers.map((l) => [l.code, l.pupils, l.stayed]),
      [['5A', 1, 1]],
      'B: 5A is a suspected leftover (its pupil still sits in it)',
    );
    t.match(await w.notices('year-transition.report'), [{ uais: [A.uai] }, { uais: [B.uai] }]);

    // ── 21 August: the webhook target resumes where its cursor stopped. ──
    const hookResume = await w.at('2025-08-21T08:00');
    t.ok(ids(hookResume).includes('feed.resume/kind:webhook'));
    t.equal(await w.targetState(HOOK), 'active');
    t.equal(await w.targetState(SCRIBE), 'suspended', 'Scribe resumes on its own date');
    const summer = summary(await w.webhookSync());
    for (const e of [
      'notice.groups.warning 0990001N',
      'notice.groups.summary 0990001N',
      'account.disabled 9300102',
      'account.disabled 9310201',
      'account.disabled 9400101',
      'account.created 9300104',
      'account.departed 9300103',
      'account.departed 9320303',
      'notice.year-transition.report 0990001N',
      'notice.year-transition.report 0990002X',
    ])
      t.ok(summer.includes(e), `the receiver got ${e}`);
    t.notOk(summer.includes('account.disabled 9320301'), 'staff are not blocked');

    // ── 29 August: Scribe resumes with a full reconcile; campaigns previewed. ──
    const scribeResume = await w.at('2025-08-29T08:00');
    t.same(scribeResume.failed, []);
    t.ok(ids(scribeResume).includes('feed.resume/kind:scribe'));
    t.ok(ids(scribeResume).includes('campaign.preview/scribe-departed-pupils'));
    t.ok(ids(scribeResume).includes('campaign.preview/scribe-empty-groups'));
    t.equal(await w.targetState(SCRIBE), 'active');
    t.match(await w.scribeSync(), { failed: 0 });
    users = await w.ldapUsers();
    t.equal(
      users.get(uid('noe'))?.disabled,
      true,
      'Noé appears after the Scribe resumption, blocked',
    );
    for (const who of ['hugo', 'mother', 'leaB', 'hugoB'] as const)
      t.equal(users.get(uid(who))?.disabled, true, `${who}: disabled during the blocking window`);
    t.equal(users.get(uid('teacher'))?.disabled, false, 'the teacher is not blocked');
    t.match(await w.feed(A.uai), { directory: 'open', scribe: 'open', webhook: 'open' });

    const pupilsCampaign = (await findCampaignByName(w.db, '2025-2026', 'scribe-departed-pupils'))!;
    t.same(
      (await campaignItems(w.db, pupilsCampaign.id, null)).map((i) => [i.label, i.uai, i.status]),
      [
        ['BENALI KARIM (relative, 9310204)', A.uai, 'planned'],
        ['BENALI YANIS (pupil, 9300103)', A.uai, 'planned'],
        ['MARCHAND LÉA (pupil, 9300101)', A.uai, 'planned'],
      ],
      'preview: the departed pupils and the relative left without a child, still held on slapd',
    );

    // ── 1 September: A's principal lifts the blocking early; B asks too much (the API). ──
    const principalA = await w.key(['admin', 'accounts:read'], [A.uai]);
    const principalB = await w.key(['admin', 'accounts:read'], [B.uai]);
    w.clock.set(paris('2025-09-01T08:00'));
    const status = await w.request(principalA, 'GET', '/v1/accounts/jointure:9300102');
    t.match(status.body.access, {
      blocked: true,
      until: paris('2025-09-02T07:00').toISOString(),
      why: /indisponible/,
    });
    const tooLate = await w.request(principalB, 'PUT', `/v1/establishments/${B.uai}/blocking`, {
      end: '2025-09-10T08:00',
    });
    t.equal(tooLate.status, 422);
    t.equal(
      tooLate.body.code,
      CalendarErrors.BLOCKING_END_TOO_LATE.code,
      'an extension past the limits is refused with its code',
    );
    t.notOk((await loadBlockingOverrides(w.db)).has(B.uai), 'nothing stored');
    const notHers = await w.request(principalB, 'PUT', `/v1/establishments/${A.uai}/blocking`, {
      end: '2025-09-01T08:00',
    });
    t.equal(notHers.status, 403, "a principal cannot touch another establishment's blocking");
    const lifted = await w.request(principalA, 'PUT', `/v1/establishments/${A.uai}/blocking`, {
      end: '2025-09-01T08:00',
    });
    t.equal(lifted.status, 200, 'the early end is within the limits: applied at once');
    t.match((await w.request(principalA, 'GET', '/v1/accounts/jointure:9300102')).body.access, {
      blocked: false,
    });
    await w.scribeSync();
    users = await w.ldapUsers();
    for (const who of ['hugo', 'noe', 'mother'] as const)
      t.equal(users.get(uid(who))?.disabled, false, `${who}: re-enabled at the early unblock`);
    t.equal(users.get(uid('leaB'))?.disabled, true, 'B is still blocked');
    const reopened = summary(await w.webhookSync());
    t.ok(reopened.includes('account.restored 9300102'));
    t.notOk(reopened.some((e) => e.endsWith('9400101')));

    // ── 2 September: the académie-wide end (B), then the departed-pupils campaign runs. ──
    const end = await w.at('2025-09-02T08:00');
    t.ok(ids(end).includes('blocking.end/rentree'));
    await w.scribeSync();
    users = await w.ldapUsers();
    t.equal(users.get(uid('leaB'))?.disabled, false, 'B re-enabled at the end');
    t.ok(summary(await w.webhookSync()).includes('account.restored 9400101'));

    const run = await w.at('2025-09-02T21:00');
    t.ok(ids(run).includes('campaign.run/scribe-departed-pupils'));
    t.match(await w.scribeSync(), { failed: 0 });
    users = await w.ldapUsers();
    for (const who of ['lea', 'yanis', 'karim'] as const)
      t.notOk(users.has(uid(who)), `${who}: deleted by the campaign`);
    t.ok(users.has(uid('hugo')));
    t.equal(await w.login('9300101'), uid('lea'), 'identifiers stay reserved');
    t.match(await campaignReport(w.db, pupilsCampaign.id, null), {
      state: 'done',
      counts: { deleted: 3, pendingOnTarget: 0 },
    });
    const groupsCampaign = (await findCampaignByName(w.db, '2025-2026', 'scribe-empty-groups'))!;
    t.same(
      (await campaignItems(w.db, groupsCampaign.id, null)).map((i) => [i.label, i.uai, i.status]),
      [
        ['class 5A', A.uai, 'deleted'],
        ['class 5B', A.uai, 'deleted'],
        ['group 5LAT', A.uai, 'deleted'],
        ['class 5B', B.uai, 'deleted'],
      ],
      'the classes and groups the year transition closed are deleted',
    );
    t.match(await campaignReport(w.db, groupsCampaign.id, null), {
      counts: { deleted: 4, removedOnTarget: 4, pendingOnTarget: 0 },
    });
    const groupsA = await w.ldapGroups(A.uai);
    for (const cn of ['5a', '5b', '5lat', 'profs-5a', 'profs-5b', 'profs-5lat'])
      t.notOk(groupsA.includes(cn), `${A.uai}: ${cn} deleted on slapd`);
    t.notOk((await w.ldapGroups(B.uai)).includes('5b'), `${B.uai}: 5b deleted on slapd`);

    // ── October–November: departed staff, with the establishment's approval. ──
    await w.at('2025-10-01T08:00');
    const staff = (await findCampaignByName(w.db, '2025-2026', 'scribe-departed-staff'))!;
    t.match(await campaignItems(w.db, staff.id, null), [{ uai: A.uai, status: 'planned' }]);
    const staffPreview = (await w.notices('campaign.preview')).filter(
      (n) => n.data.campaign === 'scribe-departed-staff',
    );
    t.match(staffPreview, [{ uais: [A.uai], body: /Nothing is deleted without your approval/ }]);
    const staffRun = await w.at('2025-11-03T21:00');
    t.ok(ids(staffRun).includes('campaign.run/scribe-departed-staff'));
    await w.scribeSync();
    t.ok((await w.ldapUsers()).has(uid('assistant')), 'not deleted without the approval');
    t.match(await campaignReport(w.db, staff.id, null), {
      state: 'running',
      counts: { planned: 1 },
    });
    w.clock.set(paris('2025-11-04T09:00'));
    const refused = await w.request(principalB, 'POST', `/v1/campaigns/${staff.id}/approve`, {
      uai: A.uai,
    });
    t.equal(refused.status, 403, "B's principal cannot approve A's list");
    const approval = await w.request(principalA, 'POST', `/v1/campaigns/${staff.id}/approve`, {
      uai: A.uai,
    });
    t.match(approval, { status: 200, body: { created: true, items: 1, run: { deleted: 1 } } });
    await w.scribeSync();
    t.notOk((await w.ldapUsers()).has(uid('assistant')), 'deleted after the approval');
    t.match(await campaignReport(w.db, staff.id, null), { state: 'done' });

    const last = summary(await w.webhookSync());
    t.ok(last.includes('notice.campaign.preview 0990001N'));
    t.ok(last.includes('notice.campaign.report 0990001N'));

    // Missing files were alerted académie-wide (not to an establishment's subscription).
    const missing = await w.notices('delivery.missing');
    t.ok(missing.length > 0);
    t.ok(missing.every((n) => n.uais.length === 0));
    t.notOk(last.some((e) => e.startsWith('notice.delivery.missing')));

    // ── The log: every transition once, done; running again changes nothing. ──
    const rows = await listTransitionRows(w.db, 1000);
    t.same(
      [...new Set(rows.map((r) => r.type))].sort(),
      [...TRANSITION_TYPES].sort(),
      'every type of transition ran during the year',
    );
    t.ok(rows.length > 0);
    t.ok(
      rows.every((r) => r.attempts === 1 && r.done_at !== null),
      'each transition ran once',
    );
    await w.at('2025-11-04T09:00'); // the delta of 3 November is missing: alerted
    const again = await w.at('2025-11-04T09:00');
    t.same(again.ran, []);
    t.same(again.unhandled, []);
  },
);
