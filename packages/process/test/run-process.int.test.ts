import { EventEmitter, once } from 'node:events';
import { Writable } from 'node:stream';
import { loadConfig } from '@aaf-sync/config';
import { sql } from '@aaf-sync/db';
import type { Timer } from '@aaf-sync/jobs';
import { createLogger } from '@aaf-sync/logger';
import { within } from '@aaf-sync/testing';
import type { Redis } from 'ioredis';
import t from 'tap';
import {
  PART_CLOSE_GRACE_MS,
  runProcess,
  type Closable,
  type ProcessContext,
} from '../src/index.js';

const config = loadConfig();

/** A timer the test fires itself: every armed bound is recorded, none fires on its own. */
function manualTimer() {
  const armed: { ms: number; fire: () => void; disarmed: boolean }[] = [];
  const timer: Timer = (ms, fire) => {
    const entry = { ms, fire, disarmed: false };
    armed.push(entry);
    return () => (entry.disarmed = true);
  };
  return { armed, timer };
}

function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const log = createLogger(
    { level: 'info' },
    new Writable({
      write: (c: Buffer, _e, done) => {
        lines.push(JSON.parse(c.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  return { lines, log };
}

/** Resolves once the connection has ended (QUIT answered, or dropped). */
async function ended(connection: Redis): Promise<string> {
  if (connection.status !== 'end') await within('redis end', once(connection, 'end'), 5_000);
  return connection.status;
}

/** A turn of the event loop: every promise already settled has run its callbacks. */
const turn = () => new Promise<void>((r) => setImmediate(r));

/** Runs a process of the given parts with a test signal source, timer and log. */
function start(parts: Closable[]) {
  const signals = new EventEmitter();
  const { armed, timer } = manualTimer();
  const { lines, log } = capturedLog();
  let context!: ProcessContext;
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const result = runProcess({
    name: 'test-process',
    config,
    signals,
    timer,
    log,
    start: async (c) => {
      context = c;
      started();
      return parts;
    },
  });
  return { signals, armed, lines, running, context: () => context, result };
}

t.test('SIGTERM closes the parts in order, then Redis and the pool', async (t) => {
  const order: string[] = [];
  const p = start([
    { close: async () => void order.push('first') },
    { close: async () => void order.push('second') },
  ]);
  await p.running;
  const { db, connection } = p.context();
  await sql`select 1`.execute(db);
  await connection.ping();
  let returned = false;
  void p.result.finally(() => (returned = true));
  await turn();
  t.equal(returned, false, 'runs until a signal');
  t.same(order, []);

  p.signals.emit('SIGTERM');
  t.equal(await within('runProcess', p.result, 10_000), true, 'clean');
  t.same(order, ['first', 'second']);
  t.equal(await ended(connection), 'end', 'Redis closed');
  await t.rejects(sql`select 1`.execute(db), 'the pool is closed');
  t.ok(
    p.lines.some((l) => l.msg === 'test-process stopping' && l.signal === 'SIGTERM'),
    'the stop is logged with its signal',
  );
  t.equal(p.signals.listenerCount('SIGINT'), 0, 'no signal listener left behind');
  t.equal(p.signals.listenerCount('SIGTERM'), 0);
});

t.test('a close that fails is logged; the rest still closes and the run says so', async (t) => {
  const order: string[] = [];
  const p = start([
    {
      close: async () => {
        throw new Error('boom');
      },
    },
    { close: async () => void order.push('second') },
  ]);
  await p.running;
  const { connection } = p.context();
  p.signals.emit('SIGINT');
  t.equal(await within('runProcess', p.result, 10_000), false, 'not clean');
  t.same(order, ['second'], 'the next part closed all the same');
  t.equal(await ended(connection), 'end');
  t.ok(p.lines.some((l) => l.msg === 'close failed' && l.part === 'part 0'));
});

t.test('a part forced by its own bound (close resolves false) is not clean', async (t) => {
  const p = start([{ close: async () => false }]);
  await p.running;
  p.signals.emit('SIGTERM');
  t.equal(await within('runProcess', p.result, 10_000), false);
});

t.test('a close that never ends is left behind once its bound fires', async (t) => {
  const order: string[] = [];
  const p = start([
    { close: () => new Promise<void>(() => undefined) },
    { close: async () => void order.push('second') },
  ]);
  await p.running;
  const { connection } = p.context();
  let returned = false;
  void p.result.finally(() => (returned = true));
  p.signals.emit('SIGTERM');
  await turn();
  const bound = p.armed.at(-1);
  t.equal(bound?.ms, config.jobs.shutdownTimeoutMs + PART_CLOSE_GRACE_MS, 'the part is bounded');
  t.equal(returned, false, 'it waits for the part until the bound fires');
  t.same(order, []);
  bound!.fire();
  t.equal(await within('runProcess', p.result, 10_000), false, 'not clean');
  t.same(order, ['second'], 'the next part closed');
  t.equal(await ended(connection), 'end', 'Redis closed');
  t.ok(p.lines.some((l) => l.msg === 'did not close in time: left behind'));
});

t.test('a start that throws closes Redis and the pool, and rejects', async (t) => {
  let context!: ProcessContext;
  const signals = new EventEmitter();
  await t.rejects(
    runProcess({
      name: 'test-process',
      config,
      signals,
      log: capturedLog().log,
      start: async (c) => {
        context = c;
        await sql`select 1`.execute(c.db);
        throw new Error('cannot start');
      },
    }),
    { message: 'cannot start' },
  );
  t.equal(await ended(context.connection), 'end');
  await t.rejects(sql`select 1`.execute(context.db), 'the pool is closed');
});
