import { exportScribeLdif } from '@aaf-sync/scribe';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { parseOptions } from '../parse-options.js';
import { withTargetDriver } from '../target-context.js';

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
  const { stdout } = ctx;
  return withTargetDriver(
    ctx.config,
    values.target,
    async ({ db, target }) => {
      const n = await exportScribeLdif(db, target, (chunk) => {
        if (!stdout.write(chunk)) {
          return new Promise<void>((resolve) => stdout.once('drain', () => resolve()));
        }
      });
      ctx.stderr.write(`${n} entries\n`);
      return 0;
    },
    {
      accept: (row) => {
        if (row.kind !== 'scribe') {
          throw CliErrors.USAGE({
            problem: `target ${row.name} is of kind ${row.kind}, not scribe`,
          });
        }
      },
    },
  );
}

export const exportLdifCommand: Command = {
  name: 'export-ldif',
  summary: 'write the subtree a Scribe target should hold as LDIF (for slapadd)',
  usage: USAGE,
  run,
};
