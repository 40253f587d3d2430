import { sql } from '@aaf-sync/db';
import { IngestErrors } from '../errors.js';
import type { PersonChangeItem } from '../plan/plan-item.js';
import type { ApplyContext } from './apply-context.js';
import { versionsOf } from './person-lookup.js';

/** Tables that name a person by jointure, and the column. */
const PERSON_COLUMNS: readonly (readonly [string, string])[] = [
  ['person_structure', 'person_jointure'],
  ['membership', 'person_jointure'],
  ['teaching_link', 'person_jointure'],
  ['head_teacher', 'person_jointure'],
  ['person_function', 'person_jointure'],
  ['direction', 'person_jointure'],
  ['relative_link', 'pupil_jointure'],
];

/**
 * Pupils found again by their INE under a new jointure (`renamedFrom`): before the batch is
 * applied, each row takes its new jointure, with its links (memberships, relatives…), and the
 * old jointure is recorded in `person_alias`. The row keeps its id, so its identifiers, its
 * provisioning and its history stay with it; the item then updates it like any other (its
 * `person.updated` or `person.restored` event carries `jointure: [old, new]`). Refused, like any
 * item, if the person moved since the plan or the new jointure exists meanwhile.
 */
export async function renameFoundByIne(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
): Promise<void> {
  const renames = items.filter((i) => i.payload.renamedFrom !== undefined);
  if (renames.length === 0) return;
  const olds = renames.map((i) => i.payload.renamedFrom!);
  const news = renames.map((i) => i.key);
  const [before, clashing] = await Promise.all([
    versionsOf(ctx.trx, olds),
    versionsOf(ctx.trx, news),
  ]);
  for (const i of renames) {
    const v = before.get(i.payload.renamedFrom!);
    if (!v || v.version !== i.baseVersion || clashing.has(i.key)) {
      throw IngestErrors.DATA_MOVED({
        uai: ctx.structures.uai(i.unit) ?? i.unit ?? '-',
        importId: ctx.importId,
        reason: `person ${i.payload.renamedFrom} (found again as ${i.key}) changed since the plan was made`,
      });
    }
  }
  const pairs = sql`unnest(${olds}::text[], ${news}::text[]) as r(old, new)`;
  await sql`update person t set jointure = r.new from ${pairs} where t.jointure = r.old`.execute(
    ctx.trx,
  );
  for (const [table, column] of PERSON_COLUMNS) {
    await sql`update ${sql.table(table)} t set ${sql.ref(column)} = r.new from ${pairs}
      where t.${sql.ref(column)} = r.old`.execute(ctx.trx);
  }
  await sql`
    insert into person_alias (jointure, person_id, reason, import_id)
    select r.old, p.id, 'ine', ${ctx.importId} from ${pairs} join person p on p.jointure = r.new`.execute(
    ctx.trx,
  );
}
