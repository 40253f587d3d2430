// pnpm bench:ldap [--accounts 50000] [--schools 50] [--batch 500] [--pool 4] [--rounds 3]
//                 [--skip-cli] [--keep]
//
// The Scribe driver against the slapd of scripts/services (LDAP_URL), in one process and its own
// database:
//   provision   `accounts` pupils (classes of 25, `schools` establishments) applied through the
//               worker's reconcile loop (packages/targets reconcileDue, batches side by side as
//               the driver's lanes allow, + the scribe driver): adds/s of account entries
//   ldapadd     the same subtree exported as LDIF (export-ldif) loaded with `ldapadd` under
//               another académie branch of the same server: entries/s, and the worker's ratio
//   reconcile   a full reconcile with nothing changed (inventory + comparison): writes (target 0)
//               and its duration next to a search of the subtree (target: under 2 searches), with
//               its phases (inventory, load, compare). The search is the plain one of the whole
//               branch, every user attribute (`*`) of every entry: more than the reconcile reads
//               (it leaves out the OUs and the allocated uidNumber/gidNumber), never less
//   threads     `rounds` times, one after the other: the no-change reconcile with the inventory in
//               the driver's worker thread (the default), the same in the driver's own thread
//               (`inventoryThread: false`, the baseline), and the search of the subtree; medians,
//               each one's ratio to the search, and the worker's ratio to the baseline
//   cli         `aaf-sync reconcile --target bench-0 [--dry-run] --json` as operators run it (the
//               CLI's own Node flags: --max-old-space-size=256): peak RSS (/usr/bin/time), seconds,
//               in sync and marked (target: 0 marked), once dry and once for real
// and prints one JSON document (with the load averages: the numbers move with the machine's load).
// The LDAP subtrees and the database are removed at the end unless --keep (then the database's
// URL is printed on stderr: `DATABASE_URL=<it> pnpm aaf-sync reconcile --target bench-0`).
// --pool: connections of the target (each carries up to 4 operations in flight).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '@aaf-sync/config';
import { createDb, sql } from '@aaf-sync/db';
import { connectLdapts, parseConnectionOptions } from '@aaf-sync/ldap';
import { exportScribeLdif, newScribeStats, scribeDriver } from '@aaf-sync/scribe';
import {
  createSecretBox,
  createTarget,
  driverFor,
  findTarget,
  reconcileDue,
  loadAccounts,
  reconcileTarget,
  type ReconcileTimings,
} from '@aaf-sync/targets';
import {
  benchDatabase,
  ldapDeleteSubtrees,
  root,
  round,
  seconds,
  seedClassPupils,
} from './bench-lib.js';

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '50000' },
    schools: { type: 'string', default: '50' },
    batch: { type: 'string', default: '500' },
    pool: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
    'skip-cli': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});

