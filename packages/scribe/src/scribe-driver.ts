import type { Profile } from '@aaf-sync/db';
import {
  createLdapPool,
  LdapErrors,
  parseConnectionOptions,
  type LdapEntry,
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
  HeldEntry,
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
import { entryChanges, entryForAdd } from './entry-diff.js';
import { ensureGroup, syncGroups, type GroupContext } from './group-sync.js';
import type { PasswordPort, WrittenAccount } from './passwords.js';
import { allocatePosixIds } from './posix-ids.js';
import { ownedAttributes, policyFor, resolveProfile } from './profile.js';
import { ScribeErrors } from './errors.js';
import { scribeOptions } from './scribe-options.js';

/** Writes made by a driver (for tests and the benchmark: a reconcile in sync makes none). */
export interface ScribeStats {
  adds: number;
  modifies: number;
  renames: number;
  groupWrites: number;
  passwords: number;
}

export const newScribeStats = (): ScribeStats => ({
  adds: 0,
  modifies: 0,
  renames: 0,
  groupWrites: 0,
  passwords: 0,
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
}

const NO_SUCH_OBJECT = 32;
const ALREADY_EXISTS = 68;
const refused = (err: unknown, code: number) =>
  LdapErrors.REJECTED.is(err) && Number(err.details.resultCode) === code;
const list = (v: string | readonly string[] | undefined): string[] =>
  v === undefined ? [] : typeof v === 'string' ? [v] : [...v];
const PROFILES = new Set<string>(['pupil', 'teacher', 'staff', 'relative']);

/** Runs `fn` over `items` with at most `limit` at a time; rejects with the first error. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (t: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * The `scribe` kind: keeps each school's branch of a Scribe OpenLDAP in step with the directory
 * (packages/scribe/README.md). `desired` is pure; `apply` reads each entry and writes only what
 * differs among the attributes the profile owns, moves memberships, disables instead of deleting,
 * and answers one result per account (an entry the server refuses is a failed result; a server
 * that cannot be reached makes the whole batch throw, its rows staying pending).
 */
export function scribeDriver(deps: ScribeDriverDeps = {}): DriverFactory {
  return (target: DriverTarget, context: DriverContext): TargetDriver => {
    const options = scribeOptions(target);
    const profile = resolveProfile(options.profile);
    const dit = scribeDit(options.baseDn, profile);
    const stats = deps.stats ?? newScribeStats();
    const readAttributes = [...new Set(['uid', 'objectClass', ...ownedAttributes(profile)])];
    const disabledKey = profile.disabled.attribute.toLowerCase();
    const poolSize = options.poolSize ?? 4;
    let pool: LdapPool | undefined;
    const getPool = () =>
      (pool ??= createLdapPool(
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
        }),
        { size: poolSize, ...deps.pool },
      ));
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

    async function ensureOus(session: LdapSession, uai: string): Promise<void> {
      if (readyOus.has(uai)) return;
      for (const { dn, ou } of dit.schoolOus(uai)) {
        try {
          await session.add(dn, { objectClass: ['organizationalUnit'], ou: [ou] });
          stats.adds += 1;
        } catch (err) {
          if (!refused(err, ALREADY_EXISTS)) throw err;
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

    /** Applies one desired entry; resolves to whether it was created. */
    async function write(
      session: LdapSession,
      item: ApplyItem,
      entry: DesiredEntry,
      uidNumber: number | undefined,
    ): Promise<boolean> {
      const uai = String(entry.attributes[UAI_KEY]);
      const kind = kindOf(entry);
      await ensureOus(session, uai);
      const attributes: Record<string, string | readonly string[]> = { ...entry.attributes };
      if (uidNumber !== undefined) {
        attributes.uidNumber = String(uidNumber);
        attributes.gidNumber = String(await ensurePrimaryGroup(session, uai, kind));
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
          if (!refused(err, NO_SUCH_OBJECT)) throw err;
          // An OU removed by hand since we made it: make it again.
          readyOus.delete(uai);
          await ensureOus(session, uai);
          await session.add(entry.key, entryForAdd(attributes));
        }
        stats.adds += 1;
        created = true;
      } else {
        const changes = entryChanges(current.attributes, attributes, policyFor(profile, kind));
        if (changes.length > 0) {
          await session.modify(entry.key, changes);
          stats.modifies += 1;
        }
      }
      const groups = list(entry.attributes[GROUPS_KEY]).map(parseGroupRef);
      // A new account never provisioned before (no previous key) is in no group yet.
      const fresh = created && item.previousKey === null && !item.present;
      stats.groupWrites += await syncGroups(
        groupContext(session),
        String(entry.attributes.uid),
        groups,
        fresh,
        groupDetails(entry),
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
      if (uid !== undefined) stats.groupWrites += await syncGroups(groupContext(session), uid, []);
      return true;
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
        poolSize,
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
      desired(account) {
        const entry = desiredEntry(account, target.uais, profile, dit);
        return (
          entry && {
            key: entry.key,
            attributes: { ...entry.attributes, '@profile': account.profile },
          }
        );
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
        await eachLimited(batch, poolSize, async (item) => {
          try {
            if (item.entry !== null) {
              const entry = item.entry;
              const created = await getPool().run((s) =>
                write(s, item, entry, uidNumbers.get(String(item.personId))),
              );
              written.push({ personId: item.personId, key: entry.key, created });
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
            results.set(item.personId, { personId: item.personId, ok: false, error: err.message });
          }
        });
        await setPasswords(written, results);
        return batch.map((i) => results.get(i.personId)!);
      },

      async test() {
        try {
          const base = await getPool().run((s) => s.read(options.baseDn, ['1.1']));
          return base
            ? { ok: true, detail: `bound as ${options.bindDn}; ${options.baseDn} found` }
            : { ok: false, detail: `bound as ${options.bindDn}; ${options.baseDn} does not exist` };
        } catch (err) {
          return { ok: false, detail: err instanceof Error ? err.message : String(err) };
        }
      },

      async inventory(uais) {
        const managed = new Set(profile.managedGroupTypes.map((t) => t.toLowerCase()));
        const held: HeldEntry[] = [];
        for (const uai of uais) {
          const search = (base: string, filter: string, attributes: string[]) =>
            getPool()
              .run((s) => s.search(base, { filter, attributes }))
              .catch((err: unknown): LdapEntry[] => {
                if (refused(err, NO_SUCH_OBJECT)) return [];
                throw err;
              });
          const groups = await search(dit.groups(uai), '(objectClass=posixGroup)', [
            'cn',
            'type',
            'memberUid',
          ]);
          const memberOf = new Map<string, string[]>();
          for (const g of groups) {
            const type = g.attributes.type?.[0];
            const cn = g.attributes.cn?.[0];
            if (!type || !cn || !managed.has(type.toLowerCase())) continue;
            for (const uid of g.attributes.memberuid ?? []) {
              const refs = memberOf.get(uid) ?? [];
              refs.push(groupRef({ uai, type, cn } satisfies GroupRef));
              memberOf.set(uid, refs);
            }
          }
          for (const e of await search(dit.users(uai), '(uid=*)', readAttributes)) {
            // Disabled entries are what the target should hold for those who left: not listed.
            if (e.attributes[disabledKey]?.[0] === profile.disabled.value) continue;
            const uid = e.attributes.uid?.[0] ?? '';
            held.push({
              key: e.dn,
              uai,
              attributes: { ...e.attributes, [GROUPS_KEY]: (memberOf.get(uid) ?? []).sort() },
            });
          }
        }
        return held;
      },

      inSync(held, desired) {
        const attrs: Record<string, readonly string[]> = {};
        for (const [k, v] of Object.entries(held.attributes ?? {}))
          attrs[k.toLowerCase()] = list(v);
        const ignore = new Set(['uidnumber', 'gidnumber']);
        const groups = (v: readonly string[]) => [...v].sort().join('\n');
        return (
          entryChanges(attrs, desired.attributes, policyFor(profile, kindOf(desired)), ignore)
            .length === 0 &&
          groups(attrs[GROUPS_KEY] ?? []) === groups(list(desired.attributes[GROUPS_KEY]))
        );
      },

      async close() {
        await pool?.close();
        pool = undefined;
      },
    };
  };
}
