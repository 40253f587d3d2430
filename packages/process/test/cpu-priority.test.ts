import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import t from 'tap';

const SOURCE = resolve(import.meta.dirname, '../src/cpu-priority.ts');

/**
 * Runs `body` in a Node process of its own (a lowered priority cannot be raised back without
 * privileges: the test process must keep its own), with `lower` and `threadNices()` (the nice
 * value of each of its threads) in scope; answers what the body prints as JSON.
 */
function inChild(body: string): unknown {
  const script = `
    import { readdirSync } from 'node:fs';
    import { getPriority } from 'node:os';
    const { lowerCpuPriority: lower } = await import(${JSON.stringify(SOURCE)});
    const threadNices = () => readdirSync('/proc/self/task').map((tid) => getPriority(Number(tid)));
    ${body}`;
  const out = execFileSync(
    process.execPath,
    ['--import=tsx', '--input-type=module', '-e', script],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out);
}

t.test(
  'every thread of the process is lowered, and threads started later inherit it',
  { skip: process.platform !== 'linux' && 'per-thread nice values are a Linux matter' },
  async (t) => {
    const r = inChild(`
    const before = threadNices();
    const done = lower(10);
    const after = threadNices();
    // a thread started after (a worker thread, with its own V8 threads), kept until counted
    const { Worker } = await import('node:worker_threads');
    const worker = new Worker('setInterval(() => {}, 1000)', { eval: true });
    await new Promise((ok) => worker.once('online', ok));
    const later = threadNices();
    await worker.terminate();
    console.log(JSON.stringify({ before, done, after, later }));
  `) as {
      before: number[];
      done: { nice: number; threads: number };
      after: number[];
      later: number[];
    };
    t.ok(r.before.length > 1, 'V8 and libuv threads are there from the start');
    t.ok(
      r.before.every((n) => n === r.before[0]),
      'one priority before',
    );
    t.equal(r.done.nice, 10);
    t.equal(r.done.threads, r.before.length, 'each thread lowered');
    t.same(new Set(r.after), new Set([10]));
    t.ok(r.later.length > r.after.length, 'threads started since');
    t.same(new Set(r.later), new Set([10]), 'and they run at the lowered priority');
  },
);

t.test('never raises a priority, and refuses values outside 0..19', async (t) => {
  const r = inChild(`
    const first = lower(12);
    const second = lower(5);
    const zero = lower(0);
    const refused = [];
    for (const v of [-1, 20, 1.5, NaN]) {
      try { lower(v); } catch (err) { refused.push(err instanceof RangeError); }
    }
    console.log(JSON.stringify({ first, second, zero, refused }));
  `);
  t.match(r, {
    first: { nice: 12 },
    second: { nice: 12, threads: 0 },
    zero: { nice: 12, threads: 0 },
    refused: [true, true, true, true],
  });
});
