import { loadConfig } from '@aaf-sync/config';
import { Client } from 'ldapts';
import { randomSuffix, type TeardownHost } from './teardown.js';

export interface TestLdap {
  readonly url: string;
  readonly bindDn: string;
  readonly bindPassword: string;
  /** The subtree of this test file, e.g. `ou=t-123_ab,o=gouv,c=fr`; removed at teardown. */
  readonly baseDn: string;
  /** A bound client (unbound at teardown). */
  readonly client: Client;
}

async function deleteSubtree(client: Client, dn: string): Promise<void> {
  const { searchEntries } = await client.search(dn, { scope: 'sub', attributes: ['1.1'] });
  // Children before parents: longer DNs first.
  const dns = searchEntries.map((e) => e.dn).sort((a, b) => b.length - a.length);
  for (const entry of dns) await client.del(entry);
}

/** An LDAP subtree of its own for the calling test file, on the slapd of scripts/services. */
export async function testLdap(t: TeardownHost): Promise<TestLdap> {
  const { url, baseDn: root, bindDn, bindPassword } = loadConfig().ldap;
  const client = new Client({ url, timeout: 10_000, connectTimeout: 5_000 });
  await client.bind(bindDn, bindPassword);
  const ou = `t-${randomSuffix()}`;
  const baseDn = `ou=${ou},${root}`;
  await client.add(baseDn, { objectClass: ['top', 'organizationalUnit'], ou });
  t.teardown(async () => {
    try {
      await deleteSubtree(client, baseDn);
    } finally {
      await client.unbind();
    }
  });
  return { url, bindDn, bindPassword, baseDn, client };
}
