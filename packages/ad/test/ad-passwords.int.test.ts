import { createServer } from 'node:net';
import { pendingPasswords, sealPassword } from '@aaf-sync/credentials';
import { reconcileBatch } from '@aaf-sync/targets';
import t from 'tap';
import { AdErrors } from '../src/index.js';
import { adWorld, bindAs, box, provisionAll, type AdWorld } from './fixtures.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function pupil(w: AdWorld, jointure: string, login: string, givenName: string, sn: string) {
  return w.person({ jointure, login, category: 'pupil', givenName, sn, structures: ['S-A'] });
}

t.test(
  'a password the domain’s policy refuses: the account fails with the reason, a compliant one is issued and set at the retry',
  async (t) => {
    const w = await adWorld(t);
    const id = await pupil(w, 'E1', 'lmartin', 'Léa', 'Martin');
    const login = w.login('lmartin');
    // A pending password too short for the domain (as a careless reset would leave): the
    // creation takes it, Samba's policy (minimum length 7) refuses it.
    const sealed = sealPassword(box, w.target.id, id, 'Ab1!');
    await w.db
      .insertInto('credential')
      .values({
        target_id: w.target.id,
        person_id: id,
        login,
        reason: 'reset',
        state: 'pending',
        key_id: sealed.keyId,
        ciphertext: sealed.ciphertext,
        created_by: 'test',
      })
      .execute();
    await provisionAll(w);
    t.same(await w.sync(), { applied: 0, failed: 1, excluded: 0 });
    const row = (await w.rows()).get('E1');
    t.equal(row?.status, 'failed');
    t.match(
      row?.last_error,
      new RegExp(
        `^the domain refused the password of ${login}: 0000052D: Constraint violation .*too short.*; a new compliant password \\(12 characters\\) was issued`,
      ),
      'AD_ERR_PASSWORD_REFUSED with the domain’s reason',
    );
    t.notMatch(row?.last_error, /Ab1!/, 'the password is not in the message');
    t.equal(w.stats.passwordRefusals, 1);
    const dn = w.userDn('0750001A', 'Eleves', `Léa Martin (${login})`);
    t.match(await w.read(dn), { useraccountcontrol: ['514'] }, 'created, still disabled');
    const next = (await pendingPasswords(w.db, box, w.target, [id])).get(id);
    t.ok(next && next.password !== 'Ab1!' && next.password.length >= 12, 'a compliant one pending');

    // The row's retry sets it and enables the account; a bind with it succeeds.
    await w.due();
    t.same(await w.sync(), { applied: 1, failed: 0, excluded: 0 });
    t.match(await w.read(dn), { useraccountcontrol: ['512'] }, 'enabled');
    await bindAs(w, `${login}@aaf.test`, next!.password);
    t.pass('the new password binds');
    const stored = await w.db
      .selectFrom('credential')
      .select('state')
      .where('person_id', '=', id)
      .executeTakeFirstOrThrow();
    t.equal(stored.state, 'set', 'the sheet can list it');
  },
);

t.test(
  'a clear ldap:// URL: no bind and no password are sent, the rows stay pending',
  async (t) => {
    const w = await adWorld(t);
    await pupil(w, 'E1', 'lmartin', 'Léa', 'Martin');
    await provisionAll(w);
    const clear = w.driverWith({ url: 'ldap://127.0.0.1:389' });
    const err = await reconcileBatch(w.db, w.target, clear, { batchSize: 50 }).catch(
      (e: unknown) => e,
    );
    t.ok(AdErrors.CLEAR_CHANNEL.is(err), 'AD_ERR_CLEAR_CHANNEL');
    t.match((await w.rows()).get('E1'), { status: 'pending', target_key: null });
    const tested = await clear.test();
    t.equal(tested.ok, false);
    t.match(tested.detail, /clear connection \(ldap:\/\/127\.0\.0\.1:389\)/);
    const held = await w.admin.search(w.ad.baseDn, { scope: 'one', attributes: ['1.1'] });
    t.equal(held.length, 0, 'nothing written in the OU');
  },
);

t.test(
  'the domain down (a closed port), then up: rows stay pending, then applied once',
  async (t) => {
    const w = await adWorld(t);
    await pupil(w, 'E1', 'lmartin', 'Léa', 'Martin');
    await pupil(w, 'E2', 'tpetit', 'Tom', 'Petit');
    await provisionAll(w);
    const sleeps: number[] = [];
    const down = w.driverWith(
      { url: `ldaps://127.0.0.1:${await freePort()}` },
      { pool: { sleep: async (ms) => void sleeps.push(ms) } },
    );
    await t.rejects(
      reconcileBatch(w.db, w.target, down, { batchSize: 50 }),
      { code: 'LDAP_ERR_UNAVAILABLE' },
      'the whole target is unavailable',
    );
    t.ok(sleeps.length >= 3, 'retried with backoff before giving up');
    const rows = await w.rows();
    t.match(rows.get('E1'), { status: 'pending', target_key: null });
    t.match(rows.get('E2'), { status: 'pending', target_key: null });

    // Up again (the target's real URL): everything applied once.
    t.same(await w.sync(), { applied: 2, failed: 0, excluded: 0 });
    for (const j of ['E1', 'E2']) {
      const found = await w.admin.search(w.ad.baseDn, {
        filter: `(employeeNumber=${j})`,
        attributes: ['userAccountControl'],
      });
      t.equal(found.length, 1, `${j}: one entry`);
      t.same(found[0]?.attributes.useraccountcontrol, ['512'], `${j}: enabled`);
    }
    t.equal(w.stats.passwords, 2, 'one password each');
  },
);

t.test(
  'an entry added before a crash (the batch rolled back) is adopted: no duplicate, its password set',
  async (t) => {
    const w = await adWorld(t);
    await pupil(w, 'E1', 'lmartin', 'Léa', 'Martin');
    await provisionAll(w);
    const login = w.login('lmartin');
    const dn = w.userDn('0750001A', 'Eleves', `Léa Martin (${login})`);
    // What a crashed attempt leaves: the OUs and the user, disabled, with no password.
    const est = `OU=0750001A,${w.ad.baseDn}`;
    await w.admin.add(est, { objectClass: ['organizationalUnit'], ou: ['0750001A'] });
    await w.admin.add(`OU=Eleves,${est}`, { objectClass: ['organizationalUnit'], ou: ['Eleves'] });
    await w.admin.add(dn, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: [login],
      sn: ['Martin'],
      userAccountControl: ['514'],
    });
    t.same(await w.sync(), { applied: 1, failed: 0, excluded: 0 });
    const found = await w.admin.search(w.ad.baseDn, {
      filter: `(sAMAccountName=${login})`,
      attributes: ['userAccountControl', 'employeeNumber', 'givenName'],
    });
    t.equal(found.length, 1, 'one entry');
    t.same(found[0]?.attributes.employeenumber, ['E1'], 'completed with our attributes');
    t.same(found[0]?.attributes.useraccountcontrol, ['512'], 'enabled');
    const password = await w.db
      .selectFrom('credential')
      .select(['state'])
      .where('login', '=', login)
      .executeTakeFirstOrThrow();
    t.equal(password.state, 'set', 'its initial password set');
  },
);
