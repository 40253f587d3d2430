import { readFileSync } from 'node:fs';
import type { Database, Kysely } from '@aaf-sync/db';
import { testDb } from '@aaf-sync/testing';
import t from 'tap';
import { deliveryReport, establishmentFeed, saveCalendar } from '../src/index.js';

const exampleUrl = new URL('../../calendar/examples/2025-2026.json', import.meta.url);
const example = () => JSON.parse(readFileSync(exampleUrl, 'utf8')) as unknown;
const A = '0860001A';
const B = '0860002B';

async function run(
  db: Kysely<Database>,
  r: {
    kind: 'complete' | 'delta';
    date: string;
    finished: string;
    uais: string[];
    status?: 'applied' | 'failed';
  },
) {
  await db
    .insertInto('import_run')
    .values({
      kind: r.kind,
      scope: 'ENT',
      level: '2d',
      file_date: r.date,
      source: 'inbox',
      delivery_name: `ENT_${r.kind}_${r.date}.tgz`,
      content_hash: `h-${r.kind}-${r.date}`,
      status: r.status ?? 'applied',
      finished_at: new Date(r.finished),
      uais_touched: r.uais,
    })
    .execute();
}

t.test('feed state of an establishment: directory, kinds, its own targets', async (t) => {
  const { db } = await testDb(t);
  await saveCalendar(db, { document: example(), actor: 'cli:ops' });
  await db
    .insertInto('target')
    .values({
      name: 'scribe-a',
      kind: 'scribe',
      uais: [A],
      options: {},
      created_by: 'test',
    })
    .execute();
  await run(db, {
    kind: 'complete',
    date: '2025-06-28',
    finished: '2025-06-30T04:00:00Z',
    uais: [A, B],
  });
  await run(db, {
    kind: 'complete',
    date: '2025-08-19',
    finished: '2025-08-20T03:00:00Z',
    uais: [A],
  });

  const state = async (uai: string, at: string) => {
    const f = await establishmentFeed(db, uai, new Date(at));
    return Object.fromEntries(f.consumers.map((c) => [c.consumer, c.state]));
  };
  t.match(await state(A, '2025-07-10T10:00:00Z'), {
    directory: 'off',
    ent: 'off',
    'target:scribe-a': 'off',
  });
  const a = await establishmentFeed(db, A, new Date('2025-08-21T10:00:00Z'));
  t.same(
    a.initialisationAppliedAt,
    new Date('2025-08-20T03:00:00Z'),
    'the June complete is last year’s; the one of 19 August initialises the year',
  );
  t.match(await state(A, '2025-08-21T10:00:00Z'), {
    directory: 'open',
    ent: 'open',
    scribe: 'off',
    'target:scribe-a': 'off',
  });
  t.match(
    await state(B, '2025-08-21T10:00:00Z'),
    { directory: 'waiting-initialisation', ent: 'waiting-initialisation' },
    'B has not received its initialisation complete',
  );
  t.notOk(
    'target:scribe-a' in (await state(B, '2025-08-21T10:00:00Z')),
    'scribe-a does not serve B',
  );
  t.match(await state(A, '2025-08-29T10:00:00Z'), { scribe: 'open', 'target:scribe-a': 'open' });
});

t.test('expected AAF files: received, and missing after their deadline', async (t) => {
  const { db } = await testDb(t);
  await saveCalendar(db, { document: example(), actor: 'cli:ops' });
  await run(db, { kind: 'delta', date: '2025-09-08', finished: '2025-09-09T03:00:00Z', uais: [A] });
  await run(db, {
    kind: 'delta',
    date: '2025-09-09',
    finished: '2025-09-10T03:00:00Z',
    uais: [],
    status: 'failed',
  });
  const report = await deliveryReport(db, {
    from: new Date('2025-09-07T22:00:00Z'),
    to: new Date('2025-09-13T21:00:00Z'),
    at: new Date('2025-09-11T06:00:00Z'),
  });
  t.same(
    report.items.map(
      (i) => `${i.kind} ${i.date} ${i.received ? 'received' : i.missing ? 'MISSING' : 'due'}`,
    ),
    [
      'delta 2025-09-08 received',
      'delta 2025-09-09 received',
      'delta 2025-09-10 MISSING',
      'delta 2025-09-11 due',
      'complete 2025-09-13 due',
    ],
    'a file that arrived and failed is not missing (its import failure is reported elsewhere)',
  );
});
