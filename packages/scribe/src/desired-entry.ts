import type { Account, AttributeSourceName, DesiredEntry } from '@aaf-sync/targets';
import type { Dit } from './dit.js';
import type { ScribeProfile } from './profile.js';

/**
 * Desired-entry key holding the managed groups the account belongs to, as `<uai>/<type>/<cn>`
 * values (not an LDAP attribute: `apply` turns it into `memberUid` values of group entries).
 */
export const GROUPS_KEY = '@groups';

/** Desired-entry key holding the school (UAI) the entry is filed under (not an LDAP attribute). */
export const UAI_KEY = '@uai';

/**
 * Desired-entry key holding what a group is created with besides its type and `cn` (JSON
 * `GroupDetails` per group: its description, a class's `niveau`). Used when a group is created,
 * never compared.
 */
export const GROUP_DETAILS_KEY = '@groupDetails';

export interface GroupDetails {
  readonly ref: string;
  readonly description?: string;
  readonly niveau?: string;
}

export interface GroupRef {
  readonly uai: string;
  readonly type: string;
  readonly cn: string;
}

export const groupRef = (g: GroupRef) => `${g.uai}/${g.type}/${g.cn}`;
export function parseGroupRef(value: string): GroupRef {
  const [uai = '', type = '', ...cn] = value.split('/');
  return { uai, type, cn: cn.join('/') };
}

/** A class or group code as a Scribe group `cn` (Scribe's are lower case: `6a`, `profs-6a`). */
export const groupCn = (code: string) => code.trim().toLowerCase();

const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const list = (v: string | undefined) => (v === undefined ? [] : [v]);

/** Slugs made, by value: the same few MEF and subject labels, account after account. */
const slugs = new Map<string, string>();

/** A label or code as a group `cn`: lower case, ASCII letters and digits, `-` between words. */
export function slugCn(value: string): string {
  let slug = slugs.get(value);
  if (slug === undefined) {
    slug = value
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    if (slugs.size >= 10_000) slugs.clear();
    slugs.set(value, slug);
  }
  return slug;
}

/** The `cn` of a Niveau or Matiere group (profile `levelGroups` / `subjectGroups`). */
export function namedGroupCn(
  naming: { readonly from: 'label' | 'code'; readonly prefix: string },
  item: { readonly code: string; readonly label: string },
): string {
  const base = slugCn(naming.from === 'label' ? item.label : item.code) || slugCn(item.code);
  return `${naming.prefix}${base}`;
}

/** `YYYY-MM-DD` → `dd/mm/yyyy` (SDET) and `yyyymmdd` (Scribe `dateNaissance`). */
function birthDates(iso: string | null): { sdet?: string; scribe?: string } {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!m) return {};
  return { sdet: `${m[3]}/${m[2]}/${m[1]}`, scribe: `${m[1]}${m[2]}${m[3]}` };
}

/**
 * What a Scribe server should hold for an account (pure): the entry at
 * `uid=<scribe login>,ou=local,ou=<branch>,ou=utilisateurs,ou=<UAI>,<baseDn>` in the first of
 * its establishments the target serves, with the attributes of its profile, and its managed
 * groups under `@groups`. Null when it has no `scribe` login, no establishment here, or — a
 * relative — no child here it is legally responsible for (then its entry is disabled). While the
 * rentrée blocking holds the account, the entry carries the profile's disabled marker and keeps
 * its groups.
 */
