import {
  consumerStatuses,
  createTarget,
  driverFor,
  findTarget,
  getTarget,
  listProvisioning,
  listTargets,
  removeTarget,
  reconcileTarget,
  resetConsumer,
  setTargetState,
  targetStatus,
  updateTarget,
  type ConsumerStatus,
  type TargetView,
} from '@aaf-sync/targets';
import { SHIPPED_DRIVERS } from '@aaf-sync/drivers';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope } from '../../../auth/principal.js';
import { problemResponses } from '../../../schemas/problem.js';
import {
  ProvisioningPageSchema,
  ProvisioningQuerySchema,
  ReconcileQuerySchema,
  ReconcileReportSchema,
  TargetCreateSchema,
  TargetParamsSchema,
  TargetPatchSchema,
  TargetResetSchema,
  TargetSchema,
  TargetsSchema,
  TargetStatusSchema,
} from '../../../schemas/target.js';
import { principalOf } from '../../../types.js';
import credentials from './credentials.js';
import { koxoFiles } from './koxo-files.js';
import { koxoReadBack } from './koxo-readback.js';

const ADMIN = { auth: { anyOf: ['admin'] } } as const;

function withConsumer(view: TargetView, statuses: readonly ConsumerStatus[]) {
  const s = statuses.find((c) => c.target === view.name);
  const { cursor: _cursor, ...rest } = view;
  return {
    ...rest,
    uais: [...view.uais],
    options: { ...view.options },
    consumer: s
      ? {
          cursor: s.cursor,
          behind: s.behind,
          oldestPendingAt: s.oldestPendingAt,
          lagging: s.lagging,
          needsReset: s.needsReset,
          pendingRows: s.pendingRows,
          failedRows: s.failedRows,
        }
      : null,
  };
}

/**
 * /v1/targets: targets as data (admin scope). An establishment-scoped admin key sees and
 * manages only targets whose establishments are all its own, and cannot give a target a
 * foreign establishment. Secrets are write-only.
 */
