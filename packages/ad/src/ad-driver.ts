import {
  createLdapPool,
  eachLimited,
  LDAP_RESULT,
  mapLimited,
  LdapErrors,
  refused,
  parseConnectionOptions,
  probeBaseDn,
  type LdapEntry,
  type LdapPool,
  type LdapPoolSettings,
  type LdapSession,
} from '@aaf-sync/ldap';
import { entryChanges, entryForAdd } from '@aaf-sync/scribe';
import type {
  ApplyItem,
  ApplyResult,
  DesiredEntry,
  DriverContext,
  DriverFactory,
  DriverTarget,
  HeldEntry,
  TargetDriver,
} from '@aaf-sync/targets';
import { adOptions, encryptedChannel } from './ad-options.js';
import { desiredEntry, ENABLED_KEY, GROUPS_KEY, UAI_KEY } from './desired-entry.js';
import { AdErrors } from './errors.js';
import { purgeAdGroup } from './group-purge.js';
import { addMembers, isManaged, syncGroups, type GroupContext } from './group-sync.js';
import { adLayout, domainOf, normDn } from './layout.js';
import type { AdPasswordPort, WrittenAccount } from './passwords.js';
import { AD_LOGIN_NAMESPACE, resolveAdProfile } from './profile.js';
import { CREATED_DISABLED, isDisabled, uacOf, withEnabled } from './uac.js';

/** Writes made by a driver (tests and the benchmark: a reconcile in sync makes none). */
export interface AdStats {
  adds: number;
  modifies: number;
  renames: number;
  groupWrites: number;
  passwords: number;
  passwordRefusals: number;
  enables: number;
  disables: number;
  /** Group objects (and teams) deleted by an empty-groups campaign (`purgeGroups`). */
  groupDeletes: number;
}

export const newAdStats = (): AdStats => ({
  adds: 0,
  modifies: 0,
  renames: 0,
  groupWrites: 0,
  passwords: 0,
  passwordRefusals: 0,
  enables: 0,
  disables: 0,
  groupDeletes: 0,
});

export interface AdDriverDeps {
  /** Passwords (packages/credentials `driverPasswords`), or how to make them from the context. */
  readonly passwords?: AdPasswordPort | ((context: DriverContext) => AdPasswordPort);
  /** Pool settings (retries, backoff, injected sleep) on top of the target's `poolSize`. */
  readonly pool?: LdapPoolSettings;
  readonly stats?: AdStats;
}

/** `sAMAccountName` of a user: at most 20 characters (the limit Windows clients enforce). */
export const SAM_MAX = 20;
/** What a domain answers when its password policy refuses a password. */
const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];

interface Written extends WrittenAccount {
  readonly login: string;
  /** `userAccountControl` as held after the write (created: 514). */
  readonly uac: number;
  readonly enable: boolean;
  /** Created with its password (and enabled) in the add itself. */
  readonly passwordSet: boolean;
  /** Created without the password the domain's policy refused in the add (its reason). */
  readonly passwordRefused: string | null;
  /** Groups to join, for an account created by this batch (joined once per group, batched). */
  readonly newGroups: readonly string[];
}

/**
 * The `ad` kind: keeps the establishments' OUs of an Active Directory in step with the directory
 * (packages/ad/README.md). `desired` is pure; `apply` reads each user, writes only what differs
 * among the attributes the profile owns, moves it when its DN changes, syncs its class and team
 * groups by DN, sets passwords over the encrypted connection only, and switches the
 * ACCOUNTDISABLE bit with the lifecycle (never deletes an account; deletes the group objects an
 * empty-groups campaign deleted: `purgeGroups`). One result per account; a domain that
 * cannot be reached (or a clear URL) makes the whole batch throw, its rows staying pending.
 */