export function desiredEntry(
  account: Account,
  targetUais: readonly string[],
  profile: ScribeProfile,
  dit: Dit,
): DesiredEntry | null {
  const uid = account.logins.scribe;
  const uai = account.uais.find((u) => targetUais.includes(u));
  if (uid === undefined || uai === undefined) return null;
  const kind = account.profile;
  const school = dit.school(uai);
  const a: Record<string, string | string[]> = {
    objectClass: [...profile.objectClasses[kind]],
    uid,
    cn: `${account.givenName} ${account.sn}`.trim(),
    sn: account.sn,
    givenName: account.givenName,
    displayName: `${account.givenName} ${account.sn}`.trim(),
    ENTPersonLogin: uid,
    ENTPersonJointure: account.jointure,
    ENTPersonProfils: profile.profils[kind],
    ENTPersonStructRattach: school,
  };
  if (account.civility) a.personalTitle = account.civility;
  if (account.mail) a.mail = account.mail;
  const born = birthDates(account.birthDate);
  if (born.sdet) a.ENTPersonDateNaissance = born.sdet;
  if (born.scribe) a.dateNaissance = born.scribe;
  const groups: GroupRef[] = [];
  const details: GroupDetails[] = [];
  const level =
    kind === 'pupil' && account.mef ? namedGroupCn(profile.levelGroups, account.mef) : undefined;
  const subjects = account.subjects
    .filter((s) => s.uai === uai)
    .map((s) => ({ ...s, cn: namedGroupCn(profile.subjectGroups, s) }));
  if (kind === 'pupil') {
    if (account.ine) a.Ine = account.ine;
    const here = account.memberships.filter((m) => m.uai === uai);
    const classes = sorted(here.filter((m) => m.kind === 'class').map((m) => groupCn(m.code)));
    const options = sorted(here.filter((m) => m.kind === 'group').map((m) => groupCn(m.code)));
    if (classes.length > 0) {
      a.Divcod = classes;
      a.ENTEleveClasses = classes.map((c) => `${school}$${c}`);
    }
    if (options.length > 0) a.ENTEleveGroupes = options.map((c) => `${school}$${c}`);
    const classLevel = new Map(
      here.flatMap((m) =>
        m.kind === 'class' && m.classMef
          ? [[groupCn(m.code), namedGroupCn(profile.levelGroups, m.classMef)] as const]
          : [],
      ),
    );
    for (const cn of classes) {
      const ref = { uai, type: profile.groupTypes.class, cn };
      groups.push(ref);
      const niveau = classLevel.get(cn) ?? level;
      if (niveau) details.push({ ref: groupRef(ref), niveau });
    }
    for (const cn of options) groups.push({ uai, type: profile.groupTypes.group, cn });
    if (level && account.mef) {
      const ref = { uai, type: profile.groupTypes.level, cn: level };
      groups.push(ref);
      details.push({ ref: groupRef(ref), description: account.mef.label });
    }
  } else if (kind === 'teacher') {
    const here = account.teaching.filter((t) => t.uai === uai);
    const classes = sorted(here.filter((t) => t.kind === 'class').map((t) => groupCn(t.code)));
    const options = sorted(here.filter((t) => t.kind === 'group').map((t) => groupCn(t.code)));
    if (classes.length > 0) a.ENTAuxEnsClasses = classes.map((c) => `${school}$${c}`);
    if (options.length > 0) a.ENTAuxEnsGroupes = options.map((c) => `${school}$${c}`);
    for (const cn of [...classes, ...options]) {
      groups.push({ uai, type: profile.groupTypes.team, cn: `${profile.teamPrefix}${cn}` });
    }
    for (const s of subjects) {
      const ref = { uai, type: profile.groupTypes.subject, cn: s.cn };
      if (groups.some((g) => g.cn === ref.cn)) continue;
      groups.push(ref);
      details.push({ ref: groupRef(ref), description: s.label });
    }
  } else if (kind === 'relative') {
    const children = account.children.flatMap((c) => {
      const login = c.logins.scribe;
      const at = c.uais.find((u) => targetUais.includes(u));
      return login !== undefined && at !== undefined ? [dit.user(at, 'pupil', login)] : [];
    });
    if (children.length === 0) return null;
    a.ENTAuxPersRelEleveEleve = sorted(children);
  }
  if (profile.posixProfiles.includes(kind)) {
    a.homeDirectory = profile.homeDirectory
      .replaceAll('{uid}', uid)
      .replaceAll('{initial}', uid.slice(0, 1));
  }
  const values: Record<AttributeSourceName, string[]> = {
    jointure: [account.jointure],
    schoolId: kind === 'pupil' && account.schoolId ? [account.schoolId] : [],
    civilityCode: account.civility ? list(profile.civilityCodes[account.civility.trim()]) : [],
    mefCode: kind === 'pupil' && account.mef ? [account.mef.code] : [],
    mefLabel: kind === 'pupil' && account.mef ? [account.mef.label] : [],
    levelGroup: level ? [level] : [],
    typeadmin:
      kind !== 'teacher'
        ? []
        : [
            account.headOf.some((h) => h.uai === uai)
              ? profile.typeadmin.headTeacher
              : profile.typeadmin.teacher,
          ],
    headOfClasses: sorted(account.headOf.filter((h) => h.uai === uai).map((h) => groupCn(h.code))),
    subjectsTaught: sorted(subjects.map((s) => `${school}$${s.label}`)),
  };
  for (const [name, source] of Object.entries(profile.extraAttributes[kind])) {
    const v = source.startsWith('=')
      ? [source.slice(1)]
      : (values[source as AttributeSourceName] ?? []);
    if (v.length > 0) a[name] = v.length === 1 ? v[0]! : v;
  }
  // The rentrée blocking: the account stays as it is (groups, class spaces ready for the year)
  // with logins disabled until the calendar (or the principal) reopens it.
  if (account.access.blocked) a[profile.disabled.attribute] = profile.disabled.value;
  a[GROUPS_KEY] = sorted(groups.map(groupRef));
  a[GROUP_DETAILS_KEY] = details.map((d) => JSON.stringify(d)).sort();
  a[UAI_KEY] = uai;
  return { key: dit.user(uai, kind, uid), attributes: a };
}
