import { createServer } from 'node:net';
import { testLdap } from '@aaf-sync/testing';
import t from 'tap';
import {
  connectLdapts,
  createLdapPool,
  escapeDnValue,
  LdapErrors,
  parseConnectionOptions,
  type LdapSession,
} from '../src/index.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

t.test(
  'a session adds, reads, pages, modifies, renames, sets a password and deletes',
  async (t) => {
    const ldap = await testLdap(t);
    const options = parseConnectionOptions({
      url: ldap.url,
      bindDn: ldap.bindDn,
      bindPassword: ldap.bindPassword,
    });
    const pool = createLdapPool(options, { size: 2 });
    t.teardown(() => pool.close());
    const people = `ou=people,${ldap.baseDn}`;
    await pool.run((s) => s.add(people, { objectClass: ['organizationalUnit'], ou: ['people'] }));
    // 25 entries read with a page size of 10: the paged control returns all of them.
    await pool.run(async (s) => {
      for (let i = 0; i < 25; i += 1) {
        await s.add(`uid=u${i},${people}`, {
          objectClass: ['inetOrgPerson'],
          uid: [`u${i}`],
          cn: [`User ${i}`],
          sn: ['User'],
        });
      }
    });
    const all = await pool.run((s) =>
      s.search(people, { scope: 'one', filter: '(uid=u*)', attributes: ['uid'], pageSize: 10 }),
    );
    t.equal(all.length, 25, 'every page read');
    t.same(all.find((e) => e.dn.startsWith('uid=u3,'))?.attributes, { uid: ['u3'] });
    // The same search page by page: three pages of at most 10, the same entries.
    const pages: number[] = [];
    const paged: string[] = [];
    const count = await pool.run((s) =>
      s.searchPages(
        people,
        { scope: 'one', filter: '(uid=u*)', attributes: ['uid'], pageSize: 10 },
        (entries) => {
          pages.push(entries.length);
          paged.push(...entries.map((e) => e.dn));
        },
      ),
    );
    t.equal(count, 25);
    t.same(pages, [10, 10, 5], 'handed over page by page');
    t.same(paged.sort(), all.map((e) => e.dn).sort());

    const dn = `uid=u1,${people}`;
    await pool.run((s) =>
      s.modify(dn, [
        { operation: 'replace', attribute: 'sn', values: ['Martin'] },
        { operation: 'add', attribute: 'mail', values: ['u1@example.org'] },
      ]),
    );
    const read = await pool.run((s) => s.read(dn, ['sn', 'mail', 'givenName']));
    t.same(read?.attributes, { sn: ['Martin'], mail: ['u1@example.org'] }, 'names lower-cased');
    t.equal(await pool.run((s) => s.read(`uid=nobody,${people}`)), null, 'absent → null');

    // A value that needs escaping in a DN.
    const odd = '3E+ "A", B';
    const oddDn = `cn=${escapeDnValue(odd)},${people}`;
    await pool.run((s) => s.add(oddDn, { objectClass: ['organizationalRole'], cn: [odd] }));
    t.same((await pool.run((s) => s.read(oddDn, ['cn'])))?.attributes.cn, [odd]);

    await pool.run((s) => s.modifyDn(dn, `uid=u1,${ldap.baseDn}`));
    t.equal(await pool.run((s) => s.read(dn)), null, 'moved away');
    const moved = `uid=u1,${ldap.baseDn}`;
    t.ok(await pool.run((s) => s.read(moved)), 'moved here');

    await pool.run((s) => s.setPassword(moved, 'Correct-Horse-7'));
    const stored = await pool.run((s) => s.read(moved, ['userPassword']));
    t.match(stored?.attributes.userpassword?.[0], /^\{SSHA\}/, 'stored hashed');
    const user = await connectLdapts({
      ...options,
      bindDn: moved,
      bindPassword: 'Correct-Horse-7',
    });
    await user.close();
    await t.rejects(
      connectLdapts({ ...options, bindDn: moved, bindPassword: 'wrong' }),
      { code: LdapErrors.BIND_REFUSED.code },
      'a wrong password is refused',
    );

    await pool.run((s) => s.delete(moved));
    t.equal(await pool.run((s) => s.read(moved)), null);
  },
);

