import {
  approveSnapshot,
  discardSnapshot,
  heldSnapshots,
  koxoOptions,
  listPublishedFiles,
  readPublishedFile,
} from '@aaf-sync/koxo';
import type { KoxoSnapshot } from '@aaf-sync/db';
import { findTarget, TargetsErrors, type SecretBox } from '@aaf-sync/targets';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope, type Principal } from '../../../auth/principal.js';
import { ApiErrors } from '../../../errors.js';
import { problemResponses } from '../../../schemas/problem.js';
import {
  KoxoFileParamsSchema,
  KoxoFilesSchema,
  KoxoSnapshotParamsSchema,
  KoxoSnapshotSchema,
  KoxoSnapshotsSchema,
} from '../../../schemas/koxo-file.js';
import { TargetParamsSchema } from '../../../schemas/target.js';
import { principalOf } from '../../../types.js';

/** Files hold personal data and initial passwords: admin, or accounts:read for its own UAIs. */
const FILES = { auth: { anyOf: ['admin', 'accounts:read'] } } as const;
const ADMIN = { auth: { anyOf: ['admin'] } } as const;

/**
 * The KoXo target whose files the caller may read, and the establishments it may read them for.
 * A non-admin key must be limited to establishments; a key sharing none with the target gets
 * 404 (the target's existence is not revealed).
 */
export async function koxoTargetFor(
  app: Parameters<FastifyPluginAsyncZod>[0],
  principal: Principal,
  name: string,
) {
  if (!principal.scopes.has('admin') && principal.uais === null) {
    throw ApiErrors.FORBIDDEN({ scopes: 'admin, or accounts:read limited to establishments' });
  }
  const row = await findTarget(app.db, name);
  const uais = principal.uais === null ? null : row.uais.filter((u) => principal.uais!.includes(u));
  if (row.kind !== 'koxo' || (uais !== null && uais.length === 0)) {
    throw TargetsErrors.NOT_FOUND({ name });
  }
  return { row, ref: { id: Number(row.id), name: row.name }, uais };
}

const snapshotView = (s: KoxoSnapshot) => ({
  uai: s.uai,
  version: s.version,
  status: s.status,
  eventSeq: Number(s.event_seq),
  generatedAt: new Date(s.generated_at).toISOString(),
  holdReason: s.hold_reason,
  decidedAt: s.decided_at ? new Date(s.decided_at).toISOString() : null,
  decidedBy: s.decided_by,
});

/** /v1/targets/{name}/files and /snapshots: what the KoXo site's agent fetches; held versions. */
export const koxoFiles =
  (box: SecretBox): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/:name/files',
      {
        config: FILES,
        schema: {
          tags: ['targets'],
          operationId: 'listKoxoFiles',
          summary:
            'The KoXo files a target serves now (newest published snapshot per establishment)',
          params: TargetParamsSchema,
          response: { 200: KoxoFilesSchema, ...problemResponses(403, 404) },
        },
      },
      async (request) => {
        const { ref, uais } = await koxoTargetFor(app, principalOf(request), request.params.name);
        return { items: await listPublishedFiles(app.db, ref, uais) };
      },
    );

    app.get(
      '/:name/files/:file',
      {
        config: FILES,
        schema: {
          tags: ['targets'],
          operationId: 'getKoxoFile',
          summary: 'One KoXo file (CSV, UTF-8 with BOM) or its manifest, with an ETag',
          description:
            'The ETag is the sha256 of the bytes; send it back in If-None-Match to get 304 when ' +
            'the file has not changed. A held snapshot is never served.',
          params: KoxoFileParamsSchema,
          produces: ['text/csv', 'application/json'],
          response: {
            200: {
              description: 'The file.',
              content: { 'text/csv': { schema: z.string() } },
            },
            304: z.null().describe('Not modified (If-None-Match matched the ETag).'),
            ...problemResponses(403, 404),
          },
        },
      },
      async (request, reply) => {
        const { ref, uais } = await koxoTargetFor(app, principalOf(request), request.params.name);
        const served = await readPublishedFile(app.db, box, ref, request.params.file, uais);
        const etag = `"${served.etag}"`;
        reply.header('etag', etag).header('cache-control', 'private, no-cache');
        const match = request.headers['if-none-match'];
        if (match && match.split(',').some((m) => m.trim().replace(/^W\//, '') === etag)) {
          return reply.code(304).send(null);
        }
        return reply
          .type(served.contentType)
          .header('content-disposition', `attachment; filename="${request.params.file}"`)
          .send(served.body as unknown as string);
      },
    );

    app.get(
      '/:name/snapshots',
      {
        config: ADMIN,
        schema: {
          tags: ['targets'],
          operationId: 'listKoxoHeldSnapshots',
          summary: 'KoXo snapshots held by the shrink guard, waiting for a decision',
          params: TargetParamsSchema,
          response: { 200: KoxoSnapshotsSchema, ...problemResponses(404) },
        },
      },
      async (request) => {
        const { ref, uais } = await koxoTargetFor(app, principalOf(request), request.params.name);
        return { items: (await heldSnapshots(app.db, ref.id, uais)).map(snapshotView) };
      },
    );

    for (const decision of ['approve', 'discard'] as const) {
      app.post(
        `/:name/snapshots/:uai/:version/${decision}`,
        {
          config: { ...ADMIN, audit: `koxo.snapshot.${decision}` },
          schema: {
            tags: ['targets'],
            operationId: `${decision}KoxoSnapshot`,
            summary:
              decision === 'approve'
                ? 'Publish a held KoXo snapshot as generated'
                : 'Discard a held KoXo snapshot (the published files stay served)',
            params: KoxoSnapshotParamsSchema,
            response: { 200: KoxoSnapshotSchema, ...problemResponses(403, 404, 409, 503) },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          const { uai, version } = request.params;
          assertUaiInScope(principal, uai);
          const { row, ref } = await koxoTargetFor(app, principal, request.params.name);
          request.auditDetails = { target: row.name, uai, version };
          const deps = { db: app.db, box };
          const s =
            decision === 'approve'
              ? await approveSnapshot(deps, ref, koxoOptions(row), uai, version, actorOf(principal))
              : await discardSnapshot(deps, ref, uai, version, actorOf(principal));
          return snapshotView(s);
        },
      );
    }
  };
