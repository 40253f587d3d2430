import { lastYearEnd, purgeCredentials } from '@aaf-sync/credentials';
import { createDb } from '@aaf-sync/db';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';

const USAGE = `aaf-sync purge-credentials [--before <YYYY-MM-DD>]

Erases the stored (encrypted) clear copy of every initial password issued before the date —
by default the last school-year end (CREDENTIALS_YEAR_END, MM-DD) — whether retrieved or not;
logins and dates stay. Audited (credentials.purge). The yearly calendar will run it.`;

export const purgeCredentialsCommand: Command = {
  name: 'purge-credentials',
  summary: 'erase stored initial passwords issued before the school-year end',
  usage: USAGE,
  async run({ config, argv, stdout }) {
    const { values } = parseOptions(
      { args: [...argv], options: { before: { type: 'string' } } },
      USAGE,
    );
    let before: Date;
    if (values.before === undefined) {
      before = lastYearEnd(new Date(), config.credentials.yearEnd);
    } else {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(values.before)) {
        throw CliErrors.USAGE({ problem: '--before takes a date YYYY-MM-DD' });
      }
      before = new Date(`${values.before}T00:00:00Z`);
      if (Number.isNaN(before.getTime())) {
        throw CliErrors.USAGE({ problem: `--before ${values.before} is not a date` });
      }
    }
    const handle = createDb({
      url: config.database.url,
      poolMax: 1,
      applicationName: 'aaf-sync-cli',
    });
    try {
      const purged = await purgeCredentials(handle.db, { before, actor: operator() });
      stdout.write(
        `${purged} stored password(s) issued before ${before.toISOString().slice(0, 10)} purged\n`,
      );
      return 0;
    } finally {
      await handle.close();
    }
  },
};
