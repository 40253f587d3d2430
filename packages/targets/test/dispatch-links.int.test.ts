import t from 'tap';
import { appendEvents, sql } from '@aaf-sync/db';
import { seedIdentifier, seedPerson, seedRelativeLink, testDb } from '@aaf-sync/testing';
import { createTarget, dispatchTarget } from '../src/index.js';
import { box, rowsOf, seedAccounts, seedSchools, UAI_A } from './fixtures.js';

t.test('link events and a pupil’s changes make the right accounts pending', async (t) => {
  const { db } = await testDb(t);
  await seedSchools(db);
  const [pupil, other, teacher] = await seedAccounts(db, {
    prefix: 'E',
    structure: 'S-A',
    count: 3,
  });
  const mother = await seedPerson(db, {
    jointure: 'R1',
    category: 'relative',
    givenName: 'Anne',
    sn: 'Mère',
    structures: ['S-A'],
  });
  await seedIdentifier(db, { personId: mother, namespace: 'scribe', value: 'amere' });
  await seedRelativeLink(db, { pupil: 'E1', relative: 'R1' });
  const target = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'noop-a', uais: [UAI_A], options: {} },
    'test',
  );
  // Everything applied: only what the events below concern may become pending again.
  await sql`update provisioning set status = 'applied', applied_version = desired_version
    where target_id = ${target.id}`.execute(db);
  const pending = async () =>
    [...(await rowsOf(db, target.id)).values()]
      .filter((r) => r.status === 'pending')
      .map((r) => r.jointure);

  const append = (e: {
    entityType: 'membership' | 'teaching_link' | 'relative_link' | 'person';
    entityKey: string;
  }) =>
    db
      .transaction()
      .execute((trx) =>
        appendEvents(trx, [{ ...e, op: 'created' as const, version: 2, uais: [UAI_A] }]),
      );

  // A pupil joins a class: that pupil (and its relative, whose entry names the pupil's).
  await append({ entityType: 'membership', entityKey: `class:S-A$6A|${pupil}` });
  await dispatchTarget(db, target.id);
  t.same((await pending()).sort(), [pupil, 'R1'].sort(), 'the member and its relative');

  await sql`update provisioning set status = 'applied', applied_version = desired_version
    where target_id = ${target.id}`.execute(db);
  // A teacher starts teaching a class: the teacher only.
  await append({ entityType: 'teaching_link', entityKey: `${teacher}|S-A|class|6A|MATHS` });
  await dispatchTarget(db, target.id);
  t.same(await pending(), [teacher], 'the teacher');

  await sql`update provisioning set status = 'applied', applied_version = desired_version
    where target_id = ${target.id}`.execute(db);
  // A relative linked to another pupil: the relative (its entry lists its children).
  await append({ entityType: 'relative_link', entityKey: `${other}|R1` });
  await dispatchTarget(db, target.id);
  t.same(await pending(), ['R1'], 'the relative');
});
