// The establishment scope of imports submitted through the API (issue 8): a key restricted to
// establishments never changes another one with a delivery, never gets another one's data in a
// dry-run report, and cannot submit a complete. The engine enforces it (packages/ingest,
// OUT_OF_SCOPE rejects); uploads are queued (202) and run by a real import worker.
import t, { type Test } from 'tap';
import {
  completeWithoutPupils,
  EST_A,
  EST_B,
  generatedDeliveries,
  importIdsOf,
  snapshotOf,
  submit,
  withEngine,
} from './deliveries.js';

t.test('imports submitted with a key of one establishment', async (t) => {
  const ctx = await withEngine(t);
  const { complete, delta } = await generatedDeliveries(t.testdir());
  const admin = await ctx.key(['admin']);
  t.equal((await submit(ctx, admin, complete)).statusCode, 202, 'the académie is imported');
  const baselineB = await snapshotOf(ctx.db, EST_B.jointure);
  const bPersons = baselineB.persons.map((p) => p.jointure);
  t.ok(bPersons.length > 50, 'B has persons to protect');
  /** Anything that names B: its UAI, its jointure, the jointure of one of its persons. */
  const namesB = (text: string) =>
    text.includes(EST_B.uai) ||
    text.includes(`"${EST_B.jointure}"`) ||
    bPersons.some((j) => text.includes(`"${j}"`));
  const writerA = await ctx.key(['imports:write', 'imports:read'], [EST_A.uai]);

  /**
   * What the key reads back of its upload: the import views must name nothing of B; its rejects
   * may name B's records only as its own refused records (OUT_OF_SCOPE: what it sent itself).
   */
  const readBack = async (t: Test, res: Awaited<ReturnType<typeof submit>>) => {
    const ids = importIdsOf(res);
    t.ok(ids.length > 0, 'the upload was queued as imports');
    let refused = 0;
    for (const id of ids) {
      const view = await ctx.get(writerA, `/v1/imports/${id}`);
      t.equal(view.statusCode, 200, view.body.slice(0, 200));
      t.notOk(namesB(view.body), `import ${id} names nothing of B`);
      const rejects = await ctx.get(writerA, `/v1/imports/${id}/rejects?limit=1000`);
      t.equal(rejects.statusCode, 200, rejects.body.slice(0, 200));
      for (const r of JSON.parse(rejects.body).items as { code: string; uai: string | null }[]) {
        if (r.code === 'OUT_OF_SCOPE') refused++;
        else t.notOk(namesB(JSON.stringify(r)), `reject ${r.code} names nothing of B`);
      }
    }
    t.ok(refused > 0, 'the records of B were refused as out of scope');
  };

  t.test('a dry run reports nothing of the other establishment', async (t) => {
    const res = await submit(ctx, writerA, delta, { dryRun: 'true' });
    t.equal(res.statusCode, 202, res.body.slice(0, 300));
    t.notOk(namesB(res.body), 'the answer names nothing of B');
    await readBack(t, res);
    // A dry run records its plans; the rows of B's directory must stay as they were.
    const { plans: _plans, ...directory } = await snapshotOf(ctx.db, EST_B.jointure);
    const { plans: _before, ...baseline } = baselineB;
    t.same(directory, baseline, "B's directory rows are unchanged");
  });

  t.test('a delta touching the other establishment leaves it unchanged', async (t) => {
    const res = await submit(ctx, writerA, delta);
    t.equal(res.statusCode, 202, res.body.slice(0, 300));
    await readBack(t, res);
    const { plans, ...directory } = await snapshotOf(ctx.db, EST_B.jointure);
    const { plans: plansBefore, ...baseline } = baselineB;
    t.same(directory, baseline, "B's directory rows are unchanged");
    // B's refused records are listed under a plan of B (so B's admins see the attempt): it
    // carries rejects only, no creation, update or departure.
    const ids = importIdsOf(res);
    const planned = await ctx.db
      .selectFrom('import_plan')
      .select(['counts', 'departures'])
      .where('import_id', 'in', ids)
      .where('structure_jointure', '=', EST_B.jointure)
      .execute();
    for (const p of planned) {
      t.equal(p.departures, 0, 'no departure planned for B');
      for (const k of ['created', 'updated', 'restored', 'departed'])
        t.notOk(p.counts[k], `no ${k} in B's plan`);
    }
    t.same(
      plans.filter((p) => plansBefore.some((b) => b.import_id === p.import_id)),
      plansBefore,
      "B's plans of the academy's imports unchanged",
    );
  });

  t.test('a complete is refused to a scoped key', async (t) => {
    const beforeA = await snapshotOf(ctx.db, EST_A.jointure);
    const beforeB = await snapshotOf(ctx.db, EST_B.jointure);
    const res = await submit(ctx, writerA, completeWithoutPupils(complete));
    t.equal(res.statusCode, 403, res.body.slice(0, 300));
    t.match(res.body, /INGEST_ERR_COMPLETE_NOT_ALLOWED/);
    t.same(await snapshotOf(ctx.db, EST_B.jointure), beforeB, 'B is unchanged');
    t.same(
      await snapshotOf(ctx.db, EST_A.jointure),
      beforeA,
      'A too (a complete is all or nothing)',
    );
  });

  t.test('the delta does touch the other establishment (control, unrestricted key)', async (t) => {
    const res = await submit(ctx, admin, delta);
    t.equal(res.statusCode, 202, res.body.slice(0, 300));
    t.notSame(await snapshotOf(ctx.db, EST_B.jointure), baselineB, 'B changed');
  });
});
