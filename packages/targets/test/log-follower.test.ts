import t from 'tap';
import { createLogFollower } from '../src/log-follower.js';
import { captureLog } from './fixtures.js';

/** A follower polling once an hour (never, in a test), no LISTEN: the test drives it. */
function follower(o: {
  pass: () => Promise<number[]>;
  afterPasses?: () => Promise<unknown>;
  failureMessage?: string;
}) {
  const { log, lines } = captureLog();
  const f = createLogFollower<number>({
    channels: [],
    pollMs: 3_600_000,
    log,
    pass: o.pass,
    afterPasses: o.afterPasses ?? (async () => {}),
    failureMessage: o.failureMessage ?? 'failed',
  });
  return { follower: f, lines };
}

/** A promise and the function that resolves it. */
function gate<T = void>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

t.test('a wake-up during a pass asks for one more pass, sharing the running promise', async (t) => {
  const first = gate();
  let passes = 0;
  const { follower: f } = follower({
    pass: async () => {
      passes++;
      if (passes === 1) await first.promise;
      return [passes];
    },
  });
  const a = f.run();
  const b = f.run();
  const c = f.run();
  t.equal(a, b, 'the same run');
  t.equal(b, c);
  first.open();
  t.same(await a, [1, 2], 'two passes: the one running and one more for the wake-ups');
  t.same(await f.run(), [3], 'a later call starts a new run');
  await f.stop();
});

t.test('start wakes once: passes then afterPasses; a failure is logged, not thrown', async (t) => {
  const after = gate();
  const { follower: f, lines } = follower({
    pass: () => Promise.resolve([]),
    afterPasses: () => {
      after.open();
      return Promise.reject(new Error('sweep broke'));
    },
    failureMessage: 'dispatch or sweep failed',
  });
  await f.start();
  await after.promise;
  // The rejection is logged by the wake-up's catch, which runs after afterPasses settles.
  await f.stop();
  await new Promise<void>((r) => setImmediate(r));
  t.match(lines.join(''), /dispatch or sweep failed/);
  t.match(lines.join(''), /sweep broke/);
});

t.test('stop waits for the running pass and ends the run after it', async (t) => {
  const inPass = gate();
  const release = gate();
  let passes = 0;
  const { follower: f } = follower({
    pass: async () => {
      passes++;
      inPass.open();
      await release.promise;
      return [passes];
    },
  });
  const run = f.run();
  await inPass.promise;
  void f.run(); // asks for one more pass
  const stopped = f.stop();
  t.equal(f.stopped, true);
  let done = false;
  void stopped.then(() => (done = true));
  await new Promise<void>((r) => setImmediate(r));
  t.equal(done, false, 'still waiting for the pass');
  release.open();
  await stopped;
  t.same(await run, [1], 'no further pass once stopped');
});
