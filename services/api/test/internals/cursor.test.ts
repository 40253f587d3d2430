import t from 'tap';
import { cursorInt, decodeCursor, encodeCursor, keysetPage } from '../../src/lib/cursor.js';
import { decodeFeedCursor, encodeFeedCursor } from '../../src/lib/feed-cursor.js';

t.test('a cursor round-trips and is refused by another list', async (t) => {
  const c = encodeCursor('persons', { a: 42, f: 7 });
  t.match(c, /^[A-Za-z0-9_-]+$/, 'URL-safe');
  t.equal(cursorInt(decodeCursor('persons', c), 'a', 'persons'), 42);
  t.throws(() => decodeCursor('feed', c), { code: 'API_ERR_INVALID_CURSOR' });
  t.equal(decodeFeedCursor(encodeFeedCursor(123)), 123);
});

t.test('garbage and out-of-range values are INVALID_CURSOR', async (t) => {
  const bad = [
    '',
    '!!!',
    'e30',
    Buffer.from('[1]').toString('base64url'),
    encodeCursor('feed', { s: -1 }),
    encodeCursor('feed', { s: 'x' }),
    encodeCursor('feed', { s: 1.5 }),
  ];
  for (const c of bad) t.throws(() => decodeFeedCursor(c), { code: 'API_ERR_INVALID_CURSOR' }, c);
});

t.test('keysetPage keeps limit rows and encodes the last one only when more follow', async (t) => {
  const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
  const more = keysetPage(rows, 2, 'things', (last) => ({ a: last.id }));
  t.same(more.items, [{ id: 1 }, { id: 2 }]);
  t.ok(more.nextCursor);
  t.same(
    decodeCursor('things', more.nextCursor!),
    { l: 'things', a: 2 },
    'the key of the last row kept',
  );
  t.throws(() => decodeCursor('others', more.nextCursor!), 'tagged with its list');
  const last = keysetPage(rows.slice(0, 2), 2, 'things', (r) => ({ a: r.id }));
  t.same(last, { items: [{ id: 1 }, { id: 2 }], nextCursor: null }, 'the last page has no cursor');
  t.same(
    keysetPage([], 5, 'things', (r: { id: number }) => ({ a: r.id })),
    {
      items: [],
      nextCursor: null,
    },
  );
});
