import t from 'tap';
import {
  seedClassGroup,
  seedMembership,
  seedPerson,
  seedRelativeLink,
  seedStructure,
  seedTeachingLink,
  testDb,
} from '@aaf-sync/testing';
import { appendEvents, sql } from '@aaf-sync/db';
import {
  findDuplicateRelatives,
  findStaleTeachingLinks,
  staleTeachingLinkRowToView,
  withFeedPosition,
} from '../src/index.js';

t.test('duplicate relatives: what counts as evidence', async (t) => {
  const { db } = await testDb(t);
  await seedStructure(db, { jointure: 'S1', uai: '0990001N', name: 'One' });
  await seedStructure(db, { jointure: 'S2', uai: '0990002P', name: 'Two' });
  await seedPerson(db, {
    jointure: 'P1',
    category: 'pupil',
    givenName: 'A',
    sn: 'A',
    structures: ['S1'],
  });
  await seedPerson(db, {
    jointure: 'P2',
    category: 'pupil',
    givenName: 'B',
    sn: 'B',
    structures: ['S2'],
  });
  const relative = (
    jointure: string,
    contact: Record<string, unknown>,
    extra: { mail?: string; sn?: string } = {},
  ) =>
    seedPerson(db, {
      jointure,
      category: 'relative',
      givenName: 'Marie',
      sn: extra.sn ?? 'Dupont',
      mail: extra.mail ?? null,
      details: { contact },
    });
  // Same names, empty addresses and short phones: no evidence.
  await relative('R1', {
    address: { lines: ['', ''], postalCode: '', city: '' },
    homePhone: '12 34',
  });
  await relative('R2', {
    address: { lines: ['', ''], postalCode: '', city: '' },
    homePhone: '12 34',
  });
  // Same mail, different case: evidence.
  await relative('R3', {}, { mail: 'Marie.Dupont@example.org' });
  await relative('R4', {}, { mail: ' marie.dupont@example.org' });
  // Same phone, other name: no match.
  await relative('R5', { mobile: '0612345678' }, { sn: 'Durand' });
  await relative('R6', { mobile: '06 12 34 56 78' });
  // A duplicate whose only pupil is in the other school is not a relative of S1.
  await relative('R7', {}, { mail: 'marie.dupont@example.org' });
  for (const rel of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6'])
    await seedRelativeLink(db, { pupil: 'P1', relative: rel });
  await seedRelativeLink(db, { pupil: 'P2', relative: 'R7' });

  const pairs = await findDuplicateRelatives(db, 'S1');
  t.same(
    pairs.map((p) => [p.a.jointure, p.b.jointure, p.evidence]),
    [['R3', 'R4', ['mail']]],
    'relatives linked through a pupil are included; empty values and other names are not evidence',
  );
  t.same(pairs[0]!.a.pupils, ['P1']);
  const other = await findDuplicateRelatives(db, 'S2');
  t.same(other, [], 'R7 alone in S2');
});

t.test('stale teaching links and the feed position of an empty read', async (t) => {
  const { db } = await testDb(t);
  await seedStructure(db, { jointure: 'S1', uai: '0990001N', name: 'One' });
  const cg = await seedClassGroup(db, { structure: 'S1', kind: 'class', code: '6A' });
  await seedPerson(db, {
    jointure: 'P1',
    category: 'pupil',
    givenName: 'A',
    sn: 'A',
    structures: ['S1'],
  });
  await seedMembership(db, cg, 'P1');
  await seedTeachingLink(db, { person: 'T1', structure: 'S1', kind: 'class', code: '6A' });
  await seedTeachingLink(db, { person: 'T1', structure: 'S1', kind: 'group', code: '6A' });
  const stale = (await findStaleTeachingLinks(db, 'S1')).map(staleTeachingLinkRowToView);
  t.same(
    stale,
    [
      {
        personJointure: 'T1',
        givenName: null,
        sn: null,
        personState: null,
        kind: 'group',
        code: '6A',
        subjectCode: '',
        reason: 'missing',
      },
    ],
    'a group is not the class of the same code; an unknown teacher has no name',
  );

  await db
    .transaction()
    .execute((trx) =>
      appendEvents(trx, [{ entityType: 'person', entityKey: 'P1', op: 'created', version: 1 }]),
    );
  const empty = await withFeedPosition(db, sql`select 1 as one where false`);
  t.same(empty.rows, []);
  t.ok(empty.position.head > 0, 'the head is read even when no row matches');
  t.equal(empty.position.watermark, 0);
  const rows = await withFeedPosition<{ n: number }>(
    db,
    sql`select n from generate_series(3, 1, -1) n`,
  );
  t.same(
    rows.rows.map((r) => r.n),
    [3, 2, 1],
    'rows keep the order of the query',
  );
});
