import { IngestErrors } from '../errors.js';
import { isEmptyDiff, type LinkValue } from '../plan/person-diff.js';
import type { PersonChangeItem } from '../plan/plan-item.js';
import type { LinkKind } from '../plan/person-state.js';
import { bulkInsert, bulkUpdate, copyRows, sql } from '@aaf-sync/db';
import type { ApplyContext } from './apply-context.js';
import { writeLinks, writeMemberships, writeStructures, type LinkChange } from './apply-links.js';
import {
  DIRECTION,
  HEAD_TEACHER,
  PERSON_FUNCTION,
  RELATIVE_LINK,
  TEACHING_LINK,
} from './link-specs.js';
import { renameFoundByIne } from './ine-renames.js';
import { structuresOf, versionsOf } from './person-lookup.js';
import { pushPersonEvents, type CreatedPersons } from './person-events.js';
import { allocateForAccounts } from './relative-accounts.js';
import {
  collectTouchedRelatives,
  withPupilStructures,
  type WithAccounts,
} from './relative-links.js';

const ROW_COLUMNS = [
  'profile',
  'level',
  'given_name',
  'sn',
  'birth_name',
  'birth_date',
  'civility',
  'ine',
  'mail',
  'primary_structure',
  'unknown_structures',
  'details',
  'attributes',
  'record_hash',
  'raw_hash',
  'version',
  'last_import_id',
  'last_file_id',
  'scope',
] as const;

function rowValues(ctx: ApplyContext, item: PersonChangeItem, version: number) {
  const c = item.payload.columns;
  return {
    profile: c.profile,
    level: c.level,
    given_name: c.givenName,
    sn: c.sn,
    birth_name: c.birthName,
    birth_date: c.birthDate,
    civility: c.civility,
    ine: c.ine,
    mail: c.mail,
    primary_structure: c.primaryStructure,
    // (plans held before this field existed carry none)
    unknown_structures: item.payload.unknownStructures ?? [],
    details: c.details,
    attributes: item.payload.attributes,
    record_hash: item.payload.hash,
    raw_hash: item.payload.rawHash ?? null,
    version,
    last_import_id: ctx.importId,
    last_file_id: item.fileId,
    // the import's scope (a pupil found again by its INE in another académie moves to it)
    scope: ctx.scope,
  };
}

/** The applied plan is exactly the reviewed one: any person that moved since refuses it. */
async function checkVersions(ctx: ApplyContext, items: readonly PersonChangeItem[]): Promise<void> {
  const now = await versionsOf(
    ctx.trx,
    items.map((i) => i.key),
  );
  for (const item of items) {
    const current = now.get(item.key);
    const moved =
      item.action === 'create' ? current !== undefined : current?.version !== item.baseVersion;
    if (moved) {
      throw IngestErrors.DATA_MOVED({
        uai: ctx.structures.uai(item.unit) ?? item.unit ?? '-',
        importId: ctx.importId,
        reason: `person ${item.key} changed since the plan was made`,
      });
    }
  }
}

/** New version of each person: +1 when anything visible changes (columns, links, state). */
function newVersions(items: readonly PersonChangeItem[]): Map<string, number> {
  return new Map(
    items.map((i) => {
      const visible = i.action !== 'update' || !isEmptyDiff(i.payload.diff);
      return [i.key, i.action === 'create' ? 1 : (i.baseVersion ?? 0) + (visible ? 1 : 0)];
    }),
  );
}

/** Inserts the new persons; answers their ids. */
async function insertPersons(
  ctx: ApplyContext,
  creates: readonly PersonChangeItem[],
  accounts: Map<string, boolean>,
): Promise<{ id: number; jointure: string }[]> {
  const columns = ['jointure', 'category', 'has_account', ...ROW_COLUMNS] as const;
  const rows = creates.map((i) => ({
    jointure: i.key,
    category: i.payload.columns.category,
    has_account: accounts.get(i.key) ?? true,
    ...rowValues(ctx, i, 1),
  }));
  if (!ctx.firstImport)
    return bulkInsert(ctx.trx, 'person', columns, rows, { returning: ['id', 'jointure'] });
  // A first import: COPY (no conflict is possible), then the ids by the unique jointures.
  await copyRows(ctx.trx, 'person', columns, rows);
  const { rows: ids } = await sql<{ id: number; jointure: string }>`
    select id, jointure from person where jointure = any(${creates.map((i) => i.key)}::text[])
    order by id`.execute(ctx.trx);
  return ids;
}

