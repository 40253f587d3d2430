import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { cli } from './run.js';

const examplePath = new URL('../../../packages/calendar/examples/2025-2026.json', import.meta.url)
  .pathname;

t.test('calendar run-due --now runs what is due once; transitions lists the log', async (t) => {
  const { db, url } = await testDb(t);
  t.equal((await cli(['calendar', 'set', '--file', examplePath], url)).code, 0);
  await db
    .insertInto('target')
    .values({ name: 'noop-1', kind: 'noop', uais: ['0990001N'], options: {}, created_by: 'test' })
    .execute();

  const first = await cli(['calendar', 'run-due', '--now', '2025-07-04T03:00', '--json'], url);
  t.equal(first.code, 0, first.stderr);
  const result = JSON.parse(first.stdout) as {
    ran: { id: string }[];
    unhandled: string[];
    tasks: { name: string; ok: boolean }[];
  };
  t.ok(result.ran.some((r) => r.id === '2025-2026/feed.suspend/kind:noop'));
  t.ok(result.ran.some((r) => r.id === '2025-2026/feed.suspend/directory'));
  t.ok(
    result.ran.some((r) => r.id === '2025-2026/groups.warning/1'),
    'the effects of packages/groups run too',
  );
  t.same(result.unhandled, [], 'every transition type has an effect');
  t.match(
    result.tasks,
    [{ name: 'yearTransitionTick', ok: true }],
    'the tick tasks run too, as at each scheduler tick',
  );
  const target = await db.selectFrom('target').select('state').executeTakeFirstOrThrow();
  t.equal(target.state, 'suspended');

  const again = await cli(['calendar', 'run-due', '--now', '2025-07-04T03:00'], url);
  t.equal(again.code, 0);
  t.match(again.stdout, /nothing to run/);
  t.match(again.stdout, /tick {5}yearTransitionTick: year transition: 0 establishment\(s\)/);

  const log = await cli(['calendar', 'transitions'], url);
  t.match(
    log.stdout,
    /^done {2}\t2025-07-03T22:00:00\.000Z\t2025-2026\/feed\.suspend\/kind:noop\tattempts 1\tsuspended: noop-1$/m,
  );
  const bad = await cli(['calendar', 'run-due', '--now', 'tomorrow'], url);
  t.equal(bad.code, 2);
});
