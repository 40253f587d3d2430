export { defineQueue, parsePayload, type PayloadOf, type QueueDefinition } from './define-queue.js';
export {
  createProducer,
  DEFAULT_JOB_OPTIONS,
  type Producer,
  type ProducerOptions,
} from './producer.js';
export { startWorker, type JobHandler, type WorkerOptions } from './worker.js';
export { schedule } from './scheduler.js';
export { closeConnection } from './close-connection.js';
export { closeAll, DEFAULT_CLOSE_TIMEOUT_MS, type CloseOptions } from './shutdown.js';
export { realTimer, settlesWithin, type Timer } from './settles-within.js';
export { JobsErrors } from './errors.js';
export type { ConnectionOptions, Job, Queue, Worker } from 'bullmq';
