import {
  renderCredentialsCsv,
  renderCredentialsHtml,
  retrieveCredentials,
} from '@aaf-sync/credentials';
import { findTarget, TargetsErrors } from '@aaf-sync/targets';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertUaiInScope } from '../../../auth/principal.js';
import { CredentialsQuerySchema } from '../../../schemas/credentials.js';
import { problemResponses } from '../../../schemas/problem.js';
import { TargetParamsSchema } from '../../../schemas/target.js';
import { principalOf } from '../../../types.js';

const GONE = {
  410: {
    ...problemResponses(410)[410]!,
    description:
      'Already retrieved and purged (CREDENTIALS_ERR_ALREADY_RETRIEVED): reset the passwords ' +
      'to issue new ones.',
  },
};

/**
 * GET /v1/targets/{name}/credentials: the credential sheet of an establishment (or one class)
 * on a target — admin scope; a key restricted to establishments gets its own UAIs only, and a
 * target serving none of them is unknown to it. Each retrieval is audited (in the transaction
 * that reads and purges); the clear copies are purged unless CREDENTIALS_PURGE_ON_RETRIEVAL is
 * false.
 */
const credentials: FastifyPluginAsyncZod = async (app) => {
  const box = app.secretBox;

  app.get(
    '/:name/credentials',
    {
      config: { auth: { anyOf: ['admin'] } },
      schema: {
        tags: ['targets'],
        operationId: 'getTargetCredentials',
        summary: 'Initial passwords of an establishment (or a class): CSV or printable sheet',
        description:
          'Lists the initial passwords the target holds (set there by the targets process) for ' +
          'the accounts of one establishment, optionally one class, and — by default ' +
          '(CREDENTIALS_PURGE_ON_RETRIEVAL) — erases our copy: a second retrieval answers 410 ' +
          'CREDENTIALS_ERR_ALREADY_RETRIEVED. Passwords issued but not yet set are counted in ' +
          '`x-credentials-pending` and kept for later (only pending ones: 409 ' +
          'CREDENTIALS_ERR_NOT_SET_YET; none ever issued: 404 CREDENTIALS_ERR_NONE). Every ' +
          'retrieval leaves an `audit_log` row `credentials.retrieve` (who, target, UAI, class, ' +
          'count).',
        params: TargetParamsSchema,
        querystring: CredentialsQuerySchema,
        produces: ['text/csv', 'text/html'],
        response: {
          200: {
            description:
              'CSV `uai,classe,nom,prenom,login,mot_de_passe,motif` (RFC 4180, UTF-8), or an ' +
              'HTML sheet with one section (printed page) per class and one block per account.',
            content: {
              'text/csv': { schema: z.string() },
              'text/html': { schema: z.string() },
            },
          },
          ...problemResponses(400, 403, 404, 409),
          ...GONE,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const { uai, class: classCode, format } = request.query;
      assertUaiInScope(principal, uai);
      const row = await findTarget(app.db, request.params.name);
      const own = principal.uais;
      if (own !== null && !row.uais.some((u) => own.includes(u))) {
        throw TargetsErrors.NOT_FOUND({ name: request.params.name });
      }
      if (!row.uais.includes(uai)) throw TargetsErrors.NOT_SERVED({ name: row.name, uai });
      const sheet = await retrieveCredentials(app.db, box, {
        target: { id: Number(row.id), name: row.name },
        uai,
        classCode: classCode ?? null,
        purge: app.config.credentials.purgeOnRetrieval,
        format,
        audit: {
          actor: actorOf(principal),
          keyId: principal.keyId,
          requestId: request.id,
          method: request.method,
          path: request.url.split('?')[0] ?? request.url,
        },
      });
      const file = `credentials-${row.name}-${uai}${classCode ? `-${classCode}` : ''}`.replace(
        /[^A-Za-z0-9._-]/g,
        '_',
      );
      return reply
        .type(format === 'html' ? 'text/html; charset=utf-8' : 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file}.${format}"`)
        .header('cache-control', 'no-store')
        .header('x-credentials-count', String(sheet.count))
        .header('x-credentials-pending', String(sheet.pending))
        .header('x-credentials-purged', String(sheet.purged))
        .send(format === 'html' ? renderCredentialsHtml(sheet) : renderCredentialsCsv(sheet));
    },
  );
};

export default credentials;
