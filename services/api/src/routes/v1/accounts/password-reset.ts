import { resetPassword } from '@aaf-sync/credentials';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, type Principal } from '../../../auth/principal.js';
import {
  AccountParamsSchema,
  AccountQuerySchema,
  type ParsedAccountRef,
} from '../../../schemas/account.js';
import { PasswordResetSchema } from '../../../schemas/credentials.js';
import { problemResponses } from '../../../schemas/problem.js';
import { principalOf } from '../../../types.js';

export interface PasswordResetOptions {
  /** The account a reference names, within the key's establishments (404 / 409 otherwise). */
  readonly personOf: (
    principal: Principal,
    ref: ParsedAccountRef,
    aafScope?: string,
  ) => Promise<{ id: number }>;
}

/**
 * POST /v1/accounts/{id}/password-reset (admin scope; a key restricted to establishments: its
 * own accounts only). Stores a new initial password pending and sets the account's provisioning
 * rows pending; the targets process sets it — this process never talks to the target.
 */
const passwordReset: FastifyPluginAsyncZod<PasswordResetOptions> = async (app, opts) => {
  const box = app.secretBox;

  app.post(
    '/:id/password-reset',
    {
      config: { auth: { anyOf: ['admin'] } },
      schema: {
        tags: ['accounts'],
        operationId: 'resetAccountPassword',
        summary: 'A new initial password for one account (set by the targets process)',
        description:
          'Same rules as at creation. On each password-capable target (Scribe) holding the ' +
          'account, the new password is stored encrypted and pending, and the account’s ' +
          'provisioning row set pending; the answer says where to retrieve the sheet once the ' +
          'target has it. Audited (`accounts.password-reset`). 409 ' +
          'CREDENTIALS_ERR_NO_PASSWORD_TARGET when no such target holds the account.',
        params: AccountParamsSchema,
        querystring: AccountQuerySchema,
        response: { 202: PasswordResetSchema, ...problemResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const person = await opts.personOf(principal, request.params.id, request.query.scope);
      const targets = await resetPassword(app.db, box, {
        personId: person.id,
        account: request.params.id.raw,
        length: app.config.credentials.passwordLength,
        audit: {
          actor: actorOf(principal),
          keyId: principal.keyId,
          requestId: request.id,
          method: request.method,
          path: request.url.split('?')[0] ?? request.url,
        },
      });
      reply.code(202);
      return {
        account: request.params.id.raw,
        targets: targets.map((t) => {
          const query = new URLSearchParams({
            uai: t.uai,
            ...(t.classCode ? { class: t.classCode } : {}),
          });
          return {
            target: t.target,
            kind: t.kind,
            login: t.login,
            uai: t.uai,
            class: t.classCode,
            retrieve: `/v1/targets/${t.target}/credentials?${query.toString()}`,
          };
        }),
      };
    },
  );
};

export default passwordReset;
