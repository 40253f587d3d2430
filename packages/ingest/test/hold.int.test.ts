import { join } from 'node:path';
import t, { type Test } from 'tap';
import { decideHeldPlan } from '../src/index.js';
import { harness, SECOND_SCHOOL, variant, type Harness } from './helpers.js';

const settings = { holdThresholdPercent: 10, holdMinDepartures: 1 };

/** Two schools imported by a first complete; returns the folder maker for later deliveries. */
async function twoSchools(t: Test, h: Harness) {
  const first = t.testdir();
  variant(first, { from: '2d', pick: 'Complet' });
  variant(first, { from: '2d', pick: 'Complet', replace: SECOND_SCHOOL, chunk: 1 });
  const r = await h.ingest(first);
  t.equal(r.imports[0]!.status, 'applied');
  return (name: string, date: string, omitSecondPupils: boolean) => {
    const dir = join(t.testdirName, name);
    variant(dir, { from: '2d', pick: 'Complet', date });
    variant(dir, {
      from: '2d',
      pick: 'Complet',
      date,
      replace: SECOND_SCHOOL,
      chunk: 1,
      omit: omitSecondPupils ? ['Eleve'] : [],
    });
    return dir;
  };
}

const stateOf = async (h: Harness, jointure: string) =>
  (
    await h.db
      .selectFrom('person')
      .select('state')
      .where('jointure', '=', jointure)
      .executeTakeFirstOrThrow()
  ).state;

t.test('an establishment losing too many persons is held; the others are applied', async (t) => {
  const h = await harness(t, settings);
  const next = await twoSchools(t, h);
  // The second school's pupils are missing (as in a truncated export), and a teacher of the
  // first school changed name: the first school goes through, the second is held.
  const dir = next('c14', '20240914', true);
  const { imports } = await h.ingest(dir);
  const r = imports[0]!;
  t.equal(r.status, 'partially_held');
  const [a, b] = [
    r.establishments.find((e) => e.uai === '0990001N')!,
    r.establishments.find((e) => e.uai === '0990002P')!,
  ];
  t.equal(a.status, 'applied');
  t.equal(b.status, 'held');
  t.equal(b.departures, 2);
  t.ok(b.departureRatio > 0.1);
  t.equal(await stateOf(h, '9400101'), 'active', 'nothing of the held school was applied');
  t.equal(r.totals.held, 1);
});

t.test('approving a held plan applies exactly it', async (t) => {
  const h = await harness(t, settings);
  const next = await twoSchools(t, h);
  const { imports } = await h.ingest(next('c14', '20240914', true));
  const touched = () =>
    h.db
      .selectFrom('import_run')
      .select('uais_touched')
      .where('id', '=', imports[0]!.importId)
      .executeTakeFirstOrThrow();
  t.same(
    await touched(),
    { uais_touched: [] },
    'the first school had no change, the second is held',
  );
  const report = await decideHeldPlan(h.deps, {
    importId: imports[0]!.importId,
    uai: '0990002P',
    decision: 'approve',
    actor: 'test',
  });
  t.equal(report.status, 'applied');
  t.equal(report.establishments.find((e) => e.uai === '0990002P')!.status, 'approved');
  t.equal(await stateOf(h, '9400101'), 'departed');
  t.equal(await stateOf(h, '9400102'), 'departed');
  t.same(
    await touched(),
    { uais_touched: ['0990002P'] },
    'the approval records the school it changed',
  );
  const actor = await h.db
    .selectFrom('change_event')
    .select('actor')
    .where('entity_key', '=', '9400101')
    .where('op', '=', 'departed')
    .executeTakeFirstOrThrow();
  t.equal(actor.actor, 'test', 'the approval is attributed');
  await t.rejects(
    decideHeldPlan(h.deps, {
      importId: imports[0]!.importId,
      uai: '0990002P',
      decision: 'approve',
      actor: 'test',
    }),
    { code: 'INGEST_ERR_PLAN_NOT_FOUND' },
    'a plan is approved once',
  );
});

