import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import t from 'tap';
import { testDb, testLdap, testRedis } from '../src/index.js';

t.test('testDb gives a migrated database', async (t) => {
  const { db } = await testDb(t);
  const tables = await db
    .selectFrom('information_schema.tables' as never)
    .select('table_name' as never)
    .where('table_schema' as never, '=', 'public' as never)
    .execute();
  const names = (tables as { table_name: string }[]).map((r) => r.table_name);
  for (const table of ['person', 'structure', 'change_event', 'identifier', 'import_run']) {
    t.ok(names.includes(table), `${table} exists`);
  }
});

t.test('testRedis keys live under the prefix and are removed at teardown', async (t) => {
  let prefix = '';
  let probe: Redis | undefined;
  await t.test('inner', async (t) => {
    const r = await testRedis(t);
    prefix = r.prefix;
    probe = r.connect();
    const queue = new Queue('isolation', { connection: r.connect(), prefix: r.prefix });
    await queue.add('job', { n: 1 });
    await queue.close();
    t.ok((await r.redis.keys(`${r.prefix}*`)).length > 0, 'BullMQ wrote under the prefix');
  });
  const other = await testRedis(t);
  t.same(await other.redis.keys(`${prefix}*`), [], 'nothing is left after teardown');
  t.equal(probe?.status, 'end', 'connections made through the helper are closed');
});

t.test('testLdap gives a subtree of its own and removes it', async (t) => {
  let base = '';
  await t.test('inner', async (t) => {
    const ldap = await testLdap(t);
    base = ldap.baseDn;
    await ldap.client.add(`ou=people,${ldap.baseDn}`, {
      objectClass: 'organizationalUnit',
      ou: 'people',
    });
    await ldap.client.add(`uid=jdupont,ou=people,${ldap.baseDn}`, {
      objectClass: ['inetOrgPerson'],
      uid: 'jdupont',
      cn: 'Jean Dupont',
      sn: 'Dupont',
    });
    const { searchEntries } = await ldap.client.search(ldap.baseDn, { filter: '(uid=jdupont)' });
    t.equal(searchEntries.length, 1);
  });
  const check = await testLdap(t);
  await t.rejects(check.client.search(base, { scope: 'base' }), 'the subtree is gone');
});
