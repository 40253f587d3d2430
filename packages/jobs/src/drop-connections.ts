import type { Queue, Worker } from 'bullmq';

/**
 * The parts of BullMQ 6.7's Redis backend a forced close needs. They are not in its typed API:
 * a connection whose `close()` is already waiting (e.g. a QUIT queued while Redis is down)
 * ignores another `close(true)`, so the ioredis client underneath is disconnected directly.
 * Checked by packages/jobs/test/close-timeout.int.test.ts against the pinned version.
 */
interface IoRedisInternals {
  readonly status: string;
  disconnect(): void;
  /** ioredis: rejects the commands waiting for a connection. */
  flushQueue?(error: Error): void;
  /** ioredis: sets the status and emits the event of that name. */
  setStatus?(status: string): void;
}
interface BackendConnection {
  readonly _client?: IoRedisInternals;
  readonly extraOptions?: { readonly shared?: boolean };
}
interface RedisBackend {
  readonly connection?: BackendConnection;
  readonly blockingConnection?: BackendConnection;
}

/**
 * Disconnects at once (no QUIT, no waiting for replies) the Redis clients a worker or queue
 * opened itself: a worker's blocking connection, and its main connection unless it is the
 * caller's (an ioredis instance passed as `connection`, which the caller closes).
 */
export function dropOwnedConnections(owner: Worker | Queue): void {
  const backend = owner.getBackend() as unknown as RedisBackend;
  for (const conn of [backend.blockingConnection, backend.connection]) {
    if (!conn || conn.extraOptions?.shared) continue;
    const client = conn._client;
    if (!client || client.status === 'end') continue;
    client.disconnect();
    // ioredis leaves a client disconnected while it was waiting to reconnect (Redis down) in
    // 'reconnecting' for ever: its queued commands never settle and no 'end' is emitted, which
    // is what BullMQ's close waits for. Finish the job ioredis' close handler would have done.
    if (client.status !== 'end') {
      client.flushQueue?.(new Error('Connection is closed.'));
      client.setStatus?.('end');
    }
  }
}
