import { readFile } from 'node:fs/promises';
import { insertAudit, type Database, type Kysely } from '@aaf-sync/db';
import {
  consumerStatuses,
  createTarget,
  findTarget,
  getTarget,
  listTargets,
  removeTarget,
  resetConsumer,
  setTargetState,
  TARGET_KINDS,
  updateTarget,
  type ConsumerStatus,
  type TargetView,
} from '@aaf-sync/targets';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { withDatabase, withDriver, type CliDatabase } from '../target-context.js';

const USAGE = [
  'aaf-sync targets add --kind <kind> --name <name> --uai <uai>,… [--options <json>] [--secrets-file <path>]',
  'aaf-sync targets list [--json]',
  'aaf-sync targets show <name> [--json]',
  'aaf-sync targets update <name> [--uai <uai>,…] [--options <json>] [--secrets-file <path>]',
  'aaf-sync targets suspend|resume|remove|reset|test <name>',
  '',
  `Kinds: ${TARGET_KINDS.join(', ')} (only noop has a worker in this version).`,
  '--options is a JSON object checked against the kind; secrets are read from a JSON file (never',
  'from the command line), stored encrypted with TARGET_SECRETS_KEY and never shown again.',
  'resume and reset reconcile the target in full; test checks the connection and credentials.',
].join('\n');

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function json(value: string | undefined, what: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw CliErrors.USAGE({ problem: `${what} is not valid JSON` });
  }
}

async function secretsFrom(path: string | undefined): Promise<unknown> {
  if (path === undefined) return undefined;
  return json(await readFile(path, 'utf8'), `the secrets file ${path}`);
}

function describe(v: TargetView, s: ConsumerStatus | undefined): string {
  const lag = s
    ? `${s.behind} behind, ${s.pendingRows} pending, ${s.failedRows} failed` +
      (s.lagging ? ', LAGGING' : '') +
      (s.needsReset ? ', NEEDS RESET' : '')
    : '';
  return [v.name, v.kind, v.state, v.uais.join(','), `cursor ${v.cursor ?? '-'}`, lag].join('\t');
}

async function audit(db: Kysely<Database>, action: string, name: string, details = {}) {
  await insertAudit(db, { actor: operator(), action, details: { target: name, ...details } });
}

type Values = Record<string, string | boolean | undefined>;

async function act(
  ctx: CommandContext,
  { db, box }: CliDatabase,
  action: string,
  name: string,
  v: Values,
) {
  const { config, stdout } = ctx;
  const retentionDays = config.api.changesRetentionDays;
  const statusOf = async (n: string) =>
    (await consumerStatuses(db, { retentionDays })).find((s) => s.target === n);
  switch (action) {
    case 'add': {
      const view = await createTarget(
        db,
        box,
        {
          kind: v.kind,
          name: v.name,
          uais: list(v.uai as string | undefined),
          options: json(v.options as string | undefined, '--options') ?? {},
          secrets: await secretsFrom(v['secrets-file'] as string | undefined),
        },
        operator(),
      );
      await audit(db, 'targets.create', view.name, { kind: view.kind, uais: view.uais });
      stdout.write(`${describe(view, await statusOf(view.name))}\n`);
      return 0;
    }
    case 'list': {
      const [views, statuses] = await Promise.all([
        listTargets(db),
        consumerStatuses(db, { retentionDays }),
      ]);
      const byName = new Map(statuses.map((s) => [s.target, s]));
      stdout.write(
        v.json
          ? `${JSON.stringify(views.map((t) => ({ ...t, consumer: byName.get(t.name) ?? null })))}\n`
          : views.map((t) => `${describe(t, byName.get(t.name))}\n`).join(''),
      );
      return 0;
    }
    case 'show': {
      const view = await getTarget(db, name);
      const status = await statusOf(name);
      stdout.write(
        v.json
          ? `${JSON.stringify({ ...view, consumer: status ?? null })}\n`
          : `${JSON.stringify({ ...view, consumer: status ?? null }, null, 2)}\n`,
      );
      return 0;
    }
    case 'update': {
      const patch = {
        ...(v.uai !== undefined ? { uais: list(v.uai as string) } : {}),
        ...(v.options !== undefined ? { options: json(v.options as string, '--options') } : {}),
        ...(v['secrets-file'] !== undefined
          ? { secrets: await secretsFrom(v['secrets-file'] as string) }
          : {}),
      };
      const view = await updateTarget(db, box, name, patch);
      await audit(db, 'targets.update', name, { fields: Object.keys(patch) });
      stdout.write(`${describe(view, await statusOf(name))}\n`);
      return 0;
    }
    case 'suspend':
    case 'resume': {
      const view = await setTargetState(
        db,
        name,
        action === 'suspend' ? 'suspended' : 'active',
        operator(),
      );
      await audit(db, `targets.${action}`, name);
      stdout.write(`${describe(view, await statusOf(name))}\n`);
      return 0;
    }
    case 'remove': {
      await removeTarget(db, name);
      await audit(db, 'targets.remove', name);
      stdout.write(`target ${name} removed\n`);
      return 0;
    }
    case 'reset': {
      const r = await resetConsumer(db, name, operator());
      await audit(db, 'targets.reset', name, r);
      stdout.write(`target ${name} reset at seq ${r.cursor}: ${r.rows} account(s) pending\n`);
      return 0;
    }
    case 'test': {
      const row = await findTarget(db, name);
      return withDriver({ db, box, row }, async ({ driver }) => {
        const result = await driver.test();
        stdout.write(`${result.ok ? 'ok' : 'FAILED'}: ${result.detail}\n`);
        return result.ok ? 0 : 1;
      });
    }
  }
  throw CliErrors.USAGE({ problem: `unknown targets action "${action}"\n\n${USAGE}` });
}

async function run(ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseOptions(
    {
      args: [...ctx.argv],
      allowPositionals: true,
      options: {
        kind: { type: 'string' },
        name: { type: 'string' },
        uai: { type: 'string' },
        options: { type: 'string' },
        'secrets-file': { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  const [action = '', name] = positionals;
  const needsName = !['add', 'list'].includes(action);
  if (needsName && !name) {
    throw CliErrors.USAGE({ problem: `targets ${action} needs a target name\n\n${USAGE}` });
  }
  return withDatabase(ctx.config, 1, (cli) => act(ctx, cli, action, name ?? '', values));
}

export const targetsCommand: Command = {
  name: 'targets',
  summary: 'add, list, show, update, suspend, resume, remove, reset and test targets',
  usage: USAGE,
  run,
};
