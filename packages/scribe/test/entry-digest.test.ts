import t from 'tap';
import type { Profile } from '@aaf-sync/db';
import { entryDigester } from '../src/entry-digest.js';
import { entryChanges } from '../src/entry-diff.js';
import { DEFAULT_SCRIBE_PROFILE, policyFor, resolveProfile } from '../src/profile.js';
import type { ScribeProfile } from '../src/profile.js';

const NUMBERS = new Set(['uidnumber', 'gidnumber']);
type Desired = Record<string, string | string[]>;
type Held = Record<string, string[]>;

/** A desired entry of each profile, as the driver makes them (names as written). */
function desiredOf(profile: ScribeProfile, kind: Profile): Desired {
  return {
    objectClass: [...profile.objectClasses[kind]],
    uid: 'lmartin',
    cn: 'Léa Martin',
    sn: 'Martin',
    givenName: 'Léa',
    displayName: 'Léa Martin',
    mail: 'lea@example.org',
    homeDirectory: '/home/l/lmartin',
    ENTPersonLogin: 'lmartin',
    ENTPersonJointure: '1234',
    ENTPersonProfils: profile.profils[kind],
    Divcod: ['3a', '3b'],
    intid: '1234',
    ...(kind === 'pupil' ? { employeeNumber: '42', Ine: '0123456789A' } : {}),
    ...(kind === 'teacher' ? { typeadmin: '0' } : {}),
    '@groups': ['0750001A/Classe/3a', '0750001A/Niveau/3e'],
    '@uai': '0750001A',
  };
}

/** What the server holds for a desired entry: names lower-cased, values as lists. */
function heldOf(d: Desired): Held {
  const out: Held = {};
  for (const [name, v] of Object.entries(d)) {
    if (!name.startsWith('@')) out[name.toLowerCase()] = typeof v === 'string' ? [v] : [...v];
  }
  out.uidnumber = ['10001'];
  return out;
}

/** Ways an entry on the server drifts (or not) from what is wanted. */
const drifts: Record<string, (h: Held) => void> = {
  none: () => undefined,
  'force value changed': (h) => (h.sn = ['Hacked']),
  'force value removed': (h) => delete h.givenname,
  'force value added': (h) => (h.shadowexpire = ['1']),
  'multi-valued in another order': (h) => (h.divcod = ['3b', '3a']),
  'multi-valued one missing': (h) => (h.divcod = ['3a']),
  'keep attribute changed by an admin': (h) => (h.mail = ['set.by@admin']),
  'keep attribute removed': (h) => delete h.mail,
  'object classes in another case, one more': (h) =>
    (h.objectclass = [...h.objectclass!.map((c) => c.toUpperCase()), 'sambaSamAccount']),
  'object class missing': (h) => (h.objectclass = h.objectclass!.slice(1)),
  'allocated number differs (ignored)': (h) => (h.uidnumber = ['99999']),
  'attribute not ours': (h) => (h.description = ['local note']),
  'another profile': (h) => (h.entpersonprofils = ['administratif']),
  'unknown profile': (h) => (h.entpersonprofils = ['autre']),
  'two profiles': (h) => (h.entpersonprofils = [...h.entpersonprofils!, 'eleve']),
  'pupil attribute on the entry': (h) => (h.employeenumber = ['7']),
};
const groupDrifts: Record<string, readonly string[] | undefined> = {
  same: undefined,
  'one group less': ['0750001A/Classe/3a'],
  'another order': ['0750001A/Niveau/3e', '0750001A/Classe/3a'],
};

const profiles: Record<string, ScribeProfile> = {
  default: DEFAULT_SCRIBE_PROFILE,
  // Teachers and staff share a profils value: an entry is digested under both plans.
  'shared profils': resolveProfile({
    profils: { ...DEFAULT_SCRIBE_PROFILE.profils, staff: 'enseignant' },
  }),
  // ENTPersonProfils written once only: it no longer tells an entry's profile.
  'profils kept': resolveProfile({ policy: { ENTPersonProfils: 'keep', mail: 'force' } }),
  'object classes forced': resolveProfile({ policy: { objectClass: 'force' } }),
};

t.test('the digests agree with entryChanges for every drift, profile and policy', async (t) => {
  let cases = 0;
  for (const [label, profile] of Object.entries(profiles)) {
    const digester = entryDigester(profile, NUMBERS);
    for (const kind of ['pupil', 'teacher', 'staff', 'relative'] as const) {
      const desired = desiredOf(profile, kind);
      const wanted = desired['@groups'] as string[];
      for (const [drift, apply] of Object.entries(drifts)) {
        for (const [groupDrift, groups] of Object.entries(groupDrifts)) {
          const held = heldOf(desired);
          apply(held);
          const heldGroups = groups ?? wanted;
          const expected =
            entryChanges(held, desired, policyFor(profile, kind), NUMBERS).length === 0 &&
            [...heldGroups].sort().join('\n') === [...wanted].sort().join('\n');
          const got = digester.inSync(
            digester.held(held, heldGroups),
            digester.desired(desired, kind, wanted),
          );
          t.equal(got, expected, `${label}, ${kind}: ${drift}, groups ${groupDrift}`);
          cases += 1;
        }
      }
    }
  }
  t.ok(cases > 700);
});

t.test('in sync and out of sync entries of the default profile', async (t) => {
  const digester = entryDigester(DEFAULT_SCRIBE_PROFILE, NUMBERS);
  const desired = desiredOf(DEFAULT_SCRIBE_PROFILE, 'pupil');
  const groups = desired['@groups'] as string[];
  const d = digester.desired(desired, 'pupil', groups);
  t.ok(digester.inSync(digester.held(heldOf(desired), groups), d), 'as written: in sync');
  const held = heldOf(desired);
  held.sn = ['Other'];
  t.notOk(digester.inSync(digester.held(held, groups), d), 'a forced value changed');
  t.notOk(digester.inSync(digester.held(heldOf(desired), []), d), 'out of its groups: not in sync');
});
