import type { KeyedDiff } from '../plan/person-diff.js';
import { keyOf, type MembershipRef } from '../plan/person-state.js';
import {
  bulkDelete,
  bulkInsert,
  bulkUpdate,
  copyRows,
  type BulkColumn,
  type BulkRow,
  type BulkTable,
} from '@aaf-sync/db';
import { nowOf } from '../deps.js';
import type { ApplyContext } from './apply-context.js';
import { classEventKey } from './class-cache.js';
import type { LinkSpec, LinkTable } from './link-specs.js';

/** One person's change of one kind of link, with the version and UAIs of its events. */
export interface LinkChange<T> {
  readonly person: string;
  readonly version: number;
  readonly uais: readonly string[];
  readonly diff: KeyedDiff<T>;
}

/**
 * Inserts new link rows, a row whose key is there already left as it is (`on conflict do
 * nothing`). On a first import the link tables start empty: the rows are written with COPY,
 * the first of any two rows with one key kept (what the conflict clause would keep).
 */
async function insertLinks<Tb extends BulkTable, C extends BulkColumn<Tb>>(
  ctx: ApplyContext,
  table: Tb,
  keys: readonly C[],
  columns: readonly C[],
  rows: readonly BulkRow<Tb, C>[],
): Promise<void> {
  if (!ctx.firstImport) {
    await bulkInsert(ctx.trx, table, columns, rows, { onConflict: (oc) => oc.doNothing() });
    return;
  }
  const seen = new Set<string>();
  const unique = rows.filter((r) => {
    const key = JSON.stringify(keys.map((k) => r[k]));
    return !seen.has(key) && !!seen.add(key);
  });
  await copyRows(ctx.trx, table, columns, unique);
}

/** Writes the adds, updates and removals of one kind of link for a batch, with their events. */
export async function writeLinks<
  T,
  Tb extends LinkTable,
  K extends BulkColumn<Tb>,
  V extends BulkColumn<Tb>,
>(
  ctx: ApplyContext,
  spec: LinkSpec<T, Tb, K, V>,
  changes: readonly LinkChange<T>[],
): Promise<void> {
  const adds: BulkRow<Tb, K | V>[] = [];
  const updates: BulkRow<Tb, K | V>[] = [];
  const removes: BulkRow<Tb, K | V>[] = [];
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
      adds.push(spec.row(c.person, v));
      event('created', v);
    }
    for (const v of c.diff.update) {
      updates.push(spec.row(c.person, v));
      event('updated', v);
    }
    for (const v of c.diff.remove) {
      removes.push(spec.row(c.person, v));
      event('deleted', v);
    }
  }
  await bulkDelete(ctx.trx, spec.table, spec.keys, removes);
  if (spec.values.length > 0)
    await bulkUpdate(ctx.trx, spec.table, spec.keys, spec.values, updates);
  await insertLinks(ctx, spec.table, spec.keys, [...spec.keys, ...spec.values], adds);
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
  type Row = BulkRow<'membership', 'class_group_id' | 'person_jointure'>;
  const adds: Row[] = [];
  const removes: Row[] = [];
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
      adds.push({ class_group_id: ids.get(keyOf.membership(m))!, person_jointure: c.person });
      event('created', m);
    }
    for (const m of c.diff.remove) {
      const id = known.get(keyOf.membership(m));
      if (id === undefined) continue;
      removes.push({ class_group_id: id, person_jointure: c.person });
      ctx.touchedClasses.add(id);
      event('deleted', m);
    }
  }
  const keys = ['class_group_id', 'person_jointure'] as const;
  await bulkDelete(ctx.trx, 'membership', keys, removes);
  // `since` on the engine's clock, like the run's start: the year transition compares them.
  const since = nowOf(ctx.deps);
  await insertLinks(
    ctx,
    'membership',
    keys,
    [...keys, 'since'],
    adds.map((a) => ({ ...a, since })),
  );
}

/** A person's establishments (no events of their own: the person event lists them). */
export async function writeStructures(
  ctx: ApplyContext,
  changes: readonly LinkChange<string>[],
): Promise<void> {
  const keys = ['person_jointure', 'structure_jointure'] as const;
  const row = (person: string, s: string) => ({ person_jointure: person, structure_jointure: s });
  await bulkDelete(
    ctx.trx,
    'person_structure',
    keys,
    changes.flatMap((c) => c.diff.remove.map((s) => row(c.person, s))),
  );
  await insertLinks(
    ctx,
    'person_structure',
    keys,
    keys,
    changes.flatMap((c) => c.diff.add.map((s) => row(c.person, s))),
  );
}
