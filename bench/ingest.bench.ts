// pnpm bench:ingest [--persons 300000] [--seed 1] [--changes 1000] [--api-rate 500]
//                   [--api-seconds 5] [--api-compare <build>/services/cli/dist/main.js] [--keep]
//
// Generates (once, cached in .cache/bench) a synthetic 2D complete, then measures in separate
// processes, each with its own peak RSS:
//   raw       saxes alone over the same files (decode + parse, no handler): the baseline, run
//             before and after every phase (a phase is compared with the mean of the two)
//   parse     the project's reader + normalise + hash of every record (no database)
//   ingest    full import into an empty database (plan, identifiers, events, one transaction)
//   reingest  the next week's complete with the same content (nothing changed)
//   delta     a delta of `--changes` modifyRequests (given names) on the loaded directory
//   api       the real API server (`aaf-sync serve`) asked for random accounts' status at
//             `--api-rate` req/s (open loop, latency from the scheduled time): first for
//             `--api-seconds` with nothing else running, then while a third weekly complete
//             (the same content, next date) is applied at the priority the bench runs at,
//             then while a fourth is applied lowered to INGEST_NICE (as the ingester runs it)
// in the engine's production set-up (plain Node, the heap cap of package.json), and prints one
// JSON document with MiB/s, records/s, peak RSS and the ratio to `raw` per phase (how fast
// the phase goes through the same bytes as bare saxes; the delta's is its seconds), plus where
// the time goes: parse / normalise / hash for `parse`, and per import phase (reading, planning,
// applying) the wall time, the Node process's CPU time, the SQL time per statement family
// (verb + table; `copy <table>` for the first import's COPY FROM STDIN) and the time outside
// SQL, and the PostgreSQL server's version and the settings it runs with that differ from the
// defaults.
// Ratios are what the targets are about: absolute times vary a lot on shared 2-core machines.
import { spawn, spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, setPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SaxesParser } from 'saxes';
import { loadConfig } from '@aaf-sync/config';
import type { RateLoopResult } from './rate-loop.js';

// The phases run this file under plain Node, which does not map './bench-lib.js' to its .ts:
// the shared bench helpers are loaded in the parent only (main, under tsx).
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '300000' },
    seed: { type: 'string', default: '1' },
    changes: { type: 'string', default: '1000' },
    'api-rate': { type: 'string', default: '500' },
    'api-seconds': { type: 'string', default: '5' },
    // the API phase again with the server of another build (two more weekly completes)
    'api-compare': { type: 'string' },
    keep: { type: 'boolean', default: false },
    phase: { type: 'string' },
    dir: { type: 'string' },
    db: { type: 'string' },
    // a phase's child: lower its CPU priority to this nice value (the ingester's INGEST_NICE)
    nice: { type: 'string' },
    // a phase's child: lower its PostgreSQL backends' priority too (local server, when allowed)
    'nice-backends': { type: 'boolean', default: false },
    // the API phase again, the lowered import's PostgreSQL backends lowered too (an experiment)
    'api-nice-backends': { type: 'boolean', default: false },
  },
});

/** Seconds per statement family (`insert person`, `select person_structure`…) and count. */
type Families = Record<string, { seconds: number; statements: number }>;

interface PhaseResult {
  readonly seconds: number;
  /** CPU seconds of the phase's Node process (user + system). */
  readonly cpuSeconds: number;
  /** CPU seconds of the PostgreSQL backends serving it (local server only, else null). */
  readonly postgresCpuSeconds?: number | null;
  readonly records: number;
  readonly bytes: number;
  readonly peakRssMb: number;
  readonly status?: string;
  readonly breakdown?: Record<string, unknown>;
}

const now = () => process.hrtime.bigint();
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e9;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

