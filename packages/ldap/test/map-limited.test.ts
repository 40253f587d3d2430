import t from 'tap';
import { mapLimited } from '../src/index.js';

t.test('mapLimited answers in the order of the items, at most `limit` at once', async (t) => {
  let running = 0;
  let most = 0;
  const release: (() => void)[] = [];
  const results = mapLimited([1, 2, 3, 4, 5], 2, async (n) => {
    running += 1;
    most = Math.max(most, running);
    // Items finish in reverse order of their start: the answer still follows the items.
    await new Promise<void>((resolve) => release.push(resolve));
    running -= 1;
    return n * 10;
  });
  while (release.length > 0 || running > 0) {
    await new Promise<void>((r) => setImmediate(r));
    release.pop()?.();
  }
  t.same(await results, [10, 20, 30, 40, 50]);
  t.equal(most, 2);
});

t.test('mapLimited rejects with the first error', async (t) => {
  await t.rejects(
    mapLimited([1, 2], 2, async (n) => {
      if (n === 2) throw new Error('refused');
      return n;
    }),
    { message: 'refused' },
  );
});
