import type { Account } from '@aaf-sync/targets';
import t from 'tap';
import {
  adLayout,
  desiredEntry,
  domainOf,
  ENABLED_KEY,
  GROUPS_KEY,
  resolveAdProfile,
} from '../src/index.js';

const BASE = 'OU=Etablissements,DC=lycee,DC=lan';
const account = (over: Partial<Account> = {}): Account => ({
  id: 1,
  jointure: 'E1',
  state: 'active',
  category: 'pupil',
  profile: 'pupil',
  givenName: 'Léa',
  sn: 'Martin',
  mail: null,
  version: 1,
  uais: ['0750001A'],
  logins: { koxo: 'lmartin' },
  birthDate: null,
  civility: null,
  ine: null,
  memberships: [
    { uai: '0750001A', kind: 'class', code: '6A' },
    { uai: '0750001A', kind: 'group', code: 'LATIN' },
  ],
  teaching: [],
  children: [],
  access: { blocked: false, until: null, why: null },
  mef: null,
  schoolId: null,
  subjects: [],
  headOf: [],
  ...over,
});

t.test('a pupil: DN, names, UPN from the domain, home, quota, groups by DN', async (t) => {
  const profile = resolveAdProfile();
  const layout = adLayout(BASE, profile);
  const e = desiredEntry(account(), ['0750001A'], profile, layout, BASE)!;
  t.equal(e.key, `CN=Léa Martin (lmartin),OU=Eleves,OU=0750001A,${BASE}`);
  t.match(e.attributes, {
    sAMAccountName: 'lmartin',
    userPrincipalName: 'lmartin@lycee.lan',
    employeeNumber: 'E1',
    department: '6A',
    homeDirectory: '\\\\srv-0750001A\\eleves$\\lmartin',
    homeDrive: 'H:',
    maxStorage: String(1024 ** 3),
    [ENABLED_KEY]: 'true',
  });
  t.same(e.attributes[GROUPS_KEY], [
    `CN=6a,OU=Groupes,OU=0750001A,${BASE}`,
    `CN=latin,OU=Groupes,OU=0750001A,${BASE}`,
  ]);
  t.equal(layout.groupSam('0750001A', '6a'), '0750001a-6a');
});

t.test('blocked by the calendar (rentrée): disabled, same DN, groups kept', async (t) => {
  const profile = resolveAdProfile();
  const layout = adLayout(BASE, profile);
  const open = desiredEntry(account(), ['0750001A'], profile, layout, BASE)!;
  const blocked = desiredEntry(
    account({ access: { blocked: true, until: new Date('2026-09-02T06:00:00Z'), why: 'rentrée' } }),
    ['0750001A'],
    profile,
    layout,
    BASE,
  )!;
  t.equal(blocked.key, open.key);
  t.equal(blocked.attributes[ENABLED_KEY], 'false');
  t.same(blocked.attributes[GROUPS_KEY], open.attributes[GROUPS_KEY]);
});

t.test(
  'a teacher is in the teams of what it teaches; relatives get no account by default',
  async (t) => {
    const profile = resolveAdProfile();
    const layout = adLayout(BASE, profile);
    const teacher = desiredEntry(
      account({
        profile: 'teacher',
        category: 'staff',
        memberships: [],
        teaching: [{ uai: '0750001A', kind: 'class', code: '6A' }],
      }),
      ['0750001A'],
      profile,
      layout,
      BASE,
    )!;
    t.match(teacher.key, /,OU=Profs,OU=0750001A,/);
    t.same(teacher.attributes[GROUPS_KEY], [`CN=profs-6a,OU=Groupes,OU=0750001A,${BASE}`]);
    t.equal(teacher.attributes.department, undefined);
    const relative = account({ profile: 'relative', category: 'relative', memberships: [] });
    t.equal(desiredEntry(relative, ['0750001A'], profile, layout, BASE), null);
    t.equal(desiredEntry(account(), ['0750002B'], profile, layout, BASE), null, 'not served here');
  },
);

t.test(
  'overrides: OUs, CN template, UPN suffix; a long name is cut, never the login',
  async (t) => {
    const profile = resolveAdProfile({
      profileOus: { pupil: 'Élèves', teacher: 'Profs', staff: 'Staff', relative: 'Parents' },
      userCn: '{login}',
      upnSuffix: 'ac-test.fr',
      quotaMiB: { pupil: null, teacher: null, staff: null, relative: null },
      policy: { maxStorage: 'force' },
    });
    t.equal(profile.policy.sn, 'force', 'policy merged attribute by attribute');
    const layout = adLayout(BASE, profile);
    const e = desiredEntry(account(), ['0750001A'], profile, layout, BASE)!;
    t.equal(e.key, `CN=lmartin,OU=Élèves,OU=0750001A,${BASE}`);
    t.equal(e.attributes.userPrincipalName, 'lmartin@ac-test.fr');
    t.equal(e.attributes.maxStorage, undefined);

    const long = adLayout(BASE, resolveAdProfile());
    const cn = long.userCn(
      'jdelafontaine12',
      'Marie-Charlotte-Eugénie',
      'de la Fontaine-Saint-Exupéry-Lefebvre',
    );
    t.ok(cn.length <= 64, `${cn.length} characters`);
    t.match(cn, /^Marie-Charlotte-Eugénie de la .* \(jdelafontaine12\)$/);
    t.same(domainOf('OU=x,DC=aaf,DC=test'), { dn: 'DC=aaf,DC=test', name: 'aaf.test' });
  },
);