/** `insert into "person" (…` → `insert person`; `select … from person p join …` → `select person`. */
function familyOf(text: string): string {
  const s = text.replace(/\s+/g, ' ').replace(/"/g, '').trim().toLowerCase();
  const write = /\b(insert into|update|delete from) ([a-z_]+)/.exec(s);
  if (
    write &&
    (s.startsWith('insert') ||
      s.startsWith('update') ||
      s.startsWith('delete') ||
      s.startsWith('with'))
  ) {
    return `${write[1]!.split(' ')[0]} ${write[2]}`;
  }
  const read = /\bfrom ([a-z_]+)/.exec(s);
  if (s.startsWith('select') && read) return `select ${read[1]}`;
  return s.split(' ').slice(0, 2).join(' ');
}

/** The files of a delivery folder, in name order. */
const xmlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.xml'))
    .sort()
    .map((n) => join(dir, n));

/** Bare saxes over the files: decode (UTF-8, streaming) and parse, no handler. */
async function rawPhase(dir: string) {
  let bytes = 0;
  for (const path of xmlFiles(dir)) {
    const parser = new SaxesParser();
    const decoder = new TextDecoder('utf-8');
    for await (const chunk of createReadStream(path)) {
      const buf = chunk as Buffer;
      bytes += buf.length;
      parser.write(decoder.decode(buf, { stream: true }));
    }
    parser.close();
  }
  // No handler, not even to count requests: saxes alone is the point (records: see parse).
  return { records: 0, bytes };
}

async function parsePhase(dir: string) {
  const { openDeliveries, readAafFile, normalizeRecord, recordHash } =
    await import('@aaf-sync/aaf');
  let records = 0;
  let bytes = 0;
  let normalise = 0;
  let hash = 0;
  for (const delivery of await openDeliveries([dir])) {
    for (const file of delivery.files) {
      bytes += file.size;
      for await (const item of readAafFile(await file.open(), { fileName: file.fileName.name })) {
        if (item.type !== 'record') continue;
        records++;
        let t = now();
        normalizeRecord(file.fileName.entity, item.record.id, item.record.attributes);
        normalise += since(t);
        t = now();
        recordHash(item.record.attributes);
        hash += since(t);
      }
    }
  }
  return { records, bytes, breakdown: { normaliseSeconds: r3(normalise), hashSeconds: r3(hash) } };
}

/**
 * User + system CPU seconds of processes (Linux /proc; null when one cannot be read). bench-lib's
 * `processesCpuSeconds`, repeated here: the phases run this file under plain Node (see above).
 */
function backendCpu(pids: ReadonlySet<number>): number | null {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      return null;
    }
  }
  return pids.size === 0 ? null : r3(ticks / 100);
}

