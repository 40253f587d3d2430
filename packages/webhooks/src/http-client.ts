import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { WebhooksErrors } from './errors.js';
import { guardedLookup, isReservedAddress } from './guarded-lookup.js';
import { agentFor } from './keep-alive-agents.js';

export { isReservedAddress };

/** Bytes of a receiver's response body kept in the delivery log; the rest is never read. */
export const EXCERPT_BYTES = 1024;

export interface HttpSafety {
  /** Allow private, loopback and link-local addresses (WEBHOOK_ALLOW_PRIVATE_TARGETS). */
  readonly allowPrivate: boolean;
  /** The TCP (and TLS) connection must be up within this many ms. */
  readonly connectTimeoutMs: number;
  /** The whole exchange (connect, send, status and excerpt) within this many ms. */
  readonly totalTimeoutMs: number;
}

export interface PostResult {
  /** A 2xx status: delivered. Anything else (3xx included: redirects are not followed) fails. */
  readonly ok: boolean;
  readonly status: number | null;
  readonly latencyMs: number;
  /** At most EXCERPT_BYTES of the response body (UTF-8, possibly cut). */
  readonly excerpt: string | null;
  /** Why it failed without a status (timeout, refused address, connection error). */
  readonly error: string | null;
}

/**
 * Checks a subscription URL before it is stored: http(s) only, and an IP literal host must be
 * public unless private targets are allowed. Host names are checked at each connection (their
 * resolved addresses; a name re-pointed to a private address is refused then).
 */
export function assertDeliverableUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw WebhooksErrors.URL_REFUSED({ url: raw, reason: 'not a URL' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw WebhooksErrors.URL_REFUSED({ url: raw, reason: 'only http and https' });
  if (url.username || url.password)
    throw WebhooksErrors.URL_REFUSED({ url: raw, reason: 'credentials in the URL' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && (isIP(host) !== 0 ? isReservedAddress(host) : host === 'localhost'))
    throw WebhooksErrors.URL_REFUSED({ url: raw, reason: 'private or loopback address' });
  return url;
}

/** At most EXCERPT_BYTES of UTF-8, never ending in a cut character. */
export function excerptOf(body: Buffer): string {
  let text = body.subarray(0, EXCERPT_BYTES).toString('utf8');
  while (Buffer.byteLength(text) > EXCERPT_BYTES || text.endsWith('\uFFFD'))
    text = text.slice(0, -1);
  return text;
}

/**
 * POSTs `body` with `headers` to `url` over a keep-alive connection of that origin's pool (each
 * connection checked by the guarded lookup when it opens): no redirect followed, no proxy,
 * connect and total timeouts, at most EXCERPT_BYTES of the answer read (a longer answer closes
 * the connection). A pooled connection the receiver closed meanwhile (ECONNRESET before any
 * answer) is retried once on a new one. Never throws: every outcome is a `PostResult`. Headers
 * are not logged (they carry signatures).
 */
export async function postJson(
  rawUrl: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  safety: HttpSafety,
): Promise<PostResult> {
  const started = performance.now();
  let url: URL;
  try {
    url = assertDeliverableUrl(rawUrl, safety.allowPrivate);
  } catch (err) {
    return { ...failure((err as Error).message), latencyMs: 0 };
  }
  let r = await postOnce(url, headers, body, safety, safety.totalTimeoutMs);
  if (r.staleSocket) {
    const left = safety.totalTimeoutMs - (performance.now() - started);
    if (left > 0) r = await postOnce(url, headers, body, safety, left);
  }
  return { ...r.result, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
}

function failure(error: string): Omit<PostResult, 'latencyMs'> {
  return { ok: false, status: null, excerpt: null, error: error.slice(0, 300) };
}

/** One request; `staleSocket` when a reused connection was reset before any answer. */
function postOnce(
  url: URL,
  headers: Readonly<Record<string, string>>,
  body: string,
  safety: HttpSafety,
  totalMs: number,
): Promise<{ result: Omit<PostResult, 'latencyMs'>; staleSocket: boolean }> {
  return new Promise((resolve) => {
    let done = false;
    const live: { request?: http.ClientRequest } = {};
    const total = setTimeout(() => {
      fail(`timeout after ${safety.totalTimeoutMs} ms`);
      live.request?.destroy();
    }, totalMs);
    const finish = (result: Omit<PostResult, 'latencyMs'>, staleSocket = false) => {
      if (done) return;
      done = true;
      clearTimeout(total);
      resolve({ result, staleSocket });
    };
    const fail = (error: string, staleSocket = false) => finish(failure(error), staleSocket);
    const tls = url.protocol === 'https:';
    const request = (tls ? https : http).request(url, {
      method: 'POST',
      agent: agentFor(url, safety.allowPrivate),
      lookup: guardedLookup(safety.allowPrivate),
      headers: {
        ...headers,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'user-agent': 'aaf-sync-webhooks',
      },
    });
    live.request = request;
    request.on('socket', (socket) => {
      // A pooled connection is already up: the connect timeout is for new ones only.
      if (request.reusedSocket || !socket.connecting) return;
      const connect = setTimeout(() => {
        fail(`connect timeout after ${safety.connectTimeoutMs} ms`);
        request.destroy();
      }, safety.connectTimeoutMs);
      const connected = () => clearTimeout(connect);
      socket.once(tls ? 'secureConnect' : 'connect', connected);
      socket.once('close', connected);
    });
    request.on('error', (err: NodeJS.ErrnoException) =>
      fail(err.message, request.reusedSocket && err.code === 'ECONNRESET'),
    );
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = () => {
        const status = res.statusCode ?? 0;
        const excerpt = excerptOf(Buffer.concat(chunks));
        finish({ ok: status >= 200 && status < 300, status, excerpt, error: null });
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size > EXCERPT_BYTES) {
          // Enough read: the rest is never read, and this connection is not reused.
          settle();
          res.destroy();
        }
      });
      // Read to the end (a short answer): the connection goes back to the pool.
      res.on('end', settle);
      res.on('error', settle);
    });
    request.end(body);
  });
}
