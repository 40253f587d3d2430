import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@aaf-sync/config';
import { sql } from '@aaf-sync/db';
import { koxoDriver } from '@aaf-sync/koxo';
import {
  createSecretBox,
  createTarget,
  driverFor,
  findTarget,
  loadAccounts,
} from '@aaf-sync/targets';
import { seedIdentifier, seedPerson, seedStructure, testAd, testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

const UAI = '0350001A';

t.test('koxo held / approve / discard', async (t) => {
  const { db, url } = await testDb(t);
  const dir = await mkdtemp(join(tmpdir(), 'koxo-cli-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Lycée A' });
  const ids: number[] = [];
  for (const j of ['P1', 'P2', 'P3']) {
    const id = await seedPerson(db, {
      jointure: j,
      category: 'pupil',
      givenName: 'G',
      sn: j,
      structures: ['S-A'],
    });
    await seedIdentifier(db, { personId: id, namespace: 'koxo', value: `g${j.toLowerCase()}` });
    ids.push(id);
  }
  // The CLI's default (development) secrets key.
  const box = createSecretBox(loadConfig({ DATABASE_URL: url }).targets.secretsKey);
  await createTarget(
    db,
    box,
    {
      kind: 'koxo',
      name: 'k',
      uais: [UAI],
      options: {
        exportDir: dir,
      },
    },
    'test',
  );
  const { driver } = driverFor({ koxo: koxoDriver() }, box, await findTarget(db, 'k'), { db });
  const apply = async () => {
    const accounts = await loadAccounts(db, ids);
    return driver.apply(
      ids.map((id, i) => ({
        personId: id,
        jointure: `P${i + 1}`,
        desiredVersion: 2,
        previousKey: null,
        present: true,
        entry: accounts.get(id) ? driver.desired(accounts.get(id)!) : null,
      })),
    );
  };
  await apply();
  t.equal((await cli(['koxo', 'held', '--target', 'k'], url)).stdout, 'no held snapshot\n');

  await sql`update person set state = 'departed' where jointure in ('P2', 'P3')`.execute(db);
  await apply();
  const held = await cli(['koxo', 'held', '--target', 'k'], url);
  t.equal(held.code, 0, held.stderr);
  t.match(held.stdout, /^0350001A v2 held since .*: 0350001A-pupil\.csv 3 → 1 rows/);

  const approved = await cli(
    ['koxo', 'approve', '--target', 'k', '--uai', UAI, '--version', '2'],
    url,
  );
  t.equal(approved.code, 0, approved.stderr);
  t.equal(approved.stdout, '0350001A v2: published\n');
  const csv = await readFile(join(dir, `${UAI}-pupil.csv`), 'utf8');
  t.equal(csv.split('\r\n').length, 3, 'header, one row, final CRLF');
  const audit = await db.selectFrom('audit_log').select('action').execute();
  t.ok(
    audit.some((a) => a.action === 'koxo.snapshot.approve'),
    'audited',
  );

  const again = await cli(
    ['koxo', 'discard', '--target', 'k', '--uai', UAI, '--version', '2'],
    url,
  );
  t.not(again.code, 0);
  t.match(again.stderr, /KOXO_ERR_SNAPSHOT_NOT_HELD/);
  t.not((await cli(['koxo', 'approve', '--target', 'k'], url)).code, 0, 'usage');
});

t.test(
  'koxo readback: runs the read-back now and prints the report; AD unreachable → 1',
  async (t) => {
    const { db, url } = await testDb(t);
    const ad = await testAd(t);
    const dir = await mkdtemp(join(tmpdir(), 'koxo-cli-rb-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    const sfx = randomBytes(3).toString('hex');
    await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Lycée A' });
    const ids: number[] = [];
    for (const j of ['P1', 'P2']) {
      const id = await seedPerson(db, {
        jointure: j,
        category: 'pupil',
        givenName: 'G',
        sn: j,
        structures: ['S-A'],
      });
      await seedIdentifier(db, { personId: id, namespace: 'koxo', value: `g${j}-${sfx}` });
      ids.push(id);
    }
    const box = createSecretBox(loadConfig({ DATABASE_URL: url }).targets.secretsKey);
    const readBack = {
      url: ad.url,
      baseDn: ad.baseDn,
      bindDn: ad.bindDn,
      missingAfterSyncs: 1,
      tls: { rejectUnauthorized: false },
    };
    await createTarget(
      db,
      box,
      {
        kind: 'koxo',
        name: 'k',
        uais: [UAI],
        options: { exportDir: dir, readBack },
        secrets: { bindPassword: ad.bindPassword },
      },
      'test',
    );
    const { driver } = driverFor({ koxo: koxoDriver() }, box, await findTarget(db, 'k'), { db });
    const accounts = await loadAccounts(db, ids);
    await driver.apply(
      ids.map((id, i) => ({
        personId: id,
        jointure: `P${i + 1}`,
        desiredVersion: 2,
        previousKey: null,
        present: true,
        entry: driver.desired(accounts.get(id)!),
      })),
    );
    // KoXo created P1 under a login of its own; P2 not at all.
    await ad.client.add(`CN=koxo1-${sfx},${ad.baseDn}`, {
      objectClass: ['top', 'person', 'organizationalPerson', 'user'],
      sAMAccountName: `koxo1-${sfx}`,
      employeeNumber: 'P1',
      userAccountControl: '546',
    });

    const out = await cli(['koxo', 'readback', '--target', 'k'], url);
    t.equal(out.code, 0, out.stderr);
    t.match(
      out.stdout,
      /^read-back of k: 1 AD entries, 1 matched, 0 unknown, 1 published accounts not found\n/,
    );
    t.match(out.stdout, `0350001A: 1 of 2 listed accounts found`);
    t.match(out.stdout, `P1 P1 G: ours gP1-${sfx}, AD koxo1-${sfx}`);
    t.match(out.stdout, /missing after 1 read-backs \(1\):\n {4}P2 P2 G \(gP2-\w+\): 1 runs/);
    t.match(out.stdout, /disabled \(1\):\n {4}P1 P1 G/);

    const json = await cli(['koxo', 'readback', '--target', 'k', '--uai', UAI, '--json'], url);
    t.equal(json.code, 0, json.stderr);
    t.match(JSON.parse(json.stdout), {
      run: { status: 'ok' },
      report: { establishments: [{ uai: UAI, differentLogin: [{ jointure: 'P1' }] }] },
    });

    await db
      .updateTable('target')
      .set({
        options: JSON.stringify({
          exportDir: dir,
          readBack: { ...readBack, url: 'ldaps://127.0.0.1:1' },
        }) as never,
      })
      .where('name', '=', 'k')
      .execute();
    const down = await cli(['koxo', 'readback', '--target', 'k'], url);
    t.equal(down.code, 1);
    t.match(down.stdout, /^read-back of k FAILED: LDAP_ERR_UNAVAILABLE/);
    t.match(down.stdout, 'showing the last successful read-back');
    t.match(down.stdout, `ours gP1-${sfx}, AD koxo1-${sfx}`, 'the values read before');
  },
);
