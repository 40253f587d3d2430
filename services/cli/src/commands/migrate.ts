import { createDb, migrateToLatest } from '@aaf-sync/db';
import type { Command } from '../command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'bring the database schema to the latest version',
  usage:
    'aaf-sync migrate\n\nApplies pending migrations to DATABASE_URL (all pending ones in one transaction).',
  async run({ config, log, stdout }) {
    const handle = createDb({
      url: config.database.url,
      poolMax: 1,
      applicationName: 'aaf-sync-cli',
    });
    try {
      const { applied } = await migrateToLatest(handle.db);
      log.info({ applied }, applied.length ? 'migrations applied' : 'schema already up to date');
      stdout.write(
        `${applied.length} migration(s) applied${applied.length ? `: ${applied.join(', ')}` : ''}\n`,
      );
      return 0;
    } finally {
      await handle.close();
    }
  },
};
