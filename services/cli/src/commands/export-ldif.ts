import { createDb } from '@aaf-sync/db';
import { exportScribeLdif } from '@aaf-sync/scribe';
import { createSecretBox, driverFor, findTarget } from '@aaf-sync/targets';
import { SHIPPED_DRIVERS as DRIVERS } from '@aaf-sync/drivers';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { parseOptions } from '../parse-options.js';

const USAGE = `aaf-sync export-ldif --target <name>

Writes the whole subtree a Scribe target should hold (the OUs of its schools, every account with
its POSIX numbers, the groups with their members) as LDIF on stdout, for a fast first load of a
new server with slapadd (the target's baseDn must exist). New POSIX numbers are allocated, as
the driver would; nothing is sent to the server and no provisioning state changes.`;

async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseOptions(
    { args: [...ctx.argv], options: { target: { type: 'string' } } },
    USAGE,
  );
  if (!values.target) throw CliErrors.USAGE({ problem: `--target is required\n\n${USAGE}` });
  const { config, stdout } = ctx;
  const box = createSecretBox(config.targets.secretsKey, config.targets.previousSecretsKeys);
  const handle = createDb({
    url: config.database.url,
    poolMax: 2,
    applicationName: 'aaf-sync-cli',
  });
  try {
    const row = await findTarget(handle.db, values.target);
    if (row.kind !== 'scribe') {
      throw CliErrors.USAGE({ problem: `target ${row.name} is of kind ${row.kind}, not scribe` });
    }
    const { target } = driverFor(DRIVERS, box, row, { db: handle.db });
    const n = await exportScribeLdif(handle.db, target, (chunk) => {
      if (!stdout.write(chunk)) {
        return new Promise<void>((resolve) => stdout.once('drain', () => resolve()));
      }
    });
    ctx.stderr.write(`${n} entries\n`);
    return 0;
  } finally {
    await handle.close();
  }
}

export const exportLdifCommand: Command = {
  name: 'export-ldif',
  summary: 'write the subtree a Scribe target should hold as LDIF (for slapadd)',
  usage: USAGE,
  run,
};
