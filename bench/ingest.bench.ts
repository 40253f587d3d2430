// pnpm bench:ingest [--persons 300000] [--seed 1] [--keep]
//
// Generates (once, cached in .cache/bench) a synthetic 2D complete, then measures in separate
// processes, each with its own peak RSS:
//   parse     read + normalise + hash every record (the floor any import must pay)
//   ingest    full import into an empty database (plan, identifiers, events, one transaction)
//   reingest  the next week's complete with the same content (nothing changed)
// in the engine's production set-up (plain Node, the heap cap of package.json), and prints one
// JSON document with MiB/s and records/s per phase and the ratios to parse, which are what the
// targets are about (absolute times vary a lot on shared 2-core machines).
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aaf-sync/config';

// The phases run this file under plain Node, which does not map './bench-lib.js' to its .ts:
// the shared bench helpers are loaded in the parent only (main, under tsx).
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '300000' },
    seed: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
    phase: { type: 'string' },
    dir: { type: 'string' },
    db: { type: 'string' },
  },
});

interface PhaseResult {
  readonly seconds: number;
  readonly records: number;
  readonly bytes: number;
  readonly peakRssMb: number;
  readonly status?: string;
}

async function runPhase(phase: string, dir: string, dbUrl: string): Promise<PhaseResult> {
  const started = process.hrtime.bigint();
  let records = 0;
  let bytes = 0;
  let status: string | undefined;
  if (phase === 'parse') {
    const { openDeliveries, readAafFile, normalizeRecord, recordHash } =
      await import('@aaf-sync/aaf');
    for (const delivery of await openDeliveries([dir])) {
      for (const file of delivery.files) {
        bytes += file.size;
        for await (const item of readAafFile(await file.open(), { fileName: file.fileName.name })) {
          if (item.type !== 'record') continue;
          records++;
          normalizeRecord(file.fileName.entity, item.record.id, item.record.attributes);
          recordHash(item.record.attributes);
        }
      }
    }
  } else {
    const { createDb } = await import('@aaf-sync/db');
    const { createIngestDeps, ingestPaths } = await import('@aaf-sync/ingest');
    const { createLogger } = await import('@aaf-sync/logger');
    const config = loadConfig({ ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' });
    const handle = createDb({ url: dbUrl, poolMax: 4 });
    const log = createLogger({ level: 'warn', fd: 2 });
    const { imports } = await ingestPaths(createIngestDeps(config, handle.db, log), [dir], {
      source: 'bench',
    });
    await handle.close();
    const r = imports[0]!;
    status = r.status;
    records = r.totals.records;
    bytes = r.files.reduce((n, f) => n + f.sizeBytes, 0);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    seconds,
    records,
    bytes,
    status,
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
      maxBuffer: 1 << 20,
    },
  );
  if (res.status !== 0) throw new Error(`phase ${phase} failed (exit ${res.status})`);
  return JSON.parse(res.stdout) as PhaseResult;
}

/** The same files under next week's date: a complete with nothing changed (hard links). */
function nextWeek(dir: string): string {
  const out = `${dir}-next-week`;
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out);
  for (const name of readdirSync(dir)) {
    if (name.endsWith('.xml'))
      linkSync(join(dir, name), join(out, name.replace('_20240907_', '_20240914_')));
  }
  return out;
}

const rate = (r: PhaseResult) => ({
  seconds: Math.round(r.seconds * 100) / 100,
  mibPerSec: Math.round((r.bytes / 1048576 / r.seconds) * 100) / 100,
  recordsPerSec: Math.round(r.records / r.seconds),
  records: r.records,
  peakRssMb: r.peakRssMb,
  ...(r.status ? { status: r.status } : {}),
});

async function main(): Promise<void> {
  if (values.phase) {
    process.stdout.write(JSON.stringify(await runPhase(values.phase, values.dir!, values.db!)));
    return;
  }
  const { benchDatabase, generate } = await import('./bench-lib.js');
  const persons = Number(values.persons);
  const dir = generate(persons, Number(values.seed));
  const bytes = readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const database = await benchDatabase('ingest', { keep: values.keep });
  const dbUrl = database.url;
  try {
    const parse = child('parse', dir, dbUrl);
    const ingest = child('ingest', dir, dbUrl);
    const reingest = child('ingest', nextWeek(dir), dbUrl);
    const ratio = (r: PhaseResult) => Math.round((parse.seconds / r.seconds) * 1000) / 1000;
    const result = {
      benchmark: 'ingest',
      persons,
      bytes,
      phases: { parse: rate(parse), ingest: rate(ingest), reingest: rate(reingest) },
      ratios: { ingestVsParse: ratio(ingest), reingestVsParse: ratio(reingest) },
      targets: { ingestVsParse: 0.5, reingestVsParse: 0.8, peakRssMb: 400 },
      met: {
        ingestVsParse: ratio(ingest) >= 0.5,
        reingestVsParse: ratio(reingest) >= 0.8,
        peakRss: Math.max(ingest.peakRssMb, reingest.peakRssMb) < 400,
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await database.drop();
  }
}

await main();
