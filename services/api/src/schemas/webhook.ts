import { EVENT_TYPE_PATTERN, EVENT_TYPES } from '@aaf-sync/webhooks';
import { z } from 'zod';
import { CursorSchema, IsoTimeSchema, limitSchema, UaiSchema } from './common.js';

const NameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/)
  .describe('Unique name (a target of kind `webhook`): lower-case letters, digits, . - _.');

const ACADEMIE_WIDE =
  'Also receive the notices concerning no establishment (académie-wide `notice.*`; default ' +
  'false). Only a key without establishment restriction may set it.';

export const WebhookParamsSchema = z.object({ name: NameSchema });

const eventTypes = z
  .array(z.string().max(100).regex(EVENT_TYPE_PATTERN))
  .max(50)
  .describe(
    `Event types (or families, \`account.*\`); none = all. Known: ${EVENT_TYPES.join(', ')} ` +
      '(`notice.<kind>`, e.g. `notice.delivery.missing`).',
  );

export const WebhookCreateSchema = z
  .object({
    name: NameSchema,
    url: z.string().max(2048).describe('Receiver URL (http or https; public addresses only).'),
    uais: z.array(UaiSchema).min(1).max(10_000).describe('Establishments whose events it gets.'),
    eventTypes: eventTypes.optional(),
    includePersonalData: z
      .boolean()
      .optional()
      .describe('Send the new values of changed fields (default false: names of fields only).'),
    academieWide: z.boolean().optional().describe(ACADEMIE_WIDE),
    active: z.boolean().optional().describe('Default true.'),
  })
  .meta({ id: 'WebhookCreate' });

export const WebhookPatchSchema = z
  .object({
    url: z.string().max(2048).optional(),
    uais: z.array(UaiSchema).min(1).max(10_000).optional(),
    eventTypes: eventTypes.nullable().optional().describe('null: every type.'),
    includePersonalData: z.boolean().optional(),
    academieWide: z.boolean().optional().describe(ACADEMIE_WIDE),
    active: z.boolean().optional().describe('false suspends; true resumes where it stopped.'),
  })
  .meta({ id: 'WebhookPatch' });

export const WebhookSchema = z
  .object({
    name: z.string(),
    url: z.string(),
    uais: z.array(z.string()),
    eventTypes: z.array(z.string()).nullable(),
    includePersonalData: z.boolean(),
    academieWide: z.boolean().describe(ACADEMIE_WIDE),
    active: z.boolean(),
    cursor: z.number().int().nullable().describe('Every event with seq ≤ cursor is in its outbox.'),
    pending: z.number().int().describe('Deliveries waiting (first try or a retry).'),
    dead: z.number().int().describe('Dead letters: every retry failed (replay to send again).'),
    delivered: z.number().int(),
    failingSince: IsoTimeSchema.nullable().describe('First failure since the last success.'),
    lastSuccessAt: IsoTimeSchema.nullable(),
    disabledAt: IsoTimeSchema.nullable().describe('When it was disabled for failing too long.'),
    disabledReason: z.string().nullable(),
    previousSecretUntil: IsoTimeSchema.nullable().describe(
      'During a rotation: until when the previous secret also signs.',
    ),
    createdAt: IsoTimeSchema,
    updatedAt: IsoTimeSchema,
  })
  .meta({ id: 'Webhook', description: 'A webhook subscription (never its secret).' });

export const WebhooksSchema = z.object({ items: z.array(WebhookSchema) }).meta({ id: 'Webhooks' });

export const WebhookCreatedSchema = z
  .object({
    subscription: WebhookSchema,
    secret: z
      .string()
      .describe('The signing secret (`whsec_…`): shown once, store it on the receiver.'),
  })
  .meta({ id: 'WebhookCreated' });

export const WebhookRotatedSchema = z
  .object({
    secret: z.string().describe('The new signing secret (`whsec_…`): shown once.'),
    previousValidUntil: IsoTimeSchema.describe(
      'Until then deliveries carry two signatures (old and new).',
    ),
  })
  .meta({ id: 'WebhookRotated' });

export const ReplayQuerySchema = z.object({
  fromSeq: z.coerce.number().int().min(1).describe('Re-send the events from this seq on.'),
});

export const ReplaySchema = z
  .object({
    fromSeq: z.number().int(),
    upto: z.number().int().describe('The subscription’s cursor: the last event re-sent.'),
    deliveries: z.number().int().describe('Deliveries set pending again (or written).'),
  })
  .meta({ id: 'WebhookReplay' });

export const DeliveriesQuerySchema = z.object({
  status: z
    .enum(['pending', 'delivered', 'dead'])
    .optional()
    .describe('Only attempts of deliveries in this state (`dead`: the dead letters).'),
  cursor: CursorSchema.regex(/^[0-9]{1,18}$/, 'not a cursor of this list').optional(),
  limit: limitSchema(100, 1000),
});

export const DeliveryAttemptSchema = z
  .object({
    id: z.number().int(),
    deliveryId: z.number().int(),
    webhookId: z.string().describe('The `webhook-id` header (the same on every retry).'),
    seq: z.number().int(),
    eventType: z.string(),
    entity: z.string(),
    attempt: z.number().int(),
    attemptedAt: IsoTimeSchema,
    ok: z.boolean(),
    statusCode: z.number().int().nullable(),
    latencyMs: z.number(),
    responseExcerpt: z.string().nullable().describe('At most 1 KB of the answer.'),
    error: z.string().nullable(),
    deliveryStatus: z.enum(['pending', 'delivered', 'dead']),
  })
  .meta({ id: 'WebhookDeliveryAttempt' });

export const DeliveriesPageSchema = z
  .object({ items: z.array(DeliveryAttemptSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveries' });
