// The anonymised real AAF files of the ENT NG feeder (edificeio/entcore,
// feeder/src/test/resources/aaf-test/), imported whole: the report must account for every
// request of every file, checked against an independent count of the files. The files are
// another project's data: they are not in this repository. Point AAF_ENTNG_FIXTURES at a folder
// holding them (packages/ingest/README.md, "Tests"); without it the test is skipped.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { sql } from '@aaf-sync/db';
import { DEFAULT_INGEST_SETTINGS, ingestPaths, type IngestDeps } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';

// Read once at start, like every other setting of a test run (not a service setting: no config).
const folder = process.env.AAF_ENTNG_FIXTURES;

const CATEGORY: Readonly<Record<string, 'pupil' | 'relative' | 'staff'>> = {
  Eleve: 'pupil',
  PersRelEleve: 'relative',
  PersEducNat: 'staff',
};

interface FileCount {
  readonly entity: string;
  readonly requests: number;
  readonly adds: number;
  readonly ids: readonly string[];
}

/**
 * The independent count: requests per file by a plain scan of the text (no XML parser, no
 * engine code): `<addRequest>`, `<modifyRequest>`, `<deleteRequest>` and their `<id>`s.
 */
function scan(dir: string): Map<string, FileCount> {
  const out = new Map<string, FileCount>();
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.xml'))
    .sort()) {
    const text = readFileSync(join(dir, name), 'latin1');
    const entity = /_([A-Za-z]+)_\d+\.xml$/.exec(name)![1]!;
    const requests = text.match(/<(addRequest|modifyRequest|deleteRequest)>/g) ?? [];
    const ids = [...text.matchAll(/<identifier>\s*<id>([^<]*)<\/id>/g)].map((m) => m[1]!.trim());
    out.set(name, {
      entity,
      requests: requests.length,
      adds: requests.filter((r) => r === '<addRequest>').length,
      ids,
    });
  }
  return out;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

t.test(
  'the ENT NG anonymised fixtures: the report accounts for every record',
  { skip: folder ? false : 'AAF_ENTNG_FIXTURES is not set (folder of the ENT NG aaf-test files)' },
  async (t) => {
    const dir = folder!;
    const counted = scan(dir);
    t.ok(counted.size > 0, `XML files in ${dir}`);
    const { db } = await testDb(t);
    const deps: IngestDeps = {
      db,
      log: createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() })),
      settings: { ...DEFAULT_INGEST_SETTINGS },
    };
    const started = Date.now();
    const { imports } = await ingestPaths(deps, [dir], { source: 'test' });
    const seconds = (Date.now() - started) / 1000;
    t.equal(imports.length, 1, 'one delivery');
    const r = imports[0]!;
    t.equal(r.status, 'applied');

    // Every file read, each of its requests accounted for exactly once.
    t.same(r.files.map((f) => f.name).sort(), [...counted.keys()], 'every file is in the report');
    for (const f of r.files) {
      const c = counted.get(f.name)!;
      t.equal(f.records, c.requests, `${f.name}: records = requests in the file`);
      const o = f.outcomes;
      t.equal(
        o.created + o.updated + o.restored + o.unchanged + o.departed + o.rejected + o.held,
        c.requests,
        `${f.name}: created + updated + unchanged + rejected + held = requests`,
      );
    }

    // Per category: the files' outcomes, the establishments' lines and the directory agree.
    const byCategory: Record<string, { requests: number; kept: number; created: number }> = {};
    for (const f of r.files) {
      const category = CATEGORY[f.entity];
      if (!category) continue;
      const b = (byCategory[category] ??= { requests: 0, kept: 0, created: 0 });
      b.requests += counted.get(f.name)!.requests;
      b.kept += f.records - f.outcomes.rejected;
      b.created += f.outcomes.created;
    }
    const lines = [...r.establishments, ...(r.noEstablishment ? [r.noEstablishment] : [])];
    const { rows } = await sql<{ category: string; n: number }>`
      select category, count(*)::int as n from person group by category`.execute(db);
    const persons = Object.fromEntries(rows.map((x) => [x.category, x.n]));
    for (const [category, b] of Object.entries(byCategory)) {
      const fromLines = sum(
        lines.map((e) => e.byCategory[category as 'pupil' | 'relative' | 'staff'].created),
      );
      t.equal(fromLines, b.created, `${category}: establishments + no establishment = created`);
      t.equal(persons[category] ?? 0, b.created, `${category}: persons in the directory`);
      t.equal(b.kept, b.created, `${category}: a first import creates every kept record`);
    }
    t.equal(
      r.totals.created,
      sum(Object.values(byCategory).map((b) => b.created)),
      'totals.created: the persons',
    );

    // Structures, subjects and MEFs on their own lines.
    const refs = r.references!;
    const requestsOf = (entity: string) =>
      sum([...counted.values()].filter((c) => c.entity === entity).map((c) => c.requests));
    for (const [entity, line] of [
      ['EtabEducNat', refs.structures],
      ['MatiereEducNat', refs.subjects],
      ['MefEducNat', refs.mefs],
    ] as const) {
      t.equal(
        line.created + line.updated + line.unchanged + line.rejected,
        requestsOf(entity),
        `${entity}: the line accounts for every request`,
      );
    }
    t.equal(
      (await sql<{ n: number }>`select count(*)::int as n from structure`.execute(db)).rows[0]!.n,
      refs.structures.created,
    );

    // Rejects: those attributed to an establishment carry its UAI.
    const { rows: rejects } = await sql<{ n: number; attributed: number }>`
      select count(*)::int as n, count(uai)::int as attributed from import_reject`.execute(db);
    t.equal(rejects[0]!.n, r.totals.rejects, 'every reject stored');

    // The figures, for the record (the test report shows them).
    t.comment(
      JSON.stringify({
        seconds,
        files: r.files.length,
        requests: sum([...counted.values()].map((c) => c.requests)),
        byCategory,
        noEstablishment: r.noEstablishment
          ? {
              created: r.noEstablishment.created,
              byCategory: Object.fromEntries(
                Object.entries(r.noEstablishment.byCategory).map(([k, v]) => [k, v.created]),
              ),
            }
          : null,
        references: refs,
        establishments: r.establishments.length,
        rejectsByCode: r.rejectsByCode,
        rejectsAttributed: rejects[0]!.attributed,
        warningsByCode: r.warningsByCode,
      }),
    );
  },
);
