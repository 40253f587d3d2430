import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import {
  assertDeliverableUrl,
  EXCERPT_BYTES,
  isReservedAddress,
  postJson,
  WebhooksErrors,
} from '../src/index.js';
import { startReceiver } from './receiver.js';

const loopback = { allowPrivate: true, connectTimeoutMs: 2_000, totalTimeoutMs: 2_000 };

t.test('private, loopback and link-local targets are refused unless allowed', async (t) => {
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '224.0.0.1',
  ])
    t.ok(isReservedAddress(a), `${a} reserved`);
  for (const a of ['8.8.8.8', '2001:4860:4860::8888', '193.51.24.1'])
    t.notOk(isReservedAddress(a), `${a} public`);
  for (const u of [
    'http://127.0.0.1/x',
    'http://[::1]/x',
    'http://169.254.169.254/latest',
    'http://localhost:8080/x',
    'http://10.0.0.1/',
  ])
    t.throws(() => assertDeliverableUrl(u, false), { code: WebhooksErrors.URL_REFUSED.code }, u);
  t.throws(() => assertDeliverableUrl('ftp://example.org/', true), {
    code: WebhooksErrors.URL_REFUSED.code,
  });
  t.throws(() => assertDeliverableUrl('https://u:p@example.org/', true), {
    code: WebhooksErrors.URL_REFUSED.code,
  });
  t.ok(assertDeliverableUrl('http://127.0.0.1/x', true));
  t.ok(assertDeliverableUrl('https://ent.example.org/hooks', false));

  const receiver = await startReceiver();
  t.teardown(() => receiver.close());
  const refused = await postJson(receiver.url, {}, '{}', { ...loopback, allowPrivate: false });
  t.match(refused, { ok: false, status: null, error: /refused/ });
  t.equal(receiver.received.length, 0, 'nothing reached the loopback receiver');
  // A host name resolving to loopback is checked after resolution, at connect time.
  const named = await postJson(receiver.url.replace('127.0.0.1', 'localhost.'), {}, '{}', {
    ...loopback,
    allowPrivate: false,
  });
  t.match(named, { ok: false, status: null });
  t.equal(receiver.received.length, 0);
});

t.test('answers: 2xx ok, excerpt ≤ 1 KB, redirects not followed, timeouts', async (t) => {
  const big = 'é'.repeat(4000);
  const receiver = await startReceiver((r) =>
    r.body === '"big"'
      ? { status: 500, body: big }
      : r.body === '"redirect"'
        ? { status: 302 }
        : { status: 200, body: 'ok' },
  );
  t.teardown(() => receiver.close());
  const ok = await postJson(receiver.url, { 'webhook-id': 'msg_1' }, '{}', loopback);
  t.match(ok, { ok: true, status: 200, excerpt: 'ok', error: null });
  t.equal(receiver.received[0]?.headers['webhook-id'], 'msg_1');
  t.equal(receiver.received[0]?.headers['content-type'], 'application/json');
  const err = await postJson(receiver.url, {}, '"big"', loopback);
  t.equal(err.ok, false);
  t.equal(err.status, 500);
  t.ok(Buffer.byteLength(err.excerpt ?? '') <= EXCERPT_BYTES, 'excerpt ≤ 1 KB');
  t.ok((err.excerpt ?? '').length > 500, 'an excerpt is kept');
  t.notOk((err.excerpt ?? '').includes('\uFFFD'), 'no cut character');
  const redirect = await postJson(receiver.url, {}, '"redirect"', loopback);
  t.match(redirect, { ok: false, status: 302 }, 'a redirect is a failure, not followed');

  receiver.set(() => 'hang');
  const slow = await postJson(receiver.url, {}, '{}', { ...loopback, totalTimeoutMs: 150 });
  t.match(slow, { ok: false, status: null, error: /timeout/ });
  t.ok(slow.latencyMs >= 140 && slow.latencyMs < 2_000, `gave up after ${slow.latencyMs} ms`);
  const down = await postJson('http://127.0.0.1:1/', {}, '{}', loopback);
  t.match(down, { ok: false, status: null, error: /ECONNREFUSED/ });
});

t.test('keep-alive: connections reused per origin, a closed one replaced', async (t) => {
  let connections = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(204).end());
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`;
  for (let i = 0; i < 20; i++) t.match(await postJson(url, {}, '{}', loopback), { ok: true });
  t.equal(connections, 1, 'twenty sequential deliveries over one connection');
  const parallel = await Promise.all(
    Array.from({ length: 8 }, () => postJson(url, {}, '{}', loopback)),
  );
  t.ok(parallel.every((r) => r.ok));
  const after = connections;
  t.ok(after <= 8, `at most one connection per delivery in flight (${after})`);
  await Promise.all(Array.from({ length: 8 }, () => postJson(url, {}, '{}', loopback)));
  t.equal(connections, after, 'the pooled connections are reused');
  // The receiver drops its idle connections (its keep-alive timeout): the next delivery still
  // succeeds, on a new connection.
  server.closeIdleConnections();
  t.match(await postJson(url, {}, '{}', loopback), { ok: true, status: 204 });
  t.ok(connections > after, 'a new connection');
  // The guard is per connection: a pool for public targets never reaches loopback by name.
  const named = await postJson(url.replace('127.0.0.1', 'localhost.'), {}, '{}', {
    ...loopback,
    allowPrivate: false,
  });
  t.match(named, { ok: false, status: null });
});
