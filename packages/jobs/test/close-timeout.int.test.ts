import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import t from 'tap';
import { createLogger } from '@aaf-sync/logger';
import { testRedis, within } from '@aaf-sync/testing';
import { z } from 'zod';
import { closeAll, createProducer, defineQueue, startWorker, type Timer } from '../src/index.js';

const lines: string[] = [];
const log = createLogger(
  { level: 'info' },
  new Writable({
    write: (c: Buffer, _e, done) => {
      lines.push(c.toString());
      done();
    },
  }),
);
const Slow = defineQueue({ name: 'slow', payload: z.object({ n: z.number().int() }) });

const forcedLogged = () => lines.some((l) => l.includes('jobs did not close in time'));

t.beforeEach(() => {
  lines.length = 0;
});

t.test('closeAll closes in time when nothing is stuck', async (t) => {
  const redis = await testRedis(t);
  const producer = createProducer(Slow, { connection: redis.connect(), prefix: redis.prefix, log });
  const worker = startWorker(Slow, async () => 'ok', {
    connection: redis.connect(),
    prefix: redis.prefix,
    log,
  });
  await worker.waitUntilReady();
  t.equal(await closeAll([worker], [producer], { timeoutMs: 10_000, log }), true);
  t.notOk(forcedLogged());
});

t.test('a job that never ends: closeAll gives up after its timeout and cancels it', async (t) => {
  const redis = await testRedis(t);
  const producer = createProducer(Slow, { connection: redis.connect(), prefix: redis.prefix, log });
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  let aborted = false;
  const worker = startWorker(
    Slow,
    (_p, _job, _log, signal) =>
      new Promise((_, reject) => {
        started();
        signal?.addEventListener('abort', () => {
          aborted = true;
          reject(new Error('cancelled'));
        });
      }),
    { connection: redis.connect(), prefix: redis.prefix, log },
  );
  await producer.enqueue({ n: 1 }, { jobId: 'forever' });
  await within('the job starting', running, 10_000);

  // The timeout is a timer the test fires: no real wait for it.
  let fire!: () => void;
  let armedFor: number | undefined;
  const timer: Timer = (ms, f) => {
    armedFor = ms;
    fire = f;
    return () => undefined;
  };
  let returned = false;
  const closing = closeAll([worker], [producer], { timeoutMs: 300, log, timer }).finally(
    () => (returned = true),
  );
  t.equal(armedFor, 300, 'the timeout armed for timeoutMs');
  // A turn of the event loop later, closeAll still waits on the job that never ends.
  await new Promise<void>((r) => setImmediate(r));
  t.equal(returned, false, 'closeAll waits while the job runs');
  t.notOk(aborted, 'nothing cancelled before the timeout');
  fire();
  const closed = await within('closeAll', closing, 5_000);
  t.equal(closed, false, 'forced once the timeout fired');
  t.ok(aborted, 'the running job got the cancel signal');
  t.ok(forcedLogged(), 'the forced close is logged');
  await within('the worker finishing its close', worker.close(), 5_000);
});

t.test('Redis gone: closeAll returns within its timeout', async (t) => {
  const script = join(import.meta.dirname, 'fixtures', 'close-redis-gone.ts');
  const child = spawn(process.execPath, ['--import=tsx', script], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => (out += c.toString());
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  t.teardown(() => {
    child.kill('SIGKILL');
  });
  // generous: starting a TypeScript child and a redis-server is slow on a loaded machine
  const code = await within('the child process', exited, 90_000).catch((err: Error) => {
    throw new Error(`${err.message}; its output so far: ${out.trim() || '(none)'}`);
  });
  t.equal(code, 0, out);
  const lines = out.trim().split('\n');
  const result = JSON.parse(lines[lines.length - 1]!) as { closed: boolean; elapsed: number };
  // forced, or closed in time when the close won the race with the connection loss
  t.type(result.closed, 'boolean');
  t.ok(result.elapsed < 3_000, `closeAll returned within its timeout (${result.elapsed} ms)`);
});