t.test('permanent refusals are per operation, with the result code', async (t) => {
  const ldap = await testLdap(t);
  const pool = createLdapPool(
    parseConnectionOptions({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword }),
  );
  t.teardown(() => pool.close());
  const dn = `uid=x,${ldap.baseDn}`;
  // inetOrgPerson requires sn: object class violation (65).
  await t.rejects(
    pool.run((s) => s.add(dn, { objectClass: ['inetOrgPerson'], uid: ['x'], cn: ['X'] })),
    { code: LdapErrors.REJECTED.code, details: { resultCode: 65, operation: 'add' } },
  );
  await pool.run((s) =>
    s.add(dn, { objectClass: ['inetOrgPerson'], uid: ['x'], cn: ['X'], sn: ['X'] }),
  );
  await t.rejects(
    pool.run((s) =>
      s.add(dn, { objectClass: ['inetOrgPerson'], uid: ['x'], cn: ['X'], sn: ['X'] }),
    ),
    { code: LdapErrors.REJECTED.code, details: { resultCode: 68 } },
    'already exists',
  );
  await t.rejects(
    pool.run((s) =>
      s.modify(`uid=none,${ldap.baseDn}`, [
        { operation: 'replace', attribute: 'sn', values: ['Y'] },
      ]),
    ),
    { code: LdapErrors.REJECTED.code, details: { resultCode: 32 } },
    'no such object',
  );
  // The session that saw the refusals is still good.
  t.ok(await pool.run((s) => s.read(dn)));
  await t.rejects(
    createLdapPool(
      parseConnectionOptions({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: 'nope' }),
    ).run((s) => s.read(dn)),
    { code: LdapErrors.BIND_REFUSED.code },
  );
});

t.test('an unreachable server is retried with backoff, then surfaced as unavailable', async (t) => {
  const port = await freePort();
  const delays: number[] = [];
  const pool = createLdapPool(
    parseConnectionOptions({
      url: `ldap://127.0.0.1:${port}`,
      bindDn: 'cn=admin,o=gouv,c=fr',
      bindPassword: 'x',
      connectTimeoutMs: 1000,
    }),
    { retries: 3, retryBaseMs: 50, sleep: async (ms) => void delays.push(ms) },
  );
  let calls = 0;
  await t.rejects(
    pool.run(async (s: LdapSession) => {
      calls += 1;
      return s.read('o=gouv,c=fr');
    }),
    { code: LdapErrors.UNAVAILABLE.code, retryable: true },
  );
  t.same(delays, [50, 100, 200], 'three retries, doubling');
  t.equal(calls, 0, 'no session was ever lent');
  await pool.close();
});

t.test('options are validated', async (t) => {
  t.throws(() => parseConnectionOptions({ url: 'http://x', bindDn: 'cn=a', bindPassword: 'p' }), {
    code: LdapErrors.INVALID_OPTIONS.code,
  });
  const o = parseConnectionOptions({ url: 'ldaps://h:636', bindDn: 'cn=a', bindPassword: 'p' });
  t.equal(o.startTls, false);
  t.equal(o.tls.rejectUnauthorized, true);
});

t.test('unicodePwd is never sent over a clear connection', async (t) => {
  const ldap = await testLdap(t);
  const session = await connectLdapts(
    parseConnectionOptions({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword }),
  );
  t.teardown(() => session.close());
  t.equal(session.encrypted, false, 'ldap:// without StartTLS is clear');
  const dn = `uid=clear,${ldap.baseDn}`;
  await session.add(dn, { objectClass: ['inetOrgPerson'], uid: ['clear'], cn: ['C'], sn: ['C'] });
  const err = await session.setUnicodePwd(dn, 'Never-Sent-42').catch((e: unknown) => e);
  t.ok(LdapErrors.CLEAR_PASSWORD.is(err), 'LDAP_ERR_CLEAR_PASSWORD');
  t.notMatch(String((err as Error).message), /Never-Sent/, 'the password is not in the message');
  // slapd has no unicodePwd attribute: had the modify been sent, it would have been refused (17).
  const read = await session.read(dn, ['userPassword']);
  t.same(read?.attributes, {}, 'nothing written');
});

t.test(
  'perSession: several runs share one connection, operations in flight together',
  async (t) => {
    const ldap = await testLdap(t);
    let connections = 0;
    const pool = createLdapPool(
      parseConnectionOptions({
        url: ldap.url,
        bindDn: ldap.bindDn,
        bindPassword: ldap.bindPassword,
      }),
      {
        size: 2,
        perSession: 3,
        connect: async (o) => {
          connections += 1;
          return connectLdapts(o);
        },
      },
    );
    t.teardown(() => pool.close());
    let inFlight = 0;
    let most = 0;
    const added = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool.run(async (s) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          const dn = `cn=p${i},${ldap.baseDn}`;
          await s.add(dn, { objectClass: ['organizationalRole'], cn: [`p${i}`] });
          inFlight -= 1;
          return dn;
        }),
      ),
    );
    t.equal(connections, 2, 'no more connections than the size');
    t.equal(most, 6, 'size × perSession runs at once');
    const found = await pool.run((s) => s.search(ldap.baseDn, { filter: '(cn=p*)' }));
    t.same(found.map((e) => e.dn).sort(), [...added].sort(), 'every add applied once');
    // slapd keeps one paged-results state per connection: paged searches sharing one still each
    // get every page.
    const pages = await Promise.all(
      Array.from({ length: 8 }, () =>
        pool.run((s) => s.search(ldap.baseDn, { filter: '(cn=p*)', pageSize: 5 })),
      ),
    );
    t.same(
      pages.map((p) => p.length),
      Array(8).fill(12),
      'concurrent paged searches on shared connections are complete',
    );
  },
);
