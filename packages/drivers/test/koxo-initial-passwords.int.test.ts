import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retrieveCredentials } from '@aaf-sync/credentials';
import {
  createSecretBox,
  createTarget,
  driverFor,
  findTarget,
  loadAccounts,
  reconcileBatch,
  type ApplyItem,
} from '@aaf-sync/targets';
import {
  seedClassGroup,
  seedIdentifier,
  seedMembership,
  seedPerson,
  seedStructure,
  testDb,
} from '@aaf-sync/testing';
import t from 'tap';
import { shippedDrivers } from '../src/index.js';

const UAI = '0860001A';
const box = createSecretBox(Buffer.alloc(32, 7).toString('base64'));

/** Column 14 (MotDePasse) of the row of `jointure` (column 5) in a KoXo CSV. */
async function passwordIn(file: string, jointure: string): Promise<string | undefined> {
  const lines = (await readFile(file, 'utf8')).slice(1).split('\r\n').slice(1, -1);
  const row = lines.map((l) => l.split(';')).find((f) => f[4] === jointure);
  return row?.[13];
}

t.test(
  'shipped koxo driver: the file that creates an account carries its initial password, the next does not; the sheet lists it',
  async (t) => {
    const { db } = await testDb(t);
    const dir = await mkdtemp(join(tmpdir(), 'koxo-pw-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Collège A' });
    const cls = await seedClassGroup(db, { structure: 'S-A', kind: 'class', code: '5B' });
    const seedPupil = async (jointure: string, sn: string) => {
      const id = await seedPerson(db, {
        jointure,
        category: 'pupil',
        givenName: 'Léa',
        sn,
        birthDate: '2012-03-04',
        structures: ['S-A'],
      });
      await seedIdentifier(db, { personId: id, namespace: 'koxo', value: `l${sn.toLowerCase()}` });
      await seedMembership(db, cls, jointure);
      return id;
    };
    const p1 = await seedPupil('P1', 'Martin');

    await createTarget(
      db,
      box,
      { kind: 'koxo', name: 'koxo-pw', uais: [UAI], options: { exportDir: dir } },
      'test',
    );
    const { target, driver } = driverFor(
      shippedDrivers({ passwordLength: 14 }),
      box,
      await findTarget(db, 'koxo-pw'),
      { db },
    );
    while ((await reconcileBatch(db, target, driver, { batchSize: 100 })).taken > 0);

    const file = join(dir, `${UAI}-pupil.csv`);
    const first = await passwordIn(file, 'P1');
    t.equal(first?.length, 14, 'the creating file carries a generated password');
    const cred = await db.selectFrom('credential').selectAll().executeTakeFirstOrThrow();
    t.match(cred, { person_id: p1, login: 'lmartin', state: 'set', reason: 'initial' });
    t.notOk(cred.ciphertext!.includes(Buffer.from(first!)), 'sealed, not in clear');

    // A second pupil arrives: the new file creates P2 with its password, P1's is not sent again.
    const p2 = await seedPupil('P2', 'Durand');
    const accounts = await loadAccounts(db, [p1, p2]);
    const items: ApplyItem[] = [p1, p2].map((id, i) => ({
      personId: id,
      jointure: i === 0 ? 'P1' : 'P2',
      desiredVersion: 2,
      previousKey: null,
      present: true,
      entry: driver.desired(accounts.get(id)!),
    }));
    t.match(await driver.apply(items), [{ ok: true }, { ok: true }]);
    t.equal(await passwordIn(file, 'P1'), '', 'the second file leaves P1 empty');
    const second = await passwordIn(file, 'P2');
    t.equal(second?.length, 14, 'and creates P2 with its own');
    t.not(second, first);

    const sheet = await retrieveCredentials(db, box, {
      target: { id: target.id, name: target.name },
      uai: UAI,
      purge: true,
      audit: { actor: 'cli:test' },
    });
    const listed = sheet.classes.flatMap((c) => c.entries);
    t.same(
      listed.map((a) => [a.login, a.password]).sort(),
      [
        ['ldurand', second],
        ['lmartin', first],
      ],
      'the credentials sheet of the koxo target lists the passwords the files carried',
    );
    t.equal(sheet.pending, 0);
  },
);
