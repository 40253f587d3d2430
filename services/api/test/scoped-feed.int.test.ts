// The change feed, persons and accounts read by an establishment-scoped key after real imports:
// nothing of another establishment in any body (issue 8, item 4).
import { Writable } from 'node:stream';
import t, { type Test } from 'tap';
import { loadConfig } from '@aaf-sync/config';
import { createIngestDeps, ingestPaths } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import {
  AAF_A,
  AAF_B,
  B_MARKERS,
  MOVER,
  RELATIVE,
  STAYER_B,
  TEACHER,
  writeComplete,
  writeDelta,
} from './fixtures/two-schools-aaf.js';
import { body, build, type TestApp } from './helper.js';

const silent = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));

interface Item {
  seq: number;
  type: string;
  key: string;
  version: number;
  uais: string[];
  changes: Record<string, unknown>;
}

interface Page {
  items: Item[];
  nextCursor: string;
  hasMore: boolean;
}

/** Reads the feed from `cursor` to the head: the items and every raw body. */
async function readFeed(ctx: TestApp, token: string, query = '', cursor = '') {
  const items: Item[] = [];
  let raw = '';
  let next = cursor;
  for (let pages = 0; pages < 1000; pages++) {
    const res = await ctx.get(token, `/v1/changes?limit=3${query}${next ? `&cursor=${next}` : ''}`);
    if (res.statusCode !== 200) throw new Error(res.body);
    raw += res.body;
    const page = body<Page>(res);
    items.push(...page.items);
    if (page.nextCursor === next && page.hasMore) throw new Error('the cursor did not move');
    next = page.nextCursor;
    if (!page.hasMore) return { items, raw, cursor: next };
  }
  throw new Error('the feed never reached its head');
}

function assertNothingOfB(t: Test, text: string, what: string) {
  for (const marker of [...B_MARKERS, 'AVENUE ZORGLUB']) {
    t.notOk(text.includes(marker), `${what}: no "${marker}"`);
  }
}

