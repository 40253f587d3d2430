import { z } from 'zod';
import { LdapErrors } from './errors.js';

/** An entry as read: its DN and its attributes, names lower-cased, values as strings. */
export interface LdapEntry {
  readonly dn: string;
  readonly attributes: Readonly<Record<string, readonly string[]>>;
}

/** One change of a modify: `replace` with no values deletes the attribute. */
export interface LdapChange {
  readonly operation: 'add' | 'delete' | 'replace';
  readonly attribute: string;
  readonly values: readonly string[];
}

export interface LdapSearchOptions {
  readonly scope?: 'base' | 'one' | 'sub';
  readonly filter?: string;
  /** Attributes to return (default: all user attributes). */
  readonly attributes?: readonly string[];
  /** Paged results control (RFC 2696) page size; 0 disables paging. Default 500. */
  readonly pageSize?: number;
}

/**
 * One bound connection. Every method rejects with an AppError: `LDAP_ERR_REJECTED` (this
 * operation refused for good, `details.resultCode`), `LDAP_ERR_BIND_REFUSED`, or
 * `LDAP_ERR_UNAVAILABLE` (network, timeout, busy/unavailable server: the connection is spent).
 */
export interface LdapSession {
  /** Whether the connection is encrypted (`ldaps://`, or upgraded with StartTLS). */
  readonly encrypted: boolean;
  search(base: string, options?: LdapSearchOptions): Promise<LdapEntry[]>;
  /**
   * The same search, paged (`pageSize`, default 500), handing each page to `onPage` as it
   * arrives instead of gathering the whole result: a caller keeping only some of the entries
   * (those under some containers) holds no more than a page of the rest. Resolves with the
   * number of entries read.
   */
  searchPages(
    base: string,
    options: LdapSearchOptions,
    onPage: (entries: readonly LdapEntry[]) => void,
  ): Promise<number>;
  /** The entry at `dn`, or null when there is none (no such object). */
  read(dn: string, attributes?: readonly string[]): Promise<LdapEntry | null>;
  /**
   * Adds an entry. `secret.unicodePwd` (Active Directory) adds the password to the same add,
   * encoded as `setUnicodePwd` does and under the same rule: on a clear session the add is refused
   * with `LDAP_ERR_CLEAR_PASSWORD` and nothing is sent.
   */
  add(
    dn: string,
    attributes: Readonly<Record<string, readonly string[]>>,
    secret?: { readonly unicodePwd: string },
  ): Promise<void>;
  modify(dn: string, changes: readonly LdapChange[]): Promise<void>;
  delete(dn: string): Promise<void>;
  /** Moves or renames an entry to the full DN `newDn`. */
  modifyDn(dn: string, newDn: string): Promise<void>;
  /** Sets `userPassword` to the salted SHA-1 (`{SSHA}`) of `password`: the clear value never leaves. */
  setPassword(dn: string, password: string): Promise<void>;
  /**
   * Active Directory: replaces `unicodePwd` with the quoted password in UTF-16LE (an
   * administrator's reset), then applies `also` in the same modify (e.g. enabling the account:
   * both or neither). Only on an encrypted connection (`ldaps://` or StartTLS); on a clear one it
   * rejects with `LDAP_ERR_CLEAR_PASSWORD` and sends nothing.
   */
  setUnicodePwd(dn: string, password: string, also?: readonly LdapChange[]): Promise<void>;
  /** Binds again on this connection as `dn` (checks a password; the pool rebinds its own). */
  bind(dn: string, password: string): Promise<void>;
  close(): Promise<void>;
}

const ldapUrl = z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'expected ldap[s]://host[:port]');

/** How to reach and bind to one server (a target's options and secret, validated). */
export const LdapConnectionOptions = z.strictObject({
  url: ldapUrl,
  bindDn: z.string().min(1).max(512),
  bindPassword: z.string().min(1).max(1024),
  /** Upgrade a plain `ldap://` connection with StartTLS before binding. */
  startTls: z.boolean().default(false),
  /** TLS settings for `ldaps://` and StartTLS: extra CA certificates (PEM), verification. */
  tls: z
    .strictObject({
      ca: z.string().min(1).optional(),
      rejectUnauthorized: z.boolean().default(true),
    })
    .default({ rejectUnauthorized: true }),
  /** Per operation and TCP connect time limits. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  connectTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
});
export type LdapConnectionOptions = z.output<typeof LdapConnectionOptions>;
export type LdapConnectionInput = z.input<typeof LdapConnectionOptions>;

export function parseConnectionOptions(input: unknown): LdapConnectionOptions {
  const parsed = LdapConnectionOptions.safeParse(input);
  if (!parsed.success) {
    throw LdapErrors.INVALID_OPTIONS({
      problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    });
  }
  return parsed.data;
}

/** Opens one bound session (the implementation: `connectLdapts`). */
export type LdapConnector = (options: LdapConnectionOptions) => Promise<LdapSession>;
