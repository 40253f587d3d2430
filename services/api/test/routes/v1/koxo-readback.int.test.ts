import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { koxoDriver, runKoxoReadBack } from '@aaf-sync/koxo';
import { createSecretBox, driverFor, findTarget, reconcileBatch } from '@aaf-sync/targets';
import { seedIdentifier, seedPerson, seedStructure, testAd } from '@aaf-sync/testing';
import { body, build } from '../../helper.js';

const A = '0350001A';
const B = '0350002B';

t.test(
  'read-back report: admin sees every establishment, an establishment key its own; the account status shows the AD values',
  async (t) => {
    const ctx = await build(t);
    const ad = await testAd(t);
    const dir = await mkdtemp(join(tmpdir(), 'koxo-rb-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const sfx = randomBytes(3).toString('hex');
    await seedStructure(ctx.db, { jointure: 'S-A', uai: A, name: 'Lycée A' });
    await seedStructure(ctx.db, { jointure: 'S-B', uai: B, name: 'Lycée B' });
    for (const [j, s] of [
      ['A1', 'S-A'],
      ['B1', 'S-B'],
    ] as const) {
      const id = await seedPerson(ctx.db, {
        jointure: j,
        category: 'pupil',
        givenName: 'G',
        sn: j,
        structures: [s],
      });
      await seedIdentifier(ctx.db, { personId: id, namespace: 'koxo', value: `g${j}-${sfx}` });
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
          readBack: {
            url: ad.url,
            baseDn: ad.baseDn,
            bindDn: ad.bindDn,
            tls: { rejectUnauthorized: false },
          },
        },
        secrets: { bindPassword: ad.bindPassword },
      },
    });
    t.equal(created.statusCode, 201, created.body);
    const box = createSecretBox(
      ctx.config.targets.secretsKey,
      ctx.config.targets.previousSecretsKeys,
    );
    const { target, driver } = driverFor(
      { koxo: koxoDriver() },
      box,
      await findTarget(ctx.db, 'koxo-ab'),
      { db: ctx.db },
    );
    while ((await reconcileBatch(ctx.db, target, driver, { batchSize: 50 })).taken > 0);

    // The site's KoXo: A1 under a login of its own, B1 as we named it, an id we never sent.
    const user = (login: string, employeeNumber: string) =>
      ad.client.add(`CN=${login},${ad.baseDn}`, {
        objectClass: ['top', 'person', 'organizationalPerson', 'user'],
        sAMAccountName: login,
        employeeNumber,
        homeDirectory: `\\\\srv\\eleves$\\${login}`,
        userAccountControl: '544',
      });
    await user(`koxo-a1-${sfx}`, 'A1');
    await user(`gB1-${sfx}`, 'B1');
    await user(`stray-${sfx}`, 'NOBODY');
    t.match(await runKoxoReadBack({ db: ctx.db }, target), { status: 'ok' });

    const all = await ctx.get(admin, '/v1/targets/koxo-ab/readback');
    t.equal(all.statusCode, 200, all.body);
    const report = body<{
      establishments: { uai: string; found: number; differentLogin: { jointure: string }[] }[];
      unattributedUnknownEntries: { employeeNumber: string }[] | null;
      lastRun: { status: string };
    }>(all);
    t.same(
      report.establishments.map((e) => [e.uai, e.found, e.differentLogin.map((a) => a.jointure)]),
      [
        [A, 1, ['A1']],
        [B, 1, []],
      ],
    );
    t.same(report.unattributedUnknownEntries, [
      {
        employeeNumber: 'NOBODY',
        dn: `CN=stray-${sfx},${ad.baseDn}`,
        samAccountName: `stray-${sfx}`,
        uai: null,
      },
    ]);
    t.match(report.lastRun, { status: 'ok' });

    const siteA = await ctx.key(['accounts:read'], [A]);
    const own = body<typeof report>(await ctx.get(siteA, '/v1/targets/koxo-ab/readback'));
    t.same(
      own.establishments.map((e) => e.uai),
      [A],
      'its own establishment only',
    );
    t.equal(own.unattributedUnknownEntries, null, 'no entry of no establishment');
    const other = await ctx.get(siteA, `/v1/targets/koxo-ab/readback?uai=${B}`);
    t.equal(other.statusCode, 403);
    t.match(body(other), { code: 'API_ERR_OUT_OF_SCOPE' });
    const one = body<typeof report>(await ctx.get(admin, `/v1/targets/koxo-ab/readback?uai=${B}`));
    t.same(
      one.establishments.map((e) => e.uai),
      [B],
    );
    const siteC = await ctx.key(['accounts:read'], ['0350003C']);
    t.equal((await ctx.get(siteC, '/v1/targets/koxo-ab/readback')).statusCode, 404);
    const unscoped = await ctx.key(['accounts:read']);
    t.equal((await ctx.get(unscoped, '/v1/targets/koxo-ab/readback')).statusCode, 403);

    // The account status shows what the AD holds for the account on this target.
    const status = await ctx.get(admin, '/v1/accounts/jointure:A1');
    t.equal(status.statusCode, 200, status.body);
    const provisioning = body<{ provisioning: { target: string; readBack: unknown }[] }>(
      status,
    ).provisioning;
    t.match(provisioning, [
      {
        target: 'koxo-ab',
        readBack: {
          samAccountName: `koxo-a1-${sfx}`,
          dn: `CN=koxo-a1-${sfx},${ad.baseDn}`,
          homeDirectory: `\\\\srv\\eleves$\\koxo-a1-${sfx}`,
          enabled: true,
          missingRuns: 0,
          seenAt: /^\d{4}-/,
        },
      },
    ]);
  },
);
