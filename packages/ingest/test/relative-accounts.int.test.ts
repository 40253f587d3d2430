import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from '@aaf-sync/db';
import { IdentifierAllocator, namespaceRules } from '@aaf-sync/identifiers';
import t from 'tap';
import { ingestPaths, type IngestDeps, type IngestSettings } from '../src/index.js';
import { harness, variant } from './helpers.js';

type Tap = Parameters<typeof harness>[0] & { readonly testdirName: string };

// In the 2D sample, pupil 9300101 has a mother (9310201, legal 1), a father (9310202, legal 1)
// and a contact-only relative (9310203: `$38$0$0$1$0`, legal 0, contact 1).
const RULES = namespaceRules({ namespaces: ['educonnect'], numberStart: 1 });

async function engine(t: Tap, settings: Partial<IngestSettings> = {}) {
  const h = await harness(t, settings);
  const deps: IngestDeps = {
    ...h.deps,
    identifiers: (trx) => new IdentifierAllocator(trx, RULES, { events: false }),
  };
  return {
    db: h.db,
    ingest: (dir: string) => ingestPaths(deps, [dir], { source: 'test' }),
  };
}

type Engine = Awaited<ReturnType<typeof engine>>;

async function relative(e: Pick<Engine, 'db'>, jointure: string) {
  const { rows } = await sql<{
    has_account: boolean;
    version: number;
    structures: number;
    identifiers: number;
    links: { legal: number | null; contact: boolean | null }[];
  }>`
    select p.has_account, p.version,
      (select count(*)::int from person_structure ps where ps.person_jointure = p.jointure) as structures,
      (select count(*)::int from identifier i where i.person_id = p.id) as identifiers,
      (select coalesce(jsonb_agg(jsonb_build_object('legal', rl.legal, 'contact', rl.contact)), '[]')
        from relative_link rl where rl.relative_jointure = p.jointure) as links
    from person p where p.jointure = ${jointure}`.execute(e.db);
  return rows[0]!;
}

async function lastEvent(e: Engine, jointure: string) {
  const { rows } = await sql<{ op: string; changes: Record<string, unknown> }>`
    select op, changes from change_event where entity_key = ${jointure} order by seq desc limit 1
  `.execute(e.db);
  return rows[0]!;
}

/** A delta changing the relatives of pupil 9300101. */
function relativesDelta(dir: string, date: string, values: string[]): string {
  const folder = join(dir, date);
  variant(folder, { from: '2d', pick: 'Delta', omit: ['Eleve', 'PersRelEleve'] });
  const body = values.map((v) => `<value>${v}</value>`).join('');
  writeFileSync(
    join(folder, `ENT_TEST_Delta_${date}_Eleve_0000.xml`),
    `<?xml version="1.0" encoding="UTF-8"?>
<ficAlimMENESR>
<modifyRequest>
<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
<identifier><id>9300101</id></identifier>
<modifications>
<modification name="ENTElevePersRelEleve" operation="replace">${body}</modification>
</modifications>
</modifyRequest>
</ficAlimMENESR>
`,
  );
  return folder;
}

t.test('only legal relatives hold an account; a contact stays on the pupil record', async (t) => {
  const e = await engine(t);
  const { imports } = await e.ingest(
    variant(join(t.testdirName, 'c'), { from: '2d', pick: 'Complet' }),
  );
  t.equal(imports[0]!.status, 'applied');

  for (const legal of ['9310201', '9310202']) {
    const r = await relative(e, legal);
    t.equal(r.has_account, true, `${legal} holds an account`);
    t.equal(r.structures, 1, `${legal} belongs to the establishment`);
    t.equal(r.identifiers, 1, `${legal} has its identifier`);
  }
  const contact = await relative(e, '9310203');
  t.equal(contact.has_account, false, 'the contact-only relative holds no account');
  t.equal(contact.structures, 0, 'no establishment membership');
  t.equal(contact.identifiers, 0, 'no identifier allocated');
  t.same(contact.links, [{ legal: 0, contact: true }], 'kept as a contact with its flags');
  const created = await lastEvent(e, '9310203');
  t.equal(created.op, 'created');
  t.match(created.changes, { after: { hasAccount: false, identifiers: {} } });
  const est = imports[0]!.establishments[0]!;
  t.equal(est.relativeAccounts, 2, 'the establishment counts two relative accounts');
  t.equal(est.relativeContacts, 1, 'and one contact');
});

