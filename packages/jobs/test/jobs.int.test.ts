import { Writable } from 'node:stream';
import t from 'tap';
import { defineErrors } from '@aaf-sync/errors';
import { createLogger } from '@aaf-sync/logger';
import { testRedis } from '@aaf-sync/testing';
import { z } from 'zod';
import { closeAll, createProducer, defineQueue, schedule, startWorker } from '../src/index.js';

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
const Errors = defineErrors('JOBSTEST', {
  PERMANENT: { status: 400, message: 'permanent', description: 'test only' },
  TRANSIENT: { status: 503, message: 'transient', description: 'test only', retryable: true },
});
const Sums = defineQueue({
  name: 'sums',
  payload: z.object({ a: z.number().int(), b: z.number().int(), fail: z.string().optional() }),
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

t.test('defineQueue refuses a name BullMQ keys would not like', async (t) => {
  t.throws(() => defineQueue({ name: 'Bad Name', payload: z.object({}) }), TypeError);
});

t.test('enqueue validates, a worker runs the job with the parsed payload', async (t) => {
  const redis = await testRedis(t);
  const producer = createProducer(Sums, { connection: redis.connect(), prefix: redis.prefix, log });
  await t.rejects(producer.enqueue({ a: 1, b: 'x' } as never), {
    code: 'JOBS_ERR_INVALID_PAYLOAD',
  });
  t.equal(await producer.queue.count(), 0, 'nothing was added');

  const done = deferred<number>();
  const worker = startWorker(
    Sums,
    async (p) => {
      done.resolve(p.a + p.b);
      return p.a + p.b;
    },
    { connection: redis.connect(), prefix: redis.prefix, log },
  );
  t.teardown(() => closeAll([worker], [producer]));
  const id = await producer.enqueue({ a: 2, b: 3 }, { jobId: 'sum-1' });
  t.equal(id, 'sum-1');
  t.equal(await producer.enqueue({ a: 2, b: 3 }, { jobId: 'sum-1' }), 'sum-1', 'same id: once');
  t.equal(await done.promise, 5);
});

t.test('a non-retryable AppError fails at once; a retryable one is retried', async (t) => {
  const redis = await testRedis(t);
  const producer = createProducer(Sums, { connection: redis.connect(), prefix: redis.prefix, log });
  const calls = new Map<string, number>();
  const worker = startWorker(
    Sums,
    async (p, job) => {
      calls.set(job.id!, (calls.get(job.id!) ?? 0) + 1);
      if (p.fail === 'permanent') throw Errors.PERMANENT();
      if (p.fail === 'transient' && job.attemptsMade === 0) throw Errors.TRANSIENT();
      return 'ok';
    },
    { connection: redis.connect(), prefix: redis.prefix, log },
  );
  t.teardown(() => closeAll([worker], [producer]));
  const failed = deferred<string>();
  const completed = deferred<string>();
  worker.on('failed', (job, err) => {
    if (job?.id === 'p' && job.finishedOn) failed.resolve(err.name);
  });
  worker.on('completed', (job) => completed.resolve(job.id!));
  const retry = { attempts: 3, backoff: { type: 'fixed', delay: 10 } };
  await producer.enqueue({ a: 0, b: 0, fail: 'permanent' }, { jobId: 'p', ...retry });
  t.equal(await failed.promise, 'UnrecoverableError');
  t.equal(calls.get('p'), 1, 'not retried');
  t.equal(await producer.queue.getJobState('p'), 'failed');
  t.ok(await producer.has('p'), 'a failed job is still known');
  await producer.enqueue({ a: 0, b: 0, fail: 'transient' }, { jobId: 'r', ...retry });
  t.equal(await completed.promise, 'r');
  t.equal(calls.get('r'), 2, 'retried once');
  t.notOk(await producer.has('r'), 'a completed job is removed');
  t.ok(lines.some((l) => l.includes('"job failed"') && l.includes('JOBSTEST_ERR_PERMANENT')));
});

t.test('schedule keeps one repeatable job per scheduler id, validated', async (t) => {
  const redis = await testRedis(t);
  const producer = createProducer(Sums, { connection: redis.connect(), prefix: redis.prefix, log });
  t.teardown(() => producer.close());
  await schedule(producer, 'every-hour', 3_600_000, { a: 1, b: 1 });
  await schedule(producer, 'every-hour', 3_600_000, { a: 1, b: 1 });
  t.equal((await producer.queue.getJobSchedulers()).length, 1);
  await t.rejects(schedule(producer, 'bad', 1000, { a: 'x' } as never), {
    code: 'JOBS_ERR_INVALID_PAYLOAD',
  });
});
