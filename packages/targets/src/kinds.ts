import { UaiSchema } from '@aaf-sync/aaf';
import { TARGET_KINDS, type TargetKind } from '@aaf-sync/db';
import { z } from 'zod';
import { AdProfileOverrides } from './ad-profile-schema.js';
import { ScribeProfileOverrides } from './scribe-profile-schema.js';

/**
 * Every kind of target, declared once: its options (stored in clear) and its secrets (stored
 * encrypted, never returned). Drivers live in their own packages (registry: packages/drivers):
 * `noop`, `scribe`, `koxo` and `ad` have one; `webhook` targets are served by packages/webhooks'
 * outbox.
 */
const ldapUrl = z.string().regex(/^ldaps?:\/\/[^\s/]+\/?$/, 'expected ldap://host[:port]');
const dn = z.string().min(3).max(512);
const password = z.string().min(1).max(1024);
/** Standard Webhooks secret: `whsec_` + base64 of at least 24 bytes. */
const webhookSecret = z
  .string()
  .max(256)
  .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'expected whsec_ followed by base64 (24+ bytes)');
/** A KoXo primary group name: it must match the site's group byte for byte (accents included). */
/**
 * A webhook event type or family: `account.created`, `account.*`, `notice.delivery.missing`
 * (notice kinds have dots and hyphens). packages/webhooks checks the names against its list.
 */
export const WEBHOOK_EVENT_TYPE_PATTERN = /^[a-z]+\.(\*|[a-z][a-z-]*(\.[a-z][a-z-]*)*)$/;
const groupName = z
  .string()
  .regex(/^[^;"\r\n/\\]{1,64}$/u, 'up to 64 characters, no ; " / \\ or line break');

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
      /** TLS of `ldaps://` and StartTLS: the CA (PEM) that signed the server's certificate. */
      tls: z
        .strictObject({
          ca: z.string().min(1).max(65_536).optional(),
          rejectUnauthorized: z.boolean().optional(),
        })
        .optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      poolSize: z.number().int().min(1).max(32).optional(),
      profile: ScribeProfileOverrides.optional(),
    }),
    secrets: z.strictObject({ bindPassword: password }),
  },
  /** A KoXo site: CSV synchronisation files, accounts read back from its Active Directory. */
  koxo: {
    options: z.strictObject({
      /** Folder the site's agent fetches the CSV files and manifests from (packages/koxo). */
      exportDir: z.string().min(1).max(1024),
      /**
       * Reading the site's Active Directory back (packages/koxo README): a read-only bind, the
       * branch KoXo writes its accounts under, how often, and after how many runs an account
       * that never appeared is reported missing. The bind password is the secret `bindPassword`.
       */
      readBack: z
        .strictObject({
          url: ldapUrl,
          baseDn: dn,
          bindDn: dn,
          everyMinutes: z.number().int().min(5).max(10_080).optional(),
          missingAfterSyncs: z.number().int().min(1).max(100).optional(),
          /** AD attribute holding the UAI (KoXo's ChampLibre mapping), to place unknown entries. */
          uaiAttribute: z
            .string()
            .regex(/^[A-Za-z][A-Za-z0-9-]{0,63}$/)
            .optional(),
          startTls: z.boolean().optional(),
          /** PEM of the CA that signed the AD certificate; `rejectUnauthorized: false` skips the check. */
          tls: z
            .strictObject({
              ca: z.string().min(1).max(20_000).optional(),
              rejectUnauthorized: z.boolean().optional(),
            })
            .optional(),
          timeoutMs: z.number().int().min(100).max(600_000).optional(),
        })
        .optional(),
      /** A snapshot losing more than this share of a file's rows is held for approval. */
      shrinkThreshold: z.number().min(0).max(1).optional(),
      /** Also write a file of relatives (primary group PARENTS). */
      includeRelatives: z.boolean().optional(),
      /** KoXo primary group names per file, when the site's differ from the defaults. */
      primaryGroups: z
        .strictObject({
          pupil: groupName.optional(),
          teacher: groupName.optional(),
          staff: groupName.optional(),
          relative: groupName.optional(),
        })
        .optional(),
    }),
    /** `bindPassword`: the read-back's bind (required once `readBack` is set). */
    secrets: z.strictObject({ bindPassword: password.optional() }),
  },
  /**
   * An Active Directory written directly (packages/ad): establishments are OUs under `baseDn`.
   * Passwords go only over `ldaps://` (or StartTLS); `profile` overrides the AD profile.
   */
  ad: {
    options: z.strictObject({
      url: ldapUrl,
      baseDn: dn,
      bindDn: dn,
      startTls: z.boolean().optional(),
      /** Accept the server's certificate without verifying it (test domains only). */
      tlsInsecure: z.boolean().optional(),
      /** PEM of the CA that signed the domain controller's certificate. */
      tlsCa: z.string().min(1).max(20_000).optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      poolSize: z.number().int().min(1).max(32).optional(),
      profile: AdProfileOverrides.optional(),
    }),
    secrets: z.strictObject({ bindPassword: password }),
  },
  /**
   * A webhook subscription (packages/webhooks, Standard Webhooks signatures): event types
   * (`account.*`, `group.created`…; none = every type), personal data in payloads only when
   * `includePersonalData`; `academieWide` adds the notices of no establishment. During a secret rotation the previous secret also signs until
   * `previousUntil`.
   */
  webhook: {
    options: z.strictObject({
      url: z.url({ protocol: /^https?$/ }),
      eventTypes: z
        .array(
          z
            .string()
            .max(100)
            .regex(WEBHOOK_EVENT_TYPE_PATTERN, 'an event type: `account.created`, `group.*`…'),
        )
        .max(50)
        .optional(),
      includePersonalData: z.boolean().optional(),
      /** Also the notices concerning no establishment (académie-wide `notice.*`). */
      academieWide: z.boolean().optional(),
    }),
    secrets: z.strictObject({
      signingSecret: webhookSecret,
      previousSecret: webhookSecret.optional(),
      previousUntil: z.iso.datetime().optional(),
    }),
  },
} as const satisfies Record<TargetKind, { options: z.ZodType; secrets: z.ZodType }>;

/**
 * Kinds that follow the event log through an outbox of their own (packages/webhooks: one row
 * per event, order per entity) instead of provisioning rows: the dispatcher and the full
 * reconcile leave them alone, except for placing their cursor.
 */
export const OUTBOX_KINDS: readonly TargetKind[] = ['webhook'];

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
