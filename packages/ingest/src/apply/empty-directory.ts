import { sql, type Executor } from '@aaf-sync/db';

/** The tables a first import fills with COPY: persons and their links (none with a conflict clause). */
const PERSON_TABLES = [
  'person',
  'person_structure',
  'membership',
  'relative_link',
  'teaching_link',
  'head_teacher',
  'person_function',
  'direction',
] as const;

/**
 * Whether the directory holds no person and no person link (one statement): the condition of
 * the first import's fast path, checked in the apply transaction itself. Links name persons by
 * jointure without a foreign key, so their tables are checked too: a COPY must meet no row.
 */
export async function holdsNoPersonData(db: Executor): Promise<boolean> {
  const probes = PERSON_TABLES.map((t) => sql`not exists (select from ${sql.table(t)})`);
  const { rows } = await sql<{ empty: boolean }>`
    select ${sql.join(probes, sql` and `)} as empty`.execute(db);
  return rows[0]!.empty;
}
