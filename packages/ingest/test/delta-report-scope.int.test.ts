import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { countDuplicateRelatives, personAccessFor } from '@aaf-sync/directory';
import { harness, variant } from './helpers.js';

// A delta's report reads only the persons of the establishments it touched (packages/directory
// `joinPerson`): its figures must be those of the whole-directory statements (a plain join over
// every person, as before), whatever the plan.

/** School n (2…5) of the académie: the 2D sample under other jointures, UAI and ids. */
const school = (n: number): readonly (readonly [string, string])[] => [
  ['<value>123456', `<value>${n}23456`],
  ['910001', `91000${n}`],
  ['0990001N', `099000${n}P`],
  ['93001', `${92 + n}001`],
  ['93102', `${92 + n}102`],
  ['93203', `${92 + n}203`],
];

/** The first school's relative 9310201 entered twice (a likely duplicate pair). */
function withDuplicate(dir: string): void {
  const file = (part: string) =>
    join(
      dir,
      readdirSync(dir).find((n) => n.includes(part))!,
    );
  const rel = file('_PersRelEleve_0000');
  const text = readFileSync(rel, 'utf8');
  const block =
    /<addRequest>(?:(?!<\/addRequest>)[\s\S])*?<id>9310201<\/id>[\s\S]*?<\/addRequest>/.exec(
      text,
    )![0];
  writeFileSync(
    rel,
    text.replace('</ficAlimMENESR>', `${block.replaceAll('9310201', '9310299')}\n</ficAlimMENESR>`),
  );
  const eleve = file('_Eleve_0000');
  writeFileSync(
    eleve,
    readFileSync(eleve, 'utf8').replace(
      '<value>9310201$10$1$1$0$0</value>',
      '<value>9310299$10$1$1$0$0</value>',
    ),
  );
}

/** The figures per establishment as the whole-directory statements give them. */
async function wholeDirectory(db: Kysely<Database>) {
  const all = (await db.selectFrom('structure').select('jointure').execute()).map(
    (s) => s.jointure,
  );
  const byStructure = (rows: readonly { s: string; n: number }[]) =>
    new Map(rows.map((r) => [r.s, r.n]));
  const active = await sql<{ s: string; n: number }>`
    select ps.structure_jointure as s, count(*)::int as n
    from person_structure ps join person p on p.jointure = ps.person_jointure and p.state = 'active'
    group by 1`.execute(db);
  const accounts = await sql<{ s: string; n: number }>`
    select ps.structure_jointure as s, count(*)::int as n
    from person_structure ps join person r on r.jointure = ps.person_jointure
    where r.category = 'relative' and r.state = 'active' and r.has_account
    group by 1`.execute(db);
  const contacts = await sql<{ s: string; n: number }>`
    select ps.structure_jointure as s, count(distinct rl.relative_jointure)::int as n
    from person r
    join relative_link rl on rl.relative_jointure = r.jointure
    join person pu on pu.jointure = rl.pupil_jointure and pu.category = 'pupil'
      and pu.state = 'active'
    join person_structure ps on ps.person_jointure = pu.jointure
    where not r.has_account
    group by 1`.execute(db);
  t.equal(await personAccessFor(db, all), 'join', 'every establishment: one pass over persons');
  return {
    active: byStructure(active.rows),
    accounts: byStructure(accounts.rows),
    contacts: byStructure(contacts.rows),
    duplicates: await countDuplicateRelatives(db, all),
  };
}

t.test("a delta's report counts what the whole-directory statements count", async (t) => {
  const h = await harness(t);
  const first = t.testdir();
  variant(first, { from: '2d', pick: 'Complet' });
  for (const n of [2, 3, 4, 5])
    variant(first, { from: '2d', pick: 'Complet', replace: school(n), chunk: n - 1 });
  withDuplicate(first);
  const complete = (await h.ingest(first)).imports[0]!;
  t.equal(complete.status, 'applied');
  t.equal(complete.establishments.length, 5);

  const before = await wholeDirectory(h.db);
  t.equal(await personAccessFor(h.db, ['910001']), 'lookup', 'one of five: look-ups');
  // The sample delta: a pupil and its relative added, a pupil departed, one moved class, a
  // relative's phone changed; all in the first school.
  const { imports } = await h.ingest(
    variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta' }),
  );
  const delta = imports[0]!;
  t.equal(delta.status, 'applied');
  t.same(
    delta.establishments.map((e) => e.structure),
    ['910001'],
  );
  const after = await wholeDirectory(h.db);
  for (const e of delta.establishments) {
    const s = e.structure;
    t.equal(e.activeBefore, before.active.get(s) ?? 0, `${s}: active before the delta`);
    t.equal(e.duplicateRelatives, after.duplicates.get(s) ?? 0, `${s}: duplicate relatives`);
    t.equal(e.relativeAccounts, after.accounts.get(s) ?? 0, `${s}: relative accounts`);
    t.equal(e.relativeContacts, after.contacts.get(s) ?? 0, `${s}: contact-only relatives`);
  }
  const e = delta.establishments[0]!;
  t.ok(e.activeBefore > 0 && e.relativeAccounts > 0, 'figures that say something');
  // and they moved with the delta (the pupil of the duplicate pair departed)
  t.equal(complete.establishments.find((c) => c.structure === '910001')!.duplicateRelatives, 1);
  t.equal(e.duplicateRelatives, 0);
  t.equal(before.contacts.get('910001'), 1);
  t.equal(e.relativeContacts, 0);
  // the complete (every establishment: the plain join) says the same of the other schools
  for (const c of complete.establishments) {
    t.equal(c.relativeAccounts, after.accounts.get(c.structure) ?? 0);
    if (c.structure !== '910001') {
      t.equal(c.duplicateRelatives, after.duplicates.get(c.structure) ?? 0);
      t.equal(c.relativeContacts, after.contacts.get(c.structure) ?? 0);
    }
  }
});
