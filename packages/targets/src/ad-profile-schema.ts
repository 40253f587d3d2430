import { z } from 'zod';
import { AttributePolicy } from './scribe-profile-schema.js';

const rdnValue = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^,+"\\<>;=#]+$/u, 'an OU name without , + " \\ < > ; = #');
const template = z.string().max(200);
const perProfile = <T extends z.ZodType>(v: T) =>
  z.strictObject({ pupil: v, teacher: v, staff: v, relative: v });

/**
 * The Active Directory profile of a target of kind `ad`: layout, names and owned attributes as
 * data. Defaults live in packages/ad (`DEFAULT_AD_PROFILE`, README); a target overrides any
 * top-level part through `options.profile` (parts replaced whole, `policy` merged). Templates
 * take `{uai}`, `{login}`, `{givenName}`, `{sn}`, `{code}` where the README says so.
 */
export const AdProfile = z.strictObject({
  /** Profiles that get an account (others are never created; a held one is disabled). */
  profiles: z.array(z.enum(['pupil', 'teacher', 'staff', 'relative'])).max(4),
  /** `OU=<establishmentOu>,<baseDn>` per establishment (`{uai}`). */
  establishmentOu: template.min(1),
  /** `OU=<profileOus[profile]>,OU=<establishment>,<baseDn>`: where the users of a profile live. */
  profileOus: perProfile(rdnValue),
  /** `OU=<groupsOu>,OU=<establishment>,<baseDn>`: the class, option and team groups we manage. */
  groupsOu: rdnValue,
  /** User `CN` (`{login}`, `{givenName}`, `{sn}`): at most 64 characters, names cut first. */
  userCn: template.min(1),
  /** Group `CN` (`{code}`: the class/option code in lower case; teams `<teamPrefix><code>`). */
  groupCn: template.min(1),
  /** Group `sAMAccountName`, unique in the domain (`{uai}`, `{cn}`). */
  groupSam: template.min(1),
  teamPrefix: z.string().max(20),
  /** `groupType` of the groups we create (global security group: -2147483646). */
  groupType: z.number().int(),
  /** `userPrincipalName` suffix; default: the domain of `baseDn` (`DC=aaf,DC=test` → `aaf.test`). */
  upnSuffix: z.string().min(1).max(200).nullable(),
  /** `homeDirectory` per profile (`{uai}`, `{login}`); null: not written. */
  homeDirectory: perProfile(template.nullable()),
  homeDrive: z
    .string()
    .regex(/^[A-Z]:$/, 'a drive letter such as H:')
    .nullable(),
  /** Storage quota per profile in MiB, written as bytes to `maxStorage`; null: not written. */
  quotaMiB: perProfile(z.number().int().min(1).max(16_777_216).nullable()),
  /** Attributes we own and how: force (kept equal), keep (written when absent), merge. */
  policy: z.record(z.string().min(1), AttributePolicy),
});
export type AdProfile = z.output<typeof AdProfile>;

export const AdProfileOverrides = AdProfile.partial();
export type AdProfileOverrides = z.output<typeof AdProfileOverrides>;
