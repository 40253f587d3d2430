import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sql } from '@aaf-sync/db';
import { findTarget, reconcileBatch } from '@aaf-sync/targets';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import {
  approveSnapshot,
  discardSnapshot,
  heldSnapshots,
  koxoOptions,
  listPublishedFiles,
  type InitialPasswords,
} from '../src/index.js';
import {
  UAI,
  box,
  exportDir,
  itemsFor,
  koxoTarget,
  personIds,
  seedPupil,
  seedSchool,
} from './fixtures.js';

const csvRows = async (dir: string, name: string) =>
  (await readFile(join(dir, name), 'utf8')).slice(1).split('\r\n').slice(1, -1);

/** Initial passwords made up by this test (packages/credentials plugs in the same way). */
const passwords = (): InitialPasswords => ({
  forNew: (_db, _target, accounts) =>
    Promise.resolve(new Map(accounts.map((a) => [a.personId, `Init-${a.personId};x`]))),
  published: () => Promise.resolve(),
});

t.test(
  'the reconcile loop publishes complete files; initial passwords only at creation',
  async (t) => {
    const { db } = await testDb(t);
    const dir = await exportDir(t);
    await seedSchool(db);
    const { target, driver } = await koxoTarget(db, dir, { initialPasswords: passwords });
    while ((await reconcileBatch(db, target, driver, { batchSize: 100 })).taken > 0);

    const rows = await db.selectFrom('provisioning').selectAll().orderBy('person_id').execute();
    t.equal(rows.length, 5);
    t.ok(
      rows.every((r) => r.status === 'applied'),
      'every account applied',
    );
    t.same(
      rows.map((r) => r.target_key),
      ['ep1', 'ep2', 'ep3', 'ep4', 'jprof'],
    );

    const names = (await readdir(dir)).sort();
    t.same(
      names,
      [
        `${UAI}-pupil.csv`,
        `${UAI}-pupil.manifest.json`,
        `${UAI}-staff.csv`,
        `${UAI}-staff.manifest.json`,
        `${UAI}-teacher.csv`,
        `${UAI}-teacher.manifest.json`,
      ],
      'three files and their manifests, no temporary file left',
    );
    const pupils = await csvRows(dir, `${UAI}-pupil.csv`);
    t.equal(pupils.length, 4);
    t.match(
      pupils[0],
      /^;Nom-P1;Élève;2010-01-02;P1;3A;;;;;;0350001A;Eleve;"Init-\d+;x";LATIN;ep1$/,
    );
    const teacher = await csvRows(dir, `${UAI}-teacher.csv`);
    t.match(teacher[0], /^M\.;Prof;Jean;;T1;ENSEIGNANTS;.*;EQUIPE-3A;jprof$/);

    const manifest = JSON.parse(await readFile(join(dir, `${UAI}-pupil.manifest.json`), 'utf8'));
    const bytes = await readFile(join(dir, `${UAI}-pupil.csv`));
    t.match(manifest, {
      file: `${UAI}-pupil.csv`,
      target: 'koxo-a',
      uai: UAI,
      primaryGroup: 'ELEVES',
      snapshotVersion: 1,
      rows: 4,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    t.type(manifest.eventSeq, 'number');

    // A new pupil: the next file carries only its password; the others are not sent again.
    const p5 = await seedPupil(db, 'P5');
    const results = await driver.apply(await itemsFor(db, driver, [p5]));
    t.same(results, [{ personId: p5, ok: true, key: 'ep5' }]);
    const next = await csvRows(dir, `${UAI}-pupil.csv`);
    t.equal(next.length, 5, 'the file stays complete');
    t.equal(next.filter((l) => l.includes('Init-')).length, 1, 'one password');
    t.match(next[4], new RegExp(`;"Init-${p5};x";`));

    // Nothing changed: no new version.
    await driver.apply(await itemsFor(db, driver, [p5]));
    const versions = await db.selectFrom('koxo_snapshot').select('version').execute();
    t.same(
      versions.map((v) => v.version).sort(),
      [1, 2],
      'an unchanged regeneration makes no version',
    );
  },
);

t.test(
  'shrink guard: a snapshot losing more than the threshold is held, then approved or discarded',
  async (t) => {
    const { db } = await testDb(t);
    const dir = await exportDir(t);
    await seedSchool(db);
    const { target, driver } = await koxoTarget(db, dir, {}, { shrinkThreshold: 0.3 });
    const ids = await personIds(db);
    await driver.apply(await itemsFor(db, driver, ids));
    const before = await readFile(join(dir, `${UAI}-pupil.csv`));

    // One pupil of four leaves (25 % ≤ 30 %): published.
    await sql`update person set state = 'departed' where jointure = 'P4'`.execute(db);
    let results = await driver.apply(await itemsFor(db, driver, ids));
    t.ok(
      results.every((r) => r.ok),
      'within the threshold',
    );
    t.equal((await csvRows(dir, `${UAI}-pupil.csv`)).length, 3);

    // Two of the three remaining leave (67 %): held, nothing written, the accounts fail with why.
    await sql`update person set state = 'departed' where jointure in ('P2', 'P3')`.execute(db);
    const served = await readFile(join(dir, `${UAI}-pupil.csv`));
    results = await driver.apply(await itemsFor(db, driver, ids));
    t.ok(
      results.every((r) => !r.ok),
      'every account of the establishment waits',
    );
    t.match(results[0], { ok: false, error: /held for approval: 0350001A-pupil\.csv 3 → 1 rows/ });
    t.ok((await readFile(join(dir, `${UAI}-pupil.csv`))).equals(served), 'the folder is untouched');
    const ref = { id: target.id, name: target.name };
    t.match(await listPublishedFiles(db, ref, null), [
      { snapshotVersion: 2 },
      { snapshotVersion: 2 },
      { snapshotVersion: 2 },
    ]);
    const [held] = await heldSnapshots(db, target.id, null);
    t.match(held, { uai: UAI, version: 3, status: 'held' });

    // Retried unchanged: still the same held version (no churn).
    await driver.apply(await itemsFor(db, driver, ids));
    t.equal((await heldSnapshots(db, target.id, null)).length, 1);

    // Discarded: never published; the previous files stay served.
    await discardSnapshot({ db, box }, ref, UAI, 3, 'op:alice');
    t.equal((await heldSnapshots(db, target.id, null)).length, 0);
    t.ok((await readFile(join(dir, `${UAI}-pupil.csv`))).equals(served));
    await t.rejects(discardSnapshot({ db, box }, ref, UAI, 3, 'op:alice'), {
      code: 'KOXO_ERR_SNAPSHOT_NOT_HELD',
    });

    // Regenerated (held again), then approved: written as generated.
    results = await driver.apply(await itemsFor(db, driver, ids));
    t.notOk(results[0]?.ok);
    const [again] = await heldSnapshots(db, target.id, null);
    t.equal(again?.version, 4);
    const options = koxoOptions(await findTargetOptions(db));
    await approveSnapshot({ db, box }, ref, options, UAI, 4, 'op:alice');
    t.equal((await csvRows(dir, `${UAI}-pupil.csv`)).length, 1, 'published after approval');
    t.notOk((await readFile(join(dir, `${UAI}-pupil.csv`))).equals(before));
    results = await driver.apply(await itemsFor(db, driver, ids));
    t.ok(
      results.every((r) => r.ok),
      'the accounts apply once approved',
    );
    await t.rejects(approveSnapshot({ db, box }, ref, options, UAI, 99, 'op:alice'), {
      code: 'KOXO_ERR_SNAPSHOT_NOT_FOUND',
    });
  },
);

async function findTargetOptions(db: Parameters<typeof findTarget>[0]) {
  const row = await findTarget(db, 'koxo-a');
  return { name: row.name, options: row.options };
}

t.test('atomic publish: a folder that cannot be written leaves no published version', async (t) => {
  const { db } = await testDb(t);
  const dir = await exportDir(t);
  const notADir = join(dir, 'file');
  await writeFile(notADir, 'x');
  await seedSchool(db);
  const { driver } = await koxoTarget(db, notADir);
  t.match(await driver.test(), { ok: false });
  await t.rejects(driver.apply(await itemsFor(db, driver, await personIds(db))), {
    code: 'KOXO_ERR_PUBLISH_FAILED',
  });
  const snapshots = await db.selectFrom('koxo_snapshot').selectAll().execute();
  t.equal(snapshots.length, 0, 'rolled back with the failed write');
  t.same((await readdir(dir)).sort(), ['file'], 'no temporary file left');
});

t.test(
  'a login over 20 characters is a per-account failure, the file is written without it',
  async (t) => {
    const { db } = await testDb(t);
    const dir = await exportDir(t);
    await seedSchool(db);
    await sql`update identifier set value = 'abcdefghijklmnopqrstu' where value = 'ep2'`.execute(
      db,
    );
    const { driver } = await koxoTarget(db, dir);
    const results = await driver.apply(await itemsFor(db, driver, await personIds(db)));
    const failed = results.filter((r) => !r.ok);
    t.equal(failed.length, 1);
    t.match(failed[0], { error: /abcdefghijklmnopqrstu has 21 characters; the limit is 20/ });
    t.equal((await csvRows(dir, `${UAI}-pupil.csv`)).length, 3);
  },
);

t.test('removing the target removes its snapshots, files and published accounts', async (t) => {
  const { db } = await testDb(t);
  const dir = await exportDir(t);
  await seedSchool(db);
  const { driver } = await koxoTarget(db, dir);
  await driver.apply(await itemsFor(db, driver, await personIds(db)));
  t.ok((await db.selectFrom('koxo_account').selectAll().execute()).length > 0);
  await db.deleteFrom('target').execute();
  for (const table of ['koxo_snapshot', 'koxo_file', 'koxo_account'] as const) {
    t.equal((await db.selectFrom(table).selectAll().execute()).length, 0, `${table} empty`);
  }
});
