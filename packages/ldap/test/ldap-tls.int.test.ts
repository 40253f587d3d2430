import t from 'tap';
import { ownSlapd } from '@aaf-sync/testing';
import {
  connectLdapts,
  createLdapPool,
  LdapErrors,
  parseConnectionOptions,
  type LdapConnectionInput,
} from '../src/index.js';

// A slapd of this test's own with a CA and a certificate made for it (the same TLS set-up as the
// slapd of scripts/services: LDAPS on a second port, StartTLS on the plain one).
t.test('LDAPS and StartTLS against a TLS server; an unknown certificate is refused', async (t) => {
  const slapd = await ownSlapd(t, { tls: true });
  const ldapsUrl = slapd.ldapsUrl!;
  const caPem = slapd.caPem!;
  const base = { bindDn: slapd.bindDn, bindPassword: slapd.bindPassword, connectTimeoutMs: 2000 };
  const open = (o: Omit<LdapConnectionInput, 'bindDn' | 'bindPassword'>) =>
    connectLdapts(parseConnectionOptions({ ...base, ...o }));

  const ldaps = await open({ url: ldapsUrl, tls: { ca: caPem } });
  t.equal(ldaps.encrypted, true, 'ldaps:// is encrypted');
  t.ok(await ldaps.read('o=gouv,c=fr'), 'LDAPS with the CA: bound and read');
  await ldaps.close();

  const startTls = await open({ url: slapd.url, startTls: true, tls: { ca: caPem } });
  t.equal(startTls.encrypted, true, 'upgraded with StartTLS');
  t.ok(await startTls.read('o=gouv,c=fr'), 'StartTLS with the CA: bound and read');
  // A password set over the encrypted connection opens a session over LDAPS.
  const dn = 'cn=tls-user,o=gouv,c=fr';
  await startTls.add(dn, { objectClass: ['inetOrgPerson'], cn: ['tls-user'], sn: ['User'] });
  await startTls.setPassword(dn, 'Tls-Secret-42');
  const user = await connectLdapts(
    parseConnectionOptions({
      url: ldapsUrl,
      bindDn: dn,
      bindPassword: 'Tls-Secret-42',
      tls: { ca: caPem },
    }),
  );
  await user.close();
  await startTls.close();

  const plain = await open({ url: slapd.url });
  t.equal(plain.encrypted, false, 'plain ldap:// is not');
  await plain.close();

  // The CA is required by default: a certificate nobody vouches for is refused, and not retried.
  await t.rejects(
    open({ url: ldapsUrl }),
    { code: LdapErrors.TLS_REFUSED.code, message: /certificate/i },
    'LDAPS without the CA: refused',
  );
  await t.rejects(
    open({ url: slapd.url, startTls: true }),
    { code: LdapErrors.TLS_REFUSED.code, message: /certificate/i },
    'StartTLS without the CA: refused',
  );
  const delays: number[] = [];
  const pool = createLdapPool(parseConnectionOptions({ ...base, url: ldapsUrl }), {
    retries: 1,
    sleep: async (ms) => void delays.push(ms),
  });
  await t.rejects(
    pool.run((s) => s.read('o=gouv,c=fr')),
    { code: LdapErrors.TLS_REFUSED.code },
  );
  t.same(delays, [], 'a refused certificate is not retried');
  await pool.close();
  // Verification off (tlsRejectUnauthorized-style), explicitly: then it connects.
  const unchecked = await open({ url: ldapsUrl, tls: { rejectUnauthorized: false } });
  t.ok(await unchecked.read('o=gouv,c=fr'), 'rejectUnauthorized: false accepts it');
  await unchecked.close();
});
