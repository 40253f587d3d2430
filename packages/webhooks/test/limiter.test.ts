import t from 'tap';
import { createLimiter } from '../src/limiter.js';

t.test('a limiter runs at most n at once, the others in order, errors released', async (t) => {
  const limit = createLimiter(3);
  let active = 0;
  let peak = 0;
  const started: number[] = [];
  const gates: (() => void)[] = [];
  const runs = Array.from({ length: 8 }, (_, i) =>
    limit(async () => {
      started.push(i);
      active++;
      peak = Math.max(peak, active);
      await new Promise<void>((resolve) => gates.push(resolve));
      active--;
      if (i === 4) throw new Error('boom');
      return i;
    }),
  );
  const settled = Promise.allSettled(runs);
  // Open the gates one by one as the tasks reach them (no timers: each waits for its release).
  for (let opened = 0; opened < 8; opened++) {
    while (gates.length === 0) await new Promise((r) => setImmediate(r));
    gates.shift()?.();
  }
  const results = await settled;
  t.equal(peak, 3, 'never more than three at once');
  t.same(started, [0, 1, 2, 3, 4, 5, 6, 7], 'started in order');
  t.same(
    results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed')),
    [0, 1, 2, 3, 'failed', 5, 6, 7],
    'a failure releases its place',
  );
});
