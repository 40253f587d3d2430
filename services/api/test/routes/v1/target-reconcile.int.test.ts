import t from 'tap';
import { sql } from '@aaf-sync/db';
import { seedIdentifier, seedPerson, seedStructure } from '@aaf-sync/testing';
import { body, build } from '../../helper.js';

const A = '0750001A';
const B = '0750002B';

t.test('POST /v1/targets/{name}/reconcile: dry run, marks, scope, errors', async (t) => {
  const ctx = await build(t);
  const { db } = ctx;
  const admin = await ctx.key(['admin']);
  const adminA = await ctx.key(['admin'], [A]);
  await seedStructure(db, { jointure: 'S-A', uai: A, name: 'Collège A' });
  await seedStructure(db, { jointure: 'S-B', uai: B, name: 'Collège B' });
  for (const [j, s] of [
    ['P1', 'S-A'],
    ['P2', 'S-B'],
  ] as const) {
    const id = await seedPerson(db, {
      jointure: j,
      category: 'pupil',
      givenName: j,
      sn: 'Sn',
      structures: [s],
    });
    await seedIdentifier(db, { personId: id, namespace: 'scribe', value: j.toLowerCase() });
  }
  const post = (token: string, url: string, payload?: object) =>
    ctx.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload ? { payload } : {}),
    });
  t.equal(
    (await post(admin, '/v1/targets', { kind: 'noop', name: 'n', uais: [A, B] })).statusCode,
    201,
  );
  // As if the worker had applied both accounts.
  await sql`update provisioning set status = 'applied', applied_version = desired_version,
    present = true, target_key = (select lower(jointure) from person where id = person_id)`.execute(
    db,
  );
  const rows = async () =>
    JSON.stringify(
      (await sql`select xmin::text as x, * from provisioning order by person_id`.execute(db)).rows,
    );

  let before = await rows();
  const clean = await post(admin, '/v1/targets/n/reconcile');
  t.equal(clean.statusCode, 200, clean.body);
  t.match(body(clean), { dryRun: false, marked: 0, totals: { inSync: 2 }, inventory: false });
  t.equal(await rows(), before, 'nothing differs: nothing written');

  await sql`delete from person_structure where person_jointure = 'P2'`.execute(db);
  before = await rows();
  const dry = await post(admin, '/v1/targets/n/reconcile?dryRun=true');
  t.match(body(dry), {
    dryRun: true,
    marked: 0,
    differences: [{ jointure: 'P2', action: 'disable', key: 'p2', uai: null }],
  });
  t.equal(await rows(), before, 'a dry run writes nothing');
  t.match(body(await post(admin, `/v1/targets/n/reconcile?uai=${A}`)), {
    uais: [A],
    marked: 0,
    totals: { inSync: 1 },
  });
  t.match(body(await post(admin, '/v1/targets/n/reconcile')), { marked: 1 });
  const p2 = await sql<{ status: string }>`
    select status from provisioning where person_id = (select id from person where jointure = 'P2')
  `.execute(db);
  t.equal(p2.rows[0]!.status, 'pending');

  t.match(body(await post(admin, '/v1/targets/n/reconcile?uai=0999999Z')), {
    code: 'TARGETS_ERR_NOT_SERVED',
  });
  t.match(body(await post(admin, '/v1/targets/n/reconcile?dryRun=yes')), {
    code: 'API_ERR_VALIDATION',
  });
  t.equal((await post(adminA, '/v1/targets/n/reconcile')).statusCode, 404, 'it serves B too');
  const audit = await db
    .selectFrom('audit_log')
    .select('details')
    .where('action', '=', 'targets.reconcile')
    .orderBy('id')
    .execute();
  t.equal(
    audit.filter((a) => (a.details as { marked?: number }).marked === 1).length,
    1,
    'the request that set a row pending is audited with its count',
  );
});
