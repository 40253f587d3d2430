// The real API server (`aaf-sync serve`, as production starts it) over a bench's database, with an
// admin key and the account ids to ask for: what bench:ingest loads while an import runs.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiKey } from '@aaf-sync/api-keys';
import { loadConfig } from '@aaf-sync/config';
import { createDb, sql } from '@aaf-sync/db';
import { processCpuSeconds, root } from './bench-lib.js';

export interface BenchApi {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  /** A random `/v1/accounts/<jointure>` among the persons of the database. */
  path(): string;
  /** The server process's CPU time so far (user + system, seconds; null off Linux). */
  cpuSeconds(): number | null;
  /** The server's peak RSS so far (VmHWM), MiB. */
  peakRssMb(): number | null;
  stop(): Promise<void>;
}

/**
 * Starts the server with the engine's heap caps (`nodeArgs`) on a free loopback port; `cli`: the
 * `services/cli/dist/main.js` of another build (a before/after in the same run), else this one.
 */
export async function startBenchApi(
  dbUrl: string,
  nodeArgs: readonly string[],
  cli = join(root, 'services/cli/dist/main.js'),
): Promise<BenchApi> {
  const handle = createDb({ url: dbUrl, poolMax: 1 });
  let token: string;
  let jointures: string[];
  try {
    ({ token } = await createApiKey(handle.db, {
      name: 'bench',
      scopes: ['admin'],
      actor: 'bench',
    }));
    const rows = await sql<{ jointure: string }>`
      select jointure from person tablesample system (10) limit 20000`.execute(handle.db);
    jointures = rows.rows.map((r) => r.jointure);
  } finally {
    await handle.close();
  }
  if (jointures.length === 0) throw new Error('no person to ask the API for');
  const child = spawn(process.execPath, [...nodeArgs, cli, 'serve'], {
    cwd: root,
    env: {
      DATABASE_URL: dbUrl,
      REDIS_URL: loadConfig().redis.url,
      QUEUE_PREFIX: `bench-ingest-${process.pid}`,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      API_RATE_LIMIT_PER_MINUTE: '100000000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((r) => child.once('exit', r));
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`serve exited with ${code}`)));
  });
  child.stdout.resume();
  // ready when PostgreSQL and Redis answer (the first requests would otherwise meet a Redis
  // connection still opening)
  for (let i = 0; ; i++) {
    const res = await fetch(`${url}/readyz`).catch(() => null);
    if (res?.ok) break;
    if (i === 100) throw new Error('the API server did not get ready');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    headers: { authorization: `Bearer ${token}` },
    path: () => `/v1/accounts/${jointures[Math.floor(Math.random() * jointures.length)]!}`,
    cpuSeconds: () => (child.pid === undefined ? null : processCpuSeconds(child.pid)),
    peakRssMb: () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return m ? Math.round(Number(m[1]) / 1024) : null;
      } catch {
        return null;
      }
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
