import type { Redis } from 'ioredis';

/**
 * Closes a Redis connection a process made for its queues: QUIT (the server answers what is
 * pending first), bounded by `timeoutMs`; past it — Redis unreachable, commands still queued
 * for it (`maxRetriesPerRequest: null`) — the connection is dropped without waiting.
 */
export async function closeConnection(redis: Redis, timeoutMs = 2000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  try {
    await Promise.race([redis.quit().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
    redis.disconnect();
  }
}
