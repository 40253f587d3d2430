import t from 'tap';
import { MIGRATIONS, sql, type Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';

const migration = MIGRATIONS['0032-academy-scope']!;
const up = migration.up.bind(migration);
const down = migration.down!.bind(migration);

t.test(
  'migration 0032 gives existing rows the scope of the import that created them',
  async (t) => {
    const { db } = await testDb(t);
    const raw = db as unknown as Kysely<unknown>;
    await down(raw);
    const run = async (scope: string) =>
      (
        await sql<{ id: number }>`
      insert into import_run (kind, scope, level, file_date, source, delivery_name, content_hash, status)
      values ('complete', ${scope}, '2d', '2024-09-07', 'test', 'd', 'h', 'applied') returning id`.execute(
          db,
        )
      ).rows[0]!.id;
    const [a, b] = [await run('A'), await run('B')];
    const person = (jointure: string, lastImport: number | null) => sql`
    insert into person (jointure, category, profile, level, given_name, sn, attributes, record_hash, last_import_id)
    values (${jointure}, 'pupil', 'pupil', '2d', 'A', 'B', '{}', 'h', ${lastImport})`;
    const created = (type: string, key: string, importId: number) => sql`
    insert into change_event (entity_type, entity_key, op, version, import_id)
    values (${type}, ${key}, 'created', 1, ${importId})`;
    for (const q of [
      person('created-in-a', b), // created by A, last changed by B: A
      person('events-purged', b), // no created event left: the last import's
      person('unknown', null),
      created('person', 'created-in-a', a),
      sql`insert into structure (jointure, name, level, attributes, record_hash) values ('s1', 'S', '2d', '{}', 'h')`,
      created('structure', 's1', b),
    ])
      await q.execute(db);
    await up(raw);
    const { rows } = await sql<{ jointure: string; scope: string }>`
    select jointure, scope from person union all select jointure, scope from structure
    order by jointure`.execute(db);
    t.same(Object.fromEntries(rows.map((r) => [r.jointure, r.scope])), {
      'created-in-a': 'A',
      'events-purged': 'B',
      s1: 'B',
      unknown: '-',
    });
  },
);
