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
import { seedIdentifier, seedPerson, seedStructure, testDb } from '@aaf-sync/testing';
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
