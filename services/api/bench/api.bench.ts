// API benchmark (not a test): `pnpm bench:api [--duration <s>] [--only <name>]
//                            [--compare <other checkout>/services/cli/dist/main.js] [--rounds <n>]`.
// `--compare` starts a second server from another build on the same database and Redis and runs
// each scenario on both, alternately, `--rounds` times (a same-run before/after).
// Seeds a database of its own (50k persons, 200k events), starts `aaf-sync serve` in a child
// process, drives it with autocannon on loopback, prints one JSON document, cleans up.
// Targets (2 cores): account status p99 < 20 ms at 500 req/s; change feed >= 20,000 events/s.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aaf-sync/config';
import { testDb, testRedis } from '@aaf-sync/testing';
import autocannon from 'autocannon';
import { createApiKey } from '@aaf-sync/api-keys';
import { processCpuSeconds } from '../../../bench/bench-lib.js';
import { EVENTS, PERSONS, seedBench } from './seed-bench.js';

const CLI = resolve(import.meta.dirname, '../../cli/dist/main.js');

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    // Write a V8 CPU profile of the server (into this folder) for the run.
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
    compare: { type: 'string' },
    rounds: { type: 'string', default: '1' },
    // the server's LOG_LEVEL: `info` (the default of a deployment) adds a log line per request
    'log-level': { type: 'string', default: 'warn' },
  },
});
const duration = Number(values.duration);
const nodeArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];

const teardowns: (() => unknown)[] = [];
const host = { teardown: (fn: () => unknown) => void teardowns.push(fn) };

async function startServe(
  env: Record<string, string>,
  cli = CLI,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  teardowns.push(async () => {
    child.kill('SIGTERM');
    await exited;
  });
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (!m) return;
      // the log lines that follow (one per request at LOG_LEVEL=info) are drained unread
      child.stdout!.off('data', onData);
      ok(m[1]!);
    };
    child.stdout!.on('data', onData);
    child.on('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  child.stdout!.resume();
  return { url, child };
}

interface Scenario {
  readonly name: string;
  readonly path: () => string;
  readonly connections: number;
  readonly overallRate?: number;
  readonly eventsPerRequest?: number;
}

/** The server's CPU milliseconds per answered request over a scenario (null off Linux). */
async function run(url: string, token: string, s: Scenario, serverPid: number | undefined) {
  const cpuBefore = serverPid === undefined ? null : processCpuSeconds(serverPid);
  const result = await autocannon({
    url,
    connections: s.connections,
    duration,
    ...(s.overallRate ? { overallRate: s.overallRate } : {}),
    headers: { authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (req) => ({ ...req, path: s.path() }) }],
  });
  return {
    scenario: s.name,
    connections: s.connections,
    targetRate: s.overallRate ?? null,
    reqPerSec: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    serverCpuMsPerRequest:
      cpuBefore === null || result.requests.total === 0
        ? null
        : Math.round(((processCpuSeconds(serverPid!)! - cpuBefore) * 1e6) / result.requests.total) /
          1000,
  };
}

/** One consumer following the whole log from the start, page after page (limit 1000). */
async function followFeed(url: string, token: string) {
  const started = performance.now();
  let cursor = '';
  let events = 0;
  let pages = 0;
  for (;;) {
    const res = await fetch(`${url}/v1/changes?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const page = (await res.json()) as { items: unknown[]; nextCursor: string; hasMore: boolean };
    events += page.items.length;
    pages++;
    cursor = page.nextCursor;
    if (!page.hasMore) break;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    scenario: 'change feed, one consumer following the log',
    events,
    pages,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSec: Math.round(events / seconds),
  };
}

try {
  const database = await testDb(host, { poolMax: 2 });
  const redis = await testRedis(host);
  const t0 = performance.now();
  await seedBench(database.db);
  const seedSeconds = Math.round((performance.now() - t0) / 100) / 10;
  const { token } = await createApiKey(database.db, {
    name: 'bench',
    scopes: ['admin'],
    actor: 'bench',
  });
  const serveEnv = {
    DATABASE_URL: database.url,
    REDIS_URL: loadConfig().redis.url,
    QUEUE_PREFIX: redis.prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: values['log-level'],
    LOG_PRETTY: 'false',
    API_RATE_LIMIT_PER_MINUTE: '100000000',
  };
  const servers = [{ server: 'this build', ...(await startServe(serveEnv)) }];
  if (values.compare)
    servers.push({ server: values.compare, ...(await startServe(serveEnv, values.compare)) });
  const { url } = servers[0]!;
  const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
  const feedCursor = (seq: number) =>
    Buffer.from(JSON.stringify({ l: 'feed', s: seq })).toString('base64url');
  const scenarios: Scenario[] = [
    { name: 'baseline GET /healthz', path: () => '/healthz', connections: 10 },
    {
      name: 'account status, max throughput',
      path: () => `/v1/accounts/P${rnd(PERSONS)}`,
      connections: 10,
    },
    {
      name: 'account status at 500 req/s',
      path: () => `/v1/accounts/P${rnd(PERSONS)}`,
      connections: 10,
      overallRate: 500,
    },
    {
      name: 'account status by login at 500 req/s',
      path: () => `/v1/accounts/p.nom${rnd(PERSONS)}`,
      connections: 10,
      overallRate: 500,
    },
    {
      name: 'change feed page (limit=1000, random cursor), one consumer',
      path: () => `/v1/changes?limit=1000&cursor=${feedCursor(rnd(EVENTS - 1000))}`,
      connections: 1,
      eventsPerRequest: 1000,
    },
  ];
  const results: unknown[] = [];
  const { loadavg } = await import('node:os');
  const load = [loadavg()[0]!];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const s of scenarios) {
      if (values.only && !s.name.includes(values.only)) continue;
      for (const server of servers) {
        const r = await run(server.url, token, s, server.child.pid);
        const labelled = servers.length > 1 ? { server: server.server, ...r } : r;
        results.push(
          s.eventsPerRequest
            ? { ...labelled, eventsPerSec: r.reqPerSec * s.eventsPerRequest }
            : labelled,
        );
      }
    }
  }
  if (!values.only || 'change feed, one consumer following the log'.includes(values.only)) {
    results.push(await followFeed(url, token));
  }
  console.log(
    JSON.stringify(
      {
        persons: PERSONS,
        events: EVENTS,
        seedSeconds,
        durationSeconds: duration,
        logLevel: values['log-level'],
        cpus: (await import('node:os')).availableParallelism(),
        // the one-minute load average before and after the scenarios (a shared machine)
        loadAverage: [...load, loadavg()[0]!].map((l) => Math.round(l * 100) / 100),
        results,
      },
      null,
      2,
    ),
  );
} finally {
  for (const fn of teardowns.reverse()) await fn();
}
