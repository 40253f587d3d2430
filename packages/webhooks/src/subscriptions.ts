import { sql, type Database, type Kysely } from '@aaf-sync/db';
import {
  createTarget,
  findTarget,
  getTarget,
  listTargets,
  openSecrets,
  removeTarget,
  setTargetState,
  TargetName,
  TargetsErrors,
  Uais,
  updateTarget,
  type SecretBox,
  type TargetScope,
  type TargetView,
} from '@aaf-sync/targets';
import { z } from 'zod';
import { WebhooksErrors } from './errors.js';
import { isKnownPattern } from './event-types.js';
import { assertDeliverableUrl } from './http-client.js';
import { generateSecret } from './signature.js';

const EventTypePattern = z
  .string()
  .max(100)
  .refine(isKnownPattern, 'an event type (`account.created`) or a family (`account.*`)');

/** A new subscription (the API body). The secret is generated, shown once in the answer. */
export const SubscriptionInput = z.strictObject({
  name: TargetName,
  url: z.url({ protocol: /^https?$/ }),
  uais: Uais,
  eventTypes: z.array(EventTypePattern).max(50).optional(),
  includePersonalData: z.boolean().default(false),
  /** Also receives the notices concerning no establishment (académie-wide `notice.*`). */
  academieWide: z.boolean().default(false),
  active: z.boolean().default(true),
});
export type SubscriptionInput = z.input<typeof SubscriptionInput>;

export const SubscriptionPatch = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).optional(),
  uais: Uais.optional(),
  eventTypes: z.array(EventTypePattern).max(50).nullable().optional(),
  includePersonalData: z.boolean().optional(),
  academieWide: z.boolean().optional(),
  active: z.boolean().optional(),
});
export type SubscriptionPatch = z.input<typeof SubscriptionPatch>;

export interface SubscriptionView {
  readonly name: string;
  readonly url: string;
  readonly uais: string[];
  readonly eventTypes: string[] | null;
  readonly includePersonalData: boolean;
  readonly academieWide: boolean;
  readonly active: boolean;
  readonly cursor: number | null;
  readonly pending: number;
  readonly dead: number;
  readonly delivered: number;
  readonly failingSince: string | null;
  readonly lastSuccessAt: string | null;
  readonly disabledAt: string | null;
  readonly disabledReason: string | null;
  /** While a rotation window is open: until when the previous secret also signs. */
  readonly previousSecretUntil: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SubscriptionContext {
  readonly db: Kysely<Database>;
  readonly box: SecretBox;
  /** WEBHOOK_ALLOW_PRIVATE_TARGETS. */
  readonly allowPrivate: boolean;
  /** How long the previous secret keeps signing after a rotation (ms). */
  readonly rotationWindowMs: number;
  readonly now?: () => number;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (!r.success) {
    const problems = r.error.issues
      .slice(0, 8)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw WebhooksErrors.INVALID({ problems });
  }
  return r.data as z.output<S>;
}

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);

async function viewOf(
  c: SubscriptionContext,
  targets: readonly TargetView[],
): Promise<SubscriptionView[]> {
  const ids = targets.map((t) => t.id);
  if (ids.length === 0) return [];
  const stats = await sql<{
    target_id: string;
    pending: number;
    dead: number;
    delivered: number;
    failing_since: Date | null;
    last_success_at: Date | null;
    disabled_at: Date | null;
    disabled_reason: string | null;
  }>`
    select t.id as target_id,
      (select count(*)::int from webhook_delivery d where d.target_id = t.id and d.status = 'pending') as pending,
      (select count(*)::int from webhook_delivery d where d.target_id = t.id and d.status = 'dead') as dead,
      (select count(*)::int from webhook_delivery d where d.target_id = t.id and d.status = 'delivered') as delivered,
      h.failing_since, h.last_success_at, h.disabled_at, h.disabled_reason
    from target t left join webhook_health h on h.target_id = t.id
    where t.id = any(${sql.val(ids)}::bigint[])
  `.execute(c.db);
  const byId = new Map(stats.rows.map((r) => [Number(r.target_id), r]));
  const rows = await c.db.selectFrom('target').selectAll().where('id', 'in', ids).execute();
  const secretsOf = new Map(rows.map((r) => [Number(r.id), openSecrets(c.box, r)]));
  return targets.map((t) => {
    const s = byId.get(t.id);
    const secrets = secretsOf.get(t.id) ?? {};
    const until = typeof secrets.previousUntil === 'string' ? secrets.previousUntil : null;
    const now = (c.now ?? Date.now)();
    return {
      name: t.name,
      url: String(t.options.url),
      uais: [...t.uais],
      eventTypes: Array.isArray(t.options.eventTypes) ? (t.options.eventTypes as string[]) : null,
      includePersonalData: t.options.includePersonalData === true,
      academieWide: t.options.academieWide === true,
      active: t.state === 'active',
      cursor: t.cursor,
      pending: s?.pending ?? 0,
      dead: s?.dead ?? 0,
      delivered: s?.delivered ?? 0,
      failingSince: iso(s?.failing_since),
      lastSuccessAt: iso(s?.last_success_at),
      disabledAt: t.state === 'suspended' ? iso(s?.disabled_at) : null,
      disabledReason: t.state === 'suspended' ? (s?.disabled_reason ?? null) : null,
      previousSecretUntil: until && Date.parse(until) > now ? until : null,
      createdAt: t.createdAt,
      updatedAt: t.updatedAt,
    };
  });
}

