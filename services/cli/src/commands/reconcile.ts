import { insertAudit } from '@aaf-sync/db';
import { reconcileTarget, type ReconcileReport } from '@aaf-sync/targets';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { withTargetDriver } from '../target-context.js';

const USAGE = `aaf-sync reconcile --target <name> [--uai <uai>] [--dry-run] [--json]

Compares every account the directory says the target should hold (persons of its
establishments with an identifier) and every account it has provisioning state for with that
state and, when its driver can list them, with the entries the target holds. What differs (to
create, to update, to disable) is set pending for the targets process (\`aaf-sync dispatch\`);
entries the target holds that no account explains are reported as orphans, never deleted.
--uai limits it to one of the target's establishments; --dry-run only reports; --json prints
the whole report. A reconcile that finds nothing to do writes nothing.`;

const COLUMNS = ['inSync', 'toCreate', 'toUpdate', 'toDisable', 'pending', 'orphans'] as const;
const HEADERS = ['in sync', 'create', 'update', 'disable', 'pending', 'orphans'];

/** The report as a table: one line per establishment, a total, then the orphans. */
export function renderReconcile(r: ReconcileReport): string {
  const line = (label: string, values: readonly (string | number)[]) =>
    [label.padEnd(10), ...values.map((v) => String(v).padStart(8))].join(' ');
  const out = [
    `target ${r.target}${r.inventory ? '' : ' (no inventory: compared with the provisioning state)'}`,
    line('uai', HEADERS),
    ...r.establishments.map((e) =>
      line(
        e.uai ?? '(left)',
        COLUMNS.map((c) => e[c]),
      ),
    ),
    line(
      'total',
      COLUMNS.map((c) => r.totals[c]),
    ),
    ...r.orphans.map((o) => `orphan ${o.key}${o.uai ? ` (${o.uai})` : ''}`),
    r.dryRun
      ? `dry run: ${r.differences.length} difference(s), nothing written`
      : `${r.marked} account(s) set pending`,
  ];
  return `${out.join('\n')}\n`;
}

async function run(ctx: CommandContext): Promise<number> {
  const { values } = parseOptions(
    {
      args: [...ctx.argv],
      options: {
        target: { type: 'string' },
        uai: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  if (!values.target) throw CliErrors.USAGE({ problem: `--target is required\n\n${USAGE}` });
  const { stdout } = ctx;
  return withTargetDriver(ctx.config, values.target, async ({ db, target, driver }) => {
    const report = await reconcileTarget(db, target, driver, {
      ...(values.uai !== undefined ? { uai: values.uai } : {}),
      dryRun: values['dry-run'],
    });
    if (report.marked > 0) {
      await insertAudit(db, {
        actor: operator(),
        action: 'targets.reconcile',
        details: { target: target.name, uai: values.uai ?? null, marked: report.marked },
      });
    }
    stdout.write(values.json ? `${JSON.stringify(report)}\n` : renderReconcile(report));
    return 0;
  });
}

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: 'compare a target with the directory and set what differs pending',
  usage: USAGE,
  run,
};
