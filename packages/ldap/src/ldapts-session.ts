// The ONE file that knows ldapts: swapping the LDAP library means rewriting this file only.
import { Attribute, Change, Client, ResultCodeError } from 'ldapts';
import type { AppError } from '@aaf-sync/errors';
import type {
  LdapChange,
  LdapConnectionOptions,
  LdapConnector,
  LdapEntry,
  LdapSearchOptions,
  LdapSession,
} from './client.js';
import { LdapErrors } from './errors.js';
import { LDAP_RESULT } from './result-codes.js';
import { sshaHash } from './ssha.js';

/** Result codes that say "try again later" (RFC 4511 busy, unavailable, time limit, other). */
const TRANSIENT_RESULT_CODES = new Set([3, 51, 52]);

/** The `unicodePwd` value Active Directory expects: the password in double quotes, UTF-16LE. */
export function unicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le');
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Node's codes for a server certificate it does not accept (a configuration matter, not an outage). */
const CERTIFICATE_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function certificateRefused(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CERTIFICATE_CODES.has(code);
}

/** Maps what ldapts threw to our catalogue (permanent per operation, or unavailable). */
function translate(err: unknown, url: string, operation: string, dn: string): AppError {
  if (err instanceof ResultCodeError) {
    if (TRANSIENT_RESULT_CODES.has(err.code)) {
      return LdapErrors.UNAVAILABLE({ url, reason: reasonOf(err) }, { cause: err });
    }
    if (err.code === LDAP_RESULT.INVALID_CREDENTIALS && operation === 'bind') {
      return LdapErrors.BIND_REFUSED({ url, dn, reason: reasonOf(err) }, { cause: err });
    }
    return LdapErrors.REJECTED(
      { operation, dn, reason: reasonOf(err), resultCode: err.code },
      { cause: err },
    );
  }
  if (certificateRefused(err)) {
    return LdapErrors.TLS_REFUSED({ url, reason: reasonOf(err) }, { cause: err });
  }
  // Connection refused/reset, TLS failure, timeouts, a closed socket: the server is not usable.
  return LdapErrors.UNAVAILABLE({ url, reason: reasonOf(err) }, { cause: err });
}

function toChange(c: LdapChange): Change {
  return new Change({
    operation: c.operation,
    modification: new Attribute({ type: c.attribute, values: [...c.values] }),
  });
}

const asString = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));

function toStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [asString(value)];
  // ldapts hands over a fresh array, most often of strings already: kept as it is then.
  return value.every((v) => typeof v === 'string') ? (value as string[]) : value.map(asString);
}

/** Attribute names lower-cased, by name as the server wrote it (the same few, entry after entry). */
const lowerNames = new Map<string, string>();
function lower(name: string): string {
  let low = lowerNames.get(name);
  if (low === undefined) {
    low = name.toLowerCase();
    if (lowerNames.size < 10_000) lowerNames.set(name, low);
  }
  return low;
}

function toEntry(raw: Record<string, unknown>): LdapEntry {
  const attributes: Record<string, string[]> = {};
  for (const name of Object.keys(raw)) {
    if (name === 'dn') continue;
    const values = toStrings(raw[name]);
    // ldapts lists attributes asked for but absent with no value: absent here.
    if (values.length > 0) attributes[lower(name)] = values;
  }
  return { dn: String(raw.dn), attributes };
}

