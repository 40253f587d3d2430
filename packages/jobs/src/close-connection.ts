import type { Redis } from 'ioredis';
import { realTimer, settlesWithin, type Timer } from './settles-within.js';

/**
 * Closes a Redis connection a process made for its queues: QUIT (the server answers what is
 * pending first), bounded by `timeoutMs`; past it — Redis unreachable, commands still queued
 * for it (`maxRetriesPerRequest: null`) — the connection is dropped without waiting.
 */
export async function closeConnection(
  redis: Redis,
  timeoutMs = 2000,
  timer: Timer = realTimer,
): Promise<void> {
  try {
    await settlesWithin(redis.quit(), timeoutMs, timer);
  } finally {
    redis.disconnect();
  }
}
