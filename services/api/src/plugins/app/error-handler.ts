import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
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
 * Requests Node's HTTP parser refuses before fastify sees them (headers over Node's limit, e.g. a
 * URL of 20 KB; a request that is not HTTP; a client too slow to send it): fastify's
 * `clientErrorHandler` option. Answered on the raw socket with a problem document (fastify's
 * default is a bare JSON object), then the socket is closed.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  err: Error & { code?: string },
  socket: Socket,
): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? ApiErrors.HEADERS_TOO_LARGE()
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ApiErrors.REQUEST_TIMEOUT()
        : ApiErrors.BAD_REQUEST({ reason: 'the HTTP request cannot be parsed' });
  const problem = toProblem(appError, { id: randomUUID(), url: '' });
  this.log.debug({ code: problem.code, parser: err.code }, 'client error');
  if (socket.writable) {
    const text = JSON.stringify(problem);
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.title}\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
    );
  }
  socket.destroy();
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
