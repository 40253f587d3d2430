import { lastYearEnd, purgeCredentials } from '@aaf-sync/credentials';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase } from '../target-context.js';

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
    return withDatabase(config, 1, async ({ db }) => {
      const purged = await purgeCredentials(db, { before, actor: operator() });
      stdout.write(
        `${purged} stored password(s) issued before ${before.toISOString().slice(0, 10)} purged\n`,
      );
      return 0;
    });
  },
};
