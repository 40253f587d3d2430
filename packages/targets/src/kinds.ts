import { UaiSchema } from '@aaf-sync/aaf';
import { TARGET_KINDS, type TargetKind } from '@aaf-sync/db';
import { z } from 'zod';
import { ScribeProfileOverrides } from './scribe-profile-schema.js';

/**
 * Every kind of target, declared once: its options (stored in clear) and its secrets (stored
 * encrypted, never returned). Only `noop` has a driver today; the others are validated and stored
 * so their drivers plug in later.
 */
const ldapUrl = z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'expected ldap://host[:port]');
const dn = z.string().min(3).max(512);
const password = z.string().min(1).max(1024);

export const KIND_SCHEMAS = {
  /** Applies nothing: records what it was asked (tests, dry runs of the loop). */
  noop: {
    options: z.strictObject({ note: z.string().max(200).optional() }),
    secrets: z.strictObject({ token: z.string().min(1).max(1024).optional() }),
  },
  /**
   * A Scribe pedagogical server (OpenLDAP). `baseDn` is the académie branch
   * (`ou=<ac-…>,ou=education,o=gouv,c=fr`); schools are `ou=<UAI>` under it. `profile` overrides
   * parts of the Scribe profile (packages/scribe/README.md).
   */
  scribe: {
    options: z.strictObject({
      url: ldapUrl,
      baseDn: dn,
      bindDn: dn,
      startTls: z.boolean().optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      poolSize: z.number().int().min(1).max(32).optional(),
      profile: ScribeProfileOverrides.optional(),
    }),
    secrets: z.strictObject({ bindPassword: password }),
  },
  /** A KoXo site: CSV synchronisation files, accounts read back from its Active Directory. */
  koxo: {
    options: z.strictObject({
      exportDir: z.string().min(1).max(1024),
      adUrl: ldapUrl,
      baseDn: dn,
      bindDn: dn,
    }),
    secrets: z.strictObject({ bindPassword: password }),
  },
  /** An Active Directory written directly. */
  ad: {
    options: z.strictObject({ url: ldapUrl, baseDn: dn, bindDn: dn, usersOu: dn.optional() }),
    secrets: z.strictObject({ bindPassword: password }),
  },
  /** A webhook subscription (Standard Webhooks signatures). */
  webhook: {
    options: z.strictObject({ url: z.url({ protocol: /^https?$/ }) }),
    secrets: z.strictObject({ signingSecret: z.string().min(24).max(256) }),
  },
} as const satisfies Record<TargetKind, { options: z.ZodType; secrets: z.ZodType }>;

export type TargetKindName = keyof typeof KIND_SCHEMAS;
/** The kinds (declared once, in packages/db next to the table's CHECK constraint). */
export { TARGET_KINDS };

export const TargetName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, 'lower-case letters, digits, dot, dash, underscore');
export const Uai = UaiSchema;
export const Uais = z
  .array(Uai)
  .min(1)
  .max(10_000)
  .transform((u) => [...new Set(u)].sort());

function definition<K extends TargetKindName>(kind: K) {
  return z.strictObject({
    kind: z.literal(kind),
    name: TargetName,
    uais: Uais,
    options: KIND_SCHEMAS[kind].options,
    secrets: KIND_SCHEMAS[kind].secrets.optional(),
  });
}

/** A new target: a discriminated union on `kind`. */
export const TargetDefinition = z.discriminatedUnion('kind', [
  definition('noop'),
  definition('scribe'),
  definition('koxo'),
  definition('ad'),
  definition('webhook'),
]);
export type TargetDefinition = z.output<typeof TargetDefinition>;

/** A change to a target: any of these; options and secrets are checked against its kind. */
export const TargetPatch = z.strictObject({
  uais: Uais.optional(),
  options: z.record(z.string(), z.unknown()).optional(),
  secrets: z.record(z.string(), z.unknown()).optional(),
});
export type TargetPatch = z.output<typeof TargetPatch>;
