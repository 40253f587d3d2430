import { insertAudit, purgeEvents } from '@aaf-sync/db';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase } from '../target-context.js';

const USAGE = [
  'aaf-sync purge-events [--older-than-days <n>]',
  '',
  'Deletes the events older than n days (default CHANGES_RETENTION_DAYS) and records the purge',
  'watermark: a feed cursor below it then answers 410 (the client resynchronises). It never',
  'purges past the slowest active target (`aaf-sync dispatch` also runs it daily).',
].join('\n');

export const purgeEventsCommand: Command = {
  name: 'purge-events',
  summary: 'delete change-feed events older than the retention (CHANGES_RETENTION_DAYS)',
  usage: USAGE,
  async run({ config, log, argv, stdout }) {
    const { values } = parseOptions(
      { args: [...argv], options: { 'older-than-days': { type: 'string' } } },
      USAGE,
    );
    const raw = values['older-than-days'];
    const days = raw === undefined ? config.api.changesRetentionDays : Number(raw);
    if (!Number.isInteger(days) || days < 0) {
      throw CliErrors.USAGE({ problem: '--older-than-days takes a whole number of days' });
    }
    const olderThan = new Date(Date.now() - days * 86_400_000);
    return withDatabase(config, 1, async ({ db }) => {
      const result = await purgeEvents(db, { olderThan, actor: 'cli:purge-events' });
      await insertAudit(db, {
        actor: 'cli:purge-events',
        action: 'events.purge',
        details: { olderThan: olderThan.toISOString(), ...result },
      });
      log.info({ ...result, olderThan }, 'change events purged');
      stdout.write(`${result.deleted} event(s) purged; watermark ${result.watermark}\n`);
      if (result.heldBy) {
        stdout.write(
          `held back by target ${result.heldBy.target} (cursor ${result.heldBy.seq}): ` +
            'see `aaf-sync targets list`, reset it if it cannot catch up\n',
        );
      }
      return 0;
    });
  },
};
