import t from 'tap';
import { eventWindowOf } from '../src/index.js';

t.test(
  "the next window's rule: events after the cursor, none at the head or behind a purge",
  async (t) => {
    t.same(eventWindowOf(10, 0, { upto: '15', n: 5 }), { upto: 15, events: 5 }, 'a window');
    t.equal(eventWindowOf(10, 0, { upto: null, n: 0 }), undefined, 'at the head');
    t.equal(eventWindowOf(10, 0, undefined), undefined, 'no row');
    t.equal(
      eventWindowOf(10, 12, { upto: '20', n: 5 }),
      undefined,
      'events after the cursor were purged: none (a reset or a replay is needed)',
    );
    t.same(eventWindowOf(12, 12, { upto: 20, n: 8 }), { upto: 20, events: 8 }, 'at the watermark');
  },
);
