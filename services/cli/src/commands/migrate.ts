import { migrateToLatest } from '@aaf-sync/db';
import type { Command } from '../command.js';
import { withDatabase } from '../target-context.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema to the latest version',
  usage:
    'aaf-sync migrate\n\nApplies pending migrations to DATABASE_URL (all pending ones in one transaction).',
  async run({ config, log, stdout }) {
    return withDatabase(config, 1, async ({ db }) => {
      const { applied } = await migrateToLatest(db);
      log.info({ applied }, applied.length ? 'migrations applied' : 'schema already up to date');
      stdout.write(
        `${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}\n`,
      );
      return 0;
    });
  },
};
