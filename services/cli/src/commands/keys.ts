import { userInfo } from 'node:os';
import {
  createApiKey,
  listApiKeyInfos,
  revokeApiKeyById,
  SCOPES,
  type ApiKeyInfo,
} from '@aaf-sync/api-keys';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase } from '../target-context.js';

const USAGE = [
  'aaf-sync keys create --name <name> --scopes <scope,…> [--uai <uai>,…] [--json]',
  'aaf-sync keys list [--json]',
  'aaf-sync keys revoke <id>',
  '',
  `Scopes: ${SCOPES.join(', ')} (admin grants all).`,
  '--uai restricts the key to these establishments (it sees and acts on them only).',
  'The key (aafk_<id>_<secret>) is printed once by create; only a hash of it is stored.',
].join('\n');

/** Who runs the command, for the audit log. */
function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function describe(k: ApiKeyInfo): string {
  const state = k.revokedAt ? `revoked ${k.revokedAt}` : 'active';
  return [
    k.id,
    k.name,
    k.scopes.join(','),
    k.uais ? k.uais.join(',') : '*',
    `created ${k.createdAt} by ${k.createdBy}`,
    `last used ${k.lastUsedAt ?? 'never'}`,
    state,
  ].join('\t');
}

async function run(ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseOptions(
    {
      args: [...ctx.argv],
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        scopes: { type: 'string' },
        uai: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  const [action, id] = positionals;
  return withDatabase(ctx.config, 1, async ({ db }) => {
    if (action === 'create') {
      if (!values.name || !values.scopes) {
        throw CliErrors.USAGE({ problem: `keys create needs --name and --scopes\n\n${USAGE}` });
      }
      const uais = list(values.uai);
      const { key, token } = await createApiKey(db, {
        name: values.name,
        scopes: list(values.scopes),
        uais: uais.length ? uais : null,
        actor: operator(),
      });
      ctx.log.info({ keyId: key.id, scopes: key.scopes, uais: key.uais }, 'API key created');
      if (values.json) {
        ctx.stdout.write(`${JSON.stringify({ ...key, token })}\n`);
      } else {
        ctx.stdout.write(`${token}\n`);
        ctx.stderr.write(
          `API key ${key.id} (${key.name}) created with ${key.scopes.join(', ')} for ` +
            `${key.uais ? key.uais.join(', ') : 'every establishment'}.\n` +
            'This is the only time the key is shown: store it now.\n',
        );
      }
      return 0;
    }
    if (action === 'list') {
      const keys = await listApiKeyInfos(db);
      ctx.stdout.write(
        values.json ? `${JSON.stringify(keys)}\n` : keys.map((k) => `${describe(k)}\n`).join(''),
      );
      return 0;
    }
    if (action === 'revoke') {
      if (!id) throw CliErrors.USAGE({ problem: `keys revoke needs the key id\n\n${USAGE}` });
      if (!(await revokeApiKeyById(db, id, operator()))) {
        ctx.stderr.write(`no active key ${id}\n`);
        return 1;
      }
      ctx.stdout.write(`key ${id} revoked\n`);
      return 0;
    }
    throw CliErrors.USAGE({ problem: `unknown keys action "${action ?? ''}"\n\n${USAGE}` });
  });
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys',
  usage: USAGE,
  run,
};
