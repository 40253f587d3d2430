import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { loadConfig } from '@aaf-sync/config';
import { appendEvents } from '@aaf-sync/db';
import { createSecretBox, createTarget } from '@aaf-sync/targets';
import {
  seedIdentifier,
  seedPerson,
  seedStructure,
  testDb,
  testRedis,
  until,
} from '@aaf-sync/testing';
import t from 'tap';

const MAIN = resolve(import.meta.dirname, '../dist/main.js');

t.test('dispatch runs the targets process: an import commit reaches the target', async (t) => {
  const { db, url } = await testDb(t);
  const redis = await testRedis(t);
  await seedStructure(db, { jointure: 'S-A', uai: '0750001A', name: 'A' });
  const id = await seedPerson(db, {
    jointure: 'P1',
    category: 'pupil',
    givenName: 'Jean',
    sn: 'Martin',
    structures: ['S-A'],
  });
  await seedIdentifier(db, { personId: id, namespace: 'scribe', value: 'jmartin' });
  const config = loadConfig();
  const box = createSecretBox(config.targets.secretsKey);
  const target = await createTarget(
    db,
    box,
    { kind: 'noop', name: 'noop-a', uais: ['0750001A'], options: {} },
    'test',
  );
  const child = spawn(process.execPath, [MAIN, 'dispatch'], {
    env: {
      DATABASE_URL: url,
      REDIS_URL: config.redis.url,
      QUEUE_PREFIX: redis.prefix,
      TARGETS_POLL_SECONDS: '3600',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const row = () =>
    db
      .selectFrom('provisioning')
      .selectAll()
      .where('target_id', '=', target.id)
      .executeTakeFirstOrThrow();
  await until('the initial reconcile', async () => (await row()).status === 'applied');
  t.match(await row(), { target_key: 'jmartin', applied_version: 1 });

  // A commit with an event: NOTIFY wakes the process (its polling is an hour away).
  await db
    .transaction()
    .execute((trx) =>
      appendEvents(trx, [
        { entityType: 'person', entityKey: 'P1', op: 'updated', version: 2, uais: ['0750001A'] },
      ]),
    );
  await until('the event applied', async () => (await row()).applied_version === 2);
  child.kill('SIGTERM');
  t.equal(await exited, 0, `graceful exit ${stderr}`);
  t.notMatch(stderr, /"level":(50|60)/, 'no error logged');
});
