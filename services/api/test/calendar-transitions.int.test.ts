import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { fakeClock } from '@aaf-sync/calendar';
import { saveCalendar } from '@aaf-sync/calendar-store';
import { createLogger } from '@aaf-sync/logger';
import { runDue } from '@aaf-sync/scheduler';
import t from 'tap';
import { build } from './helper.js';

const example = JSON.parse(
  readFileSync(
    new URL('../../../packages/calendar/examples/2025-2026.json', import.meta.url),
    'utf8',
  ),
) as Record<string, unknown>;

t.test('GET /v1/calendar/transitions: what the scheduler ran, and what fails', async (t) => {
  const ctx = await build(t);
  await saveCalendar(ctx.db, { document: example, actor: 'test' });
  const log = createLogger({ level: 'silent' }, new Writable({ write: (_c, _e, d) => d() }));
  await runDue(
    {
      db: ctx.db,
      clock: fakeClock(new Date('2025-07-04T01:00:00Z')),
      log,
      effects: {
        'feed.suspend': async (_ctx, tr) => {
          if (tr.id.endsWith('/directory')) throw new Error('disk full');
          return { summary: 'ok', counts: { suspended: 0 } };
        },
      },
    },
    new Date('2025-07-04T01:00:00Z'),
  );
  const admin = await ctx.key(['admin']);
  const all = await ctx.get(admin, '/v1/calendar/transitions?limit=500');
  t.equal(all.statusCode, 200);
  const items = all.json<{ items: { id: string; doneAt: string | null }[] }>().items;
  t.ok(items.some((i) => i.id === '2025-2026/feed.suspend/kind:scribe' && i.doneAt));
  const failing = await ctx.get(admin, '/v1/calendar/transitions?failing=true');
  t.match(failing.json(), {
    items: [
      {
        id: '2025-2026/feed.suspend/directory',
        type: 'feed.suspend',
        doneAt: null,
        attempts: 1,
        lastError: { message: 'disk full' },
        nextAttemptAt: '2025-07-04T01:01:00.000Z',
      },
    ],
  });
  t.equal(failing.json<{ items: unknown[] }>().items.length, 1);
  const reader = await ctx.key(['directory:read']);
  t.equal((await ctx.get(reader, '/v1/calendar/transitions')).statusCode, 403);
});
