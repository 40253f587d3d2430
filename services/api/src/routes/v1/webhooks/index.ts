import {
  createSubscription,
  findSubscription,
  getSubscription,
  listAttempts,
  listSubscriptions,
  removeSubscription,
  replay,
  rotateSecret,
  updateSubscription,
  type SubscriptionContext,
} from '@aaf-sync/webhooks';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope, type Principal } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { problemResponses } from '../../../schemas/problem.js';
import {
  DeliveriesPageSchema,
  DeliveriesQuerySchema,
  ReplayQuerySchema,
  ReplaySchema,
  WebhookCreatedSchema,
  WebhookCreateSchema,
  WebhookParamsSchema,
  WebhookPatchSchema,
  WebhookRotatedSchema,
  WebhookSchema,
  WebhooksSchema,
} from '../../../schemas/webhook.js';
import { principalOf } from '../../../types.js';

const ADMIN = { auth: { anyOf: ['admin'] } } as const;

/**
 * What a subscription asks for must be the key's own: its establishments, and académie-wide
 * notices (no establishment's) only for a key of every establishment.
 */
function assertWithinScope(
  principal: Principal,
  asked: { readonly uais?: readonly string[]; readonly academieWide?: boolean },
) {
  for (const uai of asked.uais ?? []) assertUaiInScope(principal, uai);
  if (asked.academieWide && principal.uais !== null)
    throw ApiErrors.FORBIDDEN({ scopes: 'admin (for every establishment)' });
}
const TAGS = ['webhooks'];

/**
 * /v1/webhooks: webhook subscriptions, which are targets of kind `webhook` (they also appear in
 * /v1/targets). Admin scope; an establishment-scoped admin key manages the subscriptions whose
 * establishments are all its own. The secret is returned at creation and rotation only.
 */
const webhooks: FastifyPluginAsyncZod = async (app) => {
  const ctx: SubscriptionContext = {
    db: app.db,
    box: app.secretBox,
    allowPrivate: app.config.webhooks.allowPrivate,
    rotationWindowMs: app.config.webhooks.rotationWindowMs,
  };

  app.get(
    '',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        operationId: 'listWebhooks',
        summary: 'Webhook subscriptions, with their delivery counts and health',
        response: { 200: WebhooksSchema },
      },
    },
    async (request) => ({ items: await listSubscriptions(ctx, principalOf(request).uais) }),
  );

  app.post(
    '',
    {
      config: { ...ADMIN, audit: 'webhooks.create' },
      schema: {
        tags: TAGS,
        operationId: 'createWebhook',
        summary: 'Subscribe a receiver (the signing secret is in this answer only)',
        description:
          'Events after the creation are delivered (Standard Webhooks signatures); earlier ones ' +
          'can be sent with replay. Private, loopback and link-local URLs are refused unless ' +
          'WEBHOOK_ALLOW_PRIVATE_TARGETS.',
        body: WebhookCreateSchema,
        response: { 201: WebhookCreatedSchema, ...problemResponses(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      assertWithinScope(principal, request.body);
      request.auditDetails = { webhook: request.body.name, url: request.body.url };
      const created = await createSubscription(ctx, request.body, actorOf(principal));
      reply.code(201).header('location', `/v1/webhooks/${request.body.name}`);
      return created;
    },
  );

  app.get(
    '/:name',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        operationId: 'getWebhook',
        summary: 'One subscription',
        params: WebhookParamsSchema,
        response: { 200: WebhookSchema, ...problemResponses(404) },
      },
    },
    async (request) => getSubscription(ctx, request.params.name, principalOf(request).uais),
  );

  app.patch(
    '/:name',
    {
      config: { ...ADMIN, audit: 'webhooks.update' },
      schema: {
        tags: TAGS,
        operationId: 'updateWebhook',
        summary: 'Change URL, establishments, event types, personal data or the active flag',
        params: WebhookParamsSchema,
        body: WebhookPatchSchema,
        response: { 200: WebhookSchema, ...problemResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      assertWithinScope(principal, request.body);
      request.auditDetails = { fields: Object.keys(request.body) };
      return updateSubscription(
        ctx,
        request.params.name,
        request.body,
        actorOf(principal),
        principal.uais,
      );
    },
  );

  app.delete(
    '/:name',
    {
      config: { ...ADMIN, audit: 'webhooks.remove' },
      schema: {
        tags: TAGS,
        operationId: 'removeWebhook',
        summary: 'Remove a subscription with its outbox and delivery log',
        params: WebhookParamsSchema,
        response: { 204: z.null().describe('Removed.'), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      await removeSubscription(ctx, request.params.name, principalOf(request).uais);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/:name/rotate-secret',
    {
      config: { ...ADMIN, audit: 'webhooks.rotate-secret' },
      schema: {
        tags: TAGS,
        operationId: 'rotateWebhookSecret',
        summary: 'New signing secret; the old one also signs for WEBHOOK_ROTATION_HOURS',
        params: WebhookParamsSchema,
        response: { 200: WebhookRotatedSchema, ...problemResponses(404) },
      },
    },
    async (request) => rotateSecret(ctx, request.params.name, principalOf(request).uais),
  );

  app.post(
    '/:name/replay',
    {
      config: { ...ADMIN, audit: 'webhooks.replay' },
      schema: {
        tags: TAGS,
        operationId: 'replayWebhook',
        summary: 'Send again every event from a seq (dead letters included)',
        description:
          'Events from `fromSeq` up to the subscription’s cursor, filtered as the subscription ' +
          'is now, are delivered again in order (same `webhook-id` for the ones already sent). ' +
          '410 when the log no longer holds that seq.',
        params: WebhookParamsSchema,
        querystring: ReplayQuerySchema,
        response: { 200: ReplaySchema, ...problemResponses(400, 404, 410) },
      },
    },
    async (request) => {
      const row = await findSubscription(app.db, request.params.name, principalOf(request).uais);
      request.auditDetails = { fromSeq: request.query.fromSeq };
      return replay(app.db, Number(row.id), request.query.fromSeq);
    },
  );

  app.get(
    '/:name/deliveries',
    {
      config: ADMIN,
      schema: {
        tags: TAGS,
        operationId: 'listWebhookDeliveries',
        summary: 'The delivery log, newest attempt first',
        params: WebhookParamsSchema,
        querystring: DeliveriesQuerySchema,
        response: { 200: DeliveriesPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const row = await findSubscription(app.db, request.params.name, principalOf(request).uais);
      const { status, cursor, limit } = request.query;
      const page = await listAttempts(app.db, Number(row.id), {
        limit,
        ...(status !== undefined ? { status } : {}),
        ...(cursor !== undefined ? { before: Number(cursor) } : {}),
      });
      return { items: page.items, nextCursor: page.next };
    },
  );
};

export default webhooks;