async function writeRows(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
  versions: Map<string, number>,
  { accounts, accountsBefore }: Omit<WithAccounts, 'items'>,
) {
  const creates = items.filter((i) => i.action === 'create');
  const inserted = await insertPersons(ctx, creates, accounts);
  const ids = new Map(inserted.map((r) => [r.jointure, r.id]));
  const others = items.filter((i) => i.action !== 'create');
  const updated = await bulkUpdate(
    ctx.trx,
    'person',
    ['jointure'],
    ['has_account', ...ROW_COLUMNS],
    others.map((i) => ({
      jointure: i.key,
      has_account: accounts.get(i.key) ?? true,
      ...rowValues(ctx, i, versions.get(i.key)!),
    })),
    {
      also: { state: 'active', departed_at: null, updated_at: sql`now()` },
      returning: ['id', 'jointure'],
    },
  );
  // Identifiers for every new account holder: new persons, and relatives who gain an account
  // (a contact holds none; identifiers once allocated stay reserved to their person).
  const gaining = updated.filter(
    (r) => accounts.get(r.jointure) === true && accountsBefore.get(r.jointure) === false,
  );
  const byKey = new Map(items.map((i) => [i.key, i]));
  const holders = [...inserted.filter((r) => accounts.get(r.jointure) !== false), ...gaining].map(
    (r) => ({
      personId: r.id,
      givenName: byKey.get(r.jointure)!.payload.columns.givenName,
      sn: byKey.get(r.jointure)!.payload.columns.sn,
    }),
  );
  // (a first import: only persons this batch created, which hold no identifier yet)
  const allocated = await allocateForAccounts(ctx, holders, {
    fresh: ctx.firstImport && gaining.length === 0,
  });
  const created: CreatedPersons = new Map();
  for (const [jointure, id] of ids)
    created.set(jointure, { id, identifiers: allocated.get(id) ?? {} });
  const gained = new Map(gaining.map((r) => [r.jointure, allocated.get(r.id) ?? {}]));
  return { created, gained };
}

function changesOf<T>(
  items: readonly PersonChangeItem[],
  versions: Map<string, number>,
  uais: Map<string, string[]>,
  pick: (i: PersonChangeItem) => LinkChange<T>['diff'],
): LinkChange<T>[] {
  return items.map((i) => ({
    person: i.key,
    version: versions.get(i.key)!,
    uais: uais.get(i.key) ?? [],
    diff: pick(i),
  }));
}

async function writeAllLinks(
  ctx: ApplyContext,
  items: readonly PersonChangeItem[],
  versions: Map<string, number>,
  uais: Map<string, string[]>,
) {
  const of = <K extends LinkKind>(kind: K) =>
    changesOf<LinkValue<K>>(items, versions, uais, (i) => i.payload.diff.links[kind]);
  await writeStructures(ctx, of('structures'));
  await writeMemberships(ctx, of('memberships'));
  await writeLinks(ctx, RELATIVE_LINK, of('relatives'));
  await writeLinks(ctx, TEACHING_LINK, of('teaching'));
  await writeLinks(ctx, HEAD_TEACHER, of('headTeacher'));
  await writeLinks(ctx, PERSON_FUNCTION, of('functions'));
  await writeLinks(ctx, DIRECTION, of('direction'));
}

/**
 * Applies a batch of create / update / restore items: person rows, identifiers of new persons,
 * links, and their events, after checking that nobody moved since the plan.
 */
export async function applyPersonChanges(
  ctx: ApplyContext,
  changes: readonly PersonChangeItem[],
): Promise<void> {
  if (changes.length === 0) return;
  await renameFoundByIne(ctx, changes);
  // (a first import: nobody can have moved in a directory that held no person)
  if (!ctx.firstImport || changes.some((i) => i.action !== 'create'))
    await checkVersions(ctx, changes);
  // A person created now holds no establishment yet (checkVersions found no row for it, and
  // links are written only for persons): only the others are looked up.
  const before = await structuresOf(
    ctx.trx,
    changes.filter((i) => i.action !== 'create').map((i) => i.key),
  );
  const { items, ...accounts } = await withPupilStructures(ctx, changes, before);
  const versions = newVersions(items);
  const after = new Map<string, string[]>();
  const uais = new Map<string, string[]>();
  for (const i of items) {
    const d = i.payload.diff.links.structures;
    const next = new Set(before.get(i.key) ?? []);
    for (const s of d.remove) next.delete(s);
    for (const s of d.add) next.add(s);
    after.set(i.key, [...next].sort());
    uais.set(
      i.key,
      ctx.structures.uais([...(before.get(i.key) ?? []), ...next, ...(i.unit ? [i.unit] : [])]),
    );
  }
  const { created, gained } = await writeRows(ctx, items, versions, accounts);
  pushPersonEvents(
    ctx,
    items,
    versions,
    { created, gained, accounts: accounts.accounts },
    {
      before,
      after,
      uais,
    },
  );
  await writeAllLinks(ctx, items, versions, uais);
  await collectTouchedRelatives(ctx, items);
  await ctx.events.flushIfFull();
}
