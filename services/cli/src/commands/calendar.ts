import { readFile } from 'node:fs/promises';
import { syncAccessBlocks } from '@aaf-sync/account-lifecycle';
import {
  CalendarErrors,
  isValidLocalWhen,
  localToInstant,
  parseCalendarDocument,
  transitionsBetween,
  type DocumentIssue,
  type Transition,
} from '@aaf-sync/calendar';
import {
  listCalendarVersions,
  loadBlockingOverrides,
  requireCalendar,
  saveCalendar,
  upcomingTransitions,
} from '@aaf-sync/calendar-store';
import { insertAudit, type Database, type Kysely } from '@aaf-sync/db';
import { effectsFor, TICK_TASKS } from '@aaf-sync/calendar-effects';
import { listTransitionRows, runTick } from '@aaf-sync/scheduler';
import type { Command, CommandContext } from '../command.js';
import { CliErrors } from '../errors.js';
import { operator } from '../operator.js';
import { parseOptions } from '../parse-options.js';
import { renderTransitions, transitionJson } from '../render-transitions.js';
import { withDatabase } from '../target-context.js';

const USAGE = [
  'aaf-sync calendar show [--days 30] [--at <when>] [--uai <uai>] [--no-deliveries] [--json]',
  'aaf-sync calendar simulate --from <when> --to <when> [--file <document.json>] [--no-deliveries] [--json]',
  'aaf-sync calendar set --file <document.json> [--comment <text>] [--expected-version <n>]',
  'aaf-sync calendar versions [--json]',
  'aaf-sync calendar run-due [--now <when>] [--json]',
  'aaf-sync calendar transitions [--json]',
  '',
  'show: what the stored calendar will do in the next days (from --at, default now; --uai: only',
  'what concerns that establishment).',
  'simulate: what it would do over a period (the stored calendar and establishment overrides,',
  'or the document of --file), without doing anything. set: validate a document and store it',
  'as the next version (audited). A <when> is YYYY-MM-DD[THH:MM] in the calendar time zone, or',
  'an ISO 8601 instant with offset. The example: packages/calendar/examples/2025-2026.json.',
  'show and simulate only tell; set also applies the rentrée blocking of the new version at once',
  '(packages/account-lifecycle). The scheduler runs the other transitions.',
  'run-due: run now the transitions due at --now (default now) that are not done yet, once and',
  'in order, then the tick tasks (the year transition): what the scheduler process,',
  '`aaf-sync schedule`, does at each tick. transitions: the log of what ran (attempts, errors).',
].join('\n');

type Values = Record<string, string | boolean | undefined>;

