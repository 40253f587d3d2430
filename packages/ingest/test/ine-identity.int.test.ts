import { join } from 'node:path';
import { sql } from '@aaf-sync/db';
import t from 'tap';
import { IdentifierAllocator, namespaceRules } from '@aaf-sync/identifiers';
import { ingestPaths, type IngestDeps } from '../src/index.js';
import { count, harness, variant } from './helpers.js';

const RULES = namespaceRules({ namespaces: ['educonnect'], numberStart: 1 });

/** The harness, with identifiers allocated (the EduConnect identity must follow the pupil). */
async function withIdentifiers(t: Parameters<typeof harness>[0]) {
  const h = await harness(t);
  const deps: IngestDeps = {
    ...h.deps,
    identifiers: (trx) => new IdentifierAllocator(trx, RULES, { events: false }),
  };
  return { ...h, ingest: (dir: string) => ingestPaths(deps, [dir], { source: 'test' }) };
}

t.test('a pupil found again by its INE under a new jointure is the same person', async (t) => {
  const h = await withIdentifiers(t);
  // 1D: pupil 9400101 (INE 223456789EF) at the école 920001.
  const first = (
    await h.ingest(variant(join(t.testdirName, '1d'), { from: '1d', pick: 'Complet' }))
  ).imports[0]!;
  t.equal(first.status, 'applied');
  const before = await h.db
    .selectFrom('person')
    .select(['id', 'version'])
    .where('jointure', '=', '9400101')
    .executeTakeFirstOrThrow();
  const identifiers = async (personId: number) =>
    (
      await h.db
        .selectFrom('identifier')
        .select(['namespace', 'value', 'status'])
        .where('person_id', '=', personId)
        .orderBy('namespace')
        .orderBy('value')
        .execute()
    ).map((i) => `${i.namespace}:${i.value}:${i.status}`);
  const idsBefore = await identifiers(before.id);
  t.ok(idsBefore.length > 0, 'the 1D pupil has identifiers');

  // 2D: the collège's complete names pupil 9300101 with that INE (the pupil moved up).
  const moved = (
    await h.ingest(
      variant(join(t.testdirName, '2d'), {
        from: '2d',
        pick: 'Complet',
        replace: [['<value>123456789AB</value>', '<value>223456789EF</value>']],
      }),
    )
  ).imports[0]!;
  t.equal(moved.status, 'applied');
  const eleve = moved.files.find((f) => f.entity === 'Eleve')!;
  t.match(eleve.outcomes, { created: 1, updated: 1 }, 'one pupil updated, not created');
  const after = await h.db
    .selectFrom('person')
    .select(['id', 'jointure', 'state', 'primary_structure', 'version'])
    .where('id', '=', before.id)
    .executeTakeFirstOrThrow();
  t.match(after, { jointure: '9300101', state: 'active', primary_structure: '910001' });
  t.equal(await count(h.db, 'person', { jointure: '9400101' }), 0, 'no second person');
  t.same(await identifiers(before.id), idsBefore, 'identifiers kept (EduConnect follows)');
  t.same(
    await h.db.selectFrom('person_alias').select(['jointure', 'person_id', 'reason']).execute(),
    [{ jointure: '9400101', person_id: before.id, reason: 'ine' }],
    'the old jointure is an alias',
  );
  const { rows: events } = await sql<{ entity_key: string; op: string; changes: unknown }>`
    select entity_key, op, changes from change_event
    where import_id = ${moved.importId} and entity_type = 'person'
      and changes::jsonb -> 'fields' ? 'jointure'`.execute(h.db);
  t.equal(events.length, 1, 'one event says so');
  t.match(events[0], {
    entity_key: '9300101',
    op: 'updated',
    changes: { fields: { jointure: ['9400101', '9300101'] } },
  });
  t.same(
    (
      await h.db
        .selectFrom('person_structure')
        .select('structure_jointure')
        .where('person_jointure', '=', '9300101')
        .execute()
    ).map((r) => r.structure_jointure),
    ['910001'],
    'its establishment is the collège now',
  );
  t.equal(
    await count(h.db, 'change_event', { entity_key: '9400101', entity_type: 'person' }),
    1,
    'its history under the old jointure stays',
  );
  t.same(moved.warningsByCode, {}, 'no conflict: one active pupil with that INE');

  // The école's next complete still lists the old jointure: a second person, and a conflict.
  const stale = (
    await h.ingest(
      variant(join(t.testdirName, '1d-later'), { from: '1d', pick: 'Complet', date: '20240914' }),
    )
  ).imports[0]!;
  t.equal(stale.status, 'applied');
  t.equal(await count(h.db, 'person', { ine: '223456789EF', state: 'active' }), 2);
  t.same(stale.warningsByCode.INE_CONFLICT, 1);
  t.match(
    stale.warnings.find((w) => w.code === 'INE_CONFLICT'),
    {
      subject: '9400101',
      uai: '0990002P',
      message: /pupils 9300101, 9400101 are active and share INE 223456789EF/,
    },
  );
  t.equal(await count(h.db, 'person_alias'), 1, 'never merged back');
});

