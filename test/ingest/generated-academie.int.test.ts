// End to end: a generated académie (with quirks and deltas) ingests into exactly the directory
// its manifest describes.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import {
  generateAcademie,
  type CompleteExpectation,
  type DeltaExpectation,
} from '@aaf-sync/generator';
import { DEFAULT_INGEST_SETTINGS, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

async function activeBy(db: Kysely<Database>): Promise<Record<string, number>> {
  const { rows } = await sql<{ k: string; n: number }>`
    select category as k, count(*)::int as n from person where state = 'active' group by category
    union all select 'teacher', count(*)::int from person where state = 'active' and profile = 'teacher'`.execute(
    db,
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

async function scalar(
  db: Kysely<Database>,
  query: ReturnType<typeof sql<{ n: number }>>,
): Promise<number> {
  return (await query.execute(db)).rows[0]!.n;
}

t.test('a generated académie ingests into what its manifest says', async (t) => {
  const out = t.testdir();
  const { manifest } = await generateAcademie({
    out,
    seed: 11,
    persons: 2500,
    deltas: 2,
    quirks: true,
  });
  const { db } = await testDb(t);
  const deps: IngestDeps = {
    db,
    log: silent,
    settings: { ...DEFAULT_INGEST_SETTINGS, holdMinDepartures: 1000 },
  };
  const xml = readdirSync(out).filter((n) => n.endsWith('.xml'));
  const complete = manifest.deliveries[0]!;
  const { imports } = await ingestPaths(
    deps,
    xml.filter((n) => n.includes('_Complet_')).map((n) => join(out, n)),
    { source: 'test' },
  );
  const report = imports[0]!;
  t.equal(report.status, 'applied');
  const e = complete.expected as CompleteExpectation;
  t.same(await activeBy(db), {
    pupil: e.persons.pupils,
    relative: e.persons.relatives,
    staff: e.persons.staff,
    teacher: e.persons.teachers,
  });
  for (const s of e.structures) {
    const pupils = await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from person p join person_structure ps
      on ps.person_jointure = p.jointure where ps.structure_jointure = ${s.jointure} and p.category = 'pupil'`,
    );
    t.equal(pupils, s.pupils, `${s.uai}: pupils`);
    const relatives = await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from person p join person_structure ps
      on ps.person_jointure = p.jointure where ps.structure_jointure = ${s.jointure} and p.category = 'relative'`,
    );
    // Only relatives legally responsible for a pupil hold an account and an establishment.
    t.equal(relatives, s.relativeAccounts, `${s.uai}: relative accounts`);
    const rep = report.establishments.find((x) => x.structure === s.jointure)!;
    t.equal(rep.uai, s.uai);
    t.equal(rep.relativeAccounts, s.relativeAccounts, `${s.uai}: relative accounts reported`);
    t.equal(rep.relativeContacts, s.relatives - s.relativeAccounts, `${s.uai}: contacts reported`);
  }
  t.equal(
    await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from class_group where kind = 'class'`,
    ),
    e.classes,
  );
  t.equal(
    await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from class_group where kind = 'group'`,
    ),
    e.groups,
  );
  t.equal(
    await scalar(db, sql<{ n: number }>`select count(*)::int as n from relative_link`),
    e.relativeLinks.total,
  );
  t.equal(
    await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from person
        where category = 'relative' and has_account`,
    ),
    e.persons.relativesLegal,
    'relative accounts: the legal relatives (codes 1 and 2)',
  );
  t.ok(
    await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from relative_link where legal = 2`,
    ),
    'the academy has personnes en charge (legal 2)',
  );
  t.ok(
    await scalar(
      db,
      sql<{ n: number }>`select count(*)::int as n from relative_link
        where legal = 0 and financial and not contact`,
    ),
    'and financial-only relatives',
  );
  t.equal(
    await scalar(db, sql<{ n: number }>`select count(*)::int as n from head_teacher`),
    e.headTeacherLinks,
  );
  t.equal(
    await scalar(db, sql<{ n: number }>`select count(*)::int as n from direction`),
    e.directionLinks,
  );
  t.equal(
    report.establishments.reduce((n, x) => n + x.staleTeachingLinks, 0),
    e.teachingLinks.stale,
    'stale teaching links',
  );
  for (const r of e.rejects) {
    t.equal(report.rejectsByCode[r.code] !== undefined, true, `reject ${r.code} reported`);
  }
  const births = e.quirks.find((q) => q.kind === 'impossible-birth-date');
  t.ok(births && births.count > 0, 'the academy has pupils born on 31 February');
  t.equal(
    report.warningsByCode.BIRTH_DATE_INVALID,
    births?.count,
    'each is kept with a warning, none rejected',
  );
  const dirOnly = e.quirks.find((q) => q.kind === 'dir-function-without-fonction-dir');
  t.ok(dirOnly && dirOnly.count > 0, 'heads whose DIR function alone says direction');
  t.same(
    (
      await sql<{ n: number }>`select count(distinct person_jointure)::int as n from direction
        where person_jointure = any(${dirOnly!.ids}::text[])`.execute(db)
    ).rows[0]!.n,
    dirOnly!.count,
    'each is in the direction (counted in directionLinks above)',
  );
  const unknown = e.quirks.find((q) => q.kind === 'unknown-structure-teaching');
  t.ok(unknown && unknown.count > 0, 'teachers of a class of a structure absent from the files');
  t.equal(
    report.warningsByCode.UNKNOWN_STRUCTURE,
    unknown!.count,
    'one UNKNOWN_STRUCTURE warning each; no link materialised (teaching links above)',
  );
  for (const f of report.files) {
    const o = f.outcomes;
    t.equal(
      o.created + o.updated + o.restored + o.unchanged + o.departed + o.rejected + o.held,
      f.records,
      `${f.name}: every record accounted for`,
    );
  }
  const expectedByCode: Record<string, number> = {};
  for (const r of e.rejects) expectedByCode[r.code] = (expectedByCode[r.code] ?? 0) + r.count;
  t.same(report.rejectsByCode, expectedByCode, 'rejects by code');
  t.ok(
    Object.values(report.files.find((f) => f.entity === 'PersRelEleve')!.unknownAttributes).length >
      0,
    'the unknown attribute is counted',
  );

  for (const delta of manifest.deliveries.slice(1)) {
    const date = delta.date.replace(/-/g, '');
    const files = xml.filter((n) => n.includes(`_Delta_${date}_`)).map((n) => join(out, n));
    const r = (await ingestPaths(deps, files, { source: 'test' })).imports[0]!;
    t.equal(r.status, 'applied', `delta ${delta.date}`);
    const after = (delta.expected as DeltaExpectation).after;
    const now = await activeBy(db);
    t.same(
      [now.pupil, now.relative, now.staff],
      [after.pupils, after.relatives, after.staff],
      `after delta ${delta.date}`,
    );
  }
});
