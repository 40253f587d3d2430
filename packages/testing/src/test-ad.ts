import { loadConfig } from '@aaf-sync/config';
import { Client } from 'ldapts';
import { randomSuffix, type TeardownHost } from './teardown.js';

export interface TestAd {
  readonly url: string;
  readonly bindDn: string;
  readonly bindPassword: string;
  /** The domain's naming context, e.g. `DC=aaf,DC=test`. */
  readonly domainDn: string;
  /** The realm in lower case, for userPrincipalName (`aaf.test`). */
  readonly realm: string;
  /** The OU of this test, e.g. `OU=t-123_ab,DC=aaf,DC=test`; removed with its content at teardown. */
  readonly baseDn: string;
  /** A client bound as the domain administrator over LDAPS (unbound at teardown). */
  readonly client: Client;
  /** A new LDAPS client (not bound), e.g. to bind as a test user. */
  connect(): Client;
}

/** The `unicodePwd` value AD expects: the password in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

async function deleteSubtree(client: Client, dn: string): Promise<void> {
  const { searchEntries } = await client.search(dn, { scope: 'sub', attributes: ['1.1'] });
  const dns = searchEntries.map((e) => e.dn).sort((a, b) => b.length - a.length);
  for (const entry of dns) await client.del(entry);
}

/**
 * An OU of its own on the Samba AD DC of scripts/services (LDAPS, the self-signed certificate
 * accepted), for the calling test. Needs AD_BIND_PASSWORD (written to .cache/services/env by
 * `scripts/services up`).
 */
export async function testAd(t: TeardownHost): Promise<TestAd> {
  const { url, baseDn: domainDn, bindDn, bindPassword } = loadConfig().ad;
  if (!bindPassword) {
    throw new Error('AD_BIND_PASSWORD is not set: run scripts/services up and source its env file');
  }
  const connect = () =>
    new Client({
      url,
      timeout: 15_000,
      connectTimeout: 5_000,
      tlsOptions: { rejectUnauthorized: false },
    });
  const client = connect();
  await client.bind(bindDn, bindPassword);
  const ou = `t-${randomSuffix()}`;
  const baseDn = `OU=${ou},${domainDn}`;
  await client.add(baseDn, { objectClass: ['top', 'organizationalUnit'], ou });
  t.teardown(async () => {
    try {
      await deleteSubtree(client, baseDn);
    } finally {
      await client.unbind();
    }
  });
  const realm = domainDn
    .split(',')
    .map((p) => p.replace(/^DC=/i, ''))
    .join('.')
    .toLowerCase();
  return { url, bindDn, bindPassword, domainDn, realm, baseDn, client, connect };
}
