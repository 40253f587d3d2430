import { randomBytes } from 'node:crypto';
import { connectLdapts, parseConnectionOptions } from '@aaf-sync/ldap';
import { unicodePwd, type TestAd } from '@aaf-sync/testing';

/**
 * A test helper playing KoXo Administrator on the Samba AD DC of scripts/services: it creates,
 * disables and deletes the accounts a KoXo site would, in the test's own OU, as the domain
 * administrator (KoXo's service account). sAMAccountNames are unique in the whole domain, so
 * callers give logins with a per-test suffix.
 */
export interface KoxoSite {
  /** Creates the account KoXo makes from a CSV row (enabled unless said otherwise). */
  create(a: {
    login: string;
    employeeNumber: string;
    enabled?: boolean;
    department?: string;
  }): Promise<string>;
  disable(dn: string): Promise<void>;
  /** What a site with SyncDoNotDeleteUsers=0 does to an orphan. */
  remove(dn: string): Promise<void>;
  /** A read-only account for the read-back (any authenticated user may read the OU). */
  reader(): Promise<{ dn: string; password: string }>;
}

/** userAccountControl: NORMAL_ACCOUNT | PASSWD_NOTREQD (a KoXo account before its password). */
const ENABLED = '544';
const DISABLED = '546';

export function koxoSite(ad: TestAd): KoxoSite {
  return {
    async create(a) {
      const dn = `CN=${a.login},${ad.baseDn}`;
      await ad.client.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: a.login,
        userPrincipalName: `${a.login}@${ad.realm}`,
        employeeNumber: a.employeeNumber,
        homeDirectory: `\\\\srv-koxo\\eleves$\\${a.login}`,
        userAccountControl: a.enabled === false ? DISABLED : ENABLED,
        ...(a.department ? { department: a.department } : {}),
      });
      return dn;
    },
    async disable(dn) {
      const session = await connectLdapts(
        parseConnectionOptions({
          url: ad.url,
          bindDn: ad.bindDn,
          bindPassword: ad.bindPassword,
          tls: { rejectUnauthorized: false },
        }),
      );
      try {
        await session.modify(dn, [
          { operation: 'replace', attribute: 'userAccountControl', values: [DISABLED] },
        ]);
      } finally {
        await session.close();
      }
    },
    async remove(dn) {
      await ad.client.del(dn);
    },
    async reader() {
      const login = `rd-${randomBytes(4).toString('hex')}`;
      const password = `Rb-${randomBytes(12).toString('base64url')}-9a`;
      const dn = `CN=${login},${ad.baseDn}`;
      await ad.client.add(dn, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: login,
        userPrincipalName: `${login}@${ad.realm}`,
        // ldapts sends Buffer values as they are (its object form is typed strings only).
        unicodePwd: unicodePwd(password) as unknown as string,
        userAccountControl: '512',
      });
      return { dn, password };
    },
  };
}
