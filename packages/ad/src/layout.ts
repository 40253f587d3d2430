import { escapeDnValue } from '@aaf-sync/ldap';
import type { Profile } from '@aaf-sync/db';
import type { AdProfile } from './profile.js';

/** The CN of an entry may hold at most 64 characters (AD's `cn` upper range). */
export const CN_MAX = 64;

export function render(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => values[name] ?? all);
}

/** DNs compared the way AD returns them: RDN parts trimmed, case-insensitive. */
export const normDn = (dn: string) =>
  dn
    .split(/(?<!\\),/)
    .map((p) => p.trim().toLowerCase())
    .join(',');

/** The domain of a DN's `DC=` parts (`OU=x,DC=aaf,DC=test` → `aaf.test`). */
export function domainOf(dn: string): { dn: string; name: string } {
  const dcs = dn.split(/(?<!\\),/).filter((p) => /^\s*dc=/i.test(p));
  return {
    dn: dcs.map((p) => p.trim()).join(','),
    name: dcs.map((p) => p.trim().slice(3).toLowerCase()).join('.'),
  };
}

/** Where a target's entries live (packages/ad/README.md "Layout"). */
export interface AdLayout {
  establishment(uai: string): string;
  /** The OUs of an establishment, parents first, as `{ dn, ou }`. */
  establishmentOus(uai: string): { dn: string; ou: string }[];
  users(uai: string, profile: Profile): string;
  groups(uai: string): string;
  userCn(login: string, givenName: string, sn: string): string;
  user(uai: string, profile: Profile, cn: string): string;
  groupCn(code: string): string;
  group(uai: string, cn: string): string;
  groupSam(uai: string, cn: string): string;
}

export function adLayout(baseDn: string, profile: AdProfile): AdLayout {
  const estOu = (uai: string) => render(profile.establishmentOu, { uai });
  const establishment = (uai: string) => `OU=${escapeDnValue(estOu(uai))},${baseDn}`;
  const groups = (uai: string) => `OU=${escapeDnValue(profile.groupsOu)},${establishment(uai)}`;
  return {
    establishment,
    establishmentOus(uai) {
      const est = establishment(uai);
      const profiles = [...new Set(profile.profiles.map((p) => profile.profileOus[p]))];
      return [
        { dn: est, ou: estOu(uai) },
        ...profiles.map((ou) => ({ dn: `OU=${escapeDnValue(ou)},${est}`, ou })),
        { dn: groups(uai), ou: profile.groupsOu },
      ];
    },
    users: (uai, p) => `OU=${escapeDnValue(profile.profileOus[p])},${establishment(uai)}`,
    groups,
    userCn(login, givenName, sn) {
      // Names are cut (surname first) until the CN fits; the login is never cut.
      let g = givenName;
      let s = sn;
      let cn = render(profile.userCn, { login, givenName: g, sn: s }).trim();
      while (cn.length > CN_MAX && (g.length > 0 || s.length > 0)) {
        if (s.length > 1 || g.length === 0) s = s.slice(0, -1);
        else g = g.slice(0, -1);
        cn = render(profile.userCn, { login, givenName: g, sn: s }).trim();
      }
      return cn.slice(0, CN_MAX);
    },
    user(uai, p, cn) {
      return `CN=${escapeDnValue(cn)},OU=${escapeDnValue(profile.profileOus[p])},${establishment(uai)}`;
    },
    groupCn: (code) => render(profile.groupCn, { code: code.trim().toLowerCase() }),
    group: (uai, cn) => `CN=${escapeDnValue(cn)},${groups(uai)}`,
    groupSam: (uai, cn) => render(profile.groupSam, { uai: uai.toLowerCase(), cn }),
  };
}
