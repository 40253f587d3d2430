import t from 'tap';
import { A, B, seedSchool } from '../../fixtures/school.js';
import { body, build } from '../../helper.js';

interface Person {
  id: number;
  jointure: string;
  givenName: string;
  sn: string;
  state: string;
  birthDate?: string | null;
  mail?: string | null;
  ine?: string | null;
  details?: Record<string, unknown>;
}
interface PersonsPage {
  items: Person[];
  nextCursor: string | null;
  feedCursor: string;
}

t.test('directory', async (t) => {
  const ctx = await build(t);
  await seedSchool(ctx.db);
  const reader = await ctx.key(['directory:read']);
  const ok = async (url: string, token = reader) => {
    const res = await ctx.get(token, url);
    t.equal(res.statusCode, 200, url);
    return body<Record<string, unknown>>(res);
  };
  const persons = async (query: string, token = reader) =>
    (await ok(`/v1/persons${query}`, token)) as unknown as PersonsPage;
  const jointures = (p: PersonsPage) => p.items.map((i) => i.jointure);

  t.test('establishments: list, one by UAI with counts, 404', async (t) => {
    const list = (await ok('/v1/establishments')) as { items: { uai: string }[] };
    t.same(
      list.items.map((e) => e.uai),
      [A.uai, B.uai],
    );
    const one = await ok(`/v1/establishments/${A.uai}`);
    t.equal(one.name, A.name);
    t.same(one.counts, {
      'pupil.active': 2,
      'pupil.departed': 1,
      'relative.active': 4,
      'teacher.active': 1,
    });
    const missing = await ctx.get(reader, '/v1/establishments/0990099X');
    t.equal(missing.statusCode, 404);
    t.equal(body(missing).code, 'API_ERR_NOT_FOUND');
    const paged = (await ok('/v1/establishments?limit=1')) as {
      items: unknown[];
      nextCursor: string;
    };
    const second = (await ok(`/v1/establishments?limit=1&cursor=${paged.nextCursor}`)) as {
      items: { uai: string }[];
      nextCursor: string | null;
    };
    t.same(
      second.items.map((e) => e.uai),
      [B.uai],
    );
    t.equal(second.nextCursor, null);
  });

  t.test('persons: filters', async (t) => {
    t.same(jointures(await persons(`?uai=${A.uai}&profile=pupil`)), ['A-P1', 'A-P2', 'A-P3']);
    t.same(jointures(await persons(`?uai=${A.uai}&profile=pupil&state=active`)), ['A-P1', 'A-P2']);
    t.same(jointures(await persons(`?class=${A.jointure}$3A`)), ['A-P1', 'A-P2']);
    t.same(jointures(await persons(`?class=LATIN&uai=${A.uai}`)), ['A-P1']);
    t.same(
      jointures(await persons('?q=lefevre')),
      ['A-R1', 'A-R2', 'A-R3'],
      'accents and case ignored',
    );
    t.same(
      jointures(await persons('?q=cla lef')),
      ['A-R1', 'A-R2', 'A-R3'],
      'every word must match',
    );
    t.same(jointures(await persons('?q=zorg')), ['B-P1', 'B-R1', 'B-R2', 'B-T1']);
    const bad = await ctx.get(reader, '/v1/persons?class=3A');
    t.equal(bad.statusCode, 400, 'a bare class code needs uai');
    t.match(body(bad), {
      code: 'API_ERR_VALIDATION',
      errors: [{ in: 'querystring', path: 'class' }],
    });
  });

  t.test('persons: pages keep the snapshot cursor of the first page', async (t) => {
    const first = await persons('?limit=5');
    t.equal(first.items.length, 5);
    t.ok(first.nextCursor);
    const second = await persons(`?limit=5&cursor=${first.nextCursor}`);
    t.equal(second.feedCursor, first.feedCursor);
    const third = await persons(`?limit=5&cursor=${second.nextCursor}`);
    t.equal(third.nextCursor, null);
    t.equal(
      new Set([...first.items, ...second.items, ...third.items].map((p) => p.id)).size,
      12,
      'every person once',
    );
    const feed = await ctx.get(
      await ctx.key(['changes:read']),
      `/v1/changes?cursor=${first.feedCursor}`,
    );
    t.same(body<{ items: unknown[] }>(feed).items, [], 'the snapshot is at the head of the feed');
  });

  t.test('persons: personal fields only for accounts:read', async (t) => {
    const pub = await persons(`?uai=${A.uai}&profile=pupil&limit=1`);
    t.same(Object.keys(pub.items[0]!).sort(), [
      'category',
      'civility',
      'departedAt',
      'givenName',
      'id',
      'jointure',
      'level',
      'primaryStructure',
      'profile',
      'scope',
      'sn',
      'state',
      'updatedAt',
      'version',
    ]);
    const priv = await persons(
      `?uai=${A.uai}&profile=pupil&limit=1`,
      await ctx.key(['accounts:read']),
    );
    t.match(priv.items[0], {
      jointure: 'A-P1',
      birthDate: '2010-01-02',
      ine: '123456789AB',
      mail: 'alice@example.org',
      details: { contact: { mobile: '0611111111' } },
    });
  });

  t.test('classes and groups with members and teachers', async (t) => {
    const classes = (await ok(`/v1/classes?uai=${A.uai}`)) as {
      items: { key: string; memberCount: number }[];
    };
    t.same(
      classes.items.map((c) => [c.key, c.memberCount]),
      [[`${A.jointure}$3A`, 2]],
    );
    const groups = (await ok(`/v1/groups?uai=${A.uai}&state=empty`)) as {
      items: { code: string }[];
    };
    t.same(
      groups.items.map((g) => g.code),
      ['OLD'],
    );
    const c = await ok(`/v1/classes/${A.jointure}$3A`);
    t.match(c, { kind: 'class', code: '3A', label: '3e A', state: 'active', uai: A.uai });
    t.same(
      (c.members as { jointure: string }[]).map((m) => m.jointure),
      ['A-P2', 'A-P1'],
      'by name',
    );
    t.match(c.teachers, [{ jointure: 'A-T1', sn: 'Petit', subjectCode: 'MATH' }]);
    t.equal(
      (await ctx.get(reader, `/v1/groups/${A.jointure}$3A`)).statusCode,
      404,
      'a class is not a group',
    );
    t.equal((await ctx.get(reader, `/v1/classes/${A.jointure}$NOPE`)).statusCode, 404);
    t.equal((await ctx.get(reader, '/v1/classes/no-dollar')).statusCode, 400);
  });

  t.test('report: stale teaching links', async (t) => {
    const r = await ok(`/v1/establishments/${A.uai}/reports/stale-teaching-links`);
    t.same(
      (r.items as { personJointure: string; kind: string; code: string; reason: string }[]).map(
        (i) => [i.personJointure, i.kind, i.code, i.reason],
      ),
      [
        ['A-T1', 'class', '4Z', 'missing'],
        ['A-T1', 'group', 'OLD', 'empty'],
      ],
    );
  });

  t.test('report: duplicate relatives', async (t) => {
    const r = await ok(`/v1/establishments/${A.uai}/reports/duplicate-relatives`);
    t.same(r.groups, [
      {
        relatives: [
          { jointure: 'A-R1', givenName: 'Claire', sn: 'Lefèvre', pupils: ['A-P1'] },
          { jointure: 'A-R2', givenName: 'CLAIRE', sn: 'LEFEVRE', pupils: ['A-P2'] },
          { jointure: 'A-R3', givenName: 'Claire', sn: 'Lefevre', pupils: ['A-P2'] },
        ],
        matches: [
          { a: 'A-R1', b: 'A-R2', evidence: ['phone'] },
          { a: 'A-R1', b: 'A-R3', evidence: ['address'] },
        ],
      },
    ]);
    const rb = await ok(`/v1/establishments/${B.uai}/reports/duplicate-relatives`);
    t.same(
      (rb.groups as { relatives: { jointure: string }[] }[]).map((g) =>
        g.relatives.map((x) => x.jointure),
      ),
      [['B-R1', 'B-R2']],
    );
  });

  t.test('reports need directory:read', async (t) => {
    const res = await ctx.get(
      await ctx.key(['changes:read']),
      `/v1/establishments/${A.uai}/reports/duplicate-relatives`,
    );
    t.equal(res.statusCode, 403);
  });
});
