import { Attribute, Change, InvalidCredentialsError } from 'ldapts';
import t from 'tap';
import { testAd, unicodePwd } from '../src/index.js';

const PASSWORD = 'Rentree-2026-ok';

t.test(
  'testAd: a user added over LDAPS with unicodePwd binds; the OU goes at teardown',
  async (t) => {
    let ouDn = '';
    await t.test('inner', async (t) => {
      const ad = await testAd(t);
      ouDn = ad.baseDn;
      const dn = `CN=Jeanne Martin,${ad.baseDn}`;
      await ad.client.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: 'jmartin9',
        userPrincipalName: `jmartin9@${ad.realm}`,
        givenName: 'Jeanne',
        sn: 'Martin',
        employeeNumber: 'J-0001',
      });
      // Created disabled; the password goes over LDAPS, then the account is enabled.
      await ad.client.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(PASSWORD)] }),
        }),
      ]);
      await ad.client.modify(dn, [
        new Change({
          operation: 'replace',
          modification: new Attribute({ type: 'userAccountControl', values: ['512'] }),
        }),
      ]);

      const { searchEntries } = await ad.client.search(ad.baseDn, {
        filter: '(employeeNumber=J-0001)',
        attributes: ['sAMAccountName', 'userAccountControl'],
      });
      t.equal(searchEntries.length, 1, 'found by employeeNumber');
      t.equal(searchEntries[0]?.sAMAccountName, 'jmartin9');
      t.equal(searchEntries[0]?.userAccountControl, '512', 'enabled');

      const user = ad.connect();
      await user.bind(`jmartin9@${ad.realm}`, PASSWORD);
      await user.unbind();
      const wrong = ad.connect();
      t.teardown(() => wrong.unbind());
      await t.rejects(
        wrong.bind(`jmartin9@${ad.realm}`, 'Not-the-password-1'),
        InvalidCredentialsError,
      );

      // The domain's password policy refuses a weak password (constraint violation).
      await t.rejects(
        ad.client.modify(dn, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd('abc')] }),
          }),
        ]),
        'a weak password is refused',
      );

      await ad.client.del(dn);
      const after = await ad.client.search(ad.baseDn, { filter: '(employeeNumber=J-0001)' });
      t.equal(after.searchEntries.length, 0, 'deleted');
    });
    const check = await testAd(t);
    await t.rejects(check.client.search(ouDn, { scope: 'base' }), 'the OU is gone');
  },
);
