import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { retrieveCredentials } from '@aaf-sync/credentials';
import { approveSnapshot, koxoOptions } from '@aaf-sync/koxo';
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

t.test(
  'a password in a held file stays pending; after approval the next regeneration sets it',
  async (t) => {
    const { db } = await testDb(t);
    const dir = await mkdtemp(join(tmpdir(), 'koxo-pw-'));
    t.teardown(() => rm(dir, { recursive: true, force: true }));
    await seedStructure(db, { jointure: 'S-A', uai: UAI, name: 'Collège A' });
    const pupil = async (jointure: string) => {
      const id = await seedPerson(db, {
        jointure,
        category: 'pupil',
        givenName: 'Tom',
        sn: jointure,
        structures: ['S-A'],
      });
      await seedIdentifier(db, { personId: id, namespace: 'koxo', value: `t${jointure}` });
      return id;
    };
    const ids = [await pupil('P1'), await pupil('P2'), await pupil('P3')];
    await createTarget(
      db,
      box,
      { kind: 'koxo', name: 'koxo-held', uais: [UAI], options: { exportDir: dir } },
      'test',
    );
    const row = await findTarget(db, 'koxo-held');
    const { target, driver } = driverFor(shippedDrivers(), box, row, { db });
    const apply = async (personIds: number[]) => {
      const accounts = await loadAccounts(db, personIds);
      const rows = await db
        .selectFrom('person')
        .select(['id', 'jointure'])
        .where('id', 'in', personIds)
        .execute();
      return driver.apply(
        rows.map((r) => {
          const a = accounts.get(Number(r.id));
          return {
            personId: Number(r.id),
            jointure: r.jointure,
            desiredVersion: 2,
            previousKey: null,
            present: true,
            entry: a ? driver.desired(a) : null,
          };
        }),
      );
    };
    await apply(ids);
    // Two pupils leave, one arrives: 3 → 2 rows is beyond the 10 % threshold, the file is held.
    await db
      .updateTable('person')
      .set({ state: 'departed' })
      .where('jointure', 'in', ['P2', 'P3'])
      .execute();
    const p4 = await pupil('P4');
    const held = await apply([...ids, p4]);
    t.match(
      held.find((r) => r.personId === p4),
      { ok: false, error: /held for approval/ },
    );
    const pending = await db
      .selectFrom('credential')
      .selectAll()
      .where('person_id', '=', p4)
      .executeTakeFirstOrThrow();
    t.equal(pending.state, 'pending', 'the held file’s password is not with the site yet');

    await approveSnapshot({ db, box }, target, koxoOptions(row), UAI, 2, 'cli:test');
    const file = join(dir, `${UAI}-pupil.csv`);
    const sent = await passwordIn(file, 'P4');
    t.equal(sent?.length, 12, 'the approved file carries it');
    t.match(await apply([p4]), [{ ok: true }], 'the retried row regenerates: nothing new');
    const set = await db
      .selectFrom('credential')
      .selectAll()
      .where('person_id', '=', p4)
      .executeTakeFirstOrThrow();
    t.equal(set.state, 'set', 'then the password is set, for the sheet');
    const sheet = await retrieveCredentials(db, box, {
      target: { id: target.id, name: target.name },
      uai: UAI,
      purge: false,
      audit: { actor: 'cli:test' },
    });
    t.same(
      sheet.classes
        .flatMap((c) => c.entries)
        .filter((e) => e.login === 'tP4')
        .map((e) => e.password),
      [sent],
    );
  },
);
