import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a test receiver got it. */
export interface Received {
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
  readonly at: number;
}

export type Behaviour = (r: Received) => { status: number; body?: string } | 'hang' | 'drop';

/**
 * A real HTTP receiver on 127.0.0.1. `behaviour` decides each answer (default 204); `close()`
 * stops it and `listen()` brings it back on the same port (a receiver down, then back).
 */
export async function startReceiver(behaviour: Behaviour = () => ({ status: 204 })) {
  const received: Received[] = [];
  let mode = behaviour;
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      const answer = mode(r);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      if (answer === 'drop') {
        req.socket.destroy();
        return;
      }
      received.push(r);
      res.writeHead(answer.status, { 'content-type': 'text/plain' });
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    set(b: Behaviour) {
      mode = b;
    },
    async close() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    async listen() {
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
  };
}

/**
 * An implementation of Standard Webhooks verification written from the specification, sharing
 * no code with packages/webhooks: true when one `v1,` entry matches.
 */
export function independentVerify(secret: string, headers: http.IncomingHttpHeaders, body: string) {
  const id = String(headers['webhook-id']);
  const ts = String(headers['webhook-timestamp']);
  const key = Buffer.from(secret.split('_')[1] ?? '', 'base64');
  const mac = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  return String(headers['webhook-signature'])
    .split(' ')
    .map((e) => e.split(','))
    .some(([v, sig]) => {
      if (v !== 'v1' || !sig) return false;
      const given = Buffer.from(sig, 'base64');
      return given.length === mac.length && timingSafeEqual(given, mac);
    });
}