t.test('a contact who becomes legal gains an account, and loses it like a departure', async (t) => {
  const e = await engine(t);
  const root = t.testdirName;
  await e.ingest(variant(join(root, 'c'), { from: '2d', pick: 'Complet' }));

  const legal = ['9310201$10$1$1$1$0', '9310202$20$1$1$0$0'];
  const up = await e.ingest(relativesDelta(root, '20240912', [...legal, '9310203$38$0$1$1$0']));
  t.equal(up.imports[0]!.status, 'applied');
  let r = await relative(e, '9310203');
  t.equal(r.has_account, true, 'legal now: account');
  t.equal(r.structures, 1, 'member of the pupil establishment');
  t.equal(r.identifiers, 1, 'identifier allocated at that moment');
  let ev = await lastEvent(e, '9310203');
  t.equal(ev.op, 'updated');
  t.match(ev.changes, {
    fields: { hasAccount: [false, true], identifiers: [{}, { educonnect: /./ }] },
  });

  const down = await e.ingest(relativesDelta(root, '20240913', [...legal, '9310203$38$0$0$1$0']));
  t.equal(down.imports[0]!.status, 'applied');
  r = await relative(e, '9310203');
  t.equal(r.has_account, false, 'contact again: no account');
  t.equal(r.structures, 0, 'establishment membership removed');
  t.equal(r.identifiers, 1, 'the identifier stays reserved');
  ev = await lastEvent(e, '9310203');
  t.match(ev.changes, { fields: { hasAccount: [true, false], structures: [['910001'], []] } });
});

t.test('RELATIVE_ACCOUNT_LEGAL_CODES=1: a personne en charge (2) is a contact', async (t) => {
  const dir = variant(join(t.testdirName, 'c'), {
    from: '2d',
    pick: 'Complet',
    replace: [['9310202$20$1$1$0$0', '9310202$20$1$2$0$0']],
  });
  const strict = await engine(t, { relativeAccountLegalCodes: [1] });
  await strict.ingest(dir);
  t.equal((await relative(strict, '9310202')).has_account, false, 'codes 1: no account');
  const byDefault = await engine(t);
  await byDefault.ingest(dir);
  t.equal((await relative(byDefault, '9310202')).has_account, true, 'codes 1,2: account');
});

t.test(
  'a new RELATIVE_ACCOUNT_LEGAL_CODES applies at the next import to every relative',
  async (t) => {
    const h = await harness(t);
    const withCodes = (codes: number[]) => {
      const deps: IngestDeps = {
        ...h.deps,
        settings: { ...h.deps.settings, relativeAccountLegalCodes: codes },
        identifiers: (trx) => new IdentifierAllocator(trx, RULES, { events: false }),
      };
      return async (dir: string) => {
        const r = (await ingestPaths(deps, [dir], { source: 'test' })).imports[0]!;
        t.equal(r.status, 'applied');
        return r;
      };
    };
    // 9310202 is "personne en charge" (2) of both pupils; the same complete, day after day.
    const complete = (date: string) =>
      variant(join(t.testdirName, date), {
        from: '2d',
        pick: 'Complet',
        date,
        replace: [['9310202$20$1$1$0$0', '9310202$20$1$2$0$0']],
      });
    const e = { db: h.db };
    await withCodes([1, 2])(complete('20240907'));
    const first = await relative(e, '9310202');
    t.match(first, { has_account: true, structures: 1 });
    t.ok(first.identifiers > 0);

    // The operator sets RELATIVE_ACCOUNT_LEGAL_CODES=1: the next import, whose records are all
    // unchanged, takes the account like a lost legal link.
    const strict = await withCodes([1])(complete('20240908'));
    t.match(await relative(e, '9310202'), { has_account: false, structures: 0 });
    t.equal(strict.establishments[0]!.relativeAccounts, 1, 'one relative account left');
    const { rows: events } = await sql<{ changes: { fields: Record<string, unknown> } }>`
    select changes from change_event
    where import_id = ${strict.importId} and entity_key = '9310202'`.execute(h.db);
    t.match(events, [{ changes: { fields: { hasAccount: [true, false] } } }], 'one event says so');
    t.match(await relative(e, '9310201'), { has_account: true }, 'the legal (1) keeps its own');

    // The same codes again: nothing to recompute; back to 1,2: the account comes back, with the
    // identifiers it held.
    const same = await withCodes([1])(complete('20240909'));
    t.equal(
      (
        await sql<{ n: number }>`select count(*)::int as n from change_event
        where import_id = ${same.importId}`.execute(h.db)
      ).rows[0]!.n,
      0,
      'unchanged codes, unchanged files: no event',
    );
    await withCodes([1, 2])(complete('20240910'));
    t.match(await relative(e, '9310202'), {
      has_account: true,
      structures: 1,
      identifiers: first.identifiers,
    });
  },
);
