// pnpm bench:webhooks [--events 10000] [--concurrency 32] [--rate 1000] [--linger ms] [--keep]
//
// Webhook deliveries through the real path, in one process and its own database: events
// committed to the log (packages/db appendEvents) → the subscription's outbox (LISTEN/NOTIFY
// wake-up) → the delivery worker (BullMQ, signatures, guarded HTTP client) → a node:http
// receiver on 127.0.0.1 that verifies every signature.
//   baseline  the same number of plain POSTs to the same receiver with the same concurrency
//             (no database, no queue, no signature): the ceiling of this machine; run before
//             the burst and after the steady run, their mean rate is the one compared
//   burst     all events committed at once: deliveries/s until the last one is received
//             (phases: committed, first and last receipt; CPU µs of this process per delivery)
//   steady    the events committed in small transactions at about --rate events/s: latency
//             from each commit to its receipt (p50, p99, max), and where it goes
//             (breakdownMs: fill, claim, slot, http — and record, after the receipt)
// Prints one JSON line — deliveries/s, steady p99 and the burst/baseline ratio first — with the
// machine's load averages (a shared machine skews both the baseline and the runs: compare the
// ratio and the CPU per delivery). Targets (issue 13): ≥ 1,000 deliveries/s and
// p99 < 1 s on 2 cores.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { availableParallelism, loadavg } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { loadConfig } from '@aaf-sync/config';
import { appendEvents, createDb, sql } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { createSecretBox } from '@aaf-sync/targets';
import {
  createSubscription,
  createWebhooksRuntime,
  postJson,
  verify,
  type DeliveryProbe,
  type WebhookPayload,
} from '@aaf-sync/webhooks';
import { benchDatabase, processCpuSeconds, round } from './bench-lib.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '32' },
    rate: { type: 'string', default: '1000' },
    keep: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    linger: { type: 'string' },
  },
});
const UAI = '0750001A';
/** Milliseconds of CPU (user + system) this process used since `since`. */
const cpuMs = (since: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
};
/**
 * CPU milliseconds used so far by the PostgreSQL backends serving the bench's database (from
 * /proc, same machine; a backend that exits meanwhile is not counted). 0 where /proc is absent.
 */