t.test('a key of A reads nothing of B after a move and a teacher update', async (t) => {
  const ctx = await build(t);
  const dir = t.testdir();
  const config = loadConfig({ ...process.env, DATABASE_URL: ctx.config.database.url });
  const deps = createIngestDeps(config, ctx.db, silent);
  const scopes = ['changes:read', 'directory:read', 'accounts:read'] as const;
  const keyA = await ctx.key(scopes, [AAF_A.uai]);
  const publicA = await ctx.key(['changes:read'], [AAF_A.uai]);
  const keyB = await ctx.key(scopes, [AAF_B.uai]);
  const everything = await ctx.key(scopes);

  await ingestPaths(deps, writeComplete(dir), { source: 'test' });
  const day1 = await readFeed(ctx, keyA);
  t.ok(
    day1.items.some((i) => i.type === 'person.created' && i.key === TEACHER),
    'A sees the teacher created',
  );
  t.notOk(
    day1.items.some((i) => i.key === STAYER_B),
    'A does not see the pupil of B',
  );
  assertNothingOfB(t, day1.raw, 'feed of A after the complete');

  await ingestPaths(deps, writeDelta(dir), { source: 'test' });

  // The unrestricted key and B's key do see the new data: the absence below is meaningful.
  const all = await readFeed(ctx, everything);
  t.ok(all.raw.includes('AVENUE ZORGLUB'), 'the new address is in the log');
  const teacherUpdates = all.items.filter(
    (i) => i.key === TEACHER && i.type === 'person.updated' && i.seq > 0,
  );
  t.ok(teacherUpdates.length > 0, 'the teacher was updated (B data only)');
  const forB = await readFeed(ctx, keyB);
  const entered = forB.items.find((i) => i.key === MOVER && i.type === 'person.entered');
  t.ok(entered, 'B gets the pupil as an entry');
  const after = entered?.changes.after as Record<string, unknown> | undefined;
  t.equal(after?.sn, 'MARCHAND', 'with its whole current record');
  t.match(JSON.stringify(after?.details), /AVENUE ZORGLUB/, 'and its new address');
  t.notOk(forB.raw.includes('910001'), 'B sees no structure of A');

  // A's key, from the start of the log and from the cursor of day 1.
  const feedA = await readFeed(ctx, keyA);
  assertNothingOfB(t, feedA.raw, 'feed of A');
  const since = await readFeed(ctx, keyA, '', day1.cursor);
  const left = since.items.filter((i) => i.type === 'person.left');
  t.same(
    left.map((i) => i.key).sort(),
    [MOVER, RELATIVE].sort(),
    'the pupil and its relative left A',
  );
  const mover = left.find((i) => i.key === MOVER)!;
  t.same(Object.keys(mover.changes).sort(), ['category', 'id', 'jointure', 'structures']);
  t.same(mover.changes.structures, [AAF_A.jointure]);
  t.equal(mover.changes.category, 'pupil');
  t.same(mover.uais, [AAF_A.uai]);
  t.notOk(
    since.items.some((i) => i.key === TEACHER && i.type.startsWith('person.')),
    'the B-only teacher update is not served to A',
  );
  t.same(
    since.items.filter((i) => i.key.includes(MOVER)).map((i) => [i.type, i.key]),
    [
      ['person.left', MOVER],
      ['membership.deleted', `class:${AAF_A.jointure}$5A|${MOVER}`],
    ],
    'of the pupil, A reads only that it left A and its class of A',
  );
  const teacher = feedA.items.find((i) => i.key === TEACHER && i.type === 'person.created')!;
  const created = teacher.changes.after as Record<string, unknown>;
  t.same(created.structures, [AAF_A.jointure], 'the teacher is in A only, for A');
  t.same(teacher.uais, [AAF_A.uai]);

  const onlyLeft = await readFeed(ctx, keyA, '&types=person.left');
  t.same(
    onlyLeft.items.map((i) => i.type),
    ['person.left', 'person.left'],
    'types=person.left',
  );
  const publicFeed = await readFeed(ctx, publicA);
  assertNothingOfB(t, publicFeed.raw, 'public feed of A');
  t.ok(publicFeed.items.some((i) => i.type === 'person.left' && i.key === MOVER));

  // Persons and accounts.
  const persons = await ctx.get(keyA, '/v1/persons?limit=100');
  t.equal(persons.statusCode, 200);
  assertNothingOfB(t, persons.body, 'persons of A');
  const listed = body<{ items: { jointure: string }[] }>(persons).items.map((p) => p.jointure);
  t.ok(listed.includes(TEACHER), 'the teacher is listed');
  t.notOk(listed.includes(MOVER), 'the pupil who left is not');

  const account = await ctx.get(keyA, `/v1/accounts/jointure:${TEACHER}`);
  t.equal(account.statusCode, 200);
  assertNothingOfB(t, account.body, 'account of the teacher for A');
  const view = body<{ details: { staff: { mefs: unknown[] } } }>(account);
  t.same(view.details.staff.mefs, [
    { structure: AAF_A.jointure, code: '10110001110', label: '5EME' },
  ]);
  const whole = await ctx.get(everything, `/v1/accounts/jointure:${TEACHER}`);
  t.match(whole.body, /ZORGLUB/, 'an unrestricted key sees both establishments');

  const history = await ctx.get(keyA, `/v1/accounts/jointure:${TEACHER}/history?limit=100`);
  t.equal(history.statusCode, 200);
  assertNothingOfB(t, history.body, 'history of the teacher for A');

  const gone = await ctx.get(keyA, `/v1/accounts/jointure:${MOVER}`);
  t.equal(gone.statusCode, 404, 'the pupil who left is not an account of A');

  const classes = await ctx.get(keyA, '/v1/classes?limit=100');
  t.equal(classes.statusCode, 200);
  assertNothingOfB(t, classes.body, 'classes of A');
});
