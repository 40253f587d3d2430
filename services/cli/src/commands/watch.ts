import { runIngesterProcess } from '@aaf-sync/ingester';
import type { Command } from '../command.js';

export const watchCommand: Command = {
  name: 'watch',
  summary: 'run the ingester: import inbox deliveries and the uploads queued by the API',
  usage: `aaf-sync watch

Runs the ingester service in the foreground until Ctrl-C: scans AAF_INBOX_DIR every
AAF_INBOX_POLL_SECONDS, queues each ready delivery (archive, folder, or loose files of one date)
on the BullMQ queue at REDIS_URL, imports them one at a time in date order, and moves them to
AAF_ARCHIVE_DIR/<importId>-<name>. Archived deliveries older than AAF_ARCHIVE_RETENTION_DAYS are
purged daily. Also runs what the API queues: uploads (spooled in AAF_UPLOAD_DIR) and decisions on
held plans.`,
  async run({ config }) {
    return (await runIngesterProcess(config)) ? 0 : 1;
  },
};
