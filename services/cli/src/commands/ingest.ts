import { createDb } from '@aaf-sync/db';
import { isAppError } from '@aaf-sync/errors';
import {
  createIngestDeps,
  decideHeldPlan,
  IngestErrors,
  ingestPaths,
  latestHeldImport,
  type ImportReport,
} from '@aaf-sync/ingest';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { parseOptions } from '../parse-options.js';
import { progressLine, quietLevel } from '../progress.js';
import { renderReport } from '../render-report.js';

const USAGE = `aaf-sync ingest <file|dir|archive>... [--dry-run] [--json] [--ignore-calendar] [--approve-held <uai>] [--discard-held <uai>] [--import <id>]

Imports AAF deliveries: XML files, folders of them, or .tgz/.zip archives. Each delivery is
planned per establishment, then applied (unless --dry-run). An establishment whose plan would
depart more than IMPORT_HOLD_THRESHOLD_PERCENT of its persons is held for approval.

  --dry-run              plan only: report what would change, write nothing to the directory
  --json                 print one JSON report on stdout ({ "imports": [...] }; see the README),
                         also when the input cannot be opened: { "error": { code, message },
                         "imports": [...] } (a bad or too large archive, nothing to import)
  --approve-held <uai>   approve the held plan of this establishment: the one held by this run
                         when files are given, else the latest held one (or --import <id>)
  --discard-held <uai>   discard it instead
  --import <id>          the import whose held plan to approve or discard
  --ignore-calendar      apply even while the calendar suspends the directory feed (the summer:
                         deliveries are otherwise planned and reported only, status suspended)

Exit codes: 0 applied (rejects are in the report), 1 a file or an import failed or was refused,
2 usage error, 3 an establishment is held and waits for approval.`;

/** The `--json` document of a command that failed before (or between) its reports. */
function errorDocument(err: unknown, reports: readonly ImportReport[]): string {
  const error = isAppError(err)
    ? { code: err.code, message: err.message }
    : { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
  return `${JSON.stringify({ error, imports: reports }, null, 2)}\n`;
}

function exitCode(reports: readonly ImportReport[]): number {
  if (
    reports.some(
      (r) =>
        r.status === 'failed' ||
        r.status === 'refused' ||
        r.error?.code === IngestErrors.FILES_FAILED.code,
    )
  )
    return 1;
  if (reports.some((r) => r.status === 'held' || r.status === 'partially_held')) return 3;
  return 0;
}

async function latestHeld(
  ctx: CommandContext,
  db: ReturnType<typeof createDb>['db'],
  uai: string,
): Promise<number> {
  const importId = await latestHeldImport(db, uai);
  if (importId === undefined)
    throw CliErrors.USAGE({ problem: `no held plan for establishment ${uai}` });
  ctx.log.debug({ importId, uai }, 'latest held plan');
  return importId;
}

export const ingestCommand: Command = {
  name: 'ingest',
  summary: 'import AAF files, folders or archives (plan, hold, apply)',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseOptions(
      {
        args: [...ctx.argv],
        allowPositionals: true,
        options: {
          'dry-run': { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
          'approve-held': { type: 'string' },
          'discard-held': { type: 'string' },
          import: { type: 'string' },
          'ignore-calendar': { type: 'boolean', default: false },
        },
      },
      USAGE,
    );
    const decide = values['approve-held'] ?? values['discard-held'];
    const handle = createDb({
      url: ctx.config.database.url,
      poolMax: 4,
      applicationName: 'aaf-sync-ingest',
    });
    const reports: ImportReport[] = [];
    try {
      if (values['approve-held'] && values['discard-held'])
        throw CliErrors.USAGE({ problem: 'choose --approve-held or --discard-held' });
      if (positionals.length === 0 && !decide)
        throw CliErrors.USAGE({ problem: `no file given\n\n${USAGE}` });
      const deps = createIngestDeps(ctx.config, handle.db, ctx.log);
      const progress = !values.json && process.stderr.isTTY ? progressLine(ctx.stderr) : undefined;
      // Info lines would break the progress line and the tables: quiet at the default level.
      if (progress) ctx.log.level = quietLevel(ctx.log.level);
      if (positionals.length > 0) {
        const result = await ingestPaths(deps, positionals, {
          dryRun: values['dry-run'],
          source: 'cli',
          actor: 'cli',
          ...(values['ignore-calendar'] ? { suspended: false } : {}),
          ...(progress ? { onProgress: progress.add } : {}),
        });
        progress?.done();
        reports.push(...result.imports);
      }
      if (decide) {
        const held = reports.find((r) =>
          r.establishments.some(
            (e) => e.status === 'held' && (e.uai === decide || e.structure === decide),
          ),
        );
        const importId = values.import
          ? Number(values.import)
          : (held?.importId ?? (await latestHeld(ctx, handle.db, decide)));
        const decision = values['approve-held'] ? 'approve' : 'discard';
        const report = await decideHeldPlan(deps, {
          importId,
          uai: decide,
          decision,
          actor: 'cli',
        });
        const at = reports.findIndex((r) => r.importId === importId);
        if (at >= 0) reports[at] = report;
        else reports.push(report);
      }
      ctx.stdout.write(
        values.json
          ? `${JSON.stringify({ imports: reports }, null, 2)}\n`
          : reports.map(renderReport).join('\n'),
      );
      return exitCode(reports);
    } catch (err) {
      if (!values.json) throw err;
      // --json: stdout always carries exactly one JSON document
      ctx.stdout.write(errorDocument(err, reports));
      ctx.stderr.write(
        isAppError(err)
          ? `error ${err.code}: ${err.message}\n`
          : `unexpected error: ${String(err)}\n`,
      );
      return isAppError(err) && err.status === 400 ? 2 : 1;
    } finally {
      await handle.close();
    }
  },
};
