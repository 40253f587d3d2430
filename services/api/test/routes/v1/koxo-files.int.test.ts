import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { koxoDriver } from '@aaf-sync/koxo';
import { createSecretBox, driverFor, findTarget, loadAccounts } from '@aaf-sync/targets';
import { seedIdentifier, seedPerson, seedStructure, type TeardownHost } from '@aaf-sync/testing';
import { sql } from '@aaf-sync/db';
import { body, build, type TestApp } from '../../helper.js';

const A = '0350001A';
const B = '0350002B';

async function setUp(t: TeardownHost, ctx: TestApp) {
  const dir = await mkdtemp(join(tmpdir(), 'koxo-api-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await seedStructure(ctx.db, { jointure: 'S-A', uai: A, name: 'Lycée A' });
  await seedStructure(ctx.db, { jointure: 'S-B', uai: B, name: 'Lycée B' });
  for (const [j, s] of [
    ['A1', 'S-A'],
    ['A2', 'S-A'],
    ['A3', 'S-A'],
    ['B1', 'S-B'],
  ] as const) {
    const id = await seedPerson(ctx.db, {
      jointure: j,
      category: 'pupil',
      givenName: 'G',
      sn: j,
      structures: [s],
    });
    await seedIdentifier(ctx.db, { personId: id, namespace: 'koxo', value: `g${j.toLowerCase()}` });
  }
  const admin = await ctx.key(['admin']);
  const created = await ctx.inject({
    method: 'POST',
    url: '/v1/targets',
    headers: { authorization: `Bearer ${admin}` },
    payload: {
      kind: 'koxo',
      name: 'koxo-ab',
      uais: [A, B],
      options: {
        exportDir: dir,
      },
      secrets: { bindPassword: 'Reader-pass-1' },
    },
  });
  if (created.statusCode !== 201) throw new Error(`target not created: ${created.body}`);
  const box = createSecretBox(
    ctx.config.targets.secretsKey,
    ctx.config.targets.previousSecretsKeys,
  );
  const { driver } = driverFor({ koxo: koxoDriver() }, box, await findTarget(ctx.db, 'koxo-ab'), {
    db: ctx.db,
  });
  /** What the targets process does: apply every account (regenerates the establishments). */
  const applyAll = async () => {
    const ids = (await ctx.db.selectFrom('person').select(['id', 'jointure']).execute()).map(
      (r) => ({
        id: Number(r.id),
        jointure: r.jointure,
      }),
    );
    const accounts = await loadAccounts(
      ctx.db,
      ids.map((i) => i.id),
    );
    return driver.apply(
      ids.map((i) => {
        const a = accounts.get(i.id);
        return {
          personId: i.id,
          jointure: i.jointure,
          desiredVersion: 2,
          previousKey: null,
          present: true,
          entry: a ? driver.desired(a) : null,
        };
      }),
    );
  };
  await applyAll();
  return { admin, applyAll };
}

t.test(
  'files: list, download with ETag / 304, manifests; scoped keys see their own UAI only',
  async (t) => {
    const ctx = await build(t);
    const { admin } = await setUp(t, ctx);

    const list = await ctx.get(admin, '/v1/targets/koxo-ab/files');
    t.equal(list.statusCode, 200, list.body);
    const items = body<{ items: { file: string; sha256: string; rows: number }[] }>(list).items;
    t.same(
      items.map((i) => i.file),
      [
        `${A}-pupil.csv`,
        `${A}-staff.csv`,
        `${A}-teacher.csv`,
        `${B}-pupil.csv`,
        `${B}-staff.csv`,
        `${B}-teacher.csv`,
      ],
    );
    t.equal(items[0]?.rows, 3);

    const file = await ctx.get(admin, `/v1/targets/koxo-ab/files/${A}-pupil.csv`);
    t.equal(file.statusCode, 200);
    t.match(file.headers['content-type'], /^text\/csv; charset=utf-8/);
    t.ok(file.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'BOM');
    t.equal(file.headers.etag, `"${items[0]?.sha256}"`, 'the ETag is the sha256 of the manifest');
    const again = await ctx.inject({
      method: 'GET',
      url: `/v1/targets/koxo-ab/files/${A}-pupil.csv`,
      headers: { authorization: `Bearer ${admin}`, 'if-none-match': file.headers.etag as string },
    });
    t.equal(again.statusCode, 304);
    t.equal(again.body, '');
    const stale = await ctx.inject({
      method: 'GET',
      url: `/v1/targets/koxo-ab/files/${A}-pupil.csv`,
      headers: { authorization: `Bearer ${admin}`, 'if-none-match': '"0000"' },
    });
    t.equal(stale.statusCode, 200, 'another ETag gets the file');

    const manifest = await ctx.get(admin, `/v1/targets/koxo-ab/files/${A}-pupil.manifest.json`);
    t.equal(manifest.statusCode, 200);
    t.match(body(manifest), { file: `${A}-pupil.csv`, rows: 3, sha256: items[0]?.sha256 });

    // The establishment's own key (accounts:read limited to A): A's files only.
    const siteA = await ctx.key(['accounts:read'], [A]);
    const own = body<{ items: { uai: string }[] }>(
      await ctx.get(siteA, '/v1/targets/koxo-ab/files'),
    );
    t.ok(own.items.length === 3 && own.items.every((i) => i.uai === A), 'only A');
    t.equal((await ctx.get(siteA, `/v1/targets/koxo-ab/files/${A}-pupil.csv`)).statusCode, 200);
    const foreign = await ctx.get(siteA, `/v1/targets/koxo-ab/files/${B}-pupil.csv`);
    t.equal(foreign.statusCode, 404, 'B’s file does not exist for A’s key');
    t.match(body(foreign), { code: 'KOXO_ERR_FILE_NOT_FOUND' });
    const siteC = await ctx.key(['accounts:read'], ['0350003C']);
    t.equal((await ctx.get(siteC, '/v1/targets/koxo-ab/files')).statusCode, 404, 'no shared UAI');
    const unscoped = await ctx.key(['accounts:read']);
    t.equal((await ctx.get(unscoped, '/v1/targets/koxo-ab/files')).statusCode, 403);
    const directory = await ctx.key(['directory:read'], [A]);
    t.equal((await ctx.get(directory, '/v1/targets/koxo-ab/files')).statusCode, 403);
    t.equal((await ctx.get(siteA, '/v1/targets/koxo-ab/snapshots')).statusCode, 403, 'admin only');
  },
);

t.test('held snapshots: listed, approved through the API, then served', async (t) => {
  const ctx = await build(t);
  const { admin, applyAll } = await setUp(t, ctx);
  await sql`update person set state = 'departed' where jointure in ('A2', 'A3')`.execute(ctx.db);
  const results = await applyAll();
  t.ok(
    results.some((r) => !r.ok),
    'A’s accounts wait for the decision',
  );

  const held = body<{ items: { uai: string; version: number; holdReason: string }[] }>(
    await ctx.get(admin, '/v1/targets/koxo-ab/snapshots'),
  ).items;
  t.match(held, [{ uai: A, version: 2, holdReason: /3 → 1 rows/ }]);
  const listed = body<{ items: { file: string; rows: number }[] }>(
    await ctx.get(admin, '/v1/targets/koxo-ab/files'),
  ).items;
  t.equal(
    listed.find((i) => i.file === `${A}-pupil.csv`)?.rows,
    3,
    'the held version is not served',
  );

  const adminB = await ctx.key(['admin'], [B]);
  const outside = await ctx.inject({
    method: 'POST',
    url: `/v1/targets/koxo-ab/snapshots/${A}/2/approve`,
    headers: { authorization: `Bearer ${adminB}` },
  });
  t.equal(outside.statusCode, 403);
  const approved = await ctx.inject({
    method: 'POST',
    url: `/v1/targets/koxo-ab/snapshots/${A}/2/approve`,
    headers: { authorization: `Bearer ${admin}` },
  });
  t.equal(approved.statusCode, 200, approved.body);
  t.match(body(approved), { status: 'published', decidedBy: /^key:/ });
  const after = body<{ items: { file: string; rows: number }[] }>(
    await ctx.get(admin, '/v1/targets/koxo-ab/files'),
  ).items;
  t.equal(after.find((i) => i.file === `${A}-pupil.csv`)?.rows, 1);
  const twice = await ctx.inject({
    method: 'POST',
    url: `/v1/targets/koxo-ab/snapshots/${A}/2/approve`,
    headers: { authorization: `Bearer ${admin}` },
  });
  t.match(body(twice), { code: 'KOXO_ERR_SNAPSHOT_NOT_HELD' });
});
