import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';
import { progressWriter } from '../src/index.js';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

t.test('progress: phases at once, counters at most once per interval', async (t) => {
  const { db } = await testDb(t);
  const { id } = await db
    .insertInto('import_run')
    .values({
      kind: 'complete',
      scope: '-',
      level: null,
      file_date: '2024-09-07',
      source: 'api',
      delivery_name: 'x',
      content_hash: null,
      status: 'queued',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  let now = 1_000_000;
  const w = progressWriter(db, silent, { intervalMs: 1000, now: () => now });
  const read = async () => {
    await w.flush();
    const row = await db
      .selectFrom('import_run')
      .select('progress')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return row.progress;
  };
  w.phase(id, 'reading');
  t.match(await read(), { phase: 'reading', recordsRead: 0, bytesRead: 0 });
  w.records(1000);
  w.bytes(500);
  t.match(await read(), { recordsRead: 0 }, 'not written within the interval');
  now += 1000;
  w.records(1000);
  t.match(await read(), {
    phase: 'reading',
    recordsRead: 2000,
    bytesRead: 500,
    updatedAt: new Date(now).toISOString(),
  });
  w.phase(id, 'applying');
  t.match(await read(), { phase: 'applying', recordsRead: 2000 }, 'counters kept across phases');
});
