import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ApiErrors } from '../../errors.js';
import { classifyError, toProblem } from '../../lib/problem.js';

/** Sends an error as a problem document (shared by the error handler and framework errors). */
function sendProblem(err: unknown, request: FastifyRequest, reply: FastifyReply) {
  const appError = classifyError(err);
  const problem = toProblem(appError, request);
  if (problem.status >= 500) {
    request.log.error({ err, code: problem.code }, 'request failed');
  } else {
    request.log.debug({ code: problem.code, status: problem.status }, 'request refused');
  }
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}

/**
 * Errors the router raises before any route or hook runs (a malformed URL, a parameter longer than
 * the router accepts): fastify's `frameworkErrors` option, answered like every other error.
 */
export function frameworkErrors(err: Error, request: FastifyRequest, reply: FastifyReply): void {
  void sendProblem(err, request, reply);
}

/**
 * The one error handler: every error becomes an `application/problem+json` document with a
 * stable code. 5xx are logged with their cause (the request id is in the log line and in the
 * answer); 4xx are logged at debug level.
 */
export default fp(
  async (app) => {
    app.setErrorHandler((err, request, reply) => sendProblem(err, request, reply));

    app.setNotFoundHandler((request, reply) => {
      const problem = toProblem(
        ApiErrors.ROUTE_NOT_FOUND({ method: request.method, path: request.url.split('?')[0] }),
        request,
      );
      return reply.code(404).type('application/problem+json').send(JSON.stringify(problem));
    });
  },
  { name: 'error-handler' },
);
