import { bulkUpdate, sql } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';
import type { LeaveItem } from '../plan/plan-item.js';
import type { ApplyContext } from './apply-context.js';
import { classEventKey } from './class-cache.js';
import {
  DIRECTION,
  HEAD_TEACHER,
  PERSON_FUNCTION,
  TEACHING_LINK,
  type LinkSpec,
} from './link-specs.js';
import { structuresOf, versionsOf } from './person-lookup.js';

type Pairs = { persons: string[]; structures: string[] };

async function deleteScopedLinks(
  ctx: ApplyContext,
  pairs: Pairs,
  versions: Map<string, number>,
): Promise<void> {
  const specs: LinkSpec<never>[] = [
    TEACHING_LINK,
    HEAD_TEACHER,
    PERSON_FUNCTION,
    DIRECTION,
  ] as unknown as LinkSpec<never>[];
  for (const spec of specs) {
    const { rows } = await sql<Record<string, string>>`
      delete from ${sql.table(spec.table)} t using unnest(${pairs.persons}::text[], ${pairs.structures}::text[]) d(p, s)
      where t.person_jointure = d.p and t.structure_jointure = d.s returning t.*`.execute(ctx.trx);
    for (const r of rows) {
      const person = r.person_jointure!;
      const value = fromRow(spec, r);
      ctx.events.push({
        entityType: spec.entityType,
        entityKey: spec.eventKey(person, value as never),
        op: 'deleted',
        version: versions.get(person)!,
        uais: ctx.structures.uais([r.structure_jointure!]),
        changes: { before: spec.view(person, value as never) },
      });
    }
  }
}

function fromRow(spec: LinkSpec<never>, r: Record<string, string>): unknown {
  switch (spec.table) {
    case 'teaching_link':
      return {
        structure: r.structure_jointure,
        kind: r.kind,
        code: r.code,
        subject: r.subject_code,
      };
    case 'head_teacher':
      return { structure: r.structure_jointure, code: r.class_code };
    case 'person_function':
      return {
        structure: r.structure_jointure,
        code: r.code,
        label: r.label,
        disciplineCode: r.discipline_code,
        disciplineLabel: r.discipline_label,
      };
    default:
      return r.structure_jointure;
  }
}

async function deleteScopedMemberships(
  ctx: ApplyContext,
  pairs: Pairs,
  versions: Map<string, number>,
): Promise<void> {
  const { rows } = await sql<{
    person_jointure: string;
    id: number;
    kind: 'class' | 'group';
    structure_jointure: string;
    code: string;
    label: string;
  }>`
    delete from membership m using class_group c, unnest(${pairs.persons}::text[], ${pairs.structures}::text[]) d(p, s)
    where c.id = m.class_group_id and m.person_jointure = d.p and c.structure_jointure = d.s
    returning m.person_jointure, c.id, c.kind, c.structure_jointure, c.code, c.label`.execute(
    ctx.trx,
  );
  for (const r of rows) {
    ctx.touchedClasses.add(r.id);
    const m = { kind: r.kind, structure: r.structure_jointure, code: r.code, label: r.label };
    ctx.events.push({
      entityType: 'membership',
      entityKey: `${m.kind}:${classEventKey(m)}|${r.person_jointure}`,
      op: 'deleted',
      version: versions.get(r.person_jointure)!,
      uais: ctx.structures.uais([m.structure]),
      changes: { before: { ...m, person: r.person_jointure } },
    });
  }
}

/**
 * Applies departures and leavings: the person leaves the given establishments (attachment,
 * classes, groups, teaching links, functions, direction there). A departure leaves all of them
 * and marks the person departed (kept, not deleted: deletion is a later campaign).
 */
export async function applyLeaves(ctx: ApplyContext, items: readonly LeaveItem[]): Promise<void> {
  if (items.length === 0) return;
  const current = await versionsOf(
    ctx.trx,
    items.map((i) => i.key),
  );
  for (const i of items) {
    if (current.get(i.key)?.version !== i.baseVersion) {
      throw IngestErrors.DATA_MOVED({
        uai: ctx.structures.uai(i.unit) ?? i.unit ?? '-',
        importId: ctx.importId,
        reason: `person ${i.key} changed since the plan was made`,
      });
    }
  }
  const versions = new Map(items.map((i) => [i.key, i.baseVersion + 1]));
  const before = await structuresOf(
    ctx.trx,
    items.map((i) => i.key),
  );
  const pairs: Pairs = { persons: [], structures: [] };
  for (const i of items) {
    for (const s of i.payload.structures) {
      pairs.persons.push(i.key);
      pairs.structures.push(s);
    }
  }
  const departed = items.filter((i) => i.action === 'depart').map((i) => i.key);
  const { rows: updated } = await sql<{
    jointure: string;
    departed_at: Date | null;
    primary_structure: string | null;
  }>`
    update person p set version = p.version + 1, updated_at = now(), last_import_id = ${ctx.importId},
      state = case when p.jointure = any(${departed}::text[]) then 'departed' else p.state end,
      departed_at = case when p.jointure = any(${departed}::text[]) then now() else p.departed_at end
    where p.jointure = any(${items.map((i) => i.key)}::text[])
    returning p.jointure, p.departed_at, p.primary_structure`.execute(ctx.trx);
  const rowOf = new Map(updated.map((r) => [r.jointure, r]));
  const primaries: { jointure: string; primary_structure: string | null }[] = [];
  for (const i of items) {
    const was = before.get(i.key) ?? [];
    const left = new Set(i.payload.structures);
    const now = was.filter((s) => !left.has(s));
    const uais = ctx.structures.uais([...was, ...i.payload.structures]);
    const fields: Record<string, unknown> = { structures: [was, now] };
    const primary = rowOf.get(i.key)?.primary_structure ?? null;
    if (i.action === 'leave' && primary && left.has(primary)) {
      primaries.push({ jointure: i.key, primary_structure: now[0] ?? null });
      fields.primaryStructure = [primary, now[0] ?? null];
    }
    const changes =
      i.action === 'depart'
        ? {
            departedAt: rowOf.get(i.key)?.departed_at,
            structures: i.payload.structures,
            reason: i.payload.reason,
          }
        : { fields, reason: i.payload.reason };
    ctx.events.push({
      entityType: 'person',
      entityKey: i.key,
      op: i.action === 'depart' ? 'departed' : 'updated',
      version: versions.get(i.key)!,
      uais,
      fileId: i.fileId,
      changes,
    });
  }
  await bulkUpdate(ctx.trx, 'person', ['jointure'], ['primary_structure'], primaries);
  await sql`
    delete from person_structure t using unnest(${pairs.persons}::text[], ${pairs.structures}::text[]) d(p, s)
    where t.person_jointure = d.p and t.structure_jointure = d.s`.execute(ctx.trx);
  await deleteScopedMemberships(ctx, pairs, versions);
  await deleteScopedLinks(ctx, pairs, versions);
  const { rows: relatives } = await sql<{ relative_jointure: string }>`
    select relative_jointure from relative_link where pupil_jointure = any(${items.map((i) => i.key)}::text[])`.execute(
    ctx.trx,
  );
  for (const r of relatives) ctx.touchedRelatives.add(r.relative_jointure);
  await ctx.events.flushIfFull();
}
