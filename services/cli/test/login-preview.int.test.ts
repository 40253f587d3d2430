import { PassThrough } from 'node:stream';
import t from 'tap';
import { allocateIdentifiers, namespaceRules } from '@aaf-sync/identifiers';
import { testDb } from '@aaf-sync/testing';
import { runCli } from '../src/index.js';

t.test('login-preview reads the homonym counters of the database', async (t) => {
  const { db, url } = await testDb(t);
  const rules = namespaceRules({ namespaces: ['educonnect', 'koxo'], numberStart: 1 });
  await db.transaction().execute(async (trx) => {
    const rows = await trx
      .insertInto('person')
      .values(
        ['J1', 'J2'].map((jointure) => ({
          jointure,
          category: 'pupil' as const,
          profile: 'pupil' as const,
          level: '2d' as const,
          given_name: 'Jean',
          sn: 'Martin',
          attributes: '{}',
          record_hash: 'h',
        })),
      )
      .returning('id')
      .execute();
    const persons = rows.map((r) => ({ personId: r.id, givenName: 'Jean', sn: 'Martin' }));
    await allocateIdentifiers(trx, persons, rules);
  });
  const out = new PassThrough();
  let text = '';
  out.on('data', (c: Buffer) => (text += c.toString()));
  const code = await runCli(['login-preview', 'Julie', 'Martin', '--json'], {
    env: { DATABASE_URL: url, LOG_LEVEL: 'silent', IDENTIFIER_NAMESPACES: 'educonnect,koxo' },
    stdout: out,
  });
  t.equal(code, 0);
  t.same(JSON.parse(text), {
    givenName: 'Julie',
    sn: 'Martin',
    database: 'read',
    identifiers: [
      { namespace: 'educonnect', value: 'j.martin2', base: 'j.martin', homonyms: 2 },
      { namespace: 'koxo', value: 'jmartin2', base: 'jmartin', homonyms: 2 },
    ],
  });
  const count = await db
    .selectFrom('identifier')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  t.equal(Number(count.n), 4, 'nothing was allocated by the preview');
});