export function adDriver(deps: AdDriverDeps = {}): DriverFactory {
  return (target: DriverTarget, context: DriverContext): TargetDriver => {
    const options = adOptions(target);
    const profile = resolveAdProfile(options.profile);
    const layout = adLayout(options.baseDn, profile);
    const stats = deps.stats ?? newAdStats();
    const domain = domainOf(options.baseDn);
    const readAttributes = [
      ...new Set([
        'objectClass',
        'sAMAccountName',
        'userAccountControl',
        'memberOf',
        ...Object.keys(profile.policy),
      ]),
    ];
    const managedSuffixes = target.uais.map((u) => normDn(layout.groups(u)));
    const poolSize = options.poolSize ?? 4;
    const clear = !encryptedChannel(options);
    let pool: LdapPool | undefined;
    const getPool = () => {
      // Nothing goes over a clear connection, not even the bind.
      if (clear) throw AdErrors.CLEAR_CHANNEL({ name: target.name, url: options.url });
      return (pool ??= createLdapPool(
        parseConnectionOptions({
          url: options.url,
          bindDn: options.bindDn,
          bindPassword: options.bindPassword,
          startTls: options.startTls ?? false,
          tls: {
            ...(options.tlsCa ? { ca: options.tlsCa } : {}),
            rejectUnauthorized: options.tlsInsecure !== true,
          },
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        }),
        { size: poolSize, ...deps.pool },
      ));
    };
    const passwords =
      typeof deps.passwords === 'function' ? deps.passwords(context) : deps.passwords;
    const readyOus = new Map<string, Promise<void>>();

    function ensureOus(session: LdapSession, uai: string): Promise<void> {
      let ready = readyOus.get(uai);
      if (!ready) {
        ready = (async () => {
          for (const { dn, ou } of layout.establishmentOus(uai)) {
            try {
              await session.add(dn, { objectClass: ['top', 'organizationalUnit'], ou: [ou] });
              stats.adds += 1;
            } catch (err) {
              if (!refused(err, LDAP_RESULT.ALREADY_EXISTS)) throw err;
            }
          }
        })();
        ready.catch(() => readyOus.delete(uai));
        readyOus.set(uai, ready);
      }
      return ready;
    }

    const groupContext = (session: LdapSession): GroupContext => ({
      session,
      layout,
      profile,
      managedSuffixes,
      ensureOus: (s, uai) => {
        readyOus.delete(uai);
        return ensureOus(s, uai);
      },
    });

    /**
     * Applies one desired entry: moved, added (with `initialPassword` and enabled, when given) or
     * modified; an existing account's groups synced (a new one joins them with the batch).
     */
    async function write(
      session: LdapSession,
      item: ApplyItem,
      entry: DesiredEntry,
      initialPassword: string | undefined,
    ): Promise<Written> {
      const uai = String(entry.attributes[UAI_KEY]);
      const login = String(entry.attributes.sAMAccountName);
      await ensureOus(session, uai);
      // Never provisioned: added straight away (an entry already there, e.g. added before a
      // crash, answers "already exists" and is then read and compared).
      const fresh = !item.present && item.previousKey === null;
      let current = fresh ? null : await session.read(entry.key, readAttributes);
      if (
        current === null &&
        item.previousKey !== null &&
        normDn(item.previousKey) !== normDn(entry.key)
      ) {
        // The DN depends on the names (CN), the establishment and the profile: moved.
        if ((await session.read(item.previousKey, ['1.1'])) !== null) {
          await session.modifyDn(item.previousKey, entry.key);
          stats.renames += 1;
          current = await session.read(entry.key, readAttributes);
        }
      }
      const enable = entry.attributes[ENABLED_KEY] === 'true';
      let created = false;
      let uac = CREATED_DISABLED;
      let memberOf: string[] = [];
      let passwordSet = false;
      let passwordRefused: string | null = null;
      if (current === null) {
        const attributes = {
          ...entryForAdd(entry.attributes),
          userAccountControl: [String(CREATED_DISABLED)],
        };
        try {
          if (initialPassword !== undefined) {
            // The password and the enabling in the add itself (one write).
            const withPassword = {
              ...attributes,
              userAccountControl: [String(withEnabled(CREATED_DISABLED, enable))],
            };
            try {
              await session.add(entry.key, withPassword, { unicodePwd: initialPassword });
              passwordSet = true;
              uac = withEnabled(CREATED_DISABLED, enable);
            } catch (err) {
              if (!refused(err, LDAP_RESULT.CONSTRAINT_VIOLATION, LDAP_RESULT.UNWILLING_TO_PERFORM))
                throw err;
              // Added without it: if that works, the domain's policy refused the password.
              await session.add(entry.key, attributes);
              passwordRefused = LdapErrors.REJECTED.is(err) ? String(err.details.reason) : '';
            }
          } else {
            await session.add(entry.key, attributes);
          }
          created = true;
        } catch (err) {
          if (refused(err, LDAP_RESULT.ALREADY_EXISTS) && fresh) {
            current = await session.read(entry.key, readAttributes);
            if (current === null) throw err; // its sAMAccountName is taken elsewhere
          } else {
            if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
            // An OU removed by hand since we made it: made again.
            readyOus.delete(uai);
            await ensureOus(session, uai);
            await session.add(entry.key, attributes);
            created = true;
          }
        }
      }
      if (created) {
        stats.adds += 1;
        if (passwordSet) stats.passwords += 1;
        if (passwordSet && enable) stats.enables += 1;
      } else if (current !== null) {
        const changes = entryChanges(current.attributes, entry.attributes, profile.policy);
        if (changes.length > 0) {
          await session.modify(entry.key, changes);
          stats.modifies += 1;
        }
        uac = uacOf(current.attributes.useraccountcontrol);
        memberOf = [...(current.attributes.memberof ?? [])];
      }
      const wanted = list(entry.attributes[GROUPS_KEY]);
      // A new account joins its groups with the batch's other new members (one write a group).
      const newGroups = created && fresh ? wanted : [];
      if (newGroups.length === 0) {
        const groupWrites = await syncGroups(
          groupContext(session),
          uai,
          entry.key,
          memberOf,
          wanted,
        );
        stats.groupWrites += groupWrites;
      }
      return {
        personId: item.personId,
        key: entry.key,
        created,
        login,
        uac,
        enable,
        passwordSet,
        passwordRefused,
        newGroups,
      };
    }

    /** The new accounts of a batch join their groups: one modify per group. */
    async function joinNewGroups(written: Written[], results: Map<number, ApplyResult>) {
      const byGroup = new Map<string, { uai: string; members: Written[] }>();
      for (const w of written) {
        for (const g of w.newGroups) {
          const at = byGroup.get(g) ?? { uai: '', members: [] };
          at.members.push(w);
          byGroup.set(g, at);
        }
      }
      const uaiOf = (g: string) =>
        target.uais.find((u) => normDn(g).endsWith(`,${normDn(layout.groups(u))}`)) ?? '';
      await eachLimited([...byGroup], poolSize, async ([g, { members }]) => {
        const r = await getPool().run((s) =>
          addMembers(
            groupContext(s),
            uaiOf(g),
            g,
            members.map((m) => m.key),
          ),
        );
        stats.groupWrites += r.writes;
        for (const m of members) {
          const err = r.refusedFor.get(m.key);
          if (err instanceof Error) fail(results, m.personId, err.message);
        }
      });
    }

    /** Out of scope, departed, without a legal child any more: disabled, out of our groups. */
    async function disable(session: LdapSession, dn: string): Promise<boolean> {
      const current = await session.read(dn, ['userAccountControl', 'memberOf']);
      if (current === null) return false;
      const uac = uacOf(current.attributes.useraccountcontrol);
      if (!isDisabled(uac)) {
        await session.modify(dn, [
          {
            operation: 'replace',
            attribute: 'userAccountControl',
            values: [String(withEnabled(uac, false))],
          },
        ]);
        stats.disables += 1;
      }
      const groupWrites = await syncGroups(
        groupContext(session),
        '',
        dn,
        current.attributes.memberof ?? [],
        [],
      );
      stats.groupWrites += groupWrites;
      return true;
    }

    let minLength: Promise<number> | undefined;
    /** The domain's `minPwdLength` (read once per driver; 0 when unreadable). */
    const domainMinLength = () =>
      (minLength ??= getPool()
        .run((s) => s.read(domain.dn, ['minPwdLength']))
        .then((e) => Number(e?.attributes.minpwdlength?.[0] ?? 0) || 0)
        .catch(() => 0));

    const fail = (results: Map<number, ApplyResult>, personId: number, error: string) =>
      results.set(personId, { personId, ok: false, error });

    /** A password the domain's policy refused: the account fails, a compliant one is issued. */
    async function refusedPassword(w: Written, reason: string, results: Map<number, ApplyResult>) {
      stats.passwordRefusals += 1;
      const length = passwords?.reissue
        ? await passwords.reissue(target, w.personId, await domainMinLength())
        : 0;
      fail(
        results,
        w.personId,
        AdErrors.PASSWORD_REFUSED({ login: w.login, reason, length }).message,
      );
    }

    /** Passwords for what was written, then enabling those whose password is in place. */
    async function setPasswordsAndEnable(all: Written[], results: Map<number, ApplyResult>) {
      const done = all.filter((w) => w.passwordSet).map((w) => w.personId);
      for (const w of all) {
        if (w.passwordRefused !== null) await refusedPassword(w, w.passwordRefused, results);
      }
      const written = all.filter(
        (w) =>
          !w.passwordSet && w.passwordRefused === null && results.get(w.personId)?.ok !== false,
      );
      const clearPasswords =
        passwords && written.length > 0
          ? await passwords.passwordsFor(target, written)
          : new Map<number, string>();
      await eachLimited(written, poolSize, async (w) => {
        const password = clearPasswords.get(w.personId);
        const switchUac = w.enable !== !isDisabled(w.uac);
        const uacChange = {
          operation: 'replace',
          attribute: 'userAccountControl',
          values: [String(withEnabled(w.uac, w.enable))],
        } as const;
        if (password !== undefined) {
          try {
            // The password and the enabling in one modify: both or neither.
            await getPool().run((s) =>
              s.setUnicodePwd(w.key, password, switchUac ? [uacChange] : []),
            );
            stats.passwords += 1;
            if (switchUac) stats[w.enable ? 'enables' : 'disables'] += 1;
            done.push(w.personId);
            return;
          } catch (err) {
            if (!refused(err, LDAP_RESULT.CONSTRAINT_VIOLATION, LDAP_RESULT.UNWILLING_TO_PERFORM))
              throw err;
            // The domain's policy: a new compliant password for the account's retry.
            const reason = LdapErrors.REJECTED.is(err) ? String(err.details.reason) : String(err);
            await refusedPassword(w, reason, results);
            return;
          }
        }
        if (switchUac) {
          try {
            await getPool().run((s) => s.modify(w.key, [uacChange]));
            if (w.enable) stats.enables += 1;
            else stats.disables += 1;
          } catch (err) {
            if (!LdapErrors.REJECTED.is(err)) throw err;
            fail(results, w.personId, err.message);
          }
        }
      });
      if (done.length > 0) await passwords?.applied?.(target, done);
    }

    return {
      desired(account) {
        return desiredEntry(account, target.uais, profile, layout, options.baseDn);
      },

      async apply(batch) {
        const results = new Map<number, ApplyResult>();
        const written: Written[] = [];
        // Initial passwords of the accounts never provisioned, asked first: they go in the add.
        const loginOf = (i: ApplyItem) => String(i.entry?.attributes.sAMAccountName ?? '');
        const fresh = batch.filter(
          (i) =>
            i.entry !== null &&
            !i.present &&
            i.previousKey === null &&
            loginOf(i) !== '' &&
            loginOf(i).length <= SAM_MAX,
        );
        const early =
          passwords && fresh.length > 0 && !clear
            ? await passwords.passwordsFor(
                target,
                fresh.map((i) => ({ personId: i.personId, key: i.entry!.key, created: true })),
              )
            : new Map<number, string>();
        await eachLimited(batch, poolSize, async (item) => {
          try {
            if (item.entry !== null) {
              const entry = item.entry;
              const login = String(entry.attributes.sAMAccountName ?? '');
              if (login === '') {
                const jointure = item.jointure ?? String(item.personId);
                const namespace = AD_LOGIN_NAMESPACE;
                fail(results, item.personId, AdErrors.NO_LOGIN({ jointure, namespace }).message);
                return;
              }
              if (login.length > SAM_MAX) {
                const length = login.length;
                fail(results, item.personId, AdErrors.LOGIN_TOO_LONG({ login, length }).message);
                return;
              }
              const password = early.get(item.personId);
              written.push(await getPool().run((s) => write(s, item, entry, password)));
              results.set(item.personId, { personId: item.personId, ok: true, key: entry.key });
            } else {
              const dn = item.previousKey;
              const held = dn !== null && (await getPool().run((s) => disable(s, dn)));
              results.set(item.personId, {
                personId: item.personId,
                ok: true,
                key: held ? dn : null,
              });
            }
          } catch (err) {
            if (!LdapErrors.REJECTED.is(err)) throw err;
            fail(results, item.personId, err.message);
          }
        });
        await joinNewGroups(written, results);
        await setPasswordsAndEnable(written, results);
        return batch.map((i) => results.get(i.personId)!);
      },

      test: () => probeBaseDn(getPool, options),

      async inventory(uais) {
        const held: HeldEntry[] = [];
        for (const uai of uais) {
          const entries = await getPool()
            .run((s) =>
              s.search(layout.establishment(uai), {
                filter: '(&(objectClass=user)(objectCategory=person))',
                attributes: readAttributes,
              }),
            )
            .catch((err: unknown): LdapEntry[] => {
              if (refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) return [];
              throw err;
            });
          for (const e of entries) {
            // Disabled entries are what the domain should hold for those who left: not listed.
            if (isDisabled(uacOf(e.attributes.useraccountcontrol))) continue;
            const groups = (e.attributes.memberof ?? []).filter((g) =>
              isManaged(managedSuffixes, g),
            );
            held.push({ key: e.dn, uai, attributes: { ...e.attributes, [GROUPS_KEY]: groups } });
          }
        }
        return held;
      },

      inSync(held, desired) {
        const attrs: Record<string, readonly string[]> = {};
        for (const [k, v] of Object.entries(held.attributes ?? {}))
          attrs[k.toLowerCase()] = list(v);
        const groups = (v: readonly string[]) => v.map(normDn).sort().join('\n');
        const enabled = !isDisabled(uacOf(attrs.useraccountcontrol));
        return (
          normDn(held.key) === normDn(desired.key) &&
          entryChanges(attrs, desired.attributes, profile.policy).length === 0 &&
          groups(attrs[GROUPS_KEY] ?? []) === groups(list(desired.attributes[GROUPS_KEY])) &&
          enabled === (desired.attributes[ENABLED_KEY] === 'true')
        );
      },

      purgeGroups: (groups) =>
        mapLimited(groups, poolSize, async (item) => {
          const r = await getPool().run((s) => purgeAdGroup(s, layout, profile, item));
          if (r.outcome === 'deleted') stats.groupDeletes += r.removed.length;
          return r;
        }),

      async close() {
        await pool?.close();
        pool = undefined;
      },
    };
  };
}
