import {
  eachLimited,
  escapeFilterValue,
  LDAP_RESULT,
  refused,
  type LdapPool,
} from '@aaf-sync/ldap';
import type { HeldEntry } from '@aaf-sync/targets';
import type { Dit } from './dit.js';
import type { EntryDigester } from './entry-digest.js';
import { heldCollector } from './held-entries.js';
import { ownedAttributes, type ScribeProfile } from './profile.js';

/** Allocated numbers: the pure comparison of the full reconcile cannot know them. */
export const NUMBERS: ReadonlySet<string> = new Set(['uidnumber', 'gidnumber']);
/** What the inventory lists: group entries (and what it reads of them), user entries. */
const GROUP_FILTER = '(objectClass=posixGroup)';
const GROUP_ATTRIBUTES = ['objectClass', 'cn', 'type', 'memberUid'];
const USER_FILTER = '(uid=*)';

/**
 * How the schools asked for are listed: `schools`, each school's two searches; `base`, one
 * paged search of users and groups over the base (the whole target); `chunk`, two paged
 * searches over the base filtered on the schools' `entryDN` subtrees.
 */
export type ListingMode = 'schools' | 'base' | 'chunk';

/** The attributes a user entry is read with: what the driver owns, not the allocated numbers. */
export const readAttributesOf = (profile: ScribeProfile): string[] => [
  ...new Set(['uid', 'objectClass', ...ownedAttributes(profile)]),
];

/**
 * Lists what a Scribe server holds for these schools, each user entry digested as its page
 * arrives (`heldCollector`). Runs in the driver's thread or in its inventory worker
 * (`inventory-worker.ts`): the same code either way.
 */
export async function listHeld(o: {
  readonly pool: LdapPool;
  readonly baseDn: string;
  readonly dit: Dit;
  readonly profile: ScribeProfile;
  readonly digester: EntryDigester;
  readonly uais: readonly string[];
  readonly mode: ListingMode;
  /** Operations in flight at once (the `schools` mode runs half of them, two per school). */
  readonly concurrency: number;
}): Promise<HeldEntry[]> {
  const { pool, dit, uais } = o;
  const userAttributes = readAttributesOf(o.profile).filter((a) => !NUMBERS.has(a.toLowerCase()));
  const held = heldCollector({ uais, dit, profile: o.profile, digester: o.digester });
  const search = (base: string, filter: string, attributes: string[]) =>
    pool
      .run((s) => s.search(base, { filter, attributes }))
      .then(held.onPage, (err: unknown) => {
        if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
      });
  if (o.mode === 'schools') {
    await eachLimited(uais, Math.max(1, Math.floor(o.concurrency / 2)), async (uai) => {
      await Promise.all([
        search(dit.groups(uai), GROUP_FILTER, GROUP_ATTRIBUTES),
        search(dit.users(uai), USER_FILTER, userAttributes),
      ]);
    });
    return held.done();
  }
  const overBase = (filter: string, attributes: string[]) =>
    pool
      .run((s) => s.searchPages(o.baseDn, { filter, attributes }, held.onPage))
      .catch((err: unknown) => {
        if (!refused(err, LDAP_RESULT.NO_SUCH_OBJECT)) throw err;
      });
  if (o.mode === 'base') {
    await overBase(`(|${GROUP_FILTER}${USER_FILTER})`, [
      ...new Set([...userAttributes, ...GROUP_ATTRIBUTES]),
    ]);
  } else {
    // A chunk: the groups and the users each filtered by their own containers (side by side),
    // not every entry of the base matched against both kinds of containers.
    const within = (dnOf: (uai: string) => string) =>
      `(|${uais.map((u) => `(entryDN:dnSubtreeMatch:=${escapeFilterValue(dnOf(u))})`).join('')})`;
    await Promise.all([
      overBase(`(&${GROUP_FILTER}${within(dit.groups)})`, GROUP_ATTRIBUTES),
      overBase(`(&${USER_FILTER}${within(dit.users)})`, userAttributes),
    ]);
  }
  return held.done();
}