const targets: FastifyPluginAsyncZod = async (app) => {
  const box = app.secretBox;
  const retentionDays = app.config.api.changesRetentionDays;
  const view = async (name: string, scope: readonly string[] | null) =>
    withConsumer(
      await getTarget(app.db, name, scope),
      await consumerStatuses(app.db, { retentionDays }),
    );

  app.get(
    '',
    {
      config: ADMIN,
      schema: {
        tags: ['targets'],
        operationId: 'listTargets',
        summary: 'Targets, with where each stands in the event log',
        response: { 200: TargetsSchema },
      },
    },
    async (request) => {
      const scope = principalOf(request).uais;
      const [views, statuses] = await Promise.all([
        listTargets(app.db, scope),
        consumerStatuses(app.db, { retentionDays }),
      ]);
      return { items: views.map((v) => withConsumer(v, statuses)) };
    },
  );

  app.post(
    '',
    {
      config: { ...ADMIN, audit: 'targets.create' },
      schema: {
        tags: ['targets'],
        operationId: 'createTarget',
        summary: 'Add a target (its accounts are then reconciled in full)',
        body: TargetCreateSchema,
        response: { 201: TargetSchema, ...problemResponses(400, 403, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      for (const uai of request.body.uais) assertUaiInScope(principal, uai);
      request.auditDetails = { target: request.body.name, kind: request.body.kind };
      const created = await createTarget(app.db, box, request.body, actorOf(principal));
      reply.code(201).header('location', `/v1/targets/${created.name}`);
      return view(created.name, null);
    },
  );

  app.get(
    '/:name',
    {
      config: ADMIN,
      schema: {
        tags: ['targets'],
        operationId: 'getTarget',
        summary: 'One target',
        params: TargetParamsSchema,
        response: { 200: TargetSchema, ...problemResponses(404) },
      },
    },
    async (request) => view(request.params.name, principalOf(request).uais),
  );

  app.get(
    '/:name/status',
    {
      config: ADMIN,
      schema: {
        tags: ['targets'],
        operationId: 'getTargetStatus',
        summary: 'Where a target stands: lag, rows by status, last batch, last error',
        params: TargetParamsSchema,
        response: { 200: TargetStatusSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const status = await targetStatus(app.db, request.params.name, {
        retentionDays,
        scope: principalOf(request).uais,
      });
      return { ...status, uais: [...status.uais] };
    },
  );

  app.get(
    '/:name/provisioning',
    {
      config: ADMIN,
      schema: {
        tags: ['targets'],
        operationId: 'listTargetProvisioning',
        summary: 'A target’s provisioning rows (one per account), by person id',
        params: TargetParamsSchema,
        querystring: ProvisioningQuerySchema,
        response: { 200: ProvisioningPageSchema, ...problemResponses(400, 404) },
      },
    },
    async (request) => {
      const { status, uai, cursor, limit } = request.query;
      return listProvisioning(app.db, request.params.name, {
        ...(status !== undefined ? { status } : {}),
        ...(uai !== undefined ? { uai } : {}),
        ...(cursor !== undefined ? { after: Number(cursor) } : {}),
        limit,
        scope: principalOf(request).uais,
      });
    },
  );

  app.patch(
    '/:name',
    {
      config: { ...ADMIN, audit: 'targets.update' },
      schema: {
        tags: ['targets'],
        operationId: 'updateTarget',
        summary: 'Change establishments, options or secrets',
        params: TargetParamsSchema,
        body: TargetPatchSchema,
        response: { 200: TargetSchema, ...problemResponses(400, 403, 404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      for (const uai of request.body.uais ?? []) assertUaiInScope(principal, uai);
      request.auditDetails = { fields: Object.keys(request.body) };
      await updateTarget(app.db, box, request.params.name, request.body, principal.uais);
      return view(request.params.name, principal.uais);
    },
  );

  for (const action of ['suspend', 'resume'] as const) {
    app.post(
      `/:name/${action}`,
      {
        config: { ...ADMIN, audit: `targets.${action}` },
        schema: {
          tags: ['targets'],
          operationId: `${action}Target`,
          summary:
            action === 'suspend'
              ? 'Suspend a target (nothing is dispatched nor applied)'
              : 'Resume a target (a full reconcile)',
          params: TargetParamsSchema,
          response: { 200: TargetSchema, ...problemResponses(404) },
        },
      },
      async (request) => {
        const principal = principalOf(request);
        await setTargetState(
          app.db,
          request.params.name,
          action === 'suspend' ? 'suspended' : 'active',
          actorOf(principal),
          principal.uais,
        );
        return view(request.params.name, principal.uais);
      },
    );
  }

  app.post(
    '/:name/reset',
    {
      config: { ...ADMIN, audit: 'targets.reset' },
      schema: {
        tags: ['targets'],
        operationId: 'resetTarget',
        summary: 'Reset the cursor to the head of the log and reconcile in full',
        params: TargetParamsSchema,
        response: { 200: TargetResetSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return resetConsumer(app.db, request.params.name, actorOf(principal), principal.uais);
    },
  );

  app.post(
    '/:name/reconcile',
    {
      config: { ...ADMIN, audit: 'targets.reconcile' },
      schema: {
        tags: ['targets'],
        operationId: 'reconcileTarget',
        summary: 'Compare the target with the directory; set what differs pending',
        description:
          'Full reconcile of the target (or of one of its establishments): differences are set ' +
          'pending for the targets process, orphans reported and never deleted. A dry run, or a ' +
          'reconcile that finds nothing, leaves the provisioning state untouched.',
        params: TargetParamsSchema,
        querystring: ReconcileQuerySchema,
        response: { 200: ReconcileReportSchema, ...problemResponses(400, 404, 501, 503) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { uai, dryRun } = request.query;
      const row = await findTarget(app.db, request.params.name, principal.uais);
      const { target, driver } = driverFor(SHIPPED_DRIVERS, box, row, { db: app.db });
      try {
        const report = await reconcileTarget(app.db, target, driver, {
          ...(uai !== undefined ? { uai } : {}),
          dryRun,
        });
        request.auditDetails = { uai: uai ?? null, dryRun, marked: report.marked };
        return {
          ...report,
          uais: [...report.uais],
          establishments: report.establishments.map((e) => ({ ...e })),
          differences: report.differences.map((d) => ({ ...d })),
          orphans: report.orphans.map((o) => ({ key: o.key, uai: o.uai })),
        };
      } finally {
        await driver.close?.();
      }
    },
  );

  await app.register(koxoFiles(box));
  await app.register(koxoReadBack);

  app.delete(
    '/:name',
    {
      config: { ...ADMIN, audit: 'targets.remove' },
      schema: {
        tags: ['targets'],
        operationId: 'removeTarget',
        summary: 'Remove a target with its cursor and provisioning state',
        params: TargetParamsSchema,
        response: { 204: z.null().describe('Removed.'), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      await removeTarget(app.db, request.params.name, principalOf(request).uais);
      return reply.code(204).send(null);
    },
  );

  await app.register(credentials);
};

export default targets;
