import type { Profile } from '@aaf-sync/db';
import {
  createLdapPool,
  eachLimited,
  escapeFilterValue,
  LDAP_RESULT,
  mapLimited,
  LdapErrors,
  parseConnectionOptions,
  probeBaseDn,
  refused,
  type LdapPool,
  type LdapPoolSettings,
  type LdapSession,
} from '@aaf-sync/ldap';
import type {
  ApplyItem,
  ApplyResult,
  DesiredEntry,
  DriverContext,
  DriverFactory,
  DriverTarget,
  TargetDriver,
} from '@aaf-sync/targets';
import {
  desiredEntry,
  GROUP_DETAILS_KEY,
  GROUPS_KEY,
  groupRef,
  parseGroupRef,
  UAI_KEY,
  type GroupDetails,
  type GroupRef,
} from './desired-entry.js';
import { scribeDit } from './dit.js';
import { entryDigester, type EntryDigest, type HeldDigest } from './entry-digest.js';
import { entryChanges, entryForAdd } from './entry-diff.js';
import { listHeld, NUMBERS, readAttributesOf, type ListingMode } from './held-listing.js';
import { inventoryThread, type InventoryThread } from './inventory-thread.js';
import { purgeGroup } from './group-purge.js';
import { addMembers, ensureGroup, syncGroups, type GroupContext } from './group-sync.js';
import type { PasswordPort, WrittenAccount } from './passwords.js';
import { allocatePosixIds } from './posix-ids.js';
import { policyFor, resolveProfile } from './profile.js';
import { ScribeErrors } from './errors.js';
import { scribeOptions } from './scribe-options.js';

/** Writes made by a driver (for tests and the benchmark: a reconcile in sync makes none). */
export interface ScribeStats {
  adds: number;
  modifies: number;
  renames: number;
  groupWrites: number;
  passwords: number;
  /** Entries deleted by a deletion campaign (`purge`). */
  deletes: number;
  /** Group entries (and teaching teams) deleted by an empty-groups campaign (`purgeGroups`). */
  groupDeletes: number;
}

export const newScribeStats = (): ScribeStats => ({
  adds: 0,
  modifies: 0,
  renames: 0,
  groupWrites: 0,
  passwords: 0,
  deletes: 0,
  groupDeletes: 0,
});

export interface ScribeDriverDeps {
  /**
   * Initial passwords (packages/credentials `driverPasswords`), or how to make them from the
   * driver context (database, secret box); without it no password is written.
   */
  readonly passwords?: PasswordPort | ((context: DriverContext) => PasswordPort);
  /** Pool settings (retries, backoff, injected sleep) on top of the target's `poolSize`. */
  readonly pool?: LdapPoolSettings;
  readonly stats?: ScribeStats;
  /**
   * Whether the full reconcile's inventory lists and digests the held entries in a worker thread
   * (default true), on its own connections, while the reconcile reads the directory's accounts.
   * Off, or with an injected `pool.connect` (a function cannot cross to a thread): in this
   * thread, on the driver's pool. The worker retries as the pool does, with real waits.
   */
  readonly inventoryThread?: boolean;
}

const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
const PROFILES = new Set<string>(['pupil', 'teacher', 'staff', 'relative']);

/** New members of one group gathered over a batch (written with one modify). */
interface GroupJoin {
  readonly group: GroupRef;
  readonly members: { uid: string; personId: number }[];
  readonly details: GroupDetails | undefined;
}

/**
 * The `scribe` kind: keeps each school's branch of a Scribe OpenLDAP in step with the directory
 * (packages/scribe/README.md). `desired` is pure; `apply` reads each entry and writes only what
 * differs among the attributes the profile owns, moves memberships, disables instead of deleting
 * (deletes only an entry a deletion campaign marked: `purge`, and the groups an empty-groups
 * campaign deleted: `purgeGroups`), and answers one result per account (an entry the server refuses is a failed result; a server
 * that cannot be reached makes the whole batch throw, its rows staying pending).
 */
