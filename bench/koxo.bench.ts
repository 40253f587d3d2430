// Benchmark of KoXo CSV generation: `pnpm bench:koxo [--pupils 3000] [--teachers 200] [--runs 5]`.
// A lycée of its own database (dropped at the end): pupils in classes of 30 with two option
// groups each, teachers with teaching links, a `koxo` login each. Measures, in the same run:
// - `build`: building the complete files from the roster in memory (rows, quoting, BOM, sha256);
// - `bareCsv` (baseline): `join(';')` of the same rows, no quoting, no hash;
// - `regenerate`: the whole regeneration of the establishment as the driver runs it (roster query
//   in PostgreSQL, files, sealed storage, atomic write of files and manifests), a forced new
//   version each run (a surname changes), median of `runs`.
// Prints one JSON document on stdout. Not a timed test.
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createDb, sql } from '@aaf-sync/db';
import {
  buildKoxoFiles,
  KOXO_COLUMNS,
  koxoOptions,
  koxoRow,
  loadRoster,
  noInitialPasswords,
  regenerateEstablishment,
} from '@aaf-sync/koxo';
import { createSecretBox, createTarget, findTarget } from '@aaf-sync/targets';
import { seedStructure } from '@aaf-sync/testing';
import { benchDatabase } from './bench-lib.js';
import { frenchNameSampler } from './french-names.js';

const { values: args } = parseArgs({
  options: {
    pupils: { type: 'string', default: '3000' },
    teachers: { type: 'string', default: '200' },
    runs: { type: 'string', default: '5' },
  },
});
const PUPILS = Number(args.pupils);
const TEACHERS = Number(args.teachers);
const RUNS = Number(args.runs);
const UAI = '0350001A';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main() {
  const database = await benchDatabase('koxo', { keep: false });
  const handle = createDb({ url: database.url, poolMax: 2, applicationName: 'aaf-sync-bench' });
  const { db } = handle;
  const dir = await mkdtemp(join(tmpdir(), 'koxo-bench-'));
  try {
    const sampler = frenchNameSampler(20261205);
    await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Lycée' });
    const classes = Math.ceil(PUPILS / 30);
    await sql`
      insert into class_group (structure_jointure, kind, code, label)
      select 'S-A', 'class', 'C' || n, 'C' || n from generate_series(1, ${classes}) n
      union all
      select 'S-A', 'group', 'OPT' || n, 'OPT' || n from generate_series(1, 20) n
    `.execute(db);
    const people = [
      ...Array.from({ length: PUPILS }, (_, i) => ({ j: `P${i}`, p: 'pupil' })),
      ...Array.from({ length: TEACHERS }, (_, i) => ({ j: `T${i}`, p: 'teacher' })),
    ];
    const names = people.map(() => sampler.next());
    await sql`
      insert into person (jointure, category, profile, level, given_name, sn, birth_date,
        attributes, record_hash, primary_structure)
      select j, case when p = 'pupil' then 'pupil' else 'staff' end, p, '2d', g, s,
        date '2008-01-01' + (row_number() over ())::int % 700, '{}', 'h', 'S-A'
      from unnest(${sql.val(people.map((x) => x.j))}::text[], ${sql.val(people.map((x) => x.p))}::text[],
        ${sql.val(names.map((n) => n[0]))}::text[], ${sql.val(names.map((n) => n[1]))}::text[]) as t(j, p, g, s)
    `.execute(db);
    await sql`
      insert into person_structure (person_jointure, structure_jointure)
      select jointure, 'S-A' from person
    `.execute(db);
    await sql`
      insert into identifier (person_id, namespace, value, status, base)
      select id, 'koxo', 'u' || id, 'primary', 'u' from person
    `.execute(db);
    await sql`
      insert into membership (class_group_id, person_jointure)
      select c.id, p.jointure from person p
        join class_group c on c.kind = 'class'
          and c.code = 'C' || (1 + (substr(p.jointure, 2)::int / 30))
        where p.profile = 'pupil'
      union all
      select c.id, p.jointure from person p
        join class_group c on c.kind = 'group'
          and c.code in ('OPT' || (1 + substr(p.jointure, 2)::int % 20),
                         'OPT' || (1 + (substr(p.jointure, 2)::int + 7) % 20))
        where p.profile = 'pupil'
    `.execute(db);
    await sql`
      insert into teaching_link (person_jointure, structure_jointure, kind, code)
      select p.jointure, 'S-A', 'class', 'C' || (1 + (substr(p.jointure, 2)::int + k) % ${classes})
        from person p, generate_series(0, 4) k where p.profile = 'teacher'
    `.execute(db);

    const box = createSecretBox(Buffer.alloc(32, 3).toString('base64'));
    await createTarget(
      db,
      box,
      {
        kind: 'koxo',
        name: 'bench',
        uais: [UAI],
        options: { exportDir: dir },
      },
      'bench',
    );
    const row = await findTarget(db, 'bench');
    const options = koxoOptions(row);
    const roster = await loadRoster(db, UAI);
    const rows = roster.length;

    const buildMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      let t0 = performance.now();
      buildKoxoFiles(UAI, roster, options, new Map());
      buildMs.push(performance.now() - t0);
      const plain = roster.map((e) => koxoRow(e, UAI, null));
      t0 = performance.now();
      const lines = [KOXO_COLUMNS.join(';')];
      for (const r of plain) lines.push(KOXO_COLUMNS.map((c) => r[c]).join(';'));
      lines.join('\r\n');
      bareMs.push(performance.now() - t0);
    }

    const regenMs: number[] = [];
    const deps = { db, box, initialPasswords: noInitialPasswords };
    const ref = { id: Number(row.id), name: row.name };
    for (let i = 0; i < RUNS; i++) {
      await sql`update person set sn = sn || 'x' where jointure = 'P0'`.execute(db);
      const t0 = performance.now();
      const outcome = await regenerateEstablishment(deps, ref, options, UAI);
      regenMs.push(performance.now() - t0);
      if (outcome.status !== 'published') throw new Error(`unexpected ${outcome.status}`);
    }
    const t0 = performance.now();
    const unchanged = await regenerateEstablishment(deps, ref, options, UAI);
    const unchangedMs = performance.now() - t0;

    const perSecond = (ms: number) => Math.round(rows / (ms / 1000));
    console.log(
      JSON.stringify(
        {
          pupils: PUPILS,
          teachers: TEACHERS,
          rows,
          runs: RUNS,
          build: {
            medianMs: +median(buildMs).toFixed(1),
            rowsPerSecond: perSecond(median(buildMs)),
          },
          bareCsv: {
            medianMs: +median(bareMs).toFixed(1),
            rowsPerSecond: perSecond(median(bareMs)),
          },
          regenerate: {
            medianMs: +median(regenMs).toFixed(1),
            rowsPerSecond: perSecond(median(regenMs)),
          },
          unchangedRegenerateMs: +unchangedMs.toFixed(1),
          unchangedStatus: unchanged.status,
          loadAverage: loadavg()[0],
        },
        null,
        2,
      ),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await handle.close();
    await database.drop();
  }
}

await main();
