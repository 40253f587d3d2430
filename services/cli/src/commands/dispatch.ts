import { runTargetsProcess } from '@aaf-sync/drivers';
import type { Command } from '../command.js';

export const dispatchCommand: Command = {
  name: 'dispatch',
  summary: 'run the targets process: dispatch events to targets and reconcile them',
  usage: `aaf-sync dispatch

Runs the targets process in the foreground until Ctrl-C: wakes at each import commit
(PostgreSQL LISTEN/NOTIFY) and every TARGETS_POLL_SECONDS, moves each active target's cursor
over the new events into provisioning rows, reconciles the pending rows in batches of
TARGETS_BATCH_SIZE through BullMQ at REDIS_URL (lost jobs are rebuilt from PostgreSQL), and
purges the events older than CHANGES_RETENTION_DAYS daily, never past the slowest active target.
Webhook subscriptions (targets of kind webhook) are filled from the same log into their outbox
and delivered with retries (packages/webhooks, WEBHOOK_* settings).`,
  async run({ config }) {
    return (await runTargetsProcess(config)) ? 0 : 1;
  },
};
