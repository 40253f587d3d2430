import { readFileSync } from 'node:fs';
import { fakeClock } from '@aaf-sync/calendar';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { runYearTransition } from '@aaf-sync/groups';
import t from 'tap';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

const exampleUrl = new URL(
  '../../../../../packages/calendar/examples/2025-2026.json',
  import.meta.url,
);

interface Problem {
  code: string;
  status: number;
}
interface Group {
  id: number;
  uai: string;
  name: string;
  lifetime: string;
  schoolYear: string;
  expiresWithSchoolYear: string | null;
  extendedUntil: string | null;
  deletedAt: string | null;
  managerIds: number[];
  memberCount: number;
  version: number;
  managers: { id: number; sn: string }[];
  members: { id: number }[];
}

t.test('groups created through the API: managers, members, lifetime, extension', async (t) => {
  const clock = fakeClock(new Date('2025-03-10T09:00:00Z'));
  const ctx = await build(t, { clock });
  const { ids } = await seedSchool(ctx.db);
  const adminA = await ctx.key(['admin'], [A.uai]);
  const adminB = await ctx.key(['admin'], [B.uai]);
  const readerA = await ctx.key(['directory:read'], [A.uai]);
  const readerB = await ctx.key(['directory:read'], [B.uai]);
  const call = (
    token: string,
    method: 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: Record<string, unknown>,
  ) =>
    ctx.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  const create = (token: string, payload: Record<string, unknown>) =>
    call(token, 'POST', '/v1/managed-groups', payload);

  const created = await create(adminA, {
    uai: A.uai,
    name: 'Chorale',
    lifetime: 'school-year',
    managers: [ids['A-T1']],
    members: [ids['A-P1'], ids['A-P2']],
  });
  t.equal(created.statusCode, 201, created.body);
  const choir = body<Group>(created);
  t.equal(created.headers.location, `/v1/managed-groups/${choir.id}`);
  t.match(choir, {
    uai: A.uai,
    name: 'Chorale',
    lifetime: 'school-year',
    schoolYear: '2024-2025',
    expiresWithSchoolYear: '2024-2025',
    managerIds: [ids['A-T1']],
    memberCount: 2,
    managers: [{ id: ids['A-T1'], sn: 'Petit' }],
  });

  t.test(
    'refusals: foreign establishment, foreign or departed persons, pupils as managers',
    async (t) => {
      const refused: [string, Record<string, unknown>, number, string][] = [
        [adminA, { uai: B.uai, name: 'x', lifetime: 'unlimited' }, 403, 'API_ERR_OUT_OF_SCOPE'],
        [
          adminA,
          { uai: A.uai, name: 'x', lifetime: 'unlimited', members: [ids['B-P1']] },
          422,
          'GROUPS_ERR_PERSON_NOT_IN_ESTABLISHMENT',
        ],
        [
          adminA,
          { uai: A.uai, name: 'x', lifetime: 'unlimited', members: [ids['A-P3']] },
          422,
          'GROUPS_ERR_PERSON_NOT_IN_ESTABLISHMENT',
        ],
        [
          adminA,
          { uai: A.uai, name: 'x', lifetime: 'unlimited', managers: [ids['A-P1']] },
          422,
          'GROUPS_ERR_MANAGER_NOT_STAFF',
        ],
        [
          adminA,
          { uai: A.uai, name: 'CHORALE', lifetime: 'unlimited' },
          409,
          'GROUPS_ERR_NAME_TAKEN',
        ],
        [adminA, { uai: A.uai, name: 'x', lifetime: 'forever' }, 400, 'API_ERR_VALIDATION'],
        [readerA, { uai: A.uai, name: 'x', lifetime: 'unlimited' }, 403, 'API_ERR_FORBIDDEN'],
      ];
      for (const [token, payload, status, code] of refused) {
        const res = await create(token, payload);
        t.equal(res.statusCode, status, res.body);
        t.match(body<Problem>(res), { code });
      }
      const count = await ctx.db.selectFrom('managed_group').select('id').execute();
      t.equal(count.length, 1, 'nothing stored');
    },
  );

  t.test('reading: own establishment only', async (t) => {
    const list = await ctx.get(readerA, '/v1/managed-groups');
    t.equal(list.statusCode, 200);
    t.same(
      body<{ items: Group[] }>(list).items.map((g) => g.name),
      ['Chorale'],
    );
    t.same(body<{ items: Group[] }>(await ctx.get(readerB, '/v1/managed-groups')).items, []);
    t.equal((await ctx.get(readerB, `/v1/managed-groups/${choir.id}`)).statusCode, 404);
    const detail = await ctx.get(readerA, `/v1/managed-groups/${choir.id}`);
    t.same(
      body<Group>(detail).members.map((m) => m.id),
      [ids['A-P1'], ids['A-P2']].sort((a, b) => a! - b!),
    );
  });

  t.test('changes: rename, members, extension; another establishment cannot', async (t) => {
    const url = `/v1/managed-groups/${choir.id}`;
    t.equal((await call(adminB, 'PATCH', url, { name: 'Pirate' })).statusCode, 404);
    t.equal((await call(adminB, 'POST', `${url}/extend`, {})).statusCode, 404);
    const renamed = await call(adminA, 'PATCH', url, { name: 'Chorale du collège' });
    t.match(body<Group>(renamed), { name: 'Chorale du collège', version: 2 });
    const members = await call(adminA, 'PUT', `${url}/members`, { persons: [ids['A-P1']] });
    t.match(body<Group>(members), { memberCount: 1, version: 3 });
    const extended = await call(adminA, 'POST', `${url}/extend`, {});
    t.equal(extended.statusCode, 200, extended.body);
    t.match(body<Group>(extended), {
      expiresWithSchoolYear: '2025-2026',
      extendedUntil: '2025-2026',
    });
    const tooFar = await call(adminA, 'POST', `${url}/extend`, { until: '2027-2028' });
    t.equal(tooFar.statusCode, 422);
    t.match(body<Problem>(tooFar), { code: 'GROUPS_ERR_BAD_EXTENSION' });
    const latin = body<Group>(
      await create(adminA, { uai: A.uai, name: 'Latin', lifetime: 'unlimited' }),
    );
    const unlimited = await call(adminA, 'POST', `/v1/managed-groups/${latin.id}/extend`, {});
    t.equal(unlimited.statusCode, 409);
    t.match(body<Problem>(unlimited), { code: 'GROUPS_ERR_NOT_EXTENSIBLE' });

    const edt = body<Group>(
      await create(adminA, {
        uai: A.uai,
        name: '3A-G1',
        lifetime: 'school-year',
        source: 'timetable',
      }),
    );
    const timetable = await call(adminA, 'POST', `/v1/managed-groups/${edt.id}/extend`, {});
    t.equal(timetable.statusCode, 409, 'a timetable group ends with its year in every case');
    const pupilManager = await call(adminA, 'PUT', `${url}/managers`, {
      persons: [ids['A-P2']],
    });
    t.equal(pupilManager.statusCode, 422);
    t.match(body<Problem>(pupilManager), { code: 'GROUPS_ERR_MANAGER_NOT_STAFF' });
    t.equal((await call(adminA, 'DELETE', `/v1/managed-groups/${edt.id}`)).statusCode, 204);
    t.equal((await call(adminA, 'DELETE', `/v1/managed-groups/${latin.id}`)).statusCode, 204);
    t.equal((await call(adminA, 'DELETE', `/v1/managed-groups/${latin.id}`)).statusCode, 204);
    const gone = await ctx.get(readerA, `/v1/managed-groups/${latin.id}`);
    t.ok(body<Group>(gone).deletedAt, 'a deleted group stays readable');
    const patchGone = await call(adminA, 'PATCH', `/v1/managed-groups/${latin.id}`, { name: 'y' });
    t.equal(patchGone.statusCode, 409);
    t.match(body<Problem>(patchGone), { code: 'GROUPS_ERR_DELETED' });
    const live = body<{ items: Group[] }>(await ctx.get(readerA, '/v1/managed-groups')).items;
    t.same(
      live.map((g) => g.name),
      ['Chorale du collège'],
    );
    const all = body<{ items: Group[] }>(
      await ctx.get(readerA, '/v1/managed-groups?deleted=true'),
    ).items;
    t.equal(all.length, 3);

    const events = await ctx.db
      .selectFrom('change_event')
      .select(['entity_key', 'op', 'uais', 'actor'])
      .where('entity_type', '=', 'managed_group')
      .orderBy('seq')
      .execute();
    t.same(
      events.map((e) => [Number(e.entity_key), e.op]),
      [
        [choir.id, 'created'],
        [choir.id, 'updated'],
        [choir.id, 'updated'],
        [choir.id, 'updated'],
        [latin.id, 'created'],
        [edt.id, 'created'],
        [edt.id, 'deleted'],
        [latin.id, 'deleted'],
      ],
      'one event per change (the second delete changed nothing)',
    );
    t.ok(events.every((e) => e.uais.join() === A.uai && e.actor?.startsWith('key:')));
    const audits = await ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'groups.%')
      .execute();
    t.ok(audits.length >= 6, 'writes are audited');
  });
});

