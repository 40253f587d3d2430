import type { Transition } from '@aaf-sync/calendar';
import type {
  EffectContext,
  EffectOutcome,
  EffectRegistry,
  NoticeInput,
} from '@aaf-sync/scheduler';
import {
  deleteExpiredGroups,
  findDeletedByCalendar,
  findExpiringGroups,
  type ListedGroup,
} from './expiring-groups.repository.js';
import { previousSchoolYear, transitionSchoolYear } from './school-year.js';

/** Who a notice goes to: one manager, or (groups without manager) an establishment's admins. */
type Recipient = { manager: number } | { uai: string };

/** Groups per recipient, in a stable order (managers by id, then establishments). */
function byRecipient(rows: readonly ListedGroup[]): [Recipient, ListedGroup[]][] {
  const managers = new Map<number, ListedGroup[]>();
  const orphans = new Map<string, ListedGroup[]>();
  for (const r of rows) {
    if (r.manager === null) {
      orphans.set(r.uai, [...(orphans.get(r.uai) ?? []), r]);
    } else {
      managers.set(r.manager, [...(managers.get(r.manager) ?? []), r]);
    }
  }
  return [
    ...[...managers.entries()]
      .sort(([a], [b]) => a - b)
      .map(([manager, g]) => [{ manager }, g] as [Recipient, ListedGroup[]]),
    ...[...orphans.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([uai, g]) => [{ uai }, g] as [Recipient, ListedGroup[]]),
  ];
}

const line = (g: ListedGroup) => `- ${g.name} (${g.uai}, ${g.members} members, group ${g.id})`;

function notice(
  t: Transition,
  kind: 'groups.warning' | 'groups.summary',
  to: Recipient,
  groups: readonly ListedGroup[],
  title: string,
  body: string,
  data: Record<string, unknown>,
): NoticeInput {
  const uais = [...new Set(groups.map((g) => g.uai))].sort();
  return {
    kind,
    uais,
    ...('manager' in to ? { managers: [to.manager] } : {}),
    title,
    body,
    data: {
      transition: t.id,
      groups: groups.map((g) => ({ id: g.id, uai: g.uai, name: g.name, members: g.members })),
      ...data,
    },
    dedupeKey: `${t.id}/${'manager' in to ? `manager:${to.manager}` : `uai:${to.uai}`}`,
  };
}

/**
 * `groups.warning`: one notice per manager (groups without manager: one per establishment, to
 * its admins) listing the year-limited groups that will be deleted and how to extend them.
 * Timetable groups are never listed.
 */
export async function warnGroupManagers(ctx: EffectContext, t: Transition): Promise<EffectOutcome> {
  const ending = previousSchoolYear(transitionSchoolYear(t.id));
  const deleteOn = typeof t.details.deleteOn === 'string' ? t.details.deleteOn : null;
  const rows = await findExpiringGroups(ctx.db, ending);
  const recipients = byRecipient(rows);
  const when = deleteOn ? ` on ${deleteOn}` : '';
  for (const [to, groups] of recipients) {
    await ctx.notify(
      notice(
        t,
        'groups.warning',
        to,
        groups,
        `${groups.length} group(s) limited to the school year ${ending} will be deleted${when}`,
        [
          `These groups end with the school year ${ending} and will be deleted${when}:`,
          ...groups.map(line),
          '',
          'To keep a group one more year, extend its lifetime before then: ' +
            'POST /v1/managed-groups/{id}/extend (or ask an administrator of the establishment), ' +
            'or make it unlimited (PATCH /v1/managed-groups/{id} with lifetime "unlimited").',
        ].join('\n'),
        { endingSchoolYear: ending, deleteOn },
      ),
    );
  }
  const groups = new Set(rows.map((r) => r.id)).size;
  return {
    summary: `${recipients.length} warning(s) about ${groups} year-limited group(s)`,
    counts: { notices: recipients.length, groups },
  };
}

/**
 * `groups.delete`: year-limited groups of the API not extended, and timetable groups, of the
 * ending year are soft-deleted (deleted_at + a `managed_group.deleted` event, actor calendar).
 * Twice: nothing more (the deleted are not deleted again).
 */
export async function deleteYearLimitedGroups(
  ctx: EffectContext,
  t: Transition,
): Promise<EffectOutcome> {
  const ending = previousSchoolYear(transitionSchoolYear(t.id));
  const deleted = await ctx.db
    .transaction()
    .execute((trx) => deleteExpiredGroups(trx, ending, t.id, ctx.clock.now()));
  const timetable = deleted.filter((d) => d.source === 'timetable').length;
  ctx.log.info(
    { transition: t.id, deleted: deleted.length, timetable },
    'year-limited groups deleted',
  );
  return {
    summary: `${deleted.length} group(s) of ${ending} deleted (${timetable} from the timetable)`,
    counts: { deleted: deleted.length - timetable, timetable },
  };
}

/** `groups.summary`: what the deletion removed, one notice per manager (timetable groups never). */
export async function summariseDeletedGroups(
  ctx: EffectContext,
  t: Transition,
): Promise<EffectOutcome> {
  const year = transitionSchoolYear(t.id);
  const ending = previousSchoolYear(year);
  const rows = await findDeletedByCalendar(ctx.db, year);
  const recipients = byRecipient(rows);
  for (const [to, groups] of recipients) {
    await ctx.notify(
      notice(
        t,
        'groups.summary',
        to,
        groups,
        `${groups.length} group(s) of the school year ${ending} were deleted`,
        [
          `These groups ended with the school year ${ending} and were deleted:`,
          ...groups.map(line),
        ].join('\n'),
        { endingSchoolYear: ending },
      ),
    );
  }
  const groups = new Set(rows.map((r) => r.id)).size;
  return {
    summary: `${recipients.length} summary notice(s) about ${groups} deleted group(s)`,
    counts: { notices: recipients.length, groups },
  };
}

/** The calendar effects of this package (an EffectRegistry: packages/scheduler runs them). */
export const groupEffects = {
  'groups.warning': warnGroupManagers,
  'groups.delete': deleteYearLimitedGroups,
  'groups.summary': summariseDeletedGroups,
} satisfies EffectRegistry;
