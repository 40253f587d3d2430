import { sshaHash } from '@aaf-sync/ldap';
import { testLdap } from '@aaf-sync/testing';
import { Client } from 'ldapts';
import t from 'tap';
import { generatePassword } from '../src/index.js';

t.test('slapd accepts a bind with a generated password stored as our {SSHA}', async (t) => {
  const ldap = await testLdap(t);
  const password = generatePassword();
  const dn = `cn=pupil,${ldap.baseDn}`;
  await ldap.client.add(dn, {
    objectClass: ['top', 'person'],
    cn: 'pupil',
    sn: 'Pupil',
    userPassword: sshaHash(password),
  });
  const user = new Client({ url: ldap.url, timeout: 5_000, connectTimeout: 5_000 });
  t.teardown(() => user.unbind());
  await user.bind(dn, password);
  t.pass('bound with the clear password');
  const other = new Client({ url: ldap.url, timeout: 5_000, connectTimeout: 5_000 });
  t.teardown(() => other.unbind());
  await t.rejects(other.bind(dn, `${password}x`), { code: 49 }, 'a wrong password is refused');
});
