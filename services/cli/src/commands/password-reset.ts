import { resetPassword } from '@aaf-sync/credentials';
import { resolveAccount } from '@aaf-sync/directory';
import { accountRef } from '../account-ref.js';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase } from '../target-context.js';

const USAGE = `aaf-sync password-reset <account>

A new initial password for one account (id:<n>, jointure:<j>, <namespace>:<login>, or a bare
id, jointure or login), like POST /v1/accounts/{id}/password-reset: stored encrypted and pending
on each Scribe target holding the account, whose provisioning row is set pending — the targets
process sets it. Then retrieve it with \`aaf-sync credentials\` (the command prints how). Audited.`;

export const passwordResetCommand: Command = {
  name: 'password-reset',
  summary: 'issue a new initial password for one account (set by the targets process)',
  usage: USAGE,
  async run({ config, argv, stdout }) {
    const { positionals } = parseOptions({ args: [...argv], allowPositionals: true }, USAGE);
    const raw = positionals[0];
    if (!raw || positionals.length > 1) {
      throw CliErrors.USAGE({ problem: `one account is required\n\n${USAGE}` });
    }
    return withDatabase(config, 1, async ({ db, box }) => {
      const ids = await resolveAccount(
        db,
        { uais: null },
        accountRef(raw, config.identifiers.namespaces),
      );
      if (ids.length !== 1) {
        throw CliErrors.USAGE({
          problem: ids.length === 0 ? `no account ${raw}` : `${raw} names ${ids.length} accounts`,
        });
      }
      const targets = await resetPassword(db, box, {
        personId: ids[0]!.id,
        account: raw,
        length: config.credentials.passwordLength,
        audit: { actor: operator() },
      });
      for (const t of targets) {
        stdout.write(
          `${t.target}: new password for ${t.login} pending; once set, retrieve it with ` +
            `aaf-sync credentials --target ${t.target} --uai ${t.uai}` +
            `${t.classCode ? ` --class ${t.classCode}` : ''}\n`,
        );
      }
      return 0;
    });
  },
};