function when(value: string | undefined, option: string, timeZone: string): Date | undefined {
  if (value === undefined) return undefined;
  if (isValidLocalWhen(value)) return localToInstant(value, timeZone);
  const d = new Date(value);
  if (/T\d{2}:\d{2}.*(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(d.getTime())) return d;
  throw CliErrors.USAGE({ problem: `${option}: expected YYYY-MM-DD[THH:MM] or an ISO instant` });
}

async function documentFrom(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (err) {
    throw CliErrors.USAGE({ problem: `cannot read ${path} as JSON: ${(err as Error).message}` });
  }
}

function printIssues(ctx: CommandContext, err: unknown): void {
  if (!CalendarErrors.INVALID_DOCUMENT.is(err)) return;
  for (const i of err.details.issues as DocumentIssue[]) {
    ctx.stderr.write(`  ${i.path}: ${i.message}\n`);
  }
}

function print(
  ctx: CommandContext,
  v: Values,
  head: Record<string, unknown>,
  transitions: readonly Transition[],
  timeZone: string,
): number {
  if (v.json) {
    const items = transitions.map((t) => transitionJson(t, timeZone));
    ctx.stdout.write(`${JSON.stringify({ ...head, transitions: items })}\n`);
  } else {
    const title = Object.entries(head)
      .map(([k, val]) => `${k} ${val instanceof Date ? val.toISOString() : String(val)}`)
      .join(', ');
    ctx.stdout.write(`${title}\n${renderTransitions(transitions, timeZone)}`);
  }
  return 0;
}

async function show(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  const days = Number(v.days ?? '30');
  if (!Number.isInteger(days) || days < 1 || days > 400) {
    throw CliErrors.USAGE({ problem: '--days: a whole number of days from 1 to 400' });
  }
  const { document } = await requireCalendar(db);
  const from = when(v.at as string | undefined, '--at', document.timeZone) ?? new Date();
  const to = new Date(from.getTime() + days * 86_400_000);
  const uai = v.uai as string | undefined;
  if (uai !== undefined && !/^[0-9]{7}[A-Z]$/.test(uai)) {
    throw CliErrors.USAGE({ problem: '--uai: a UAI is 7 digits and a capital letter' });
  }
  const up = await upcomingTransitions(db, {
    from,
    to,
    uais: uai === undefined ? null : [uai],
    deliveries: !v['no-deliveries'],
  });
  const head = { calendar: `v${up.calendarVersion}`, schoolYear: up.schoolYear, from, to };
  return print(ctx, v, head, up.transitions, up.timeZone);
}

async function simulate(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  if (v.from === undefined || v.to === undefined) {
    throw CliErrors.USAGE({ problem: `calendar simulate needs --from and --to\n\n${USAGE}` });
  }
  const fromFile = v.file !== undefined;
  let document;
  let label: string;
  try {
    document = fromFile
      ? parseCalendarDocument(await documentFrom(v.file as string))
      : (await requireCalendar(db)).document;
    label = fromFile ? String(v.file) : 'stored';
  } catch (err) {
    printIssues(ctx, err);
    throw err;
  }
  const from = when(v.from as string, '--from', document.timeZone)!;
  const to = when(v.to as string, '--to', document.timeZone)!;
  const transitions = transitionsBetween(document, from, to, {
    blockingOverrides: fromFile ? undefined : await loadBlockingOverrides(db),
    deliveries: !v['no-deliveries'],
  });
  const head = { simulation: label, schoolYear: document.schoolYear, from, to };
  return print(ctx, v, head, transitions, document.timeZone);
}

async function set(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  if (v.file === undefined)
    throw CliErrors.USAGE({ problem: `calendar set needs --file\n\n${USAGE}` });
  const expected = v['expected-version'];
  if (expected !== undefined && !/^\d+$/.test(expected as string)) {
    throw CliErrors.USAGE({ problem: '--expected-version: a version number' });
  }
  try {
    const saved = await saveCalendar(db, {
      document: await documentFrom(v.file as string),
      actor: operator(),
      expectedVersion: expected === undefined ? undefined : Number(expected),
      comment: v.comment as string | undefined,
    });
    await insertAudit(db, {
      actor: operator(),
      action: 'calendar.update',
      details: { version: saved.version, stored: saved.stored, file: v.file },
    });
    if (!saved.stored) {
      ctx.stdout.write(`calendar unchanged (version ${saved.version})\n`);
      return 0;
    }
    // The rentrée blocking follows the new document at once (accounts blocked or reopened).
    await syncAccessBlocks(db, { at: new Date(), actor: operator() });
    ctx.stdout.write(
      `calendar version ${saved.version} stored: ${saved.changes.length} change(s)\n`,
    );
    if (saved.version > 1) {
      for (const c of saved.changes) {
        ctx.stdout.write(`  ${c.path}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}\n`);
      }
    }
    if (saved.overridesOutsideLimits.length) {
      ctx.stdout.write(
        `blocking overrides now outside the limits (ignored): ${saved.overridesOutsideLimits.join(', ')}\n`,
      );
    }
    return 0;
  } catch (err) {
    printIssues(ctx, err);
    throw err;
  }
}

async function versions(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  const items = await listCalendarVersions(db, { limit: 200 });
  ctx.stdout.write(
    v.json
      ? `${JSON.stringify(items)}\n`
      : items
          .map(
            (i) =>
              `v${i.version}\t${i.changedAt.toISOString()}\t${i.changedBy}\t` +
              `${i.changes.length} change(s)${i.comment ? `\t${i.comment}` : ''}\n`,
          )
          .join('') || '(no calendar stored)\n',
  );
  return 0;
}

/** A tick task's outcome in one line (its `summary` when it has one). */
function summaryOf(result: unknown): string {
  const summary = (result as { summary?: unknown } | null | undefined)?.summary;
  return typeof summary === 'string' ? summary : JSON.stringify(result ?? null);
}

async function runDueNow(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  const { document } = await requireCalendar(db);
  const now = when(v.now as string | undefined, '--now', document.timeZone) ?? new Date();
  const result = await runTick(
    {
      db,
      clock: { now: () => now },
      log: ctx.log,
      effects: effectsFor(ctx.config),
      tickTasks: TICK_TASKS,
      retryBaseMs: ctx.config.scheduler.retryBaseMs,
    },
    now,
  );
  if (v.json) {
    ctx.stdout.write(`${JSON.stringify({ now, ...result })}\n`);
  } else {
    ctx.stdout.write(`calendar v${result.calendarVersion} at ${now.toISOString()}\n`);
    for (const r of result.ran) ctx.stdout.write(`  done     ${r.id}: ${r.summary}\n`);
    for (const f of result.failed)
      ctx.stdout.write(
        `  FAILED   ${f.id}: ${f.error} (attempt ${f.attempts}, next ${f.nextAttemptAt.toISOString()})\n`,
      );
    for (const id of result.waiting) ctx.stdout.write(`  waiting  ${id} (retry later)\n`);
    for (const id of result.unhandled) ctx.stdout.write(`  no effect ${id}\n`);
    if (!result.ran.length && !result.failed.length) ctx.stdout.write('  nothing to run\n');
    for (const task of result.tasks) {
      ctx.stdout.write(
        task.ok
          ? `  tick     ${task.name}: ${summaryOf(task.result)}\n`
          : `  FAILED   ${task.name}: ${task.error ?? ''} (retried at the next tick)\n`,
      );
    }
  }
  return result.failed.length || result.tasks.some((x) => !x.ok) ? 1 : 0;
}

async function transitions(ctx: CommandContext, db: Kysely<Database>, v: Values): Promise<number> {
  const rows = await listTransitionRows(db, 500);
  ctx.stdout.write(
    v.json
      ? `${JSON.stringify(rows)}\n`
      : rows
          .map(
            (r) =>
              `${r.done_at ? 'done  ' : 'FAILED'}\t${r.due_at.toISOString()}\t${r.id}\t` +
              `attempts ${r.attempts}` +
              (r.done_at
                ? `\t${String((r.outcome as { summary?: unknown } | null)?.summary ?? '')}`
                : `\t${String((r.last_error as { message?: unknown } | null)?.message ?? '')}`) +
              '\n',
          )
          .join('') || '(no transition ran yet)\n',
  );
  return 0;
}

const ACTIONS = {
  show,
  simulate,
  set,
  versions,
  'run-due': runDueNow,
  transitions,
} as const;

async function run(ctx: CommandContext): Promise<number> {
  const { positionals, values } = parseOptions(
    {
      args: [...ctx.argv],
      allowPositionals: true,
      options: {
        days: { type: 'string' },
        at: { type: 'string' },
        now: { type: 'string' },
        uai: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        file: { type: 'string' },
        comment: { type: 'string' },
        'expected-version': { type: 'string' },
        'no-deliveries': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    },
    USAGE,
  );
  const action = positionals[0] ?? '';
  if (!(action in ACTIONS)) {
    throw CliErrors.USAGE({ problem: `unknown calendar action "${action}"\n\n${USAGE}` });
  }
  return withDatabase(ctx.config, 1, async ({ db }) => {
    return await ACTIONS[action as keyof typeof ACTIONS](ctx, db, values);
  });
}

export const calendarCommand: Command = {
  name: 'calendar',
  summary: 'show, simulate, set and run the school-year calendar (what happens when)',
  usage: USAGE,
  run,
};
