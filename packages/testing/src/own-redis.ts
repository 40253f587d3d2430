import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { TeardownHost } from './teardown.js';

export interface OwnRedis {
  readonly port: number;
  readonly url: string;
  /** A new connection (`maxRetriesPerRequest: null`, errors ignored), disconnected at teardown. */
  connect(): Redis;
  /** Kills the server with SIGKILL (clients get no goodbye) and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts the server again, empty, on the same port; resolves once it answers PING. */
  start(): Promise<void>;
}

const START_TIMEOUT_MS = 10_000;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
  });
}

/**
 * The server runs under a small shell that also kills it when this test process disappears
 * (a test killed by tap's timeout leaves no redis-server behind).
 */
const WATCHDOG = [
  'redis-server "$@" & r=$!',
  "trap 'kill -9 $r 2>/dev/null; wait $r; exit 0' TERM INT",
  'while kill -0 "$PARENT_PID" 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 0.2 & wait $!; done',
  'kill -9 $r 2>/dev/null; wait $r',
].join('\n');

/**
 * A redis-server of the calling test's own, on a free port, for tests that kill and restart
 * Redis: the shared Redis of `scripts/services` (port 6379, used by every other test file) is
 * never touched. Nothing is saved (`--save ''`); its working folder is a temporary folder
 * outside tap's fixtures. At teardown the server is killed and the folder removed.
 */
export async function ownRedis(t: TeardownHost): Promise<OwnRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'aaf-own-redis-'));
  const connections: Redis[] = [];
  let child: ChildProcess | undefined;
  let output = '';

  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    c.kill('SIGTERM'); // the watchdog SIGKILLs redis-server, then exits
    await exited;
  };

  const start = async (): Promise<void> => {
    if (child) throw new Error(`own redis on port ${port} is already running`);
    output = '';
    const c = spawn(
      'sh',
      ['-c', WATCHDOG, 'own-redis', '--port', String(port), '--bind', '127.0.0.1'].concat([
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
      ]),
      {
        env: { ...process.env, PARENT_PID: String(process.pid) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child = c;
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
    c.stdout?.on('data', keep);
    c.stderr?.on('data', keep);
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
    });
    probe.on('error', () => {});
    try {
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (c.exitCode !== null)
          throw new Error(`redis-server on port ${port} exited at start: ${output.trim()}`);
        const pong = await probe
          .connect()
          .then(() => probe.ping())
          .catch(() => '');
        if (pong === 'PONG') return;
        probe.disconnect();
        if (Date.now() > deadline)
          throw new Error(
            `redis-server on port ${port} not answering after ${START_TIMEOUT_MS} ms`,
          );
        await sleep(50);
      }
    } finally {
      probe.disconnect();
    }
  };

  t.teardown(async () => {
    for (const r of connections) r.disconnect();
    await kill();
    rmSync(dir, { recursive: true, force: true });
  });
  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    connect() {
      const r = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: null });
      r.on('error', () => {});
      connections.push(r);
      return r;
    },
    kill,
    start,
  };
}
