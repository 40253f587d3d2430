import { insertAudit, type KoxoSnapshot, type Target } from '@aaf-sync/db';
import {
  approveSnapshot,
  discardSnapshot,
  heldSnapshots,
  koxoOptions,
  koxoReadBackReport,
  runKoxoReadBack,
} from '@aaf-sync/koxo';
import { openSecrets, TargetsErrors } from '@aaf-sync/targets';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { renderReadBack } from '../render-readback.js';
import { withTarget } from '../target-context.js';

const USAGE = `aaf-sync koxo held --target <name> [--json]
aaf-sync koxo approve --target <name> --uai <uai> --version <n>
aaf-sync koxo discard --target <name> --uai <uai> --version <n>
aaf-sync koxo readback --target <name> [--uai <uai>] [--json]

KoXo synchronisation files (target kind koxo). A new snapshot of an establishment's files that
loses more rows than the target's shrinkThreshold (default 10 %) against the last published one
is held: never written to the target's folder nor served by the API, because KoXo treats a
missing row as a departure. \`held\` lists the held snapshots with the reason; \`approve\`
publishes one as it was generated (the shrink is real); \`discard\` drops it (the published
files stay). Both are written to the audit log.

\`readback\` reads the site's Active Directory back now (the target's readBack options and
bindPassword secret; the targets process also runs it every readBack.everyMinutes) and prints
the report per establishment: logins KoXo chose differently, accounts missing after
missingAfterSyncs runs, accounts deleted instead of disabled, disabled accounts, and AD entries
with an employeeNumber the directory does not know. Exit code 1 when the AD could not be read
(the report then shows the values of the last successful run).`;

function line(s: KoxoSnapshot): string {
  return `${s.uai} v${s.version} held since ${new Date(s.generated_at).toISOString()}: ${s.hold_reason ?? ''}`;
}

async function run(ctx: CommandContext): Promise<number> {
  const [action, ...rest] = ctx.argv;
  if (action !== 'held' && action !== 'approve' && action !== 'discard' && action !== 'readback') {
    throw CliErrors.USAGE({
      problem: `expected held, approve, discard or readback\n\n${USAGE}`,
    });
  }
  const { values } = parseOptions(
    {
      args: rest,
      options: {
        target: { type: 'string' },
        uai: { type: 'string' },
        version: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  if (!values.target) throw CliErrors.USAGE({ problem: `--target is required\n\n${USAGE}` });
  const target = values.target;
  const { stdout } = ctx;
  const accept = (row: Target) => {
    if (row.kind !== 'koxo') throw TargetsErrors.NOT_FOUND({ name: target });
  };
  return withTarget(
    ctx.config,
    target,
    async ({ db, box, row }) => {
      const ref = { id: Number(row.id), name: row.name };
      if (action === 'readback') {
        const target = { ...ref, uais: row.uais, options: row.options };
        const run = await runKoxoReadBack({ db }, { ...target, secrets: openSecrets(box, row) });
        const report = await koxoReadBackReport(db, target, values.uai ? [values.uai] : null);
        stdout.write(
          values.json ? `${JSON.stringify({ run, report })}\n` : renderReadBack(run, report),
        );
        return run.status === 'ok' ? 0 : 1;
      }
      if (action === 'held') {
        const held = await heldSnapshots(db, ref.id, null);
        stdout.write(
          values.json
            ? `${JSON.stringify(held)}\n`
            : held.length === 0
              ? 'no held snapshot\n'
              : `${held.map(line).join('\n')}\n`,
        );
        return 0;
      }
      const version = Number(values.version);
      if (!values.uai || !Number.isInteger(version) || version < 1) {
        throw CliErrors.USAGE({ problem: `--uai and --version are required\n\n${USAGE}` });
      }
      const deps = { db, box };
      const actor = operator();
      const s =
        action === 'approve'
          ? await approveSnapshot(deps, ref, koxoOptions(row), values.uai, version, actor)
          : await discardSnapshot(deps, ref, values.uai, version, actor);
      await insertAudit(db, {
        actor,
        action: `koxo.snapshot.${action}`,
        details: { target: row.name, uai: values.uai, version },
      });
      stdout.write(`${s.uai} v${s.version}: ${s.status}\n`);
      return 0;
    },
    { accept, poolMax: 3 },
  );
}

export const koxoCommand: Command = {
  name: 'koxo',
  summary: 'KoXo: held snapshots (list, approve, discard), read-back of the site’s AD',
  usage: USAGE,
  run,
};