async function importPhase(dir: string, dbUrl: string) {
  const { createDb } = await import('@aaf-sync/db');
  const { createIngestDeps, ingestPaths } = await import('@aaf-sync/ingest');
  const { createLogger } = await import('@aaf-sync/logger');
  const config = loadConfig({ ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' });
  /** Per import phase: wall time, this process's CPU time, SQL time per family. */
  type Phase = {
    started: bigint;
    cpu: NodeJS.CpuUsage;
    seconds: number;
    cpuSeconds: number;
    sql: Families;
  };
  const phases: Record<string, Phase> = {};
  const open = (): Phase => ({
    started: now(),
    cpu: process.cpuUsage(),
    seconds: 0,
    cpuSeconds: 0,
    sql: {},
  });
  const close = (p: Phase) => {
    p.seconds = since(p.started);
    const used = process.cpuUsage(p.cpu);
    p.cpuSeconds = (used.user + used.system) / 1e6;
  };
  /** The slowest statements (the first 160 characters of their text). */
  const slowest: [number, string][] = [];
  let current = 'setup';
  phases[current] = open();
  const onQuery = (text: string, ms: number) => {
    const family = familyOf(text);
    const sql = phases[current]!.sql;
    const f = (sql[family] ??= { seconds: 0, statements: 0 });
    f.seconds += ms / 1000;
    f.statements++;
    if (slowest.length < 5 || ms > slowest[slowest.length - 1]![0]) {
      slowest.push([ms, `${current}: ${text.replace(/\s+/g, ' ').trim().slice(0, 160)}`]);
      slowest.sort((a, b) => b[0] - a[0]).splice(5);
    }
  };
  const handle = createDb({ url: dbUrl, poolMax: 4, onQuery });
  // The backends' process ids, to read their CPU time from /proc at the end (a local server).
  const backends = new Set<number>();
  // (kept open to the end: an idle backend closed by the pool would take its CPU time with it)
  (handle.pool.options as { idleTimeoutMillis?: number }).idleTimeoutMillis = 0;
  handle.pool.on('connect', (client) => {
    client
      .query<{ pid: number }>('select pg_backend_pid() as pid')
      .then((r) => {
        const pid = r.rows[0]!.pid;
        backends.add(pid);
        const nice = Number(values.nice ?? 0);
        if (values['nice-backends'] && nice > 0) setPriority(pid, nice);
      })
      .catch(() => {});
  });
  const log = createLogger({ level: 'warn', fd: 2 });
  const { imports } = await ingestPaths(createIngestDeps(config, handle.db, log), [dir], {
    source: 'bench',
    onPhase: (_id, phase) => {
      close(phases[current]!);
      current = phase;
      phases[current] ??= open();
    },
  });
  close(phases[current]!);
  const postgresCpuSeconds = backendCpu(backends);
  await handle.close();
  const r = imports[0]!;
  const breakdown = Object.fromEntries(
    Object.entries(phases)
      .filter(([name]) => name !== 'done')
      .map(([name, p]) => {
        const families = Object.entries(p.sql).sort((a, b) => b[1].seconds - a[1].seconds);
        const sqlSeconds = families.reduce((n, [, f]) => n + f.seconds, 0);
        return [
          name,
          {
            seconds: r3(p.seconds),
            // the Node process's CPU in the phase (what a loaded machine disturbs least)
            nodeCpuSeconds: r3(p.cpuSeconds),
            sqlSeconds: r3(sqlSeconds),
            // the rest: the Node process reading, planning, building rows (and waiting for a core)
            outsideSqlSeconds: r3(p.seconds - sqlSeconds),
            // the twelve costliest families, seconds and statements (a first import's COPYs
            // are families of their own: `copy person`, `copy change_event`…)
            sql: Object.fromEntries(
              families.slice(0, 12).map(([k, f]) => [k, [r3(f.seconds), f.statements]]),
            ),
          },
        ];
      }),
  );
  return {
    records: r.totals.records,
    bytes: r.files.reduce((n, f) => n + f.sizeBytes, 0),
    status: r.status,
    postgresCpuSeconds,
    breakdown: {
      ...breakdown,
      slowestStatements: slowest.map(([ms, text]) => [r3(ms / 1000), text]),
    },
  };
}

async function runPhase(phase: string, dir: string, dbUrl: string): Promise<PhaseResult> {
  // The packages are loaded before the clock starts (a running ingester has them loaded); not
  // for the baseline, which runs alone: loading @aaf-sync/ingest makes bare saxes about three
  // times slower in the same process (measured, cause not found yet).
  if (values.nice && values.nice !== '0') {
    const { lowerCpuPriority } = await import('@aaf-sync/process');
    lowerCpuPriority(Number(values.nice));
  }
  if (phase !== 'raw')
    await Promise.all([
      import('@aaf-sync/aaf'),
      import('@aaf-sync/db'),
      import('@aaf-sync/ingest'),
      import('@aaf-sync/logger'),
    ]);
  const started = now();
  const cpu = process.cpuUsage();
  const out =
    phase === 'raw'
      ? await rawPhase(dir)
      : phase === 'parse'
        ? await parsePhase(dir)
        : await importPhase(dir, dbUrl);
  const used = process.cpuUsage(cpu);
  return {
    seconds: since(started),
    cpuSeconds: r3((used.user + used.system) / 1e6),
    ...out,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

/**
 * How the engine runs in production (package.json `aaf-sync`, scripts/demo, docker/): the same
 * heap cap, and plain Node (it strips this file's types itself; tsx would add its own memory).
 */
const ENGINE_NODE_ARGS = [
  '--max-old-space-size=256',
  '--max-semi-space-size=16',
  '--disable-warning=ExperimentalWarning',
];

function child(phase: string, dir: string, dbUrl: string): PhaseResult {
  const res = spawnSync(
    process.execPath,
    [...ENGINE_NODE_ARGS, import.meta.filename, '--phase', phase, '--dir', dir, '--db', dbUrl],
    {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 22,
    },
  );
  if (res.status !== 0) throw new Error(`phase ${phase} failed (exit ${res.status})`);
  return JSON.parse(res.stdout) as PhaseResult;
}

/**
 * The same phase in a child process, without blocking this one (the API phase runs meanwhile),
 * at the CPU priority `nice` (0: unchanged) as the ingester lowers itself to (INGEST_NICE).
 */
function childAsync(
  phase: string,
  dir: string,
  dbUrl: string,
  nice = 0,
  niceBackends = false,
): Promise<PhaseResult> {
  const proc = spawn(
    process.execPath,
    [
      ...ENGINE_NODE_ARGS,
      import.meta.filename,
      ...['--phase', phase, '--dir', dir, '--db', dbUrl, '--nice', String(nice)],
      ...(niceBackends ? ['--nice-backends'] : []),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  return new Promise((ok, fail) =>
    proc.once('exit', (code) =>
      code === 0
        ? ok(JSON.parse(out) as PhaseResult)
        : fail(new Error(`phase ${phase} failed (exit ${code})`)),
    ),
  );
}

// The folders a run derives from the cached complete are its own (several benches may share the
// cache at once: one's `rmSync` would otherwise pull files from under another's import), and
// removed at the end.
const derived: string[] = [];

/** The same files under a later date (`20240914`…): a complete with nothing changed (hard links). */
function laterWeek(dir: string, date: string): string {
  const out = `${dir}-${date}-${process.pid}`;
  derived.push(out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.xml'))
      linkSync(join(dir, name), join(out, name.replace('_20240907_', `_${date}_`)));
  }
  return out;
}

/** The server's version and the settings that do not have their built-in default value. */
async function serverSettings(dbUrl: string) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    const version = await client.query<{ v: string }>(`select current_setting('server_version') v`);
    const changed = await client.query<{ name: string; setting: string; unit: string | null }>(
      `select name, setting, unit from pg_settings
        where source in ('configuration file', 'command line', 'environment variable')
          and setting is distinct from boot_val
          and name not in ('listen_addresses', 'port', 'unix_socket_directories',
            'data_directory', 'config_file', 'hba_file', 'ident_file', 'external_pid_file',
            'cluster_name', 'log_line_prefix', 'log_timezone', 'TimeZone', 'lc_messages',
            'lc_monetary', 'lc_numeric', 'lc_time', 'default_text_search_config',
            'ssl', 'ssl_cert_file', 'ssl_key_file', 'dynamic_shared_memory_type')
        order by name`,
    );
    return {
      version: version.rows[0]!.v,
      // what a bulk loader cares about, and whatever else differs from the built-in defaults
      changedFromDefaults: Object.fromEntries(
        changed.rows.map((r) => [r.name, r.unit ? `${r.setting} ${r.unit}` : r.setting]),
      ),
    };
  } finally {
    await client.end();
  }
}

type ApiLoad = RateLoopResult & { readonly serverCpuMsPerRequest: number | null };

/**
 * The API's account status at `rate` req/s: for `idleSeconds` alone, then while a weekly
 * complete (the same content as the last one) is applied in a child process, twice: at the
 * priority it was started with, then lowered to `nice` as the ingester does (INGEST_NICE).
 */
async function apiPhase(
  dir: string,
  dbUrl: string,
  rate: number,
  idleSeconds: number,
  nice: number,
  weeks: readonly [string, string],
  cli?: string,
  niceBackends = false,
): Promise<{
  idle: ApiLoad;
  idleFixedTick: ApiLoad;
  underPlainImport: ApiLoad;
  plainImport: PhaseResult;
  underImport: ApiLoad;
  import: PhaseResult;
  serverPeakRssMb: number | null;
}> {
  const { startBenchApi } = await import('./api-server.js');
  const { rateLoop } = await import('./rate-loop.js');
  const api = await startBenchApi(dbUrl, ENGINE_NODE_ARGS, cli);
  try {
    // with the server's CPU milliseconds per answer: what it would take at that rate on an
    // idle core, whatever the load of the machine
    const load = async (until: Promise<unknown>, tickMs?: number) => {
      const cpu = api.cpuSeconds();
      const r = await rateLoop({
        url: api.url,
        headers: api.headers,
        rate,
        connections: 32,
        path: api.path,
        until,
        tickMs,
      });
      const used = cpu === null ? null : api.cpuSeconds()! - cpu;
      return {
        ...r,
        serverCpuMsPerRequest:
          used === null || r.answered === 0 ? null : r3((used * 1000) / r.answered),
      };
    };
    // five seconds of warm-up, not counted: a fresh server opens its pool's connections as
    // bursts need them and plans the account statement once on each, and V8 compiles the hot
    // paths (the first 3 s of a fresh server answer with a p99 of 130–270 ms, the next 10 s
    // 19–30 ms, then ~10 ms); a server in service has done all that long before
    await load(new Promise((r) => setTimeout(r, 5000)));
    const idle = await load(new Promise((r) => setTimeout(r, idleSeconds * 1000)));
    // the same with the load generator's former 5 ms tick (requests sent in bursts): what the
    // client's own lag adds to the percentiles
    const idleFixedTick = await load(new Promise((r) => setTimeout(r, idleSeconds * 1000)), 5);
    // the weekly complete at the priority it was started with, then as the ingester runs it
    // (lowered to INGEST_NICE): the same content, the next weeks
    const plain = childAsync('ingest', laterWeek(dir, weeks[0]), dbUrl);
    const underPlainImport = await load(plain.catch(() => undefined));
    const lowered = childAsync('ingest', laterWeek(dir, weeks[1]), dbUrl, nice, niceBackends);
    const underImport = await load(lowered.catch(() => undefined));
    return {
      idle,
      idleFixedTick,
      underPlainImport,
      plainImport: await plain,
      underImport,
      import: await lowered,
      serverPeakRssMb: api.peakRssMb(),
    };
  } finally {
    await api.stop();
  }
}

/** The first `count` pupil ids of the complete (read from the head of its first Eleve file). */
function firstPupilIds(dir: string, count: number): string[] {
  const name = readdirSync(dir).find((n) => /_Eleve_0000\.xml$/.test(n));
  if (!name) throw new Error(`no Eleve file in ${dir}`);
  const fd = openSync(join(dir, name), 'r');
  const ids: string[] = [];
  try {
    const buf = Buffer.alloc(1 << 20);
    let text = '';
    let position = 0;
    while (ids.length < count) {
      const n = readSync(fd, buf, 0, buf.length, position);
      if (n === 0) break;
      position += n;
      text += buf.toString('latin1', 0, n);
      const cut = text.lastIndexOf('</addRequest>');
      if (cut < 0) continue;
      for (const m of text.slice(0, cut).matchAll(/<identifier><id>([^<]+)<\/id>/g)) {
        if (ids.length < count) ids.push(m[1]!);
      }
      text = text.slice(cut);
    }
  } finally {
    closeSync(fd);
  }
  return ids;
}

/** A delta after next week's complete: `count` modifyRequests that rename pupils. */
function deltaOf(dir: string, count: number): string {
  const out = `${dir}-delta-${count}-${process.pid}`;
  derived.push(out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  const requests = firstPupilIds(dir, count).map(
    (id) =>
      `<modifyRequest>\n<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>\n` +
      `<identifier><id>${id}</id></identifier>\n<modifications>\n` +
      `<modification name="givenName" operation="replace"><value>DELTA${id}</value></modification>\n` +
      `</modifications>\n</modifyRequest>\n`,
  );
  writeFileSync(
    join(out, 'ENT_TEST_Delta_20240916_Eleve_0000.xml'),
    `<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n${requests.join('')}</ficAlimMENESR>\n`,
  );
  return out;
}

const rate = (r: PhaseResult, raw: PhaseResult) => ({
  seconds: Math.round(r.seconds * 100) / 100,
  mibPerSec: Math.round((r.bytes / 1048576 / r.seconds) * 100) / 100,
  recordsPerSec: Math.round(r.records / r.seconds),
  records: r.records,
  ratioToRaw: r3(raw.seconds / r.seconds),
  cpuSeconds: r.cpuSeconds,
  ...(r.postgresCpuSeconds !== undefined ? { postgresCpuSeconds: r.postgresCpuSeconds } : {}),
  // The same ratio in CPU time (Node + PostgreSQL): what a loaded machine disturbs least.
  cpuRatioToRaw: r3(raw.cpuSeconds / (r.cpuSeconds + (r.postgresCpuSeconds ?? 0))),
  peakRssMb: r.peakRssMb,
  ...(r.status ? { status: r.status } : {}),
  ...(r.breakdown ? { breakdown: r.breakdown } : {}),
});

async function main(): Promise<void> {
  if (values.phase) {
    process.stdout.write(JSON.stringify(await runPhase(values.phase, values.dir!, values.db!)));
    return;
  }
  const { benchDatabase, generate } = await import('./bench-lib.js');
  const persons = Number(values.persons);
  const changes = Number(values.changes);
  const apiRate = Number(values['api-rate']);
  const dir = generate(persons, Number(values.seed));
  const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const database = await benchDatabase('ingest', { keep: values.keep });
  const dbUrl = database.url;
  const load = [loadavg()[0]!];
  try {
    // The baseline runs before and after every phase, and a phase is compared with the mean of
    // the two runs around it: on a shared machine the load changes from minute to minute.
    const raws = [child('raw', dir, dbUrl)];
    const parse = child('parse', dir, dbUrl);
    raws.push(child('raw', dir, dbUrl));
    const ingest = child('ingest', dir, dbUrl);
    raws.push(child('raw', dir, dbUrl));
    const reingest = child('ingest', laterWeek(dir, '20240914'), dbUrl);
    raws.push(child('raw', dir, dbUrl));
    const delta = child('ingest', deltaOf(dir, changes), dbUrl);
    const nice = loadConfig().ingest.nice;
    const apiSeconds = Number(values['api-seconds']);
    const api = await apiPhase(dir, dbUrl, apiRate, apiSeconds, nice, ['20240921', '20240928']);
    const compare = values['api-compare'];
    const other = compare
      ? await apiPhase(dir, dbUrl, apiRate, apiSeconds, nice, ['20241005', '20241012'], compare)
      : null;
    const backendsLowered = values['api-nice-backends']
      ? await apiPhase(
          dir,
          dbUrl,
          apiRate,
          apiSeconds,
          nice,
          ['20241019', '20241026'],
          undefined,
          true,
        )
      : null;
    load.push(loadavg()[0]!);
    const server = await serverSettings(dbUrl);
    const around = (i: number): PhaseResult => ({
      ...raws[i]!,
      seconds: (raws[i]!.seconds + raws[i + 1]!.seconds) / 2,
      cpuSeconds: (raws[i]!.cpuSeconds + raws[i + 1]!.cpuSeconds) / 2,
    });
    const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
    const raw = {
      ...raws[0]!,
      seconds: sorted(raws.map((r) => r.seconds))[1]!,
      cpuSeconds: sorted(raws.map((r) => r.cpuSeconds))[1]!,
      peakRssMb: Math.max(...raws.map((r) => r.peakRssMb)),
    };
    const raw2 = { ...raw, records: parse.records };
    const peak = Math.max(
      ...[parse, ingest, reingest, delta, api.plainImport, api.import].map((p) => p.peakRssMb),
      api.serverPeakRssMb ?? 0,
    );
    const apiP99 = api.underImport.latencyMs.p99;
    const ratio = (r: PhaseResult, base: PhaseResult) => r3(base.seconds / r.seconds);
    const cpuRatio = (r: PhaseResult, base: PhaseResult) =>
      r3(base.cpuSeconds / (r.cpuSeconds + (r.postgresCpuSeconds ?? 0)));
    const result = {
      benchmark: 'ingest',
      persons,
      bytes,
      server,
      loadAverage: load.map((l) => Math.round(l * 100) / 100),
      phases: {
        raw: {
          ...rate(raw2, raw),
          runs: raws.map((r) => Math.round(r.seconds * 100) / 100),
          cpuRuns: raws.map((r) => r.cpuSeconds),
        },
        parse: rate(parse, around(0)),
        ingest: rate(ingest, around(1)),
        reingest: rate(reingest, around(2)),
        delta: { ...rate(delta, raw), changes },
        api: {
          rate: apiRate,
          idle: api.idle,
          idleFixedTick5ms: api.idleFixedTick,
          // during a weekly complete at the priority it was started with
          underPlainImport: api.underPlainImport,
          plainImport: rate(api.plainImport, raw),
          // during a weekly complete lowered to INGEST_NICE, as the ingester runs it
          importNice: nice,
          underImport: api.underImport,
          import: rate(api.import, raw),
          serverPeakRssMb: api.serverPeakRssMb,
        },
        // the same with the server of another build (--api-compare), run after it
        ...(other
          ? {
              apiCompare: {
                server: compare,
                idle: other.idle,
                idleFixedTick5ms: other.idleFixedTick,
                underPlainImport: other.underPlainImport,
                plainImport: rate(other.plainImport, raw),
                underImport: other.underImport,
                import: rate(other.import, raw),
              },
            }
          : {}),
        // the same again, the lowered import's PostgreSQL backends lowered too (--api-nice-backends)
        ...(backendsLowered
          ? {
              apiNiceBackends: {
                idle: backendsLowered.idle,
                underPlainImport: backendsLowered.underPlainImport,
                plainImport: rate(backendsLowered.plainImport, raw),
                underImport: backendsLowered.underImport,
                import: rate(backendsLowered.import, raw),
              },
            }
          : {}),
      },
      // each phase against the mean of the baseline runs just before and after it
      ratios: {
        parseVsRaw: ratio(parse, around(0)),
        ingestVsRaw: ratio(ingest, around(1)),
        reingestVsRaw: ratio(reingest, around(2)),
        deltaSeconds: Math.round(delta.seconds * 100) / 100,
        apiP99MsUnderImport: apiP99,
        apiP99MsUnderPlainImport: api.underPlainImport.latencyMs.p99,
      },
      peakRssMb: {
        raw: raw.peakRssMb,
        parse: parse.peakRssMb,
        ingest: ingest.peakRssMb,
        reingest: reingest.peakRssMb,
        delta: delta.peakRssMb,
        importUnderApiLoad: Math.max(api.plainImport.peakRssMb, api.import.peakRssMb),
        apiServer: api.serverPeakRssMb,
      },
      cpuRatios: {
        parseVsRaw: cpuRatio(parse, around(0)),
        ingestVsRaw: cpuRatio(ingest, around(1)),
        reingestVsRaw: cpuRatio(reingest, around(2)),
        deltaCpuSeconds: r3(delta.cpuSeconds + (delta.postgresCpuSeconds ?? 0)),
      },
      targets: {
        ingestVsRaw: 0.25,
        reingestVsRaw: 0.6,
        deltaSeconds: 2,
        peakRssMb: 400,
        apiP99MsUnderImport: 20,
      },
      met: {
        ingestVsRaw: ratio(ingest, around(1)) >= 0.25,
        reingestVsRaw: ratio(reingest, around(2)) >= 0.6,
        deltaSeconds: delta.seconds < 2,
        peakRss: peak < 400,
        apiP99MsUnderImport: apiP99 < 20 && api.underImport.dropped === 0,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    for (const d of derived) rmSync(d, { recursive: true, force: true });
    await database.drop();
  }
}

await main();
