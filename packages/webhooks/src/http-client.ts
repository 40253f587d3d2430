import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { WebhooksErrors } from './errors.js';

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

const reserved = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  reserved.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const)
  reserved.addSubnet(net, bits, 'ipv6');

/** True for loopback, private, link-local, CGNAT, multicast and other non-public addresses. */
export function isReservedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return reserved.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return reserved.check(address, family === 4 ? 'ipv4' : 'ipv6');
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

/** A DNS lookup that refuses reserved addresses (checked after resolution, at connect time). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const list = addresses as unknown as LookupAddress[];
      const usable = allowPrivate ? list : list.filter((a) => !isReservedAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to a reserved address`), {
          code: 'EREFUSEDADDRESS',
        });
        return callback(refused, '', 0);
      }
      if ((options as { all?: boolean }).all) return callback(null, usable as never);
      const first = usable[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * POSTs `body` with `headers` to `url`: no redirect followed, no proxy, no keep-alive across
 * receivers, connect and total timeouts, at most EXCERPT_BYTES of the answer read. Never
 * throws: every outcome is a `PostResult`. Headers are not logged (they carry signatures).
 */
export function postJson(
  rawUrl: string,
  headers: Readonly<Record<string, string>>,
  body: string,
  safety: HttpSafety,
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  return new Promise<PostResult>((resolve) => {
    let done = false;
    const live: { request?: http.ClientRequest } = {};
    const total = setTimeout(() => {
      fail(`timeout after ${safety.totalTimeoutMs} ms`);
      live.request?.destroy();
    }, safety.totalTimeoutMs);
    const finish = (r: Omit<PostResult, 'latencyMs'>) => {
      if (done) return;
      done = true;
      clearTimeout(total);
      resolve({ ...r, latencyMs: elapsed() });
    };
    const fail = (error: string) =>
      finish({ ok: false, status: null, excerpt: null, error: error.slice(0, 300) });
    let url: URL;
    try {
      url = assertDeliverableUrl(rawUrl, safety.allowPrivate);
    } catch (err) {
      fail((err as Error).message);
      return;
    }
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, {
      method: 'POST',
      agent: false,
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
      const connect = setTimeout(() => {
        fail(`connect timeout after ${safety.connectTimeoutMs} ms`);
        request.destroy();
      }, safety.connectTimeoutMs);
      const connected = () => clearTimeout(connect);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', connected);
      socket.once('close', connected);
    });
    request.on('error', (err) => fail(err.message));
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = () => {
        const status = res.statusCode ?? 0;
        const excerpt = excerptOf(Buffer.concat(chunks));
        finish({ ok: status >= 200 && status < 300, status, excerpt, error: null });
        res.destroy();
      };
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= EXCERPT_BYTES) settle();
      });
      res.on('end', settle);
      res.on('error', settle);
    });
    request.end(body);
  });
}
