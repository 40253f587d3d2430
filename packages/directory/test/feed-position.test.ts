import t from 'tap';
import { feedCursorExpired, nextFeedSeq } from '../src/feed-position.js';

const position = { head: 120, watermark: 40 };

t.test('a cursor between the watermark and the head is served', async (t) => {
  t.equal(feedCursorExpired(40, position), false, 'at the watermark');
  t.equal(feedCursorExpired(75, position), false, 'inside');
  t.equal(feedCursorExpired(120, position), false, 'at the head');
});

t.test('a cursor older than the watermark or past the head has expired', async (t) => {
  t.equal(feedCursorExpired(39, position), true, 'purged events behind it');
  t.equal(feedCursorExpired(121, position), true, 'a position never given');
  t.equal(feedCursorExpired(0, { head: 0, watermark: 0 }), false, 'an empty feed from 0');
});

t.test(
  'the next page starts after the last row kept, or at the head on the last page',
  async (t) => {
    const page = [{ seq: '41' }, { seq: 57 }];
    t.equal(nextFeedSeq(page, true, position), 57, 'more follow: past the last row read');
    t.equal(nextFeedSeq(page, false, position), 120, 'last page: the head');
    t.equal(nextFeedSeq([], false, position), 120, 'nothing read: the head');
  },
);
