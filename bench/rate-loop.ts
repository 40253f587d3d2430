// An open-loop HTTP load at a fixed rate, for benches that measure latency while something else
// runs (bench:ingest's API phase). Requests are scheduled every 1/rate s whatever the answers do;
// a request's latency runs from its scheduled time to the end of its response, so a server (or a
// client) that stalls shows in the percentiles instead of silently lowering the rate (what a
// closed loop, or a rate limiter that waits for free connections, would hide). The backlog is
// bounded: a request due while two seconds' worth are still unanswered is not sent but counted
// as `dropped` (a server that does not keep up would otherwise leave minutes to drain).
// The loop sleeps until the next request is due (a timer per due time, about a millisecond late
// at most on an idle event loop), so what the percentiles hold is the server's answer and not
// the client's tick; `tickMs` gives the old fixed tick (requests sent in bursts every `tickMs`),
// only to measure what such a tick adds.
import { Agent, request } from 'node:http';

export interface RateLoopOptions {
  /** The server's base URL (`http://127.0.0.1:port`). */
  readonly url: string;
  /** Sent as `authorization`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Requests per second. */
  readonly rate: number;
  /** Keep-alive connections at most (requests beyond wait for one: that wait is latency). */
  readonly connections: number;
  /** The path of the next request. */
  readonly path: () => string;
  /** Stops scheduling when this settles (the requests in flight are awaited). */
  readonly until: Promise<unknown>;
  /** Wake every `tickMs` and send what fell due meanwhile, instead of at each due time. */
  readonly tickMs?: number | undefined;
}

export interface RateLoopResult {
  readonly seconds: number;
  readonly requests: number;
  readonly reqPerSec: number;
  /** Responses received. */
  readonly answered: number;
  /** Responses per second (below `reqPerSec` when the server does not keep up). */
  readonly answeredPerSec: number;
  /** Latency from the scheduled time, milliseconds. */
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly non2xx: number;
  readonly errors: number;
  /** Requests not sent because the backlog was full (the server did not keep up). */
  readonly dropped: number;
  /** How late requests left the client after their due time, ms (the load generator's own lag). */
  readonly sendLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** TCP connections the client opened (at most `connections`: keep-alive reuses them). */
  readonly connectionsOpened: number;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** Runs the load until `until` settles; resolves with the latency percentiles. */
export async function rateLoop(o: RateLoopOptions): Promise<RateLoopResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  let connectionsOpened = 0;
  const createConnection = agent.createConnection.bind(agent);
  agent.createConnection = (...args: Parameters<typeof createConnection>) => {
    connectionsOpened++;
    return createConnection(...args);
  };
  const base = new URL(o.url);
  const latencies: number[] = [];
  const lags: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let non2xx = 0;
  let errors = 0;
  let dropped = 0;
  const maxInFlight = Math.max(o.connections, Math.ceil(o.rate * 2));
  let stop = false;
  void o.until.finally(() => {
    stop = true;
  });
  const send = (scheduled: number) => {
    lags.push(performance.now() - scheduled);
    const done = new Promise<void>((resolve) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: o.path(),
          headers: o.headers,
          agent,
        },
        (res) => {
          if (res.statusCode === undefined || res.statusCode >= 300) non2xx++;
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - scheduled);
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end();
    });
    inFlight.add(done);
    void done.then(() => inFlight.delete(done));
  };
  const started = performance.now();
  let sent = 0;
  const dueAt = (n: number) => started + (n * 1000) / o.rate;
  while (!stop) {
    const now = performance.now();
    // every request due by now (a late wake-up sends the ones it missed at once: their latency
    // still runs from their due time)
    for (; dueAt(sent) <= now; sent++) {
      if (inFlight.size >= maxInFlight) dropped++;
      else send(dueAt(sent));
    }
    const wait = o.tickMs ?? dueAt(sent) - performance.now();
    await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  }
  const seconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  const answeredIn = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const sortedLags = lags.sort((a, b) => a - b);
  const ms = (n: number) => Math.round(n * 10) / 10;
  return {
    seconds: Math.round(seconds * 100) / 100,
    requests: sent,
    reqPerSec: Math.round(sent / seconds),
    answered: latencies.length,
    answeredPerSec: Math.round(latencies.length / answeredIn),
    latencyMs: {
      p50: ms(percentile(sorted, 0.5)),
      p99: ms(percentile(sorted, 0.99)),
      max: ms(sorted[sorted.length - 1] ?? 0),
    },
    non2xx,
    errors,
    dropped,
    sendLagMs: {
      p50: ms(percentile(sortedLags, 0.5)),
      p99: ms(percentile(sortedLags, 0.99)),
      max: ms(sortedLags[sortedLags.length - 1] ?? 0),
    },
    connectionsOpened,
  };
}