t.test('year transition report of an establishment', async (t) => {
  const ctx = await build(t);
  await seedSchool(ctx.db);
  const readerA = await ctx.key(['directory:read'], [A.uai]);
  const url = `/v1/establishments/${A.uai}/year-transition`;
  t.equal((await ctx.get(readerA, url)).statusCode, 404, 'not yet run');
  await saveCalendar(ctx.db, {
    document: JSON.parse(readFileSync(exampleUrl, 'utf8')) as unknown,
    actor: 'test',
  });
  await ctx.db
    .insertInto('import_run')
    .values({
      kind: 'complete',
      scope: 'ENT',
      level: '2d',
      file_date: '2025-08-23',
      source: 'test',
      delivery_name: 'ENT_Complet_20250823.tgz',
      content_hash: 'init',
      status: 'applied',
      summary: JSON.stringify({}),
      uais_touched: [A.uai],
      finished_at: new Date('2025-08-23T05:00:00Z'),
    })
    .execute();
  const now = new Date('2025-08-25T06:00:00Z');
  const ran = await runYearTransition(ctx.db, { now });
  t.same(
    ran.ran.map((r) => r.uai),
    [A.uai],
  );
  const res = await ctx.get(readerA, url);
  t.equal(res.statusCode, 200, res.body);
  t.match(body<{ closed: { code: string }[] }>(res), {
    uai: A.uai,
    schoolYear: '2025-2026',
    endingSchoolYear: '2024-2025',
    ranAt: now.toISOString(),
  });
  t.same(
    body<{ closed: { kind: string; code: string }[] }>(res).closed.map(
      (c) => `${c.kind}:${c.code}`,
    ),
    ['group:OLD'],
    'the empty group closed; 3A (with pupils) and LATIN stay',
  );
  const old = await ctx.get(readerA, `/v1/groups/${A.jointure}$OLD`);
  t.match(body(old), { state: 'empty', closedSchoolYear: '2024-2025' }, 'shown as closed');
  const open = await ctx.get(readerA, `/v1/classes/${A.jointure}$3A`);
  t.match(body(open), { closedSchoolYear: null });
  t.same(body(await ctx.get(readerA, `${url}?schoolYear=2025-2026`)), body(res));
  t.equal((await ctx.get(readerA, `${url}?schoolYear=2030-2031`)).statusCode, 404);
  const readerB = await ctx.key(['directory:read'], [B.uai]);
  t.equal((await ctx.get(readerB, url)).statusCode, 404, "another establishment's key");
});
