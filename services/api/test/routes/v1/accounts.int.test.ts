import { appendEvents } from '@aaf-sync/db';
import { seedIdentifier, seedPerson } from '@aaf-sync/testing';
import t from 'tap';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

t.test('account status and history', async (t) => {
  const ctx = await build(t);
  const school = await seedSchool(ctx.db);
  const admin = await ctx.key(['accounts:read']);
  const get = (id: string, token = admin) =>
    ctx.get(token, `/v1/accounts/${encodeURIComponent(id)}`);

  t.test('by internal id, jointure or identifier value, with every section', async (t) => {
    const byId = await get(`id:${school.ids['A-P1']}`);
    t.equal(byId.statusCode, 200);
    const account = body<Record<string, unknown>>(byId);
    for (const ref of [
      'A-P1',
      'jointure:A-P1',
      'a.martin',
      'amartin',
      'educonnect:a.martin',
      String(school.ids['A-P1']),
    ]) {
      const res = await get(ref);
      t.equal(res.statusCode, 200, ref);
      t.same(body(res), account, `${ref} names the same account`);
    }
    t.same(Object.keys(account), [
      'id',
      'jointure',
      'scope',
      'identity',
      'lifecycle',
      'establishments',
      'memberships',
      'teaching',
      'functions',
      'direction',
      'relations',
      'identifiers',
      'formerJointures',
      'details',
      'lastChange',
      'provisioning',
      'access',
      'serverReports',
    ]);
    t.same(
      account.access,
      { blocked: false, since: null, until: null, why: null },
      'no rentrée blocking stored: not blocked',
    );
    t.match(account, {
      jointure: 'A-P1',
      identity: {
        category: 'pupil',
        profile: 'pupil',
        givenName: 'Alice',
        sn: 'Martin',
        birthDate: '2010-01-02',
        ine: '123456789AB',
        mail: 'alice@example.org',
      },
      lifecycle: { state: 'active', departedAt: null, version: 1 },
      establishments: [{ jointure: A.jointure, uai: A.uai, name: A.name, primary: true }],
      memberships: [
        { kind: 'class', key: `${A.jointure}$3A`, code: '3A', label: '3e A', uai: A.uai },
        { kind: 'group', key: `${A.jointure}$LATIN`, code: 'LATIN' },
      ],
      relations: {
        relatives: [{ jointure: 'A-R1', sn: 'Lefèvre', relationship: '10' }, { jointure: 'A-R4' }],
        pupils: [],
      },
      identifiers: {
        educonnect: [{ value: 'a.martin', status: 'primary' }],
        scribe: [{ value: 'amartin' }],
      },
      details: { contact: { mobile: '0611111111' } },
      lastChange: {
        import: {
          id: school.importId,
          kind: 'complete',
          deliveryName: 'ENT_Complet_20240907.tgz',
          fileDate: '2024-09-07',
        },
        file: {
          id: school.fileId,
          name: 'ENT_TEST_Complet_20240907_Eleve_0000.xml',
          entity: 'Eleve',
        },
      },
    });
  });

  t.test('a departed account says since when; a relative lists its pupils', async (t) => {
    const departed = body<{ lifecycle: { state: string; departedAt: string | null } }>(
      await get('A-P3'),
    );
    t.equal(departed.lifecycle.state, 'departed');
    t.ok(departed.lifecycle.departedAt && !Number.isNaN(Date.parse(departed.lifecycle.departedAt)));
    const relative = body<{ relations: { pupils: { jointure: string }[] }; lastChange: unknown }>(
      await get('A-R1'),
    );
    t.same(
      relative.relations.pupils.map((p) => p.jointure),
      ['A-P1'],
    );
    t.equal(relative.lastChange, null, 'no import recorded for this one');
  });

  t.test('404 for unknown, 409 for ambiguous, 400 for malformed', async (t) => {
    const missing = await get('nobody');
    t.equal(missing.statusCode, 404);
    t.equal(body(missing).code, 'API_ERR_NOT_FOUND');
    // A person whose jointure is the internal id of another one.
    await seedPerson(ctx.db, {
      jointure: String(school.ids['A-P2']),
      category: 'pupil',
      givenName: 'Homonyme',
      sn: 'Numerique',
      structures: [A.jointure],
    });
    const ambiguous = await get(String(school.ids['A-P2']));
    t.equal(ambiguous.statusCode, 409);
    t.equal(body(ambiguous).code, 'API_ERR_AMBIGUOUS_ACCOUNT');
    t.equal((await get(`id:${school.ids['A-P2']}`)).statusCode, 200, 'a prefix resolves it');
    t.equal((await get(`jointure:${school.ids['A-P2']}`)).statusCode, 200);
    t.equal((await get('id:abc')).statusCode, 400);
  });

  t.test('académie scopes: ?scope= names the académie, 409 lists them otherwise', async (t) => {
    const nord = await seedPerson(ctx.db, {
      jointure: 'NORD-1',
      scope: 'NORD',
      category: 'pupil',
      givenName: 'Nina',
      sn: 'Nord',
      structures: [A.jointure],
    });
    // A person of another académie whose jointure is the internal id of the first.
    await seedPerson(ctx.db, {
      jointure: String(nord),
      scope: 'SUD',
      category: 'pupil',
      givenName: 'Sacha',
      sn: 'Sud',
      structures: [A.jointure],
    });
    const both = await get(String(nord));
    t.equal(both.statusCode, 409);
    t.match(body(both), {
      code: 'API_ERR_ACCOUNT_IN_SEVERAL_SCOPES',
      detail: /several académie scopes \(NORD, SUD\)/,
    });
    const sud = await ctx.get(admin, `/v1/accounts/${nord}?scope=SUD`);
    t.equal(sud.statusCode, 200);
    t.match(body(sud), { jointure: String(nord), scope: 'SUD', identity: { sn: 'Sud' } });
    const north = await ctx.get(admin, `/v1/accounts/${nord}?scope=NORD`);
    t.match(body(north), { id: nord, jointure: 'NORD-1', scope: 'NORD' });
    t.equal(
      (await ctx.get(admin, '/v1/accounts/jointure:NORD-1?scope=SUD')).statusCode,
      404,
      'not a person of that académie',
    );
    const history = await ctx.get(admin, `/v1/accounts/${nord}/history?scope=NORD`);
    t.equal(history.statusCode, 200);
    t.equal((await ctx.get(admin, `/v1/accounts/${nord}/history`)).statusCode, 409);
    t.equal((await ctx.get(admin, `/v1/accounts/${nord}?scope=a%20b`)).statusCode, 400);
  });

  t.test('establishment scope: foreign accounts are 404, lists are cut to the scope', async (t) => {
    const scoped = await ctx.key(['accounts:read'], [A.uai]);
    for (const ref of ['B-P1', 'x.zorglub', `id:${school.ids['B-P1']}`]) {
      const res = await get(ref, scoped);
      t.equal(res.statusCode, 404, ref);
      t.notOk(
        /Zorglub|B-P1/.test(res.body.replace(/"instance":"[^"]*"|"detail":"[^"]*"/g, '')),
        'no data of B',
      );
    }
    // A teacher working in both schools: the scoped key sees only A's part.
    const both = await seedPerson(ctx.db, {
      jointure: 'AB-T9',
      category: 'staff',
      givenName: 'Jo',
      sn: 'Deux',
      structures: [A.jointure, B.jointure],
    });
    await seedIdentifier(ctx.db, { personId: both, namespace: 'scribe', value: 'jdeux' });
    const seen = body<{ establishments: { uai: string }[] }>(await get('AB-T9', scoped));
    t.same(
      seen.establishments.map((e) => e.uai),
      [A.uai],
    );
    const all = body<{ establishments: { uai: string }[] }>(await get('AB-T9'));
    t.same(all.establishments.map((e) => e.uai).sort(), [A.uai, B.uai]);
    // In both schools' direction: shown on the account, cut to the scope too.
    await ctx.db
      .insertInto('direction')
      .values(
        [A.jointure, B.jointure].map((s) => ({ person_jointure: 'AB-T9', structure_jointure: s })),
      )
      .execute();
    type Direction = { direction: { structureJointure: string; uai: string | null }[] };
    t.same(
      body<Direction>(await get('AB-T9'))
        .direction.map((d) => d.uai)
        .sort(),
      [A.uai, B.uai],
    );
    t.same(body<Direction>(await get('AB-T9', scoped)).direction, [
      { structureJointure: A.jointure, uai: A.uai },
    ]);
    t.same(body<Direction>(await get('A-P1')).direction, [], 'a pupil: none');
  });

  t.test('history: own, link and identifier events, newest first, paginated', async (t) => {
    const res = await ctx.get(admin, '/v1/accounts/A-P1/history');
    t.equal(res.statusCode, 200);
    const items = body<{
      items: { type: string; key: string; changes: Record<string, unknown> }[];
    }>(res).items;
    t.same(
      items.map((i) => `${i.type} ${i.key}`),
      [
        'person.updated A-P1',
        'identifier.created educonnect:a.martin',
        `membership.created class:${A.jointure}$3A|A-P1`,
        'person.created A-P1',
      ],
    );
    t.match(
      items[0]!.changes,
      { fields: { mail: [null, 'alice@example.org'] } },
      'personal fields kept',
    );
    const first = body<{ items: { seq: number }[]; nextCursor: string }>(
      await ctx.get(admin, '/v1/accounts/A-P1/history?limit=3'),
    );
    t.equal(first.items.length, 3);
    const rest = body<{ items: { seq: number }[]; nextCursor: string | null }>(
      await ctx.get(admin, `/v1/accounts/A-P1/history?limit=3&cursor=${first.nextCursor}`),
    );
    t.equal(rest.items.length, 1);
    t.equal(rest.nextCursor, null);
    t.ok(rest.items[0]!.seq < first.items[2]!.seq);
    t.equal((await ctx.get(admin, '/v1/accounts/nobody/history')).statusCode, 404);
  });

  t.test('history of a scoped key omits events of other establishments', async (t) => {
    await ctx.db.transaction().execute((trx) =>
      appendEvents(trx, [
        {
          entityType: 'teaching_link',
          entityKey: `AB-T9|${B.jointure}|class|2ZORGLUB|`,
          op: 'created',
          version: 1,
          uais: [B.uai],
        },
        {
          entityType: 'teaching_link',
          entityKey: `AB-T9|${A.jointure}|class|3A|`,
          op: 'created',
          version: 1,
          uais: [A.uai],
        },
      ]),
    );
    const scoped = await ctx.key(['accounts:read'], [A.uai]);
    const items = body<{ items: { key: string }[] }>(
      await ctx.get(scoped, '/v1/accounts/AB-T9/history'),
    ).items;
    t.same(
      items.map((i) => i.key),
      [`AB-T9|${A.jointure}|class|3A|`],
    );
  });

  t.test('accounts need accounts:read', async (t) => {
    const res = await get('A-P1', await ctx.key(['directory:read', 'changes:read']));
    t.equal(res.statusCode, 403);
  });
});
