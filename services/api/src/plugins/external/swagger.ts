import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { describeMultipart, pruneComponents } from '../../lib/openapi-tidy.js';
import { API_DESCRIPTION } from '../../schemas/api-description.js';

/** Tags of the OpenAPI document, in display order. */
export const TAGS = [
  { name: 'changes', description: 'The change feed for ENT platforms.' },
  { name: 'directory', description: 'Establishments, persons, classes and groups, reports.' },
  { name: 'accounts', description: 'Account status and history, for administrators.' },
  { name: 'imports', description: 'AAF imports: upload, reports, rejects, held plans.' },
  { name: 'identifiers', description: 'Login identifiers.' },
  {
    name: 'targets',
    description: 'Targets (Scribe, KoXo, AD, webhooks) and their cursors; admin.',
  },
  {
    name: 'webhooks',
    description:
      'Webhook subscriptions (Standard Webhooks signatures): secret rotation, replay, delivery log; admin.',
  },
  {
    name: 'snapshots',
    description: 'Complete account lists per establishment and profile, and the agents’ read-back.',
  },
  {
    name: 'calendar',
    description:
      'The school-year calendar: document and versions (admin), what happens next, rentrée blocking per establishment.',
  },
  {
    name: 'notices',
    description:
      'Notices of the calendar (missing files, group warnings and summaries, campaign previews): an inbox per establishment and manager.',
  },
  { name: 'operations', description: 'Health and metrics (no authentication).' },
];

/**
 * The OpenAPI 3.1 document, generated from the routes' zod schemas, and the docs page at /docs
 * (swagger-ui served from the package's own files: no CDN).
 */
export default fp(
  async (app) => {
    await app.register(fastifySwagger, {
      openapi: {
        openapi: '3.1.0',
        info: { title: 'aaf-sync API', version: '1.0.0', description: API_DESCRIPTION },
        tags: TAGS,
        components: {
          securitySchemes: {
            apiKey: {
              type: 'http',
              scheme: 'bearer',
              bearerFormat: 'aafk_<id>_<secret>',
              description: 'An API key created with `pnpm aaf-sync keys create`.',
            },
          },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: (doc) =>
        pruneComponents(
          describeMultipart(jsonSchemaTransformObject(doc) as Record<string, unknown>, [
            'submitImport',
          ]),
        ) as ReturnType<typeof jsonSchemaTransformObject>,
    });
    await app.register(fastifySwaggerUi, {
      routePrefix: '/docs',
      uiConfig: { validatorUrl: null, deepLinking: true },
    });
  },
  { name: 'swagger' },
);
