import type { Queue, Worker } from 'bullmq';

/**
 * Graceful shutdown in the production order: workers first (each finishes or gives back its
 * running job), then queues. Closing twice is harmless.
 */
export async function closeAll(
  workers: readonly (Worker | undefined)[],
  queues: readonly ({ close(): Promise<void> } | Queue | undefined)[],
): Promise<void> {
  await Promise.all(workers.map((w) => w?.close()));
  await Promise.all(queues.map((q) => q?.close()));
}