async function backendsCpuMs(db: ReturnType<typeof createDb>['db']): Promise<Map<number, number>> {
  const rows = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = current_database()`.execute(db);
  const out = new Map<number, number>();
  for (const { pid } of rows.rows) {
    const cpu = processCpuSeconds(pid);
    if (cpu !== null) out.set(pid, cpu * 1000); // else not visible from here
  }
  return out;
}
const cpuSince = (before: Map<number, number>, after: Map<number, number>) =>
  [...after].reduce((sum, [pid, ms]) => sum + ms - (before.get(pid) ?? 0), 0);

const pct = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main(): Promise<void> {
  const loadBefore = loadavg().map((l) => round(l, 2));
  const total = Number(values.events);
  const concurrency = Number(values.concurrency);
  const rate = Number(values.rate);
  const config = loadConfig();
  const database = await benchDatabase('webhooks', { keep: values.keep });
  const dbUrl = database.url;
  const handle = createDb({ url: dbUrl, poolMax: 8, applicationName: 'aaf-sync-bench' });
  const redis = new Redis(config.redis.url, { maxRetriesPerRequest: null });
  const prefix = `aaf-bench-webhooks-${process.pid}`;
  let runtime: ReturnType<typeof createWebhooksRuntime> | undefined;
  const server = http.createServer();
  try {
    const { db } = handle;

    // The receiver: verifies each delivery and records when it got each seq.
    let secret = '';
    const received = new Map<number, number>();
    let bad = 0;
    let plain = 0;
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = Date.now();
        const body = Buffer.concat(chunks);
        if (req.url === '/plain') {
          plain++;
          res.writeHead(204).end();
          return;
        }
        try {
          verify(secret, req.headers, body);
          const p = JSON.parse(body.toString('utf8')) as WebhookPayload;
          if (!received.has(p.data.seq)) received.set(p.data.seq, at);
          res.writeHead(204).end();
        } catch {
          bad++;
          res.writeHead(401).end();
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const safety = { allowPrivate: true, connectTimeoutMs: 5_000, totalTimeoutMs: 15_000 };

    // Baseline: plain POSTs, same client, same concurrency; run before the burst and again after
    // the steady run (a shared machine's load moves: the ratio uses their mean).
    const baseline = async () => {
      const cpu = process.cpuUsage();
      const t0 = performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            next++;
            await postJson(`${url}/plain`, {}, '{"type":"account.updated"}', safety);
          }
        }),
      );
      return { seconds: (performance.now() - t0) / 1000, cpuMs: cpuMs(cpu) };
    };
    const baselineBefore = await baseline();
    let started = performance.now();

    const box = createSecretBox(randomBytes(32).toString('base64'));
    const created = await createSubscription(
      { db, box, allowPrivate: true, rotationWindowMs: 3_600_000 },
      { name: 'bench', url: `${url}/hooks`, uais: [UAI], eventTypes: ['account.*'] },
      'bench',
    );
    secret = created.secret;
    const log = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
    // Where the time goes: when each seq was filled, claimed, sent (POST started), recorded.
    const fills: { upto: number; at: number }[] = [];
    const claimedAt = new Map<number, number>();
    const sendingAt = new Map<number, number>();
    const recordedAt = new Map<number, number>();
    const probe: DeliveryProbe = {
      filled: (upto, at) => fills.push({ upto, at }),
      claimed: (seqs, at) => seqs.forEach((s) => claimedAt.set(s, at)),
      sending: (seq, at) => sendingAt.set(seq, at),
      recorded: (seqs, at) => seqs.forEach((s) => recordedAt.set(s, at)),
    };
    /** When the first fill that covered `seq` committed (fills move the cursor up). */
    const filledAt = (seq: number) => {
      let lo = 0;
      let hi = fills.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((fills[mid]?.upto ?? 0) >= seq) hi = mid;
        else lo = mid + 1;
      }
      return fills[lo]?.at ?? 0;
    };
    runtime = createWebhooksRuntime({
      db,
      listenUrl: dbUrl,
      connection: redis,
      prefix,
      log,
      box,
      safety,
      concurrency,
      disableAfterMs: 86_400_000,
      pollMs: 60_000,
      probe,
      ...(values.linger !== undefined ? { lingerMs: Number(values.linger) } : {}),
    });
    await runtime.start();

    let lastSeq = 0;
    const commit = async (keys: readonly string[], committed: Map<number, number>) => {
      await db.transaction().execute((trx) =>
        appendEvents(
          trx,
          keys.map((k) => ({
            entityType: 'person' as const,
            entityKey: k,
            op: 'updated' as const,
            version: 2,
            uais: [UAI],
            changes: { sn: ['a', 'b'] },
          })),
        ),
      );
      const at = Date.now();
      // This bench is the only writer: the events after the last seen seq are this commit's.
      const rows = await db
        .selectFrom('change_event')
        .select('seq')
        .where('seq', '>', lastSeq)
        .execute();
      for (const r of rows) {
        committed.set(Number(r.seq), at);
        lastSeq = Math.max(lastSeq, Number(r.seq));
      }
    };
    const failures = async () =>
      (
        await db
          .selectFrom('webhook_attempt')
          .select(['error', 'status_code'])
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('ok', '=', false)
          .groupBy(['error', 'status_code'])
          .execute()
      ).map((f) => ({ error: f.error, status: f.status_code, attempts: Number(f.n) }));
    const waitAll = async (committed: Map<number, number>) => {
      const deadline = Date.now() + Number(values.timeout) * 1000;
      // The seqs not received yet, shrinking: the check must not cost the run it measures.
      let missing = [...committed.keys()];
      while ((missing = missing.filter((s) => !received.has(s))).length > 0) {
        if (Date.now() > deadline)
          throw new Error(`deliveries did not complete: ${JSON.stringify(await failures())}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    // Burst: every event in one commit.
    const burst = new Map<number, number>();
    const burstStart = Date.now();
    const burstCpu = process.cpuUsage();
    const burstPgCpu = await backendsCpuMs(db);
    started = performance.now();
    await commit(
      Array.from({ length: total }, (_, i) => `P${i % 2000}`),
      burst,
    );
    const committedMs = Date.now() - burstStart;
    await waitAll(burst);
    const burstSeconds = (performance.now() - started) / 1000;
    const burstCpuMs = cpuMs(burstCpu);
    const burstPgCpuMs = cpuSince(burstPgCpu, await backendsCpuMs(db));
    const burstTimes = [...burst.keys()].map((s) => received.get(s) ?? 0);
    const firstMs = Math.min(...burstTimes) - burstStart;
    const lastMs = Math.max(...burstTimes) - burstStart;

    // Steady: a commit every 20 ms of the events due by then at `rate` events/s (a slow commit
    // makes the next one bigger: the offered rate holds on a loaded machine).
    const steady = new Map<number, number>();
    started = performance.now();
    for (let sent = 0; sent < total;) {
      const tick = performance.now();
      const due = Math.round(((tick - started) / 1000) * rate) + 1;
      const n = Math.min(total - sent, Math.max(1, due - sent));
      await commit(
        Array.from({ length: n }, (_, i) => `S${(sent + i) % 3000}`),
        steady,
      );
      sent += n;
      const wait = 20 - (performance.now() - tick);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    const offeredSeconds = (performance.now() - started) / 1000;
    await waitAll(steady);
    const steadySeconds = (performance.now() - started) / 1000;
    // The steady latency cut in stages (ms, p50/p99/mean over the steady seqs): fill (commit →
    // the outbox fill covering it committed: NOTIFY, wake-up, fill), claim (→ claimed: the job,
    // the pump's wake-up, the claim's wait and round trip), slot (→ its POST starts), http (→
    // the receiver got it); record (receipt → its attempt recorded) is not in the latency.
    const stages = { fill: [], claim: [], slot: [], http: [], record: [] } as Record<
      'fill' | 'claim' | 'slot' | 'http' | 'record',
      number[]
    >;
    for (const [seq, at] of steady) {
      const f = filledAt(seq);
      const c = claimedAt.get(seq) ?? f;
      const sd = sendingAt.get(seq) ?? c;
      const r = received.get(seq) ?? sd;
      stages.fill.push(f - at);
      stages.claim.push(c - f);
      stages.slot.push(sd - c);
      stages.http.push(r - sd);
      stages.record.push((recordedAt.get(seq) ?? r) - r);
    }
    const breakdownMs = Object.fromEntries(
      Object.entries(stages).map(([k, v]) => {
        const sorted = v.sort((a, b) => a - b);
        const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
        return [k, { p50: pct(sorted, 50), p99: pct(sorted, 99), mean: round(mean, 1) }];
      }),
    );
    const latencies = [...steady]
      .map(([seq, at]) => (received.get(seq) ?? at) - at)
      .sort((a, b) => a - b);

    const baselineAfter = await baseline();
    const baselinePerSec = Math.round(
      total / ((baselineBefore.seconds + baselineAfter.seconds) / 2),
    );

    const deliveriesPerSec = Math.round(total / burstSeconds);
    const p99 = pct(latencies, 99);
    const burstVsBaseline = round(deliveriesPerSec / baselinePerSec, 3);
    // The headline first (the figures), then the details.
    const result = {
      benchmark: 'webhooks',
      deliveriesPerSec,
      p99Ms: p99,
      burstVsBaseline,
      events: total,
      concurrency,
      // CPU of this process (client, worker and receiver) per delivery or plain POST, in µs: a
      // figure the machine's load moves less than the rates.
      baseline: {
        postsPerSec: baselinePerSec,
        secondsBefore: round(baselineBefore.seconds, 2),
        secondsAfter: round(baselineAfter.seconds, 2),
        cpuUsPerPost: Math.round(
          ((baselineBefore.cpuMs + baselineAfter.cpuMs) * 1000) / (2 * total),
        ),
        received: plain,
      },
      // Phases from the start of the commit (ms): committed, first and last delivery received.
      burst: {
        seconds: round(burstSeconds, 2),
        deliveriesPerSec,
        cpuUsPerDelivery: Math.round((burstCpuMs * 1000) / total),
        // The same for the PostgreSQL backends (fill, claims, records; 10 ms ticks).
        postgresCpuUsPerDelivery: Math.round((burstPgCpuMs * 1000) / total),
        phasesMs: { committed: committedMs, firstReceived: firstMs, lastReceived: lastMs },
      },
      steady: {
        offeredPerSec: rate,
        committedPerSec: Math.round(total / offeredSeconds),
        seconds: round(steadySeconds, 2),
        deliveriesPerSec: Math.round(total / steadySeconds),
        latencyMs: { p50: pct(latencies, 50), p99, max: latencies.at(-1) ?? 0 },
        breakdownMs,
      },
      badSignatures: bad,
      failedAttempts: await failures(),
      targetsMet: { deliveriesPerSec: deliveriesPerSec >= 1_000, p99UnderOneSecond: p99 < 1_000 },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      // The machine is shared: the 1/5/15-minute load averages before and after, next to its cores.
      machine: {
        cores: availableParallelism(),
        loadAverageBefore: loadBefore,
        loadAverageAfter: loadavg().map((l) => round(l, 2)),
      },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await runtime?.close();
    server.close();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await handle.close();
    await database.drop();
  }
}

await main();
