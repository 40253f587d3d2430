import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '@aaf-sync/logger';
import { Redis } from 'ioredis';
import { buildApp, type ImportEnqueuer } from '../src/index.js';
import { body, build } from './helper.js';

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

t.test('without Redis the limiter fails closed for writes and open for reads', async (t) => {
  const ctx = await build(t);
  const submitted: unknown[] = [];
  const imports: ImportEnqueuer = {
    enqueue: async (job) => {
      submitted.push(job);
    },
  };
  // The same options as server.ts: no offline queue, so a command fails at once.
  const redis = new Redis(`redis://127.0.0.1:${await closedPort()}`, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  redis.on('error', () => {});
  t.teardown(() => redis.disconnect());
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(JSON.parse(l));
      done();
    },
  });
  const app = await buildApp({
    config: ctx.config,
    db: ctx.db,
    log: createLogger({ level: 'info' }, sink),
    redis,
    redisPrefix: 'aaf-sync-test-closed',
    imports,
  });
  t.teardown(() => app.close());
  const admin = await ctx.key(['admin']);
  const headers = { authorization: `Bearer ${admin}` };

  const read = await app.inject({ url: '/v1/establishments', headers });
  t.equal(read.statusCode, 200, 'a read is served');

  for (const url of ['/v1/imports', '/v1/imports/1/plans/0990001N/approve']) {
    const write = await app.inject({
      method: 'POST',
      url,
      headers: { ...headers, 'content-type': 'multipart/form-data; boundary=abc' },
      payload:
        '--abc\r\nContent-Disposition: form-data; name="f"; filename="a.xml"\r\n\r\nx\r\n--abc--\r\n',
    });
    t.equal(write.statusCode, 503, `POST ${url} is refused`);
    t.match(write.headers['content-type'], /^application\/problem\+json/);
    t.match(body(write), { code: 'API_ERR_LIMITER_UNAVAILABLE', status: 503 });
    t.equal(write.headers['retry-after'], '5');
  }
  t.same(submitted, [], 'nothing reached the engine');
  t.ok(
    lines.some((l) => l.msg === 'rate limiter unavailable: write refused'),
    'the refusal is logged',
  );
  const unauthenticated = await app.inject({ url: '/v1/establishments' });
  t.equal(unauthenticated.statusCode, 401, 'authentication still works without Redis');
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503, '/readyz reports Redis down');
});
