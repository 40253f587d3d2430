import { writeFile } from 'node:fs/promises';
import {
  renderCredentialsCsv,
  renderCredentialsHtml,
  retrieveCredentials,
} from '@aaf-sync/credentials';
import type { Target } from '@aaf-sync/db';
import { TargetsErrors } from '@aaf-sync/targets';
import type { Command } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { withTarget } from '../target-context.js';

const USAGE = `aaf-sync credentials --target <name> --uai <UAI> [--class <code>] [--format csv|html] [--out <file>]

The initial passwords the target holds for the accounts of an establishment (or one class):
CSV, or a printable HTML sheet (one page per class, one block per account). Like the API's
GET /v1/targets/{name}/credentials: audited (credentials.retrieve), and the stored copy is
purged unless CREDENTIALS_PURGE_ON_RETRIEVAL=false — a second retrieval then fails
(CREDENTIALS_ERR_ALREADY_RETRIEVED; reset the passwords to issue new ones). --out writes a new
file readable by its owner only (never overwrites); without it the sheet goes to stdout.`;

export const credentialsCommand: Command = {
  name: 'credentials',
  summary: 'retrieve the credential sheet (initial passwords) of an establishment or a class',
  usage: USAGE,
  async run({ config, argv, stdout, stderr }) {
    const { values } = parseOptions(
      {
        args: [...argv],
        options: {
          target: { type: 'string' },
          uai: { type: 'string' },
          class: { type: 'string' },
          format: { type: 'string', default: 'csv' },
          out: { type: 'string' },
        },
      },
      USAGE,
    );
    if (!values.target || !values.uai) {
      throw CliErrors.USAGE({ problem: `--target and --uai are required\n\n${USAGE}` });
    }
    const format = values.format;
    if (format !== 'csv' && format !== 'html') {
      throw CliErrors.USAGE({ problem: '--format is csv or html' });
    }
    const uai = values.uai;
    const accept = (row: Target) => {
      if (!row.uais.includes(uai)) throw TargetsErrors.NOT_SERVED({ name: row.name, uai });
    };
    return withTarget(
      config,
      values.target,
      async ({ db, box, row }) => {
        const sheet = await retrieveCredentials(db, box, {
          target: { id: Number(row.id), name: row.name },
          uai,
          classCode: values.class ?? null,
          purge: config.credentials.purgeOnRetrieval,
          format,
          audit: { actor: operator() },
        });
        const text = format === 'html' ? renderCredentialsHtml(sheet) : renderCredentialsCsv(sheet);
        const summary =
          `${sheet.count} password(s) of ${sheet.target} for ${sheet.uai}` +
          `${sheet.classCode ? ` class ${sheet.classCode}` : ''}` +
          `${sheet.pending ? `; ${sheet.pending} not set on the target yet (retrieve them later)` : ''}` +
          `${sheet.purged ? '; stored copy purged' : ''}\n`;
        if (values.out) {
          await writeFile(values.out, text, { flag: 'wx', mode: 0o600 });
          stdout.write(`${summary.trimEnd()}; written to ${values.out}\n`);
        } else {
          stdout.write(text);
          stderr.write(summary);
        }
        return 0;
      },
      { poolMax: 1, accept },
    );
  },
};
