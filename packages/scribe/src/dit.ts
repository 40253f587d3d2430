import { escapeDnValue } from '@aaf-sync/ldap';
import type { Profile } from '@aaf-sync/db';
import type { ScribeProfile } from './profile.js';

/**
 * The Scribe DIT under a target's `baseDn` (the académie branch `ou=<ac-…>,ou=education,o=gouv,c=fr`):
 * `ou=<UAI>` per school, users in `ou=local,ou=<branch>,ou=utilisateurs,ou=<UAI>`, groups in
 * `ou=local,ou=groupes,ou=<UAI>`.
 */
export interface Dit {
  school(uai: string): string;
  usersBranch(uai: string, profile: Profile): string;
  user(uai: string, profile: Profile, uid: string): string;
  users(uai: string): string;
  groups(uai: string): string;
  group(uai: string, cn: string): string;
  /** Every OU from the school down, parents first (created when missing). */
  schoolOus(uai: string): { dn: string; ou: string }[];
}

export function scribeDit(baseDn: string, p: ScribeProfile): Dit {
  const ou = (v: string) => `ou=${escapeDnValue(v)}`;
  const school = (uai: string) => `${ou(uai)},${baseDn}`;
  const users = (uai: string) => `${ou(p.usersOu)},${school(uai)}`;
  const branch = (uai: string, profile: Profile) =>
    `${ou(p.localOu)},${ou(p.branches[profile])},${users(uai)}`;
  const groups = (uai: string) => `${ou(p.localOu)},${ou(p.groupsOu)},${school(uai)}`;
  return {
    school,
    usersBranch: branch,
    users,
    user: (uai, profile, uid) => `uid=${escapeDnValue(uid)},${branch(uai, profile)}`,
    groups,
    group: (uai, cn) => `cn=${escapeDnValue(cn)},${groups(uai)}`,
    schoolOus(uai) {
      const out = [
        { dn: school(uai), ou: uai },
        { dn: users(uai), ou: p.usersOu },
      ];
      for (const b of new Set(Object.values(p.branches))) {
        out.push({ dn: `${ou(b)},${users(uai)}`, ou: b });
        out.push({ dn: `${ou(p.localOu)},${ou(b)},${users(uai)}`, ou: p.localOu });
      }
      out.push({ dn: `${ou(p.groupsOu)},${school(uai)}`, ou: p.groupsOu });
      out.push({ dn: groups(uai), ou: p.localOu });
      return out;
    },
  };
}
