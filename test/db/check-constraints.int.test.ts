import t from 'tap';
import { CHECKED_COLUMNS, sql } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';

interface CheckRow {
  table: string;
  name: string;
  def: string;
}

/**
 * The lists of values the database accepts, read from its CHECK constraints of the form
 * `col = ANY (ARRAY['a'::text, …])` (what `col in ('a', …)` becomes). A constraint that also
 * says something else (`… OR …`) is a rule, not a list, and is left out.
 */
function listsOf(rows: CheckRow[]): Map<string, string[]> {
  const lists = new Map<string, string[]>();
  for (const r of rows) {
    const m = /^CHECK \(\(?\(?(\w+) = ANY \(ARRAY\[([^\]]*)\]\)\)\)?\)?$/.exec(r.def);
    // A one-value list (`col in ('a')`) is printed as a plain equality.
    const one = /^CHECK \(\((\w+) = ('[^']*'::text)\)\)$/.exec(r.def);
    const [column, list] = m ? [m[1]!, m[2]!] : one ? [one[1]!, one[2]!] : [];
    if (column === undefined || list === undefined) continue;
    const values = [...list.matchAll(/'([^']*)'::text/g)].map((v) => v[1]!);
    lists.set(`${r.table}.${column}`, values);
  }
  return lists;
}

t.test('every value list of the schema is declared once in TypeScript, identically', async (t) => {
  const { db } = await testDb(t);
  const { rows } = await sql<CheckRow>`
    select c.conrelid::regclass::text as table, c.conname as name,
      pg_get_constraintdef(c.oid) as def
    from pg_constraint c join pg_namespace n on n.oid = c.connamespace
    where c.contype = 'c' and n.nspname = current_schema()
  `.execute(db);
  const lists = listsOf(rows);
  t.ok(lists.size >= 20, `found the schema's value lists (${lists.size})`);
  for (const [column, values] of lists) {
    const declared = CHECKED_COLUMNS[column];
    t.ok(declared, `${column} has a TypeScript constant in CHECKED_COLUMNS`);
    if (declared) t.same([...declared].sort(), [...values].sort(), `${column}: same values`);
  }
  for (const column of Object.keys(CHECKED_COLUMNS)) {
    t.ok(lists.has(column), `${column} is a CHECK constraint of the schema`);
  }
});

t.test('the parser reads the forms PostgreSQL prints', async (t) => {
  const lists = listsOf([
    { table: 'x', name: 'a', def: "CHECK ((kind = ANY (ARRAY['complete'::text, 'delta'::text])))" },
    {
      table: 'x',
      name: 'b',
      def: "CHECK (((status = ANY (ARRAY['queued'::text])) OR (level IS NOT NULL)))",
    },
    { table: 'y', name: 'c', def: "CHECK ((reason = 'ine'::text))" },
  ]);
  t.same(
    [...lists.entries()],
    [
      ['x.kind', ['complete', 'delta']],
      ['y.reason', ['ine']],
    ],
  );
});
