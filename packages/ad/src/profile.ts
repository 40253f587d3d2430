import type { AdProfile, AdProfileOverrides } from '@aaf-sync/targets';

export type { AdProfile, AdProfileOverrides };

/**
 * The identifier namespace whose primary value is the `sAMAccountName`: `koxo` (packages/
 * identifiers: `pnom`, at most 20 characters, AD's forbidden characters excluded), the same
 * login a KoXo site would get, so a domain can move between direct writing and KoXo. The
 * credentials (sheets, resets) use the same namespace for kind `ad`.
 */
export const AD_LOGIN_NAMESPACE = 'koxo';

/** `groupType` of a global security group (ADS_GROUP_TYPE_GLOBAL_GROUP | SECURITY_ENABLED). */
export const GLOBAL_SECURITY_GROUP = -2147483646;

/**
 * The default AD profile (packages/ad/README.md). Quotas follow the 1 GB / 6 GB figures heard
 * for the Vienne KoXo sites (unconfirmed): a site sets its own.
 */
export const DEFAULT_AD_PROFILE: AdProfile = {
  profiles: ['pupil', 'teacher', 'staff'],
  establishmentOu: '{uai}',
  profileOus: { pupil: 'Eleves', teacher: 'Profs', staff: 'Personnels', relative: 'Parents' },
  groupsOu: 'Groupes',
  userCn: '{givenName} {sn} ({login})',
  groupCn: '{code}',
  groupSam: '{uai}-{cn}',
  teamPrefix: 'profs-',
  groupType: GLOBAL_SECURITY_GROUP,
  upnSuffix: null,
  homeDirectory: {
    pupil: '\\\\srv-{uai}\\eleves$\\{login}',
    teacher: '\\\\srv-{uai}\\profs$\\{login}',
    staff: '\\\\srv-{uai}\\personnels$\\{login}',
    relative: null,
  },
  homeDrive: 'H:',
  quotaMiB: { pupil: 1024, teacher: 6144, staff: 6144, relative: null },
  policy: {
    objectClass: 'merge',
    sAMAccountName: 'keep',
    userPrincipalName: 'force',
    givenName: 'force',
    sn: 'force',
    displayName: 'force',
    mail: 'keep',
    employeeNumber: 'force',
    department: 'force',
    homeDirectory: 'keep',
    homeDrive: 'keep',
    maxStorage: 'keep',
  },
};

/** The default profile with a target's overrides: parts replaced whole, `policy` merged. */
export function resolveAdProfile(overrides: AdProfileOverrides = {}): AdProfile {
  return {
    ...DEFAULT_AD_PROFILE,
    ...overrides,
    policy: { ...DEFAULT_AD_PROFILE.policy, ...(overrides.policy ?? {}) },
  };
}
