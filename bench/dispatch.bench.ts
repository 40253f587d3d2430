// pnpm bench:dispatch [--persons 300000] [--seed 1] [--batch 10000] [--keep]
//
// A first import followed through the targets platform, in one process and its own database:
//   import     the synthetic complete (packages/generator, cached in .cache/bench) into an empty
//              directory with the engine: the baseline
//   dispatch   3 noop targets covering every establishment (created before the import, so their
//              cursors start at 0) follow the event log to its head with packages/targets'
//              dispatcher, in process: events read and provisioning rows written
//   reconcile  the rows applied with the noop driver, batch after batch (rows/s)
// and prints one JSON document with events/s, rows/s and the ratio dispatch / import. Target:
// dispatching a first import takes less time than the import itself (ratio < 1).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aaf-sync/config';
import { createDb, sql } from '@aaf-sync/db';
import type { Manifest } from '@aaf-sync/generator';
import { createIngestDeps, ingestPaths } from '@aaf-sync/ingest';
import { createLogger } from '@aaf-sync/logger';
import {
  createSecretBox,
  createTarget,
  dispatchAll,
  driverFor,
  eventHead,
  noopDriver,
  reconcileDue,
} from '@aaf-sync/targets';
import { benchDatabase, generate, round, seconds } from './bench-lib.js';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '300000' },
    seed: { type: 'string', default: '1' },
    batch: { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
  },
});
const TARGETS = 3;

async function main(): Promise<void> {
  const persons = Number(values.persons);
  const maxEvents = Number(values.batch);
  if (!Number.isInteger(persons) || persons < 1 || !Number.isInteger(maxEvents) || maxEvents < 1) {
    throw new Error('--persons and --batch take positive integers');
  }
  const dir = generate(persons, Number(values.seed));
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  const uais = [
    ...new Set(
      manifest.deliveries.flatMap((d) =>
        'structures' in d.expected ? d.expected.structures.map((s) => s.uai) : [],
      ),
    ),
  ].sort();

  const database = await benchDatabase('dispatch', { keep: values.keep });
  const dbUrl = database.url;
  const handle = createDb({ url: dbUrl, poolMax: 4, applicationName: 'aaf-sync-bench' });
  try {
    const { db } = handle;
    const log = createLogger({ level: 'warn' }, new Writable({ write: (_c, _e, done) => done() }));
    const config = loadConfig({ ...process.env, DATABASE_URL: dbUrl, LOG_LEVEL: 'warn' });
    const box = createSecretBox(randomBytes(32).toString('base64'));
    for (let i = 1; i <= TARGETS; i++) {
      await createTarget(db, box, { kind: 'noop', name: `bench-${i}`, uais, options: {} }, 'bench');
    }

    let started = process.hrtime.bigint();
    const { imports } = await ingestPaths(createIngestDeps(config, db, log), [dir], {
      source: 'bench',
    });
    const importSeconds = seconds(started);
    const status = imports.map((r) => r.status).join(',');
    const head = await eventHead(db);

    started = process.hrtime.bigint();
    let eventsRead = 0;
    let rowsWritten = 0;
    for (;;) {
      const results = await dispatchAll(db, maxEvents);
      if (results.length === 0) break;
      for (const r of results) {
        eventsRead += r.events;
        rowsWritten += r.rows;
      }
    }
    const dispatchSeconds = seconds(started);
    const cursors = await db.selectFrom('target_consumer').select('seq').execute();
    if (cursors.some((c) => Number(c.seq) !== head)) throw new Error('a cursor is not at the head');
    const rows = await db
      .selectFrom('provisioning')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();

    started = process.hrtime.bigint();
    const drivers = { noop: noopDriver() };
    const outcome = { taken: 0, applied: 0, excluded: 0, failed: 0 };
    for (const row of await db.selectFrom('target').selectAll().orderBy('id').execute()) {
      const { target, driver } = driverFor(drivers, box, row, { db });
      const r = await reconcileDue(db, target, driver, { batchSize: 500 });
      outcome.taken += r.taken;
      outcome.applied += r.applied;
      outcome.excluded += r.excluded;
      outcome.failed += r.failed;
    }
    const reconcileSeconds = seconds(started);
    const pending = await sql<{ n: string }>`
      select count(*) as n from provisioning where status = 'pending'`.execute(db);

    const ratio = round(dispatchSeconds / importSeconds, 3);
    const result = {
      benchmark: 'dispatch',
      persons,
      establishments: uais.length,
      targets: TARGETS,
      batchEvents: maxEvents,
      phases: {
        import: { seconds: round(importSeconds), events: head, status },
        dispatch: {
          seconds: round(dispatchSeconds),
          eventsRead,
          eventsPerSec: Math.round(eventsRead / dispatchSeconds),
          rows: Number(rows.n),
          rowsWritten,
          rowsPerSec: Math.round(rowsWritten / dispatchSeconds),
        },
        reconcile: {
          seconds: round(reconcileSeconds),
          ...outcome,
          rowsPerSec: Math.round(outcome.taken / reconcileSeconds),
          stillPending: Number(pending.rows[0]?.n ?? 0),
        },
      },
      ratios: { dispatchVsImport: ratio },
      targetsMet: { dispatchFasterThanImport: ratio < 1 },
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await handle.close();
    await database.drop();
  }
}

await main();
