import {
  accountEnabled,
  connectLdapts,
  parseConnectionOptions,
  type LdapConnector,
} from '@aaf-sync/ldap';
import type { KoxoReadBackOptions } from './koxo-options.js';

/** One AD account carrying an employeeNumber, as the read-back records it. */
export interface AdAccount {
  readonly employeeNumber: string;
  readonly dn: string;
  readonly samAccountName: string | null;
  readonly homeDirectory: string | null;
  /** From userAccountControl (ACCOUNTDISABLE unset); null when the attribute is not readable. */
  readonly enabled: boolean | null;
  /** The value of `uaiAttribute` when the target sets one. */
  readonly uai: string | null;
}

/** Every user under the base DN with an employeeNumber: objectClass user, any employeeNumber. */
export const READBACK_FILTER = '(&(objectClass=user)(employeeNumber=*))';

/**
 * One pass over the site's AD: a single bound session (read-only account), one paged subtree
 * search under `baseDn` for users carrying an employeeNumber, 500 entries a page. Rejects with
 * an `LDAP_ERR_*` AppError when the server cannot be reached, refuses the bind or the search.
 */
function sessionFor(o: KoxoReadBackOptions, bindPassword: string, connect: LdapConnector) {
  return connect(
    parseConnectionOptions({
      url: o.url,
      bindDn: o.bindDn,
      bindPassword,
      startTls: o.startTls,
      tls: o.tls,
      timeoutMs: o.timeoutMs,
    }),
  );
}

/** The connection test of the read-back: binds, and reads the base DN (false when absent). */
export async function checkReadBack(
  o: KoxoReadBackOptions,
  bindPassword: string,
  connect: LdapConnector = connectLdapts,
): Promise<boolean> {
  const session = await sessionFor(o, bindPassword, connect);
  try {
    return (await session.read(o.baseDn, ['distinguishedName'])) !== null;
  } finally {
    await session.close().catch(() => undefined);
  }
}

export async function readAdAccounts(
  o: KoxoReadBackOptions,
  bindPassword: string,
  connect: LdapConnector = connectLdapts,
): Promise<AdAccount[]> {
  const session = await sessionFor(o, bindPassword, connect);
  try {
    const uaiAttr = o.uaiAttribute?.toLowerCase() ?? null;
    const entries = await session.search(o.baseDn, {
      scope: 'sub',
      filter: READBACK_FILTER,
      attributes: [
        'employeeNumber',
        'sAMAccountName',
        'homeDirectory',
        'userAccountControl',
        ...(o.uaiAttribute ? [o.uaiAttribute] : []),
      ],
      pageSize: 500,
    });
    const out: AdAccount[] = [];
    for (const e of entries) {
      const a = e.attributes;
      const employeeNumber = a['employeenumber']?.[0]?.trim();
      if (!employeeNumber) continue;
      out.push({
        employeeNumber,
        dn: e.dn,
        samAccountName: a['samaccountname']?.[0] ?? null,
        homeDirectory: a['homedirectory']?.[0] ?? null,
        enabled: accountEnabled(a['useraccountcontrol']?.[0]),
        uai: uaiAttr ? (a[uaiAttr]?.[0]?.trim().toUpperCase() ?? null) : null,
      });
    }
    return out;
  } finally {
    await session.close().catch(() => undefined);
  }
}
