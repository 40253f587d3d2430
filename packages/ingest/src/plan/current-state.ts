import type { PersonCategory, RelativeRef } from '@aaf-sync/aaf';
import type { Executor, Person, PersonState } from '@aaf-sync/db';
import { anyOf } from '../sql/any-of.js';
import {
  emptyLinks,
  keyOf,
  type MembershipRef,
  type PersonColumns,
  type PersonLinks,
} from './person-state.js';

/** Enough to tell whether a record changed: one cheap query per batch. */
export interface PersonHead {
  readonly id: number;
  readonly jointure: string;
  /** Académie scope of the files that feed it. */
  readonly scope: string;
  readonly category: PersonCategory;
  readonly state: PersonState;
  readonly version: number;
  readonly recordHash: string;
  /** Fingerprint of the addRequest bytes last applied (null: unknown; see RequestPrint). */
  readonly rawHash: string | null;
  readonly primaryStructure: string | null;
  /** Structures its record names that the directory did not hold when it was applied. */
  readonly unknownStructures: readonly string[];
}

export interface CurrentPerson extends PersonHead {
  readonly columns: PersonColumns;
  readonly attributes: Record<string, string[]>;
  readonly links: PersonLinks;
}

/** Whether the directory holds no person at all (then no look-up of persons can find one). */
export async function holdsNoPerson(db: Executor): Promise<boolean> {
  const row = await db.selectFrom('person').select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** The `person` columns a `PersonHead` is read from. */
const HEAD_COLUMNS = [
  'id',
  'jointure',
  'scope',
  'category',
  'state',
  'version',
  'record_hash',
  'raw_hash',
  'primary_structure',
  'unknown_structures',
] as const;

function headOf(r: Pick<Person, (typeof HEAD_COLUMNS)[number]>): PersonHead {
  return {
    id: r.id,
    jointure: r.jointure,
    scope: r.scope,
    category: r.category,
    state: r.state,
    version: r.version,
    recordHash: r.record_hash,
    rawHash: r.raw_hash,
    primaryStructure: r.primary_structure,
    unknownStructures: r.unknown_structures,
  };
}

export async function loadPersonHeads(
  db: Executor,
  jointures: readonly string[],
): Promise<Map<string, PersonHead>> {
  if (jointures.length === 0) return new Map();
  const rows = await db
    .selectFrom('person')
    .select(HEAD_COLUMNS)
    .where(anyOf('jointure', jointures))
    .execute();
  return new Map(rows.map((r) => [r.jointure, headOf(r)]));
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends ReadonlyMap<infer A, infer B> ? Map<A, B> : T[K];
};

async function loadLinks(
  db: Executor,
  jointures: string[],
): Promise<Map<string, Mutable<PersonLinks>>> {
  const out = new Map<string, Mutable<PersonLinks>>();
  const links = (j: string) => {
    let l = out.get(j);
    if (!l) out.set(j, (l = emptyLinks() as Mutable<PersonLinks>));
    return l;
  };
  const any = jointures;
  const [structures, memberships, relatives, teaching, heads, functions, direction] =
    await Promise.all([
      db
        .selectFrom('person_structure')
        .select(['person_jointure', 'structure_jointure'])
        .where(anyOf('person_jointure', any))
        .execute(),
      db
        .selectFrom('membership as m')
        .innerJoin('class_group as c', 'c.id', 'm.class_group_id')
        .select(['m.person_jointure', 'c.kind', 'c.structure_jointure', 'c.code', 'c.label'])
        .where(anyOf('m.person_jointure', any))
        .execute(),
      db.selectFrom('relative_link').selectAll().where(anyOf('pupil_jointure', any)).execute(),
      db.selectFrom('teaching_link').selectAll().where(anyOf('person_jointure', any)).execute(),
      db.selectFrom('head_teacher').selectAll().where(anyOf('person_jointure', any)).execute(),
      db.selectFrom('person_function').selectAll().where(anyOf('person_jointure', any)).execute(),
      db.selectFrom('direction').selectAll().where(anyOf('person_jointure', any)).execute(),
    ]);
  for (const r of structures)
    links(r.person_jointure).structures.set(r.structure_jointure, r.structure_jointure);
  for (const r of memberships) {
    const m: MembershipRef = {
      kind: r.kind,
      structure: r.structure_jointure,
      code: r.code,
      label: r.label,
    };
    links(r.person_jointure).memberships.set(keyOf.membership(m), m);
  }
  for (const r of relatives) {
    const ref: RelativeRef = {
      jointure: r.relative_jointure,
      relationship: r.relationship,
      financial: r.financial,
      legal: r.legal,
      contact: r.contact,
      payment: r.payment,
    };
    links(r.pupil_jointure).relatives.set(ref.jointure, ref);
  }
  for (const r of teaching) {
    const t = {
      structure: r.structure_jointure,
      kind: r.kind,
      code: r.code,
      subject: r.subject_code,
    };
    links(r.person_jointure).teaching.set(keyOf.teaching(t), t);
  }
  for (const r of heads) {
    const h = { structure: r.structure_jointure, code: r.class_code };
    links(r.person_jointure).headTeacher.set(keyOf.headTeacher(h), h);
  }
  for (const r of functions) {
    const f = {
      structure: r.structure_jointure,
      code: r.code,
      label: r.label,
      disciplineCode: r.discipline_code,
      disciplineLabel: r.discipline_label,
    };
    links(r.person_jointure).functions.set(keyOf.function(f), f);
  }
  for (const r of direction)
    links(r.person_jointure).direction.set(r.structure_jointure, r.structure_jointure);
  return out;
}

/** The full current state (row and links) of existing persons: for diffs and delta merges. */
export async function loadCurrentPersons(
  db: Executor,
  jointures: readonly string[],
): Promise<Map<string, CurrentPerson>> {
  if (jointures.length === 0) return new Map();
  const list = [...jointures];
  const [rows, links] = await Promise.all([
    db.selectFrom('person').selectAll().where(anyOf('jointure', list)).execute(),
    loadLinks(db, list),
  ]);
  const out = new Map<string, CurrentPerson>();
  for (const r of rows) {
    out.set(r.jointure, {
      ...headOf(r),
      attributes: r.attributes,
      columns: {
        scope: r.scope,
        category: r.category,
        profile: r.profile,
        level: r.level,
        givenName: r.given_name,
        sn: r.sn,
        birthName: r.birth_name,
        birthDate: r.birth_date,
        civility: r.civility,
        ine: r.ine,
        mail: r.mail,
        primaryStructure: r.primary_structure,
        details: r.details,
      },
      links: links.get(r.jointure) ?? emptyLinks(),
    });
  }
  return out;
}
