import { loadConfig } from '@aaf-sync/config';
import { Redis } from 'ioredis';
import { randomSuffix, type TeardownHost } from './teardown.js';

export interface TestRedis {
  readonly url: string;
  /** Key prefix of this test file; give it to BullMQ as `prefix`. */
  readonly prefix: string;
  /** A connection owned by the helper (closed at teardown). */
  readonly redis: Redis;
  /** A new connection (closed at teardown), e.g. for a BullMQ worker. */
  connect(options?: { maxRetriesPerRequest?: number | null }): Redis;
}

/**
 * A Redis key prefix of its own for the calling test file; every key under it is deleted at
 * teardown, and every connection made through `connect()` is closed.
 */
export async function testRedis(t: TeardownHost): Promise<TestRedis> {
  const url = loadConfig().redis.url;
  const prefix = `aaf-test:${randomSuffix()}`;
  const connections: Redis[] = [];
  const connect = (options: { maxRetriesPerRequest?: number | null } = {}) => {
    const r = new Redis(url, {
      maxRetriesPerRequest: options.maxRetriesPerRequest ?? null,
      lazyConnect: false,
    });
    r.on('error', () => {});
    connections.push(r);
    return r;
  };
  const redis = connect({ maxRetriesPerRequest: 3 });
  await redis.ping();
  t.teardown(async () => {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
    await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
  });
  return { url, prefix, redis, connect };
}
