import t from 'tap';
import { connectLdapts, LdapErrors, parseConnectionOptions } from '@aaf-sync/ldap';
import { reconcileBatch } from '@aaf-sync/targets';
import { ownSlapd } from '@aaf-sync/testing';
import { recordingPasswords, scribeWorld, seedSchool, UAI_A } from './fixtures.js';

const ROOT = 'o=gouv,c=fr';

t.test(
  'a profile that sets passwords only over TLS: refused in clear, set over StartTLS / LDAPS',
  async (t) => {
    const slapd = await ownSlapd(t, { tls: true });
    const admin = await connectLdapts(
      parseConnectionOptions({
        url: slapd.url,
        bindDn: slapd.bindDn,
        bindPassword: slapd.bindPassword,
      }),
    );
    const profile = { passwordsOverTlsOnly: true };

    // In clear: entries are written, passwords are not, each account fails with the reason.
    const passwords = recordingPasswords();
    const plain = await scribeWorld(t, {
      url: slapd.url,
      baseDn: ROOT,
      adminOf: admin,
      deps: { passwords: passwords.port },
      options: { profile },
    });
    await seedSchool(plain);
    const first = await plain.sync();
    t.equal(first.applied, 0);
    t.equal(first.failed, 6, 'every account whose password is due fails');
    const rows = await plain.rows();
    t.match(rows.get('E1'), { status: 'failed', last_error: /only over TLS/ });
    const lea = await plain.read(plain.userDn(UAI_A, 'eleves', 'lea.martin'));
    t.ok(lea, 'the entry itself is written');
    t.notOk(lea?.userpassword, 'no password in clear');
    t.equal(passwords.set.size, 0, 'the passwords stay due');
    await plain.driver.close?.();
    await admin.delete(plain.userDn(UAI_A, 'eleves', 'lea.martin')).catch(() => undefined);
    await admin.close();

    // Over StartTLS with the server's CA: set, and the pupil binds over LDAPS with it.
    const tls = await scribeWorld(t, {
      url: slapd.url,
      baseDn: `ou=tls,${ROOT}`,
      adminOf: await (async () => {
        const s = await connectLdapts(
          parseConnectionOptions({
            url: slapd.url,
            bindDn: slapd.bindDn,
            bindPassword: slapd.bindPassword,
          }),
        );
        await s.add(`ou=tls,${ROOT}`, { objectClass: ['organizationalUnit'], ou: ['tls'] });
        return s;
      })(),
      deps: { passwords: passwords.port },
      options: { profile, startTls: true, tls: { ca: slapd.caPem } },
    });
    const ids = await seedSchool(tls);
    t.same(await tls.sync(), { applied: 6, failed: 0, excluded: 0 });
    t.equal(passwords.set.size, 6, 'every password set');
    const pupil = await connectLdapts(
      parseConnectionOptions({
        url: slapd.ldapsUrl!,
        bindDn: tls.userDn(UAI_A, 'eleves', 'lea.martin'),
        bindPassword: `Init-${ids.e1}-pw`,
        tls: { ca: slapd.caPem! },
      }),
    );
    t.equal(pupil.encrypted, true);
    await pupil.close();
    await tls.driver.close?.();

    // A target on LDAPS without the CA: the batch throws (certificate refused), rows stay pending.
    await tls.admin.add(`ou=unknown-ca,${ROOT}`, {
      objectClass: ['organizationalUnit'],
      ou: ['unknown-ca'],
    });
    const unknown = await scribeWorld(t, {
      url: slapd.ldapsUrl!,
      baseDn: `ou=unknown-ca,${ROOT}`,
      adminOf: tls.admin,
      options: { profile },
    });
    await seedSchool(unknown);
    await t.rejects(reconcileBatch(unknown.db, unknown.target, unknown.driver, { batchSize: 50 }), {
      code: LdapErrors.TLS_REFUSED.code,
    });
    t.same(
      [...(await unknown.rows()).values()].map((r) => r.status),
      Array(6).fill('pending'),
      'nothing recorded',
    );
  },
);
