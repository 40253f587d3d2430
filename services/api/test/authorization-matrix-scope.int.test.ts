// The establishment scope of imports submitted through the API (issue 8): a key restricted to
// establishments never changes another one with a delivery, never gets another one's data in a
// dry-run report, and cannot submit a complete. The engine enforces it (packages/ingest,
// OUT_OF_SCOPE rejects); until that rule is merged these tests are marked `todo`: remove the
// TODO_UNTIL_ENGINE_SCOPE option below once it is.
import t from 'tap';
import {
  completeWithoutPupils,
  EST_A,
  EST_B,
  generatedDeliveries,
  snapshotOf,
  submit,
  withEngine,
} from './deliveries.js';

const TODO_UNTIL_ENGINE_SCOPE = { todo: 'needs the engine scope rule (OUT_OF_SCOPE, helper B1)' };

/** A permitted submit answers 200 (synchronous engine) or 202 (queued); a refusal is a 4xx. */
const SUBMIT_ANSWERS = [200, 202, 400, 403, 409, 422];

t.test('imports submitted with a key of one establishment', async (t) => {
  const ctx = await withEngine(t);
  const { complete, delta } = await generatedDeliveries(t.testdir());
  const admin = await ctx.key(['admin']);
  t.equal((await submit(ctx, admin, complete)).statusCode, 200, 'the académie is imported');
  const baselineB = await snapshotOf(ctx.db, EST_B.jointure);
  const bPersons = baselineB.persons.map((p) => p.jointure);
  t.ok(bPersons.length > 50, 'B has persons to protect');
  /** Anything that names B: its UAI, its jointure, the jointure of one of its persons. */
  const namesB = (text: string) =>
    text.includes(EST_B.uai) ||
    text.includes(`"${EST_B.jointure}"`) ||
    bPersons.some((j) => text.includes(`"${j}"`));
  const writerA = await ctx.key(['imports:write', 'imports:read'], [EST_A.uai]);

  t.test(
    'a dry run reports nothing of the other establishment',
    TODO_UNTIL_ENGINE_SCOPE,
    async (t) => {
      const res = await submit(ctx, writerA, delta, { dryRun: 'true' });
      t.ok(SUBMIT_ANSWERS.includes(res.statusCode), `${res.statusCode}: ${res.body.slice(0, 300)}`);
      t.notOk(namesB(res.body), 'no UAI, jointure or person of B in the report');
      // A dry run records its plans; the rows of B's directory must stay as they were.
      const { plans: _plans, ...directory } = await snapshotOf(ctx.db, EST_B.jointure);
      const { plans: _before, ...baseline } = baselineB;
      t.same(directory, baseline, "B's directory rows are unchanged");
    },
  );

  t.test(
    'a delta touching the other establishment leaves it unchanged',
    TODO_UNTIL_ENGINE_SCOPE,
    async (t) => {
      const res = await submit(ctx, writerA, delta);
      t.ok(SUBMIT_ANSWERS.includes(res.statusCode), `${res.statusCode}: ${res.body.slice(0, 300)}`);
      t.notOk(namesB(res.body), 'the answer names nothing of B');
      t.same(await snapshotOf(ctx.db, EST_B.jointure), baselineB, 'B is unchanged');
    },
  );

  t.test('a complete is refused to a scoped key', TODO_UNTIL_ENGINE_SCOPE, async (t) => {
    const beforeA = await snapshotOf(ctx.db, EST_A.jointure);
    const beforeB = await snapshotOf(ctx.db, EST_B.jointure);
    const res = await submit(ctx, writerA, completeWithoutPupils(complete));
    t.ok(
      res.statusCode >= 400 && res.statusCode < 500,
      `${res.statusCode}: ${res.body.slice(0, 300)}`,
    );
    t.same(await snapshotOf(ctx.db, EST_B.jointure), beforeB, 'B is unchanged');
    t.same(
      await snapshotOf(ctx.db, EST_A.jointure),
      beforeA,
      'A too (a complete is all or nothing)',
    );
  });

  t.test('the delta does touch the other establishment (control, unrestricted key)', async (t) => {
    const res = await submit(ctx, admin, delta);
    t.equal(res.statusCode, 200, res.body.slice(0, 300));
    t.notSame(await snapshotOf(ctx.db, EST_B.jointure), baselineB, 'B changed');
  });
});
