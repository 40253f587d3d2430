import t from 'tap';
import { createLogFollower } from '../src/log-follower.js';
import { captureLog } from './fixtures.js';

/** A promise and the function that resolves it. */
function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

t.test('a wake-up during a pass asks for one more pass, sharing the running promise', async (t) => {
  const { log } = captureLog();
  const first = gate();
  let passes = 0;
  const follower = createLogFollower<number>({
    channels: [],
    pollMs: 3_600_000,
    log,
    pass: async () => {
      passes++;
      if (passes === 1) await first.promise;
      return [passes];
    },
    afterPasses: async () => {},
    failureMessage: 'failed',
  });
  const a = follower.run();
  const b = follower.run();
  const c = follower.run();
  t.equal(a, b, 'the same run');
  t.equal(b, c);
  first.open();
  t.same(await a, [1, 2], 'two passes: the one running and one more for the wake-ups');
  t.same(await follower.run(), [3], 'a later call starts a new run');
  await follower.stop();
});

t.test('start wakes once: passes then afterPasses; a failure is logged, not thrown', async (t) => {
  const { log, lines } = captureLog();
  const after = gate();
  const follower = createLogFollower<number>({
    channels: [],
    pollMs: 3_600_000,
    log,
    pass: () => Promise.resolve([]),
    afterPasses: () => {
      after.open();
      return Promise.reject(new Error('sweep broke'));
    },
    failureMessage: 'dispatch or sweep failed',
  });
  await follower.start();
  await after.promise;
  // The rejection is logged by the wake-up's catch, which runs after afterPasses settles.
  await follower.stop();
  await new Promise<void>((r) => setImmediate(r));
  t.match(lines.join(''), /dispatch or sweep failed/);
  t.match(lines.join(''), /sweep broke/);
});

t.test('stop waits for the running pass and ends the run after it', async (t) => {
  const { log } = captureLog();
  const inPass = gate();
  const release = gate();
  let passes = 0;
  const follower = createLogFollower<number>({
    channels: [],
    pollMs: 3_600_000,
    log,
    pass: async () => {
      passes++;
      inPass.open();
      await release.promise;
      return [passes];
    },
    afterPasses: async () => {},
    failureMessage: 'failed',
  });
  const run = follower.run();
  await inPass.promise;
  void follower.run(); // asks for one more pass
  const stopped = follower.stop();
  t.equal(follower.stopped, true);
  let done = false;
  void stopped.then(() => (done = true));
  await new Promise<void>((r) => setImmediate(r));
  t.equal(done, false, 'still waiting for the pass');
  release.open();
  await stopped;
  t.same(await run, [1], 'no further pass once stopped');
});
