import { Writable } from 'node:stream';
import { appendEvents, type Database, type Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { createSecretBox } from '@aaf-sync/targets';
import type { TestRedis } from '@aaf-sync/testing';
import { createBackoff, createWebhooksRuntime, type WebhooksRuntime } from '../src/index.js';

export const UAI_A = '0750001A';
export const UAI_B = '0750002B';
export const box = createSecretBox(Buffer.alloc(32, 9).toString('base64'));

/** A logger writing into `lines` (to assert what is, and is not, logged). */
export function captureLog(level = 'info') {
  const lines: string[] = [];
  const log = createLogger(
    { level },
    new Writable({
      write: (c: Buffer, _e, done) => {
        lines.push(c.toString());
        done();
      },
    }),
  );
  return { log, lines };
}

/** `person.updated` events (one per key, in order) for the given establishments. */
export async function personEvents(
  db: Kysely<Database>,
  keys: readonly string[],
  uais: readonly string[],
  op: 'created' | 'updated' | 'departed' = 'updated',
): Promise<void> {
  await db.transaction().execute((trx) =>
    appendEvents(
      trx,
      keys.map((k, i) => ({
        entityType: 'person' as const,
        entityKey: k,
        op,
        version: i + 2,
        uais,
        // As the directory writes them (services/api/README.md, the feed's `changes`).
        changes:
          op === 'updated'
            ? {
                fields: { sn: ['Before', 'After'], mail: [null, `${k.toLowerCase()}@example.org`] },
              }
            : op === 'created'
              ? { after: { sn: 'After', mail: `${k.toLowerCase()}@example.org` } }
              : {},
      })),
    ),
  );
}

/** A clock the test moves (real time plus an offset). */
export function testClock() {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms: number) {
      offset += ms;
    },
  };
}

/** The webhooks runtime with short retries (50 ms, no jitter) and loopback allowed. */
export function runtimeFor(
  db: Kysely<Database>,
  url: string,
  redis: TestRedis,
  o: {
    log: ReturnType<typeof captureLog>['log'];
    now?: () => number;
    schedule?: readonly number[];
    totalTimeoutMs?: number;
    disableAfterMs?: number;
    pollMs?: number;
    lingerMs?: number;
  },
): WebhooksRuntime {
  return createWebhooksRuntime({
    db,
    listenUrl: url,
    connection: redis.connect(),
    prefix: redis.prefix,
    log: o.log,
    box,
    safety: {
      allowPrivate: true,
      connectTimeoutMs: 1_000,
      totalTimeoutMs: o.totalTimeoutMs ?? 2_000,
    },
    backoff: createBackoff(o.schedule ?? [0.05, 0.05, 0.05, 0.05, 0.05], 0),
    disableAfterMs: o.disableAfterMs ?? 86_400_000,
    // An hour by default: only NOTIFY, the retries' own delayed jobs and explicit calls wake it.
    pollMs: o.pollMs ?? 3_600_000,
    ...(o.now ? { now: o.now } : {}),
    ...(o.lingerMs !== undefined ? { lingerMs: o.lingerMs } : {}),
  });
}
