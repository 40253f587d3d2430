// Benchmark of identifier allocation: `pnpm bench:identifiers [--allocations N] [--events on|off|both]
// [--transaction batch|import|import-calls]`.
// An allocation is one identifier value (one person in one namespace): 1,000,000 allocations are
// 333,334 persons in the three default namespaces. For each events mode, creates a database of
// its own (dropped at the end), then creates persons in batches of 1,000 as the ingester does:
// per batch, insert the persons, then allocate their identifiers in every configured namespace.
// `--transaction`: `batch` (default) one transaction and one `allocateIdentifiers` call per batch;
// `import` every batch in one transaction through one `IdentifierAllocator` (the ingester's
// first import); `import-calls` one transaction and one `allocateIdentifiers` call per batch (the
// ingester before the allocator: each call writes its counters, so the rows of recurring
// families pile up versions nobody can prune before the commit). Prints one JSON document on
// stdout, with the CPU seconds of the Node process and of its PostgreSQL backends.
//
// Baselines measured in the same run, on the same database:
// - `personInsert`: the per-batch person insert alone (inside the same transactions);
// - `rawIdentifierInsert`: inserting the same number of identifier rows with precomputed
//   unique values (no counter, no conflict handling, no event), the floor of any allocator.
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aaf-sync/config';
import { sql, type Database, type Kysely, type Transaction } from '@aaf-sync/db';
import { allocateIdentifiers, IdentifierAllocator, namespaceRules } from '@aaf-sync/identifiers';
import { testDb } from '@aaf-sync/testing';
import { processesCpuSeconds } from './bench-lib.js';
import { frenchNameSampler } from './french-names.js';

const { values: args } = parseArgs({
  options: {
    allocations: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '20261122' },
    'raw-batches': { type: 'string', default: '100' },
    events: { type: 'string', default: 'both' },
    transaction: { type: 'string', default: 'batch' },
  },
});
const ALLOCATIONS = Number(args.allocations);
const BATCH = Number(args.batch);
const RAW_BATCHES = Number(args['raw-batches']);
const MODES = args.events === 'both' ? [true, false] : [args.events !== 'off'];
const TRANSACTION = args.transaction as 'batch' | 'import' | 'import-calls';
if (!['batch', 'import', 'import-calls'].includes(TRANSACTION)) {
  throw new Error(`--transaction batch|import|import-calls, not ${TRANSACTION}`);
}

/** CPU seconds (user + system) of local PostgreSQL backends; null when unreadable. */
const backendCpu = processesCpuSeconds;

/**
 * Runs `work` for every batch: in a transaction each (`batch`), or all in one transaction
 * (`import`, `import-calls`), then `end` in the last transaction. Notes the backends used.
 */
async function eachBatch(
  db: Kysely<Database>,
  batches: number,
  backends: Set<number>,
  work: (trx: Transaction<Database>, batch: number) => Promise<void>,
  end: (trx: Transaction<Database>) => Promise<void>,
): Promise<void> {
  const note = async (trx: Transaction<Database>) => {
    const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    backends.add(rows[0]!.pid);
  };
  if (TRANSACTION === 'batch') {
    for (let b = 0; b < batches; b++) {
      await db.transaction().execute(async (trx) => {
        await note(trx);
        await work(trx, b);
        if (b === batches - 1) await end(trx);
      });
    }
    return;
  }
  await db.transaction().execute(async (trx) => {
    await note(trx);
    for (let b = 0; b < batches; b++) await work(trx, b);
    await end(trx);
  });
}

type Names = readonly (readonly [string, string])[];

