import t from 'tap';
import { coalesced } from '../src/coalesced.js';

/** A task whose runs the test ends one by one. */
function gatedTask() {
  const gates: (() => void)[] = [];
  let running = 0;
  let most = 0;
  let runs = 0;
  const task = async () => {
    runs++;
    running++;
    most = Math.max(most, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running--;
  };
  const settle = () => new Promise((r) => setImmediate(r));
  return {
    task,
    gates,
    settle,
    stats: () => ({ runs, most }),
  };
}

t.test('calls during a run share one more run, never two at once', async (t) => {
  const g = gatedTask();
  const call = coalesced(g.task);
  const done: string[] = [];
  const first = call().then(() => done.push('first'));
  await g.settle();
  const later = [1, 2, 3].map((i) => call().then(() => done.push(`later${i}`)));
  await g.settle();
  t.same(g.stats(), { runs: 1, most: 1 }, 'the later calls wait for the running one');
  g.gates.shift()?.();
  await first;
  await g.settle();
  t.same(done, ['first'], 'the later calls wait for a run begun after them');
  t.same(g.stats(), { runs: 2, most: 1 }, 'one more run for the three of them');
  g.gates.shift()?.();
  await Promise.all(later);
  t.same(done, ['first', 'later1', 'later2', 'later3']);
  t.same(g.stats(), { runs: 2, most: 1 });
});

t.test(
  'a call after everything ended starts a run at once; a failure reaches its callers',
  async (t) => {
    let runs = 0;
    const call = coalesced(async () => {
      runs++;
      if (runs === 1) throw new Error('boom');
    });
    await t.rejects(call(), /boom/);
    await call();
    t.equal(runs, 2);
    // A failed run does not keep the next callers from theirs.
    const g = gatedTask();
    let fail = true;
    const call2 = coalesced(async () => {
      if (fail) {
        fail = false;
        await g.task();
        throw new Error('first failed');
      }
      await g.task();
    });
    const a = call2();
    await g.settle();
    const b = call2();
    g.gates.shift()?.();
    await t.rejects(a, /first failed/);
    await g.settle();
    g.gates.shift()?.();
    await b;
    t.same(g.stats(), { runs: 2, most: 1 });
  },
);
