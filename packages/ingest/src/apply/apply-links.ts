import type { KeyedDiff } from '../plan/person-diff.js';
import { keyOf, type MembershipRef } from '../plan/person-state.js';
import { col, deleteRows, insertRows, updateRows } from '../sql/bulk.js';
import type { ApplyContext } from './apply-context.js';
import { classEventKey } from './class-cache.js';
import type { LinkSpec } from './link-specs.js';

/** One person's change of one kind of link, with the version and UAIs of its events. */
export interface LinkChange<T> {
  readonly person: string;
  readonly version: number;
  readonly uais: readonly string[];
  readonly diff: KeyedDiff<T>;
}

/** Writes the adds, updates and removals of one kind of link for a batch, with their events. */
export async function writeLinks<T>(
  ctx: ApplyContext,
  spec: LinkSpec<T>,
  changes: readonly LinkChange<T>[],
): Promise<void> {
  const columns = [...spec.keys, ...spec.values];
  const adds: unknown[][] = [];
  const updates: unknown[][] = [];
  const removes: unknown[][] = [];
  for (const c of changes) {
    const uais = (v: T) => {
      const s = spec.structure(v);
      return s ? ctx.structures.uais([s]) : c.uais;
    };
    const event = (op: 'created' | 'updated' | 'deleted', v: T) =>
      ctx.events.push({
        entityType: spec.entityType,
        entityKey: spec.eventKey(c.person, v),
        op,
        version: c.version,
        uais: uais(v),
        changes:
          op === 'deleted' ? { before: spec.view(c.person, v) } : { after: spec.view(c.person, v) },
      });
    for (const v of c.diff.add) {
      adds.push([...spec.keyRow(c.person, v), ...spec.valueRow(v)]);
      event('created', v);
    }
    for (const v of c.diff.update) {
      updates.push([...spec.keyRow(c.person, v), ...spec.valueRow(v)]);
      event('updated', v);
    }
    for (const v of c.diff.remove) {
      removes.push(spec.keyRow(c.person, v));
      event('deleted', v);
    }
  }
  await deleteRows(ctx.trx, spec.table, spec.keys, removes);
  if (spec.values.length > 0)
    await updateRows(ctx.trx, spec.table, spec.keys, spec.values, updates);
  await insertRows(ctx.trx, spec.table, columns, adds, 'on conflict do nothing');
}

/** Event key of a membership: `<class|group>:<structure>$<code>|<person>`. */
const membershipKey = (m: MembershipRef, person: string) =>
  `${m.kind}:${classEventKey(m)}|${person}`;

/** Pupils joining and leaving classes and groups (which are created by the first pupil). */
export async function writeMemberships(
  ctx: ApplyContext,
  changes: readonly LinkChange<MembershipRef>[],
): Promise<void> {
  const ids = await ctx.classes.ensure(changes.flatMap((c) => [...c.diff.add, ...c.diff.update]));
  const known = await ctx.classes.idsOf(changes.flatMap((c) => c.diff.remove));
  const adds: unknown[][] = [];
  const removes: unknown[][] = [];
  for (const c of changes) {
    const event = (op: 'created' | 'deleted', m: MembershipRef) =>
      ctx.events.push({
        entityType: 'membership',
        entityKey: membershipKey(m, c.person),
        op,
        version: c.version,
        uais: ctx.structures.uais([m.structure]),
        changes: { [op === 'deleted' ? 'before' : 'after']: { ...m, person: c.person } },
      });
    for (const m of c.diff.add) {
      adds.push([ids.get(keyOf.membership(m)), c.person]);
      event('created', m);
    }
    for (const m of c.diff.remove) {
      const id = known.get(keyOf.membership(m));
      if (id === undefined) continue;
      removes.push([id, c.person]);
      ctx.touchedClasses.add(id);
      event('deleted', m);
    }
  }
  await deleteRows(
    ctx.trx,
    'membership',
    [col('class_group_id', 'bigint'), col('person_jointure')],
    removes,
  );
  await insertRows(
    ctx.trx,
    'membership',
    [col('class_group_id', 'bigint'), col('person_jointure')],
    adds,
    'on conflict do nothing',
  );
}

/** A person's establishments (no events of their own: the person event lists them). */
export async function writeStructures(
  ctx: ApplyContext,
  changes: readonly LinkChange<string>[],
): Promise<void> {
  const keys = [col('person_jointure'), col('structure_jointure')];
  await deleteRows(
    ctx.trx,
    'person_structure',
    keys,
    changes.flatMap((c) => c.diff.remove.map((s) => [c.person, s])),
  );
  await insertRows(
    ctx.trx,
    'person_structure',
    keys,
    changes.flatMap((c) => c.diff.add.map((s) => [c.person, s])),
    'on conflict do nothing',
  );
}
