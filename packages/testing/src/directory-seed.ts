import type {
  ClassGroupKind,
  Database,
  Kysely,
  PersonCategory,
  PersonState,
  Profile,
  Transaction,
} from '@aaf-sync/db';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Small helpers that write directory rows directly, for tests of readers (API, reports) before or
 * without the import engine. They fill only what the schema requires; pass what a test asserts.
 */
export async function seedStructure(
  db: Db,
  s: { jointure: string; uai: string | null; name: string; level?: '1d' | '2d' },
): Promise<void> {
  await db
    .insertInto('structure')
    .values({
      jointure: s.jointure,
      uai: s.uai,
      name: s.name,
      level: s.level ?? '2d',
      attributes: JSON.stringify({}),
      record_hash: `h-${s.jointure}`,
    })
    .execute();
}

export interface SeedPerson {
  jointure: string;
  /** Académie scope (default '-', a file without one). */
  scope?: string;
  category: PersonCategory;
  profile?: Profile;
  givenName: string;
  sn: string;
  /** Establishments (structure jointures); the first is the primary one. */
  structures?: string[];
  birthName?: string | null;
  birthDate?: string | null;
  ine?: string | null;
  mail?: string | null;
  details?: Record<string, unknown>;
  state?: PersonState;
  lastImportId?: number | null;
  lastFileId?: number | null;
}

/** Inserts a person and its person_structure rows; resolves to its internal id. */
export async function seedPerson(db: Db, p: SeedPerson): Promise<number> {
  const profile = p.profile ?? (p.category === 'staff' ? 'teacher' : p.category);
  const structures = p.structures ?? [];
  const row = await db
    .insertInto('person')
    .values({
      jointure: p.jointure,
      scope: p.scope ?? '-',
      category: p.category,
      profile,
      level: '2d',
      given_name: p.givenName,
      sn: p.sn,
      birth_name: p.birthName ?? null,
      birth_date: p.birthDate ?? null,
      ine: p.ine ?? null,
      mail: p.mail ?? null,
      primary_structure: structures[0] ?? null,
      details: JSON.stringify(p.details ?? {}),
      attributes: JSON.stringify({}),
      record_hash: `h-${p.jointure}`,
      state: p.state ?? 'active',
      departed_at: p.state === 'departed' ? new Date() : null,
      last_import_id: p.lastImportId ?? null,
      last_file_id: p.lastFileId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const s of structures) {
    await db
      .insertInto('person_structure')
      .values({ person_jointure: p.jointure, structure_jointure: s })
      .execute();
  }
  return Number(row.id);
}

/** Inserts a class or group; resolves to its id. */
export async function seedClassGroup(
  db: Db,
  c: {
    structure: string;
    kind: ClassGroupKind;
    code: string;
    label?: string;
    state?: 'active' | 'empty';
  },
): Promise<number> {
  const row = await db
    .insertInto('class_group')
    .values({
      structure_jointure: c.structure,
      kind: c.kind,
      code: c.code,
      label: c.label ?? c.code,
      state: c.state ?? 'active',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function seedMembership(db: Db, classGroupId: number, person: string): Promise<void> {
  await db
    .insertInto('membership')
    .values({ class_group_id: classGroupId, person_jointure: person })
    .execute();
}

export async function seedRelativeLink(
  db: Db,
  l: { pupil: string; relative: string; relationship?: string; legal?: number },
): Promise<void> {
  await db
    .insertInto('relative_link')
    .values({
      pupil_jointure: l.pupil,
      relative_jointure: l.relative,
      relationship: l.relationship ?? '10',
      financial: true,
      legal: l.legal ?? 1,
      contact: true,
      payment: false,
    })
    .execute();
}

export async function seedTeachingLink(
  db: Db,
  l: { person: string; structure: string; kind: ClassGroupKind; code: string; subject?: string },
): Promise<void> {
  await db
    .insertInto('teaching_link')
    .values({
      person_jointure: l.person,
      structure_jointure: l.structure,
      kind: l.kind,
      code: l.code,
      subject_code: l.subject ?? '',
    })
    .execute();
}

export async function seedIdentifier(
  db: Db,
  i: {
    personId: number;
    namespace: string;
    value: string;
    status?: 'primary' | 'alias' | 'retired';
  },
): Promise<void> {
  await db
    .insertInto('identifier')
    .values({
      person_id: i.personId,
      namespace: i.namespace,
      value: i.value,
      status: i.status ?? 'primary',
      base: i.value,
    })
    .execute();
}