t.test('discarding a held plan leaves the establishment as it was', async (t) => {
  const h = await harness(t, settings);
  const next = await twoSchools(t, h);
  const { imports } = await h.ingest(next('c14', '20240914', true));
  const report = await decideHeldPlan(h.deps, {
    importId: imports[0]!.importId,
    uai: '0990002P',
    decision: 'discard',
    actor: 'test',
  });
  t.equal(report.establishments.find((e) => e.uai === '0990002P')!.status, 'discarded');
  t.equal(await stateOf(h, '9400101'), 'active');
  const items = await h.db
    .selectFrom('import_plan_item')
    .select('seq')
    .where('import_id', '=', imports[0]!.importId)
    .execute();
  t.same(items, [], 'the discarded plan is dropped');
});

t.test('a held plan cannot be approved once a newer import was applied', async (t) => {
  const h = await harness(t, settings);
  const next = await twoSchools(t, h);
  const { imports } = await h.ingest(next('c14', '20240914', true));
  // A small delta (a phone change and a new parent) applied after the hold.
  const delta = await h.ingest(
    variant(join(t.testdirName, 'delta'), {
      from: '2d',
      pick: 'Delta',
      date: '20240916',
      omit: ['Eleve'],
    }),
  );
  t.equal(delta.imports[0]!.status, 'applied');
  await t.rejects(
    decideHeldPlan(h.deps, {
      importId: imports[0]!.importId,
      uai: '0990002P',
      decision: 'approve',
      actor: 'test',
    }),
    { code: 'INGEST_ERR_DATA_MOVED' },
  );
  t.equal(await stateOf(h, '9400101'), 'active');
});

t.test('a newer complete supersedes a held plan', async (t) => {
  const h = await harness(t, settings);
  const next = await twoSchools(t, h);
  const { imports } = await h.ingest(next('c14', '20240914', true));
  const later = await h.ingest(next('c21', '20240921', false));
  t.equal(later.imports[0]!.status, 'applied');
  const plan = await h.db
    .selectFrom('import_plan')
    .select('status')
    .where('import_id', '=', imports[0]!.importId)
    .where('uai', '=', '0990002P')
    .executeTakeFirstOrThrow();
  t.equal(plan.status, 'superseded');
  await t.rejects(
    decideHeldPlan(h.deps, {
      importId: imports[0]!.importId,
      uai: '0990002P',
      decision: 'approve',
      actor: 'test',
    }),
    { code: 'INGEST_ERR_PLAN_NOT_FOUND' },
  );
});

t.test('a delta deleting too many persons of an establishment is held too', async (t) => {
  const h = await harness(t, settings);
  await twoSchools(t, h);
  const { imports } = await h.ingest(
    variant(join(t.testdirName, 'delta'), { from: '2d', pick: 'Delta', date: '20240916' }),
  );
  t.equal(imports[0]!.status, 'held', 'one pupil of eight leaving the first school exceeds 10 %');
  t.equal(await stateOf(h, '9300101'), 'active');
});

t.test('a dry run plans and holds but writes nothing to the directory', async (t) => {
  const h = await harness(t, settings);
  const next = await twoSchools(t, h);
  const events = await h.db
    .selectFrom('change_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const { imports } = await h.ingest(next('c14', '20240914', true), { dryRun: true });
  const r = imports[0]!;
  t.equal(r.status, 'dry_run');
  t.match(
    r.establishments.find((e) => e.uai === '0990002P'),
    { status: 'dry_run', overThreshold: true },
  );
  t.match(
    r.establishments.find((e) => e.uai === '0990001N'),
    { status: 'dry_run', overThreshold: false },
  );
  const after = await h.db
    .selectFrom('change_event')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  t.equal(Number(after.n), Number(events.n), 'no event');
  t.equal(await stateOf(h, '9400101'), 'active');
});
