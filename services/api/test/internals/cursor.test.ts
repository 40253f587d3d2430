import t from 'tap';
import { cursorInt, decodeCursor, encodeCursor, pageOf } from '../../src/lib/cursor.js';
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

t.test('pageOf tells whether more rows follow', async (t) => {
  t.same(pageOf([1, 2, 3], 2), { items: [1, 2], more: true });
  t.same(pageOf([1, 2], 2), { items: [1, 2], more: false });
});
