import type { Account, DesiredEntry } from '@aaf-sync/targets';
import { domainOf, render, type AdLayout } from './layout.js';
import { AD_LOGIN_NAMESPACE, type AdProfile } from './profile.js';

// Desired-entry keys that are not LDAP attributes (`apply` turns them into other writes).

/** DNs of the managed groups (classes, options, teams) the account is a member of. */
export const GROUPS_KEY = '@groups';
/** The establishment (UAI) the entry is filed under. */
export const UAI_KEY = '@uai';
/** The account's profile (`pupil`…). */
export const PROFILE_KEY = '@profile';
/** `true` / `false`: the ACCOUNTDISABLE bit of `userAccountControl` (cleared / set). */
export const ENABLED_KEY = '@enabled';

export const USER_OBJECT_CLASSES = ['top', 'person', 'organizationalPerson', 'user'];

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const MIB = 1024 * 1024;

/**
 * What the domain should hold for an account (pure): the user
 * `CN=<userCn>,OU=<profile OU>,OU=<establishment>,<baseDn>` in the first of its establishments
 * the target serves, with the attributes of the profile and its class/option/team groups under
 * `@groups`. Null when its profile gets no account here, it has no establishment here, or — a
 * relative — no child it is legally responsible for (a held entry is then disabled). An account
 * without a login, or with one longer than 20 characters, still gets an entry: `apply` fails it
 * with the reason instead of dropping it silently.
 */
export function desiredEntry(
  account: Account,
  targetUais: readonly string[],
  profile: AdProfile,
  layout: AdLayout,
  baseDn: string,
): DesiredEntry | null {
  const kind = account.profile;
  if (!profile.profiles.includes(kind)) return null;
  const uai = account.uais.find((u) => targetUais.includes(u));
  if (uai === undefined) return null;
  if (kind === 'relative' && account.children.length === 0) return null;
  const login = account.logins[AD_LOGIN_NAMESPACE] ?? '';
  const cn = layout.userCn(login, account.givenName, account.sn);
  const suffix = profile.upnSuffix ?? domainOf(baseDn).name;
  const a: Record<string, string | string[]> = {
    objectClass: USER_OBJECT_CLASSES,
    sAMAccountName: login,
    userPrincipalName: `${login}@${suffix}`,
    givenName: account.givenName,
    sn: account.sn,
    displayName: `${account.givenName} ${account.sn}`.trim(),
    employeeNumber: account.jointure,
  };
  if (account.mail) a.mail = account.mail;
  const home = profile.homeDirectory[kind];
  if (home) {
    a.homeDirectory = render(home, { uai, login });
    if (profile.homeDrive) a.homeDrive = profile.homeDrive;
  }
  const quota = profile.quotaMiB[kind];
  if (quota !== null) a.maxStorage = String(quota * MIB);
  const groups: string[] = [];
  if (kind === 'pupil') {
    const here = account.memberships.filter((m) => m.uai === uai);
    const classes = here.filter((m) => m.kind === 'class').map((m) => m.code);
    if (classes.length > 0) a.department = sorted(classes)[0]!;
    for (const m of here) groups.push(layout.group(uai, layout.groupCn(m.code)));
  } else if (kind === 'teacher') {
    for (const t of account.teaching.filter((x) => x.uai === uai)) {
      groups.push(layout.group(uai, `${profile.teamPrefix}${layout.groupCn(t.code)}`));
    }
  }
  a[GROUPS_KEY] = sorted(groups);
  a[UAI_KEY] = uai;
  a[PROFILE_KEY] = kind;
  // Blocked by the calendar (rentrée): disabled, groups kept, enabled again at the end.
  a[ENABLED_KEY] = account.access.blocked ? 'false' : 'true';
  return { key: layout.user(uai, kind, cn), attributes: a };
}
