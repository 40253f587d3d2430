export { createIngester, DELIVERY_QUEUE, type Ingester, type IngesterOptions } from './ingester.js';
export { DeliveryQueue } from './delivery-queue.js';
export { scanInbox, type InboxEntry } from './inbox-scan.js';
export { archiveEntry, purgeArchive } from './archive.js';
export { quarantineEntry, type QuarantineRecord } from './quarantine.js';
export { IngesterErrors } from './errors.js';
export { runIngesterProcess } from './run-ingester.js';
export {
  createImportWorker,
  IMPORT_JOB_OPTIONS,
  type ImportWorker,
  type ImportWorkerOptions,
} from './import-worker.js';