async function main(): Promise<void> {
  const accounts = Number(values.accounts);
  const schools = Number(values.schools);
  const batchSize = Number(values.batch);
  const poolSize = Number(values.pool);
  const config = loadConfig();
  const ldap = config.ldap;
  const loadBefore = loadavg().map((l) => round(l));
  const database = await benchDatabase('ldap', { keep: values.keep });
  const handle = createDb({ url: database.url, poolMax: 6, applicationName: 'aaf-sync-bench' });
  const session = await connectLdapts(
    parseConnectionOptions({ url: ldap.url, bindDn: ldap.bindDn, bindPassword: ldap.bindPassword }),
  );
  const education = `ou=education,${ldap.baseDn}`;
  const branch = (label: string) => `ou=ac-bench-${label}-${process.pid},${education}`;
  const branches = [branch('worker'), branch('ldapadd')];
  const dir = mkdtempSync(join(tmpdir(), 'aaf-bench-ldap-'));
  try {
    const { db } = handle;
    const uais = await seedClassPupils(db, {
      schools,
      accounts,
      schoolName: 'Collège',
      uaiLetter: 'B',
      namespace: 'scribe',
      loginPrefix: 'eleve',
      loginBase: 'eleve',
    });

    await session
      .add(education, { objectClass: ['organizationalUnit'], ou: ['education'] })
      .catch(() => undefined);
    for (const b of branches) {
      await session.add(b, {
        objectClass: ['organizationalUnit'],
        ou: [b.split(',')[0]!.slice(3)],
      });
    }
    // The configured key, so that the CLI (step 4) opens the targets' secrets.
    const box = createSecretBox(config.targets.secretsKey);
    for (const [i, b] of branches.entries()) {
      await createTarget(
        db,
        box,
        {
          kind: 'scribe',
          name: `bench-${i}`,
          uais,
          options: { url: ldap.url, baseDn: b, bindDn: ldap.bindDn, poolSize },
          secrets: { bindPassword: ldap.bindPassword },
        },
        'bench',
      );
    }
    const stats = newScribeStats();
    const { target, driver } = driverFor(
      { scribe: scribeDriver({ stats }) },
      box,
      await findTarget(db, 'bench-0'),
      { db },
    );

    // Time spent inside the driver's apply (the rest of the worker's time is the database).
    let applyNs = 0n;
    const timedDriver = {
      ...driver,
      apply: async (batch: Parameters<typeof driver.apply>[0]) => {
        const t0 = process.hrtime.bigint();
        try {
          return await driver.apply(batch);
        } finally {
          applyNs += process.hrtime.bigint() - t0;
        }
      },
    };

    // 1. Through the worker.
    let started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const { applied: accountAdds, failed } = await reconcileDue(db, target, timedDriver, {
      batchSize,
    });
    const workerSeconds = seconds(started);
    const workerCpu = process.cpuUsage(cpuBefore);

    // 2. ldapadd of the same subtree (exported for the second branch).
    const { target: other } = driverFor(
      { scribe: scribeDriver() },
      box,
      await findTarget(db, 'bench-1'),
      { db },
    );
    const file = join(dir, 'bench.ldif');
    let ldif = '';
    const entries = await exportScribeLdif(db, other, (chunk) => {
      ldif += chunk;
    });
    writeFileSync(file, ldif);
    ldif = '';
    started = process.hrtime.bigint();
    execFileSync(
      'ldapadd',
      ['-x', '-H', ldap.url, '-D', ldap.bindDn, '-w', ldap.bindPassword, '-f', file],
      {
        stdio: 'ignore',
      },
    );
    const ldapaddSeconds = seconds(started);

    // 3. A full reconcile with nothing changed, next to a search of the subtree.
    const before = { ...stats };
    const timings: ReconcileTimings = {};
    started = process.hrtime.bigint();
    const report = await reconcileTarget(db, target, driver, { timings });
    const reconcileSeconds = seconds(started);
    started = process.hrtime.bigint();
    const found = await session.search(branches[0]!, { attributes: ['*'] });
    const searchSeconds = seconds(started);
    // Where a reconcile's time goes: the driver's inventory, then the directory's accounts.
    started = process.hrtime.bigint();
    await driver.inventory?.(uais);
    const inventorySeconds = seconds(started);
    const { rows: personRows } = await sql<{ id: number }>`select id from person`.execute(db);
    started = process.hrtime.bigint();
    await loadAccounts(
      db,
      personRows.map((r) => Number(r.id)),
    );
    const loadAccountsSeconds = seconds(started);
    const writes =
      stats.adds +
      stats.modifies +
      stats.renames +
      stats.groupWrites -
      (before.adds + before.modifies + before.renames + before.groupWrites);

    // 3b. The inventory in the worker thread against the same in this thread, round by round.
    const { driver: inThread } = driverFor(
      { scribe: scribeDriver({ inventoryThread: false }) },
      box,
      await findTarget(db, 'bench-0'),
      { db },
    );
    const times = {
      workerThread: [] as number[],
      inThread: [] as number[],
      search: [] as number[],
    };
    const timed = async (list: number[], fn: () => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      await fn();
      list.push(seconds(t0));
    };
    for (let i = 0; i < Number(values.rounds); i += 1) {
      await timed(times.workerThread, () => reconcileTarget(db, target, driver));
      await timed(times.inThread, () => reconcileTarget(db, target, inThread));
      await timed(times.search, () => session.search(branches[0]!, { attributes: ['*'] }));
    }
    await inThread.close?.();
    await driver.close?.();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const threads = {
      rounds: Number(values.rounds),
      seconds: {
        workerThread: times.workerThread.map((x) => round(x)),
        inThread: times.inThread.map((x) => round(x)),
        search: times.search.map((x) => round(x)),
      },
      medianSeconds: {
        workerThread: round(median(times.workerThread)),
        inThread: round(median(times.inThread)),
        search: round(median(times.search)),
      },
      ratioToSearch: {
        workerThread: round(median(times.workerThread) / median(times.search), 2),
        inThread: round(median(times.inThread) / median(times.search), 2),
      },
      workerThreadVsInThread: round(median(times.workerThread) / median(times.inThread), 2),
    };

    // 4. The CLI's full reconcile, dry then real, in its own process with its memory limit.
    const cli = values['skip-cli']
      ? 'skipped'
      : {
          dryRun: cliReconcile(database.url, 'bench-0', true),
          real: cliReconcile(database.url, 'bench-0', false),
        };

    process.stdout.write(
      `${JSON.stringify(
        {
          accounts,
          schools,
          poolSize,
          // The machine's 1/5/15-minute load averages at the start and at the end of the run.
          loadAverage: { before: loadBefore, after: loadavg().map((l) => round(l)) },
          worker: {
            seconds: round(workerSeconds),
            accountsApplied: accountAdds,
            failed,
            addsPerSecond: round(stats.adds / workerSeconds),
            // Summed over the batches in flight (the driver's lanes): may exceed \`seconds\`.
            driverApplySeconds: round(Number(applyNs) / 1e9),
            lanes: driver.lanes ?? 1,
            // This process's CPU (user + system) over the provisioning.
            cpuSeconds: round((workerCpu.user + workerCpu.system) / 1e6),
            accountsPerSecond: round(accountAdds / workerSeconds),
            ldapAdds: stats.adds,
            groupWrites: stats.groupWrites,
          },
          ldapadd: {
            entries,
            seconds: round(ldapaddSeconds),
            entriesPerSecond: round(entries / ldapaddSeconds),
          },
          workerVsLdapadd: round(stats.adds / workerSeconds / (entries / ldapaddSeconds), 3),
          targets: { workerVsLdapadd: '>= 0.70', reconcileWrites: 0, ratioToSearch: '< 2' },
          reconcile: {
            seconds: round(reconcileSeconds),
            inSync: report.totals.inSync,
            marked: report.marked,
            orphans: report.totals.orphans,
            writes,
            subtreeSearchSeconds: round(searchSeconds),
            entriesSearched: found.length,
            ratioToSearch: round(reconcileSeconds / searchSeconds, 2),
            // Inside the timed reconcile, from its start: the target listed (inventory), the
            // directory's accounts read and digested meanwhile (load), then the comparison.
            phases: {
              inventorySeconds: round(timings.inventory ?? NaN),
              loadSeconds: round(timings.accounts ?? NaN),
              compareSeconds: round(timings.compare ?? NaN),
            },
            // Each alone, after it: the driver's inventory, and loadAccounts of every person.
            inventorySeconds: round(inventorySeconds),
            loadAccountsSeconds: round(loadAccountsSeconds),
          },
          threads,
          cli,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    if (!values.keep) {
      ldapDeleteSubtrees(ldap, branches);
    }
    await session.close();
    rmSync(dir, { recursive: true, force: true });
    await handle.close();
    await database.drop();
    if (values.keep) process.stderr.write(`kept: DATABASE_URL=${database.url}\n`);
  }
}

/**
 * `aaf-sync reconcile --target <name> --json [--dry-run]` with the Node flags of the root
 * package's `aaf-sync` script, under `/usr/bin/time`: its peak RSS, duration and report.
 */
function cliReconcile(url: string, target: string, dryRun: boolean) {
  const run = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'peak-rss-kb=%M elapsed=%e',
      ...cliNodeCommand(),
      'reconcile',
      '--target',
      target,
      '--json',
      ...(dryRun ? ['--dry-run'] : []),
    ],
    {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  const time = /peak-rss-kb=(\d+) elapsed=([\d.]+)/.exec(run.stderr ?? '');
  let report: { totals?: { inSync: number; orphans: number }; marked?: number } = {};
  try {
    report = JSON.parse(run.stdout) as typeof report;
  } catch {
    // A crashed CLI (out of memory) prints no report: its status and stderr say why.
  }
  return {
    status: run.status,
    peakRssMb: time ? round(Number(time[1]) / 1024, 1) : null,
    seconds: time ? Number(time[2]) : null,
    inSync: report.totals?.inSync ?? null,
    orphans: report.totals?.orphans ?? null,
    marked: report.marked ?? null,
    ...(run.status === 0 ? {} : { stderr: (run.stderr ?? '').slice(-2000) }),
  };
}

/** `node <flags> services/cli/dist/main.js`, the flags read from the root `aaf-sync` script. */
function cliNodeCommand(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = pkg.scripts['aaf-sync']!.split(/\s+/);
  return [process.execPath, ...words.slice(1)];
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