export function scribeDriver(deps: ScribeDriverDeps = {}): DriverFactory {
  return (target: DriverTarget, context: DriverContext): TargetDriver => {
    const options = scribeOptions(target);
    const profile = resolveProfile(options.profile);
    const dit = scribeDit(options.baseDn, profile);
    const stats = deps.stats ?? newScribeStats();
    // Added once the writes are done (`stats.groupWrites += await …` would read the counter
    // before the await and lose the writes of accounts running concurrently).
    const countGroupWrites = async (writes: Promise<number>): Promise<void> => {
      const n = await writes;
      stats.groupWrites += n;
    };
    const readAttributes = readAttributesOf(profile);
    const digester = entryDigester(profile, NUMBERS);
    const digestOf = (desired: DesiredEntry): EntryDigest =>
      digester.desired(desired.attributes, kindOf(desired), list(desired.attributes[GROUPS_KEY]));
    const disabledKey = profile.disabled.attribute.toLowerCase();
    const policies = Object.fromEntries(
      [...PROFILES].map((k) => [k, policyFor(profile, k as Profile)]),
    ) as Record<Profile, ReturnType<typeof policyFor>>;
    const poolSize = options.poolSize ?? 4;
    // Accounts in flight at once: several per connection (LDAP answers by message id).
    const perSession = deps.pool?.perSession ?? 4;
    const concurrency = poolSize * perSession;
    // Whether the server filters on `entryDN` subtrees (OpenLDAP `dnSubtreeMatch`): the base
    // entry must match a filter naming the base. Another server answers nothing (an unknown
    // matching rule is undefined, not an error): then the inventory does without. Probed once
    // (again after a failure).
    let subtreeFiltering: Promise<boolean> | undefined;
    const subtreeFilter = (): Promise<boolean> =>
      (subtreeFiltering ??= getPool()
        .run((s) =>
          s.search(options.baseDn, {
            scope: 'base',
            filter: `(entryDN:dnSubtreeMatch:=${escapeFilterValue(options.baseDn)})`,
            attributes: ['1.1'],
            pageSize: 0,
          }),
        )
        .then(
          (found) => found.length === 1,
          () => {
            subtreeFiltering = undefined;
            return false;
          },
        ));
    let pool: LdapPool | undefined;
    const connection = () =>
      parseConnectionOptions({
        url: options.url,
        bindDn: options.bindDn,
        bindPassword: options.bindPassword,
        startTls: options.startTls ?? false,
        ...(options.tls
          ? {
              tls: {
                ...(options.tls.ca ? { ca: options.tls.ca } : {}),
                rejectUnauthorized: options.tls.rejectUnauthorized ?? true,
              },
            }
          : {}),
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      });
    const getPool = () =>
      (pool ??= createLdapPool(connection(), { size: poolSize, ...deps.pool, perSession }));
    // The inventory's worker thread (started by the first listing, ended by close).
    let thread: InventoryThread | undefined;
    const useThread = (deps.inventoryThread ?? true) && deps.pool?.connect === undefined;
    const listing = (uais: readonly string[], mode: ListingMode) => {
      if (!useThread) {
        return listHeld({
          pool: getPool(),
          baseDn: options.baseDn,
          dit,
          profile,
          digester,
          uais,
          mode,
          concurrency,
        });
      }
      thread ??= inventoryThread(
        {
          connection: connection(),
          pool: {
            size: poolSize,
            perSession,
            ...(deps.pool?.retries !== undefined ? { retries: deps.pool.retries } : {}),
            ...(deps.pool?.retryBaseMs !== undefined ? { retryBaseMs: deps.pool.retryBaseMs } : {}),
          },
          baseDn: options.baseDn,
          profile,
          concurrency,
        },
        digester.plans,
      );
      return thread.list(uais, mode);
    };
    const passwords =
      typeof deps.passwords === 'function' ? deps.passwords(context) : deps.passwords;
    const readyOus = new Set<string>();
    const readyGroups = new Set<string>();

    // Group numbers never change once allocated: remembered for the driver's life.
    const gids = new Map<string, Promise<number>>();
    const gid = (uai: string, cn: string) => {
      const owner = `${uai}$${cn}`;
      let n = gids.get(owner);
      if (!n) {
        n = allocatePosixIds(context.db, target.id, 'group', [owner], profile.gidNumberStart).then(
          (m) => m.get(owner)!,
        );
        n.catch(() => gids.delete(owner));
        gids.set(owner, n);
      }
      return n;
    };

    /** Numbers of groups (and their teams) a batch may create: one allocation for them all. */
    async function preallocateGids(groups: readonly GroupRef[]): Promise<void> {
      const { class: classType, group: optionType } = profile.groupTypes;
      const owners = groups.flatMap((g) => [
        `${g.uai}$${g.cn}`,
        ...(g.type === classType || g.type === optionType
          ? [`${g.uai}$${profile.teamPrefix}${g.cn}`]
          : []),
      ]);
      const missing = owners.filter((o) => !gids.has(o));
      if (missing.length === 0) return;
      const numbers = await allocatePosixIds(
        context.db,
        target.id,
        'group',
        missing,
        profile.gidNumberStart,
      );
      for (const [owner, n] of numbers) if (!gids.has(owner)) gids.set(owner, Promise.resolve(n));
    }

    async function ensureOus(session: LdapSession, uai: string): Promise<void> {
      if (readyOus.has(uai)) return;
      for (const { dn, ou } of dit.schoolOus(uai)) {
        try {
          await session.add(dn, { objectClass: ['organizationalUnit'], ou: [ou] });
          stats.adds += 1;
        } catch (err) {
          if (!refused(err, LDAP_RESULT.ALREADY_EXISTS)) throw err;
        }
      }
      readyOus.add(uai);
    }

    const groupContext = (session: LdapSession): GroupContext => ({
      session,
      baseDn: options.baseDn,
      dit,
      profile,
      gid,
    });

    async function ensurePrimaryGroup(session: LdapSession, uai: string, kind: Profile) {
      if (kind === 'relative') return undefined;
      const cn = profile.primaryGroups[kind];
      const number = await gid(uai, cn);
      if (!readyGroups.has(`${uai}$${cn}`)) {
        if (await ensureGroup(groupContext(session), { uai, type: profile.groupTypes.base, cn })) {
          stats.groupWrites += 1;
        }
        readyGroups.add(`${uai}$${cn}`);
      }
      return number;
    }

    /**
     * Applies one desired entry; resolves to whether it was created. An account never provisioned
     * (no previous key, not present) is added without a read first (an entry found there after
     * all — a replay after an outage — is read and compared as usual); its memberships go to
     * `joins`, written once per group for the whole batch.
     */
    async function write(
      session: LdapSession,
      item: ApplyItem,
      entry: DesiredEntry,
      uidNumber: number | undefined,
      joins: Map<string, GroupJoin>,
    ): Promise<boolean> {
      const uai = String(entry.attributes[UAI_KEY]);
      const kind = kindOf(entry);
      await ensureOus(session, uai);
      const attributes: Record<string, string | readonly string[]> = { ...entry.attributes };
      if (uidNumber !== undefined) {
        attributes.uidNumber = String(uidNumber);
        attributes.gidNumber = String(await ensurePrimaryGroup(session, uai, kind));
      }
      const uid = String(entry.attributes.uid);
      const groups = list(entry.attributes[GROUPS_KEY]).map(parseGroupRef);
      if (item.previousKey === null && !item.present) {
        try {
          await session.add(entry.key, entryForAdd(attributes));
          stats.adds += 1;
          const details = groupDetails(entry);
          for (const g of groups) {
            const ref = groupRef(g);
            let join = joins.get(ref);
            if (!join)
              joins.set(ref, (join = { group: g, members: [], details: details.get(ref) }));
            join.members.push({ uid, personId: item.personId });
          }
          return true;
        } catch (err) {
          if (
            !refused(err, LDAP_RESULT.ALREADY_EXISTS) &&
            !refused(err, LDAP_RESULT.NO_SUCH_OBJECT)
          )
            throw err;
          // Already there (a replay), or its OU removed by hand: the general path below.
        }
      }
      let current = await session.read(entry.key, readAttributes);
      if (current === null && item.previousKey !== null && item.previousKey !== entry.key) {
        // The DN depends on the school and the profile: moved, uid unchanged.
        if ((await session.read(item.previousKey, ['1.1'])) !== null) {
          await session.modifyDn(item.previousKey, entry.key);
          stats.renames += 1;
          current = await session.read(entry.key, readAttributes);
        }
      }
      let created = false;
      if (current === null) {
        try {
          await session.add(entry.key, entryForAdd(attributes));
        } catch (err) {
          if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
          // An OU removed by hand since we made it: make it again.
          readyOus.delete(uai);
          await ensureOus(session, uai);
          await session.add(entry.key, entryForAdd(attributes));
        }
        stats.adds += 1;
        created = true;
      } else {
        const changes = entryChanges(current.attributes, attributes, policies[kind]);
        if (changes.length > 0) {
          await session.modify(entry.key, changes);
          stats.modifies += 1;
        }
      }
      // A new account never provisioned before (no previous key) is in no group yet.
      const fresh = created && item.previousKey === null && !item.present;
      await countGroupWrites(
        syncGroups(groupContext(session), uid, groups, fresh, groupDetails(entry)),
      );
      return created;
    }

    function groupDetails(entry: DesiredEntry): Map<string, GroupDetails> {
      const parsed = list(entry.attributes[GROUP_DETAILS_KEY]).map(
        (v) => JSON.parse(v) as GroupDetails,
      );
      return new Map(parsed.map((d) => [d.ref, d]));
    }

    function kindOf(entry: DesiredEntry): Profile {
      const k = String(entry.attributes['@profile']);
      if (!PROFILES.has(k)) throw new Error(`desired entry without a profile: ${entry.key}`);
      return k as Profile;
    }

    /** Out of scope, departed, or without a legal child any more: disabled, out of groups. */
    async function disable(session: LdapSession, dn: string): Promise<boolean> {
      const current = await session.read(dn, ['uid', profile.disabled.attribute]);
      if (current === null) return false;
      if (current.attributes[disabledKey]?.[0] !== profile.disabled.value) {
        await session.modify(dn, [
          {
            operation: 'replace',
            attribute: profile.disabled.attribute,
            values: [profile.disabled.value],
          },
        ]);
        stats.modifies += 1;
      }
      const uid = current.attributes.uid?.[0];
      if (uid !== undefined) await countGroupWrites(syncGroups(groupContext(session), uid, []));
      return true;
    }

    /** A deletion campaign's decision: out of every managed group, then the entry deleted. */
    async function remove(session: LdapSession, dn: string): Promise<void> {
      const current = await session.read(dn, ['uid']);
      if (current === null) return;
      const uid = current.attributes.uid?.[0];
      if (uid !== undefined) await countGroupWrites(syncGroups(groupContext(session), uid, []));
      try {
        await session.delete(dn);
        stats.deletes += 1;
      } catch (err) {
        if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
      }
    }

    async function setPasswords(written: WrittenAccount[], results: Map<number, ApplyResult>) {
      if (!passwords || written.length === 0) return;
      const clear = await passwords.passwordsFor(target, written);
      if (clear.size === 0) return;
      if (profile.passwordsOverTlsOnly && !(await getPool().run(async (s) => s.encrypted))) {
        // Entries are written; their passwords stay due until the connection is encrypted.
        const err = ScribeErrors.PASSWORD_NEEDS_TLS({ name: target.name, url: options.url });
        for (const w of written.filter((x) => clear.has(x.personId))) {
          results.set(w.personId, { personId: w.personId, ok: false, error: err.message });
        }
        return;
      }
      const done: number[] = [];
      await eachLimited(
        written.filter((w) => clear.has(w.personId)),
        concurrency,
        async (w) => {
          try {
            await getPool().run((s) => s.setPassword(w.key, clear.get(w.personId)!));
            stats.passwords += 1;
            done.push(w.personId);
          } catch (err) {
            if (!LdapErrors.REJECTED.is(err)) throw err;
            results.set(w.personId, { personId: w.personId, ok: false, error: err.message });
          }
        },
      );
      if (done.length > 0) await passwords.applied?.(target, done);
    }

    return {
      // Two batches at once: one's database work while the other's writes are at the server
      // (every step of apply tolerates a concurrent apply: adds that find the entry, groups
      // created meanwhile, allocations that agree).
      lanes: 2,

      desired(account) {
        const entry = desiredEntry(account, target.uais, profile, dit);
        // Made for this call: marked with the profile in place (no copy per account).
        if (entry) (entry.attributes as Record<string, string>)['@profile'] = account.profile;
        return entry;
      },

      async apply(batch) {
        const posix = batch.filter(
          (i) => i.entry !== null && list(i.entry.attributes.objectClass).includes('posixAccount'),
        );
        const uidNumbers = await allocatePosixIds(
          context.db,
          target.id,
          'user',
          posix.map((i) => String(i.personId)),
          profile.uidNumberStart,
        );
        const results = new Map<number, ApplyResult>();
        const written: WrittenAccount[] = [];
        const joins = new Map<string, GroupJoin>();
        await eachLimited(batch, concurrency, async (item) => {
          try {
            if (item.entry !== null) {
              const entry = item.entry;
              const created = await getPool().run((s) =>
                write(s, item, entry, uidNumbers.get(String(item.personId)), joins),
              );
              written.push({ personId: item.personId, key: entry.key, created });
              results.set(item.personId, { personId: item.personId, ok: true, key: entry.key });
            } else if (item.purge === true && item.previousKey !== null) {
              const dn = item.previousKey;
              await getPool().run((s) => remove(s, dn));
              results.set(item.personId, { personId: item.personId, ok: true, key: null });
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
            results.set(item.personId, { personId: item.personId, ok: false, error: err.message });
          }
        });
        // The new accounts' memberships: one write per group (created with them when missing).
        await preallocateGids([...joins.values()].map((j) => j.group));
        await eachLimited([...joins.values()], concurrency, async (join) => {
          try {
            await countGroupWrites(
              getPool().run((s) =>
                addMembers(
                  groupContext(s),
                  join.group,
                  join.members.map((m) => m.uid),
                  join.details,
                ),
              ),
            );
          } catch (err) {
            if (!LdapErrors.REJECTED.is(err)) throw err;
            for (const m of join.members) {
              results.set(m.personId, { personId: m.personId, ok: false, error: err.message });
            }
          }
        });
        await setPasswords(
          written.filter((w) => results.get(w.personId)?.ok !== false),
          results,
        );
        return batch.map((i) => results.get(i.personId)!);
      },

      test: () => probeBaseDn(getPool, options),

      async inventory(uais) {
        if (uais.length === 0) return [];
        // Several schools: one paged search over the base for users and groups together, each
        // page digested as it arrives (a search per school costs slapd a pass over its whole
        // database for the unindexed `(uid=*)`: 20 schools, 20,000 users, 1.9 s against 0.2 s).
        // When the server filters on `entryDN` subtrees (OpenLDAP's `dnSubtreeMatch`, probed
        // once), the filter names the schools asked for, so a chunk of a large target's reconcile
        // receives its own entries only; otherwise the whole target is one unfiltered pass, a
        // chunk its schools' own searches (a pass per chunk would send and parse the whole base
        // each time). One school (`--uai`, a one-school target): its own two searches. Listed in
        // the driver's worker thread unless told otherwise (`inventoryThread`).
        const whole = target.uais.every((u) => uais.includes(u));
        const narrow = uais.length > 1 && !whole && (await subtreeFilter());
        const mode: ListingMode =
          uais.length === 1 || (!whole && !narrow) ? 'schools' : narrow ? 'chunk' : 'base';
        return listing(uais, mode);
      },

      inSync(held, desired) {
        const h =
          held.digest !== undefined
            ? (held.digest as HeldDigest)
            : digester.held(
                (held.attributes ?? {}) as Record<string, readonly string[]>,
                list(held.attributes?.[GROUPS_KEY]),
              );
        return digester.inSync(h, (desired.digest as EntryDigest | undefined) ?? digestOf(desired));
      },

      digest: digestOf,

      purgeGroups: (groups) =>
        mapLimited(groups, concurrency, async (item) => {
          const r = await getPool().run((s) => purgeGroup(s, dit, profile, item));
          if (r.outcome === 'deleted') stats.groupDeletes += r.removed.length;
          return r;
        }),

      async close() {
        const t = thread;
        thread = undefined;
        await Promise.all([t?.close(), pool?.close()]);
        pool = undefined;
      },
    };
  };
}