/** Opens a connection with ldapts (LDAPS, or StartTLS when asked), binds, returns the session. */
export const connectLdapts: LdapConnector = async (options: LdapConnectionOptions) => {
  const { url } = options;
  const tlsOptions = {
    ...(options.tls.ca ? { ca: [options.tls.ca] } : {}),
    rejectUnauthorized: options.tls.rejectUnauthorized,
  };
  const client = new Client({
    url,
    timeout: options.timeoutMs,
    connectTimeout: options.connectTimeoutMs,
    // ldapts treats any tlsOptions as "connect with TLS": only for ldaps://.
    ...(url.startsWith('ldaps:') ? { tlsOptions } : {}),
    strictDN: false,
  });
  // A connection error after an operation started must not crash the process.
  const run = async <T>(operation: string, dn: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw translate(err, url, operation, dn);
    }
  };
  try {
    if (options.startTls) await run('startTLS', '', () => client.startTLS(tlsOptions));
    await run('bind', options.bindDn, () => client.bind(options.bindDn, options.bindPassword));
  } catch (err) {
    await client.unbind().catch(() => undefined);
    throw err;
  }

  const encrypted = url.startsWith('ldaps:') || options.startTls;
  // slapd keeps one paged-results state per connection: paged searches of runs sharing this
  // connection (pool `perSession`) go one after the other; other operations are not held up.
  let pagedTurn: Promise<unknown> = Promise.resolve();
  const session: LdapSession = {
    encrypted,
    search: (base: string, o: LdapSearchOptions = {}) =>
      run('search', base, async () => {
        const pageSize = o.pageSize ?? 500;
        const search = () =>
          client.search(base, {
            scope: o.scope ?? 'sub',
            filter: o.filter ?? '(objectClass=*)',
            ...(o.attributes ? { attributes: [...o.attributes] } : {}),
            ...(pageSize > 0 ? { paged: { pageSize } } : {}),
          });
        let result: Awaited<ReturnType<typeof search>>;
        if (pageSize > 0) {
          const turn = pagedTurn.then(search, search);
          pagedTurn = turn.catch(() => undefined);
          result = await turn;
        } else {
          result = await search();
        }
        return result.searchEntries.map((e) => toEntry(e as Record<string, unknown>));
      }),
    searchPages: (base, o, onPage) =>
      run('search', base, async () => {
        const pages = async () => {
          let read = 0;
          for await (const page of client.searchPaginated(base, {
            scope: o.scope ?? 'sub',
            filter: o.filter ?? '(objectClass=*)',
            ...(o.attributes ? { attributes: [...o.attributes] } : {}),
            paged: { pageSize: o.pageSize || 500 },
          })) {
            read += page.searchEntries.length;
            onPage(page.searchEntries.map((e) => toEntry(e as Record<string, unknown>)));
          }
          return read;
        };
        const turn = pagedTurn.then(pages, pages);
        pagedTurn = turn.catch(() => undefined);
        return turn;
      }),
    read: async (dn, attributes) => {
      try {
        const [entry] = await session.search(dn, { scope: 'base', attributes, pageSize: 0 });
        return entry ?? null;
      } catch (err) {
        if (LdapErrors.REJECTED.is(err) && err.details.resultCode === LDAP_RESULT.NO_SUCH_OBJECT)
          return null;
        throw err;
      }
    },
    add: async (dn, attributes, secret) => {
      if (secret && !encrypted) throw LdapErrors.CLEAR_PASSWORD({ dn, url });
      await run('add', dn, () =>
        client.add(dn, [
          ...Object.entries(attributes).map(
            ([type, values]) => new Attribute({ type, values: [...values] }),
          ),
          ...(secret
            ? [new Attribute({ type: 'unicodePwd', values: [unicodePwd(secret.unicodePwd)] })]
            : []),
        ]),
      );
    },
    modify: (dn, changes: readonly LdapChange[]) =>
      run('modify', dn, () => client.modify(dn, changes.map(toChange))),
    delete: (dn) => run('delete', dn, () => client.del(dn)),
    modifyDn: (dn, newDn) => run('modifyDN', dn, () => client.modifyDN(dn, newDn)),
    setPassword: (dn, password) =>
      session.modify(dn, [
        { operation: 'replace', attribute: 'userPassword', values: [sshaHash(password)] },
      ]),
    setUnicodePwd: async (dn, password, also = []) => {
      if (!encrypted) throw LdapErrors.CLEAR_PASSWORD({ dn, url });
      await run('modify', dn, () =>
        client.modify(dn, [
          new Change({
            operation: 'replace',
            modification: new Attribute({ type: 'unicodePwd', values: [unicodePwd(password)] }),
          }),
          ...also.map(toChange),
        ]),
      );
    },
    bind: (dn, password) => run('bind', dn, () => client.bind(dn, password)),
    close: () => client.unbind().catch(() => undefined),
  };
  return session;
};
