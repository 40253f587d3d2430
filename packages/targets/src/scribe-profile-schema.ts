import { z } from 'zod';

/** How the driver treats one attribute it owns (LSC-like). Attributes not listed are not ours. */
export const AttributePolicy = z.enum(['force', 'keep', 'merge']);
export type AttributePolicy = z.output<typeof AttributePolicy>;

const names = z.array(z.string().min(1).max(100)).min(1).max(50);

/**
 * Where an extra attribute's value comes from (the account view), or `=<value>`: that value as is.
 * `jointure` the AAF key (Scribe `intid`: the SIECLE/STS internal id); `schoolId` the pupil's
 * SIECLE id in its school (`ENTEleveStructRattachId`, Scribe `employeeNumber`); `civilityCode`
 * the civility through `civilityCodes`; `mefCode`/`mefLabel` the pupil's MEF; `levelGroup` the
 * `cn` of its Niveau group (Scribe `Meflcf`); `typeadmin` the teacher's (`typeadmin` part);
 * `headOfClasses` the class `cn`s the teacher is head teacher of (Scribe `Divcod` of a teacher);
 * `subjectsTaught` `<school DN>$<subject label>` (`ENTAuxEnsMatiereEnseignEtab`).
 */
export const AttributeSourceName = z.enum([
  'jointure',
  'schoolId',
  'civilityCode',
  'mefCode',
  'mefLabel',
  'levelGroup',
  'typeadmin',
  'headOfClasses',
  'subjectsTaught',
]);
export type AttributeSourceName = z.output<typeof AttributeSourceName>;
export const AttributeSource = z.union([
  AttributeSourceName,
  z.string().regex(/^=.{1,200}$/, 'expected a source name or =<value>'),
]);
export type AttributeSource = z.output<typeof AttributeSource>;

/** How a Niveau or Matiere group's `cn` is made: from the label or the code, lower-cased. */
const GroupNaming = z.strictObject({
  from: z.enum(['label', 'code']),
  prefix: z.string().max(20),
});
const perProfile = <T extends z.ZodType>(v: T) =>
  z.strictObject({ pupil: v, teacher: v, staff: v, relative: v });

/**
 * The Scribe profile: everything the driver writes that depends on the server's schema and
 * layout, as data. The default (`DEFAULT_SCRIBE_PROFILE`) follows EOLE Scribe and the test schema
 * of docker/ldap; a target overrides any top-level part through `options.profile`. Declared here, with the kinds,
 * so a target's options are validated when it is written; the defaults live in packages/scribe.
 */
export const ScribeProfile = z.strictObject({
  /** RDN values under `ou=<UAI>,<baseDn>`: `ou=local,ou=<branch>,ou=utilisateurs` and `ou=local,ou=groupes`. */
  usersOu: z.string().min(1).max(64),
  groupsOu: z.string().min(1).max(64),
  localOu: z.string().min(1).max(64),
  branches: perProfile(z.string().min(1).max(64)),
  /** `ENTPersonProfils` values (Scribe's local ones, never the national `National_*`). */
  profils: perProfile(z.string().min(1).max(64)),
  objectClasses: perProfile(names),
  groupObjectClasses: names,
  /** Profiles whose entries are POSIX accounts (uidNumber, gidNumber, homeDirectory). */
  posixProfiles: z.array(z.enum(['pupil', 'teacher', 'staff', 'relative'])),
  /** First numbers handed out on a new target (then never reused). */
  uidNumberStart: z.number().int().min(1000).max(2_000_000_000),
  gidNumberStart: z.number().int().min(1000).max(2_000_000_000),
  /** `{uid}` and `{initial}` are replaced. */
  homeDirectory: z.string().min(1).max(200),
  /** The group whose number is a POSIX account's `gidNumber` (created in `ou=groupes`, type `Base`). */
  primaryGroups: z.strictObject({ pupil: z.string(), teacher: z.string(), staff: z.string() }),
  /** `type` of the groups the driver creates, and the types whose memberships it manages. */
  groupTypes: z.strictObject({
    class: z.string().min(1),
    group: z.string().min(1),
    team: z.string().min(1),
    base: z.string().min(1),
    level: z.string().min(1).default('Niveau'),
    subject: z.string().min(1).default('Matiere'),
  }),
  /** Niveau groups (one per MEF of the school's pupils) and Matiere groups (teachers by subject). */
  levelGroups: GroupNaming,
  subjectGroups: GroupNaming,
  /** Attributes written from the account view besides the base ones, per profile (as data). */
  extraAttributes: perProfile(
    z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/), AttributeSource),
  ),
  /** `personalTitle` → Scribe `codecivilite` (SIECLE's codes: 1 M., 2 Mme, 3 Mlle). */
  civilityCodes: z.record(z.string().min(1).max(20), z.string().min(1).max(20)),
  /** Scribe `typeadmin` of a teacher: `0`, or `2` when head teacher of a class here. */
  typeadmin: z.strictObject({ teacher: z.string().min(1), headTeacher: z.string().min(1) }),
  /** Initial passwords are written only on an encrypted connection (ldaps:// or StartTLS). */
  passwordsOverTlsOnly: z.boolean(),
  managedGroupTypes: names,
  /** Teaching team of a class or group: `<teamPrefix><cn>`. */
  teamPrefix: z.string().max(20),
  /** The marker of a disabled account (set when departed / out of scope; removed on return). */
  disabled: z.strictObject({ attribute: z.string().min(1), value: z.string().min(1) }),
  /** Attributes we own and how: force (kept equal), keep (written when absent), merge (values added). */
  policy: z.record(z.string().min(1), AttributePolicy),
});
export type ScribeProfile = z.output<typeof ScribeProfile>;

/** A target's overrides: any top-level part of the profile. */
export const ScribeProfileOverrides = ScribeProfile.partial();
export type ScribeProfileOverrides = z.output<typeof ScribeProfileOverrides>;