/** A subscription by name (WEBHOOKS_ERR_NOT_FOUND when none, or not a webhook, or out of scope). */
export async function findSubscription(db: Kysely<Database>, name: string, scope: TargetScope) {
  try {
    const row = await findTarget(db, name, scope);
    if (row.kind !== 'webhook') throw WebhooksErrors.NOT_FOUND({ name });
    return row;
  } catch (err) {
    if (TargetsErrors.NOT_FOUND.is(err)) throw WebhooksErrors.NOT_FOUND({ name });
    throw err;
  }
}

export async function getSubscription(
  c: SubscriptionContext,
  name: string,
  scope: TargetScope,
): Promise<SubscriptionView> {
  await findSubscription(c.db, name, scope);
  const [view] = await viewOf(c, [await getTarget(c.db, name, scope)]);
  return view as SubscriptionView;
}

export async function listSubscriptions(
  c: SubscriptionContext,
  scope: TargetScope,
): Promise<SubscriptionView[]> {
  const all = await listTargets(c.db, scope);
  return viewOf(
    c,
    all.filter((t) => t.kind === 'webhook'),
  );
}

/**
 * Creates a subscription: a target of kind `webhook` whose cursor starts at the head of the log,
 * with a generated `whsec_…` secret, returned here only (it is stored sealed).
 */
export async function createSubscription(
  c: SubscriptionContext,
  input: unknown,
  actor: string,
): Promise<{ subscription: SubscriptionView; secret: string }> {
  const def = parse(SubscriptionInput, input);
  assertDeliverableUrl(def.url, c.allowPrivate);
  const secret = generateSecret();
  await createTarget(
    c.db,
    c.box,
    {
      kind: 'webhook',
      name: def.name,
      uais: def.uais,
      options: {
        url: def.url,
        ...(def.eventTypes ? { eventTypes: def.eventTypes } : {}),
        includePersonalData: def.includePersonalData,
        ...(def.academieWide ? { academieWide: true } : {}),
      },
      secrets: { signingSecret: secret },
    },
    actor,
  );
  if (!def.active) await setTargetState(c.db, def.name, 'suspended', actor);
  return { subscription: await getSubscription(c, def.name, null), secret };
}

/** Changes URL, establishments, event types, personal data or the active flag. */
export async function updateSubscription(
  c: SubscriptionContext,
  name: string,
  input: unknown,
  actor: string,
  scope: TargetScope,
): Promise<SubscriptionView> {
  const patch = parse(SubscriptionPatch, input);
  const row = await findSubscription(c.db, name, scope);
  if (patch.url) assertDeliverableUrl(patch.url, c.allowPrivate);
  const options: Record<string, unknown> = { ...row.options };
  if (patch.url) options.url = patch.url;
  if (patch.eventTypes === null) delete options.eventTypes;
  else if (patch.eventTypes) options.eventTypes = patch.eventTypes;
  if (patch.includePersonalData !== undefined)
    options.includePersonalData = patch.includePersonalData;
  if (patch.academieWide === false) delete options.academieWide;
  else if (patch.academieWide) options.academieWide = true;
  await updateTarget(
    c.db,
    c.box,
    name,
    { options, ...(patch.uais ? { uais: patch.uais } : {}) },
    scope,
  );
  if (patch.active !== undefined)
    await setTargetState(c.db, name, patch.active ? 'active' : 'suspended', actor, scope);
  return getSubscription(c, name, scope);
}

export async function removeSubscription(
  c: SubscriptionContext,
  name: string,
  scope: TargetScope,
): Promise<void> {
  await findSubscription(c.db, name, scope);
  await removeTarget(c.db, name, scope);
}

/**
 * A new secret; the current one keeps signing (a second `v1,` entry) until the window ends, so
 * receivers can switch without losing a delivery. Returned here only.
 */
export async function rotateSecret(
  c: SubscriptionContext,
  name: string,
  scope: TargetScope,
): Promise<{ secret: string; previousValidUntil: string }> {
  const row = await findSubscription(c.db, name, scope);
  const current = openSecrets(c.box, row);
  const secret = generateSecret();
  const previousValidUntil = new Date((c.now ?? Date.now)() + c.rotationWindowMs).toISOString();
  await updateTarget(
    c.db,
    c.box,
    name,
    {
      secrets: {
        signingSecret: secret,
        previousSecret: current.signingSecret,
        previousUntil: previousValidUntil,
      },
    },
    scope,
  );
  return { secret, previousValidUntil };
}