t.test('a departed pupil found again by its INE is restored under its new jointure', async (t) => {
  const h = await harness(t);
  await h.ingest(variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' }));
  // The delta departs 9300101; a later delta brings it back as 9309999 with the same INE.
  await h.ingest(variant(join(t.testdirName, 'd'), { from: '2d', pick: 'Delta_20240910_Eleve' }));
  const { id } = await h.db
    .selectFrom('person')
    .select('id')
    .where('jointure', '=', '9300101')
    .where('state', '=', 'departed')
    .executeTakeFirstOrThrow();
  const back = (
    await h.ingest(
      variant(join(t.testdirName, 'back'), {
        from: '2d',
        pick: 'Complet_20240907_Eleve',
        kind: 'Delta',
        date: '20240912',
        replace: [['9300101', '9309999']],
      }),
    )
  ).imports[0]!;
  t.equal(back.status, 'applied');
  t.match(back.files[0]!.outcomes, { restored: 1 });
  const row = await h.db
    .selectFrom('person')
    .select(['jointure', 'state'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  t.same(row, { jointure: '9309999', state: 'active' });
});

t.test("an école's file read after the collège's never takes a collégien back", async (t) => {
  const h = await harness(t);
  // The collège first: pupil 9300102 (INE 123456790CD) in 6e at 910001.
  await h.ingest(variant(join(t.testdirName, '2d'), { from: '2d', pick: 'Complet' }));
  const before = await h.db
    .selectFrom('person')
    .select(['id', 'jointure', 'level', 'primary_structure', 'version'])
    .where('jointure', '=', '9300102')
    .executeTakeFirstOrThrow();
  // Then the école's complete, still listing last year's CM2 pupil under its 1D jointure.
  const ecole = (
    await h.ingest(
      variant(join(t.testdirName, '1d'), {
        from: '1d',
        pick: 'Complet',
        replace: [['<value>223456789EF</value>', '<value>123456790CD</value>']],
      }),
    )
  ).imports[0]!;
  t.equal(ecole.status, 'applied');
  t.match(ecole.files.find((f) => f.entity === 'Eleve')!.outcomes, { created: 1, updated: 0 });
  t.same(
    await h.db
      .selectFrom('person')
      .select(['id', 'jointure', 'level', 'primary_structure', 'version'])
      .where('id', '=', before.id)
      .executeTakeFirstOrThrow(),
    before,
    'the collégien stays at the collège, untouched',
  );
  t.equal(await count(h.db, 'person_alias'), 0, 'no alias');
  t.equal(await count(h.db, 'person', { ine: '123456790CD', state: 'active' }), 2);
  t.match(
    ecole.warnings.find((w) => w.code === 'INE_CONFLICT'),
    {
      uai: '0990002P',
      message: /pupils 9300102, 9400101 are active and share INE 123456790CD/,
    },
  );
});
