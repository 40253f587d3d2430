import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '@aaf-sync/config';
import type { Database, Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { testDb, testRedis, type TeardownHost, type TestRedis } from '@aaf-sync/testing';
import type { Redis } from 'ioredis';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createApiKey, type ApiScope } from '@aaf-sync/api-keys';
import {
  buildApp,
  queueEnqueuer,
  type IdentifierService,
  type ImportEnqueuer,
} from '../src/index.js';

export interface BuildOptions {
  readonly rateLimitPerMinute?: number;
  /** API_AUTH_FAILURES_PER_MINUTE (default 100,000 here: tests fail authentications on purpose). */
  readonly authFailuresPerMinute?: number;
  /** Largest uploaded file in bytes (API_UPLOAD_MAX_MB; default: the configured one). */
  readonly uploadMaxBytes?: number;
  /** Use a Redis store (a prefix of this test's own) for rate limits and readiness. */
  readonly redis?: boolean;
  readonly imports?: ImportEnqueuer;
  /** Enqueue imports on the real BullMQ queue under this test's Redis prefix (implies redis). */
  readonly queue?: boolean;
  readonly identifiers?: IdentifierService;
  readonly retentionDays?: number;
  /** API_KEY_CACHE_SECONDS (default 0 here: every request checks the key in PostgreSQL). */
  readonly keyCacheSeconds?: number;
  /** The app's clock (key cache); `Date.now` when absent. */
  readonly now?: () => number;
  /** Reader limits (`AAF_MAX_*`) over the configured ones (the worker reads the same config). */
  readonly aafLimits?: Partial<Config['aafLimits']>;
  /** `CREDENTIALS_*` over the configured ones. */
  readonly credentials?: Partial<Config['credentials']>;
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly db: Kysely<Database>;
  readonly config: Config;
  /** The Redis prefix of this test (when built with `redis: true`). */
  readonly redis: TestRedis | undefined;
  /** The app's own Redis connection (when built with `redis: true`). */
  readonly appRedis: Redis | undefined;
  /** Log lines the app wrote (JSON objects). */
  readonly logs: Record<string, unknown>[];
  /** A new API key with these scopes (and UAIs): the token to send. */
  key(scopes: readonly ApiScope[], uais?: readonly string[]): Promise<string>;
  /** `inject` with the key as Bearer token. */
  get(token: string, url: string): Promise<LightMyRequestResponse>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
}

/**
 * The app on a database of this test file's own (and a Redis prefix when asked), closed at
 * teardown. Tests never open a port.
 */
export async function build(t: TeardownHost, options: BuildOptions = {}): Promise<TestApp> {
  const database = await testDb(t);
  const redis = options.redis || options.queue ? await testRedis(t) : undefined;
  const uploadDir = mkdtempSync(join(tmpdir(), 'aaf-uploads-'));
  t.teardown(() => rmSync(uploadDir, { recursive: true, force: true }));
  const appRedis = redis?.connect({ maxRetriesPerRequest: 1 });
  const base = loadConfig();
  const config: Config = {
    ...base,
    database: { ...base.database, url: database.url },
    ingest: { ...base.ingest, uploadDir },
    aafLimits: { ...base.aafLimits, ...options.aafLimits },
    credentials: { ...base.credentials, ...options.credentials },
    api: {
      ...base.api,
      rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
      authFailuresPerMinute: options.authFailuresPerMinute ?? 100_000,
      uploadMaxBytes: options.uploadMaxBytes ?? base.api.uploadMaxBytes,
      keyCacheSeconds: options.keyCacheSeconds ?? 0,
      changesRetentionDays: options.retentionDays ?? base.api.changesRetentionDays,
    },
  };
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const log = createLogger({ level: 'info' }, sink);
  const queue =
    options.queue && redis
      ? queueEnqueuer(config, redis.connect({ maxRetriesPerRequest: 1 }), log, {
          prefix: redis.prefix,
        })
      : undefined;
  if (queue) t.teardown(() => queue.close());
  const app = await buildApp({
    config,
    db: database.db,
    log,
    redis: appRedis,
    redisPrefix: redis?.prefix,
    imports: options.imports ?? queue,
    identifiers: options.identifiers,
    now: options.now,
  });
  t.teardown(() => app.close());
  await app.ready();
  let n = 0;
  return {
    app,
    db: database.db,
    config,
    redis,
    appRedis,
    logs,
    async key(scopes, uais) {
      const { token } = await createApiKey(database.db, {
        name: `test-${++n}`,
        scopes,
        uais: uais ?? null,
        actor: 'test',
      });
      return token;
    },
    get: (token, url) =>
      app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }),
    inject: (opts) => app.inject(opts),
  };
}

/** The JSON body of a response, typed loosely for assertions. */
export function body<T = Record<string, unknown>>(res: LightMyRequestResponse): T {
  return res.json() as T;
}
