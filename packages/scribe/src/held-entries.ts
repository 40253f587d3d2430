import type { LdapEntry } from '@aaf-sync/ldap';
import type { HeldEntry } from '@aaf-sync/targets';
import { groupRef } from './desired-entry.js';
import type { Dit } from './dit.js';
import { dnContainers } from './entries-by-school.js';
import type { EntryDigest, EntryDigester, HeldDigest } from './entry-digest.js';
import type { ScribeProfile } from './profile.js';

/** Where an entry lies: a school's users, or its groups. */
interface Place {
  readonly uai: string;
  readonly groups: boolean;
}

interface HeldUser {
  readonly key: string;
  readonly uai: string;
  readonly uid: string;
  readonly digest: HeldDigest;
}

/**
 * What a Scribe server holds for some schools, gathered from pages of entries (one search of the
 * target's base for users and groups together, or a school's own searches) as they arrive: each
 * user entry is digested at once (`EntryDigester.held`), so a page's entries are dropped as soon
 * as it is read; the managed groups' `memberUid` values give each user its groups at the end.
 * Disabled entries (what the target should hold for those who left) are not listed; entries
 * under no school asked for are dropped.
 */
export function heldCollector(o: {
  readonly uais: readonly string[];
  readonly dit: Dit;
  readonly profile: ScribeProfile;
  readonly digester: EntryDigester;
}) {
  const { profile, digester } = o;
  const managed = new Set(profile.managedGroupTypes.map((t) => t.toLowerCase()));
  const disabledKey = profile.disabled.attribute.toLowerCase();
  const places = new Map<string, Place>();
  for (const uai of o.uais) {
    places.set(o.dit.users(uai), { uai, groups: false });
    places.set(o.dit.groups(uai), { uai, groups: true });
  }
  const placeOf = dnContainers(places);
  const users = new Map(o.uais.map((u) => [u, [] as HeldUser[]]));
  /** Per school: uid → its managed groups there. */
  const memberOf = new Map(o.uais.map((u) => [u, new Map<string, string[]>()]));
  const none: readonly string[] = [];

  const onPage = (entries: readonly LdapEntry[]): void => {
    for (const e of entries) {
      const place = placeOf(e.dn);
      if (place === undefined) continue;
      const a = e.attributes;
      if (place.groups) {
        if (!a.objectclass?.some((c) => c.toLowerCase() === 'posixgroup')) continue;
        const type = a.type?.[0];
        const cn = a.cn?.[0];
        if (!type || !cn || !managed.has(type.toLowerCase())) continue;
        const members = memberOf.get(place.uai)!;
        const ref = groupRef({ uai: place.uai, type, cn });
        for (const uid of a.memberuid ?? []) {
          const refs = members.get(uid);
          if (refs) refs.push(ref);
          else members.set(uid, [ref]);
        }
      } else if (a.uid !== undefined) {
        if (a[disabledKey]?.[0] === profile.disabled.value) continue;
        users.get(place.uai)!.push({
          key: e.dn,
          uai: place.uai,
          uid: a.uid[0] ?? '',
          digest: digester.held(a, none),
        });
      }
    }
  };

  /** The held entries, school by school in the order asked, with their groups. */
  const done = (): HeldEntry[] => {
    const out: HeldEntry[] = [];
    const joined = new Map<string, string>();
    for (const uai of o.uais) {
      const members = memberOf.get(uai)!;
      for (const u of users.get(uai)!) {
        const refs = members.get(u.uid);
        if (refs) {
          const list = refs.sort().join('\n');
          const groups = joined.get(list) ?? (joined.set(list, list), list);
          for (const d of (Array.isArray(u.digest) ? u.digest : [u.digest]) as EntryDigest[]) {
            d.groups = groups;
          }
        }
        out.push({ key: u.key, uai, digest: u.digest });
      }
    }
    return out;
  };
  return { onPage, done };
}