async function insertPersons(db: Kysely<Database>, names: Names, offset: number) {
  const rows = await db
    .insertInto('person')
    .values(
      names.map(([givenName, sn], i) => ({
        jointure: `B${offset + i}`,
        category: 'pupil' as const,
        profile: 'pupil' as const,
        level: '2d' as const,
        given_name: givenName,
        sn,
        attributes: '{}',
        record_hash: 'h',
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

async function main() {
  const reports = [];
  for (const events of MODES) reports.push(await phase(events));
  process.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`);
}

async function phase(EVENTS: boolean) {
  const teardowns: (() => unknown)[] = [];
  const { db, name } = await testDb({ teardown: (fn) => teardowns.push(fn) }, { poolMax: 2 });
  try {
    const loadBefore = loadavg()[0] ?? 0;
    const rules = namespaceRules(loadConfig().identifiers);
    const PERSONS = Math.ceil(ALLOCATIONS / rules.length);
    const sampler = frenchNameSampler(Number(args.seed));
    const batchMs: number[] = [];
    const personIds: number[][] = [];
    let personSeconds = 0;
    let allocateSeconds = 0;
    const backends = new Set<number>();
    const cpu = process.cpuUsage();
    const started = performance.now();
    let allocator: IdentifierAllocator | undefined;
    const allocate = async (
      trx: Transaction<Database>,
      persons: { personId: number; givenName: string; sn: string }[],
    ) => {
      if (TRANSACTION !== 'import') {
        await allocateIdentifiers(trx, persons, rules, { events: EVENTS });
        return;
      }
      allocator ??= new IdentifierAllocator(trx, rules, { events: EVENTS });
      await allocator.allocate(persons);
    };
    await eachBatch(
      db,
      Math.ceil(PERSONS / BATCH),
      backends,
      async (trx, b) => {
        const done = b * BATCH;
        const names: Names = Array.from({ length: Math.min(BATCH, PERSONS - done) }, sampler.next);
        const t0 = performance.now();
        const ids = await insertPersons(trx, names, done);
        const t1 = performance.now();
        const persons = ids.map((personId, i) => ({
          personId,
          givenName: names[i]![0],
          sn: names[i]![1],
        }));
        await allocate(trx, persons);
        const t2 = performance.now();
        personSeconds += (t1 - t0) / 1000;
        allocateSeconds += (t2 - t1) / 1000;
        batchMs.push(t2 - t1);
        if (personIds.length < RAW_BATCHES) personIds.push(ids);
        if (b % 100 === 99) {
          process.stderr.write(
            `events ${EVENTS ? 'on' : 'off'}: ${done + BATCH} persons, ${round(allocateSeconds, 1)} s allocating\n`,
          );
        }
      },
      async () => {
        const t0 = performance.now();
        await allocator?.finish();
        allocateSeconds += (performance.now() - t0) / 1000;
      },
    );
    const used = process.cpuUsage(cpu);
    const postgresCpuSeconds = backendCpu(backends);
    const totalSeconds = (performance.now() - started) / 1000;
    const raw = await rawInsert(db, personIds, rules.length);
    const families = await largestFamilies(db);
    const identifiers = PERSONS * rules.length;
    const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
    const tenth = Math.max(1, Math.floor(batchMs.length / 10));
    const trend = {
      firstTenthMeanMs: round(mean(batchMs.slice(0, tenth)), 1),
      lastTenthMeanMs: round(mean(batchMs.slice(-tenth)), 1),
    };
    batchMs.sort((a, b) => a - b);
    return {
      database: name,
      // The machine is shared: the 1-minute load average before and after the phase.
      loadAverage: { before: round(loadBefore, 2), after: round(loadavg()[0] ?? 0, 2) },
      persons: PERSONS,
      namespaces: rules.map((r) => r.name),
      batchSize: BATCH,
      transaction: TRANSACTION,
      events: EVENTS,
      allocations: identifiers,
      allocationsPerSecond: Math.round(identifiers / allocateSeconds),
      personsAllocatedPerSecond: Math.round(PERSONS / allocateSeconds),
      allocateSeconds: round(allocateSeconds),
      totalSeconds: round(totalSeconds),
      // persons inserted and identifiers allocated, the whole run (the baselines are not in it)
      cpuSeconds: {
        node: round((used.user + used.system) / 1e6),
        postgres: postgresCpuSeconds === null ? null : round(postgresCpuSeconds),
      },
      endToEndPersonsPerSecond: Math.round(PERSONS / totalSeconds),
      allocateBatchMs: {
        p50: round(quantile(batchMs, 0.5), 1),
        p95: round(quantile(batchMs, 0.95), 1),
        max: round(batchMs.at(-1) ?? 0, 1),
        ...trend,
      },
      largestFamily: families[0],
      largestFamilies: families,
      distinctBases: await distinctBases(db),
      baseline: {
        personInsert: {
          rows: PERSONS,
          seconds: round(personSeconds),
          rowsPerSecond: Math.round(PERSONS / personSeconds),
        },
        rawIdentifierInsert: raw,
      },
      ratios: {
        allocateVsPersonInsertTime: round(allocateSeconds / personSeconds, 2),
        allocateVsRawIdentifierInsertRate: round(
          identifiers / allocateSeconds / raw.rowsPerSecond,
          2,
        ),
      },
    };
  } finally {
    for (const fn of teardowns.reverse()) await fn();
  }
}

/** Inserts precomputed unique identifier rows for persons already created: the floor. */
async function rawInsert(db: Kysely<Database>, batches: readonly number[][], perPerson: number) {
  let rows = 0;
  let seconds = 0;
  for (const ids of batches) {
    const values = ids.flatMap((id) =>
      Array.from({ length: perPerson }, (_, k) => ({
        namespace: `raw${k}`,
        value: `r${id}`,
        person_id: id,
        status: 'alias' as const,
        base: `r${id}`,
      })),
    );
    const t0 = performance.now();
    await db.transaction().execute((trx) => trx.insertInto('identifier').values(values).execute());
    seconds += (performance.now() - t0) / 1000;
    rows += values.length;
  }
  return { rows, seconds: round(seconds), rowsPerSecond: Math.round(rows / seconds) };
}

async function largestFamilies(db: Kysely<Database>) {
  return db
    .selectFrom('identifier_counter')
    .select(['namespace', 'base', 'allocated as size'])
    .orderBy('allocated', 'desc')
    .orderBy('namespace')
    .limit(5)
    .execute();
}

async function distinctBases(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('identifier_counter')
    .select(['namespace', (eb) => eb.fn.countAll<string>().as('n')])
    .groupBy('namespace')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.namespace, Number(r.n)]));
}

await main();
