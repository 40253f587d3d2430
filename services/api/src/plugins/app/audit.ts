import { insertAudit } from '@aaf-sync/db';
import fp from 'fastify-plugin';
import { actorOf } from '../../auth/principal.js';

/**
 * The audit log: every request to a route with `config.audit` (the writes) leaves one
 * `audit_log` row — who (key), what (action, method, path, params), the outcome (status), the
 * request id — written before the answer leaves, whatever the outcome. Requests refused before
 * authentication (401) have no principal and are not audited.
 */
export default fp(
  async (app) => {
    app.addHook('onSend', async (request, reply, payload) => {
      const action = request.routeOptions.config.audit;
      const principal = request.principal;
      if (!action || !principal) return payload;
      const params = (request.params ?? {}) as Record<string, unknown>;
      const uai = typeof params.uai === 'string' ? [params.uai] : [];
      try {
        await insertAudit(app.db, {
          actor: actorOf(principal),
          key_id: principal.keyId,
          request_id: request.id,
          action,
          method: request.method,
          path: request.url.split('?')[0] ?? request.url,
          status: reply.statusCode,
          uais: uai,
          details: { params, ...(request.auditDetails ?? {}) },
        });
      } catch (err) {
        request.log.error({ err, action }, 'audit row not written');
      }
      return payload;
    });
  },
  { name: 'audit', dependencies: ['deps'] },
);
