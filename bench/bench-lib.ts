// What the benches of bench/ share: timing helpers, the cached synthetic académie, a database of
// their own, the pupils the driver benches provision and LDAP clean-up. Not a
// test helper (packages/testing is): a bench's database is migrated by the CLI, as in production,
// and can be kept for a look afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '@aaf-sync/config';
import { sql, type Database, type Kysely } from '@aaf-sync/db';

/** The repository root (the CLI's dist and .cache/bench are found from it). */
export const root = resolve(import.meta.dirname, '..');

/** Seconds elapsed since a `process.hrtime.bigint()` reading. */
export const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/** `n` rounded to `digits` decimals. */
export const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

/**
 * The synthetic académie of `persons` persons (a 2D complete, services/cli `generate`), generated
 * once per size and seed in .cache/bench and shared by bench:ingest and bench:dispatch.
 */
export function generate(persons: number, seed: number): string {
  const dir = join(root, '.cache', 'bench', `academie-${persons}-seed${seed}`);
  if (existsSync(join(dir, 'manifest.json'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const res = spawnSync(
    process.execPath,
    [
      'services/cli/dist/main.js',
      'generate',
      '--out',
      dir,
      '--seed',
      String(seed),
      '--persons',
      String(persons),
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  if (res.status !== 0) throw new Error('generation failed');
  return dir;
}

export interface BenchDatabase {
  /** The connection URL of the bench's database. */
  readonly url: string;
  /** Drops the database (unless kept) and closes the admin connection; close pools first. */
  drop(): Promise<void>;
}

/**
 * A database of the bench's own, `aaf_bench_<label>_<pid>`, created through the `postgres`
 * admin database of DATABASE_URL and migrated with the CLI (`services/cli/dist/main.js migrate`).
 * `drop()` removes it unless `keep`.
 */
export async function benchDatabase(
  label: string,
  options: { readonly keep: boolean },
): Promise<BenchDatabase> {
  const base = new URL(loadConfig().database.url);
  const name = `aaf_bench_${label}_${process.pid}`;
  const admin = new pg.Client({
    connectionString: Object.assign(new URL(base), { pathname: '/postgres' }).toString(),
  });
  await admin.connect();
  const url = Object.assign(new URL(base), { pathname: `/${name}` }).toString();
  const drop = async (keep: boolean) => {
    try {
      if (!keep) await admin.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await admin.end();
    }
  };
  try {
    await admin.query(`create database "${name}"`);
    const migrated = spawnSync(process.execPath, ['services/cli/dist/main.js', 'migrate'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
    if (migrated.status !== 0) throw new Error('migration failed');
  } catch (err) {
    await drop(options.keep);
    throw err;
  }
  return { url, drop: () => drop(options.keep) };
}

/** What `seedClassPupils` writes: the establishments and the pupils' login in one namespace. */
export interface ClassPupils {
  readonly schools: number;
  readonly accounts: number;
  /** Establishment names, `<schoolName> <n>` ('Collège', 'Lycée'). */
  readonly schoolName: string;
  /** The letter ending every UAI (`000000<n><letter>`), so two benches never share one. */
  readonly uaiLetter: string;
  /** The identifier namespace of the logins (`scribe`, `koxo`). */
  readonly namespace: string;
  /** Logins are `<loginPrefix><n>`, their homonym base `loginBase`. */
  readonly loginPrefix: string;
  readonly loginBase: string;
}

/**
 * The directory the driver benches provision, written with set-based inserts: `schools`
 * establishments, `accounts` pupils spread over them in classes of 25, each with a primary login,
 * then planner statistics (a live database has them). Returns the UAIs in order.
 */
export async function seedClassPupils(db: Kysely<Database>, o: ClassPupils): Promise<string[]> {
  await sql`
    insert into structure (jointure, uai, name, level, attributes, record_hash)
    select 'S' || n, lpad(n::text, 7, '0') || ${o.uaiLetter}, ${o.schoolName} || ' ' || n, '2d',
      '{}', 'h' || n
    from generate_series(1, ${o.schools}) n`.execute(db);
  await sql`
    insert into person (jointure, category, profile, level, given_name, sn, birth_date,
      attributes, record_hash, primary_structure)
    select 'E' || n, 'pupil', 'pupil', '2d', 'Prénom' || n, 'Nom' || n,
      date '2010-01-01' + (n % 1000), '{}', 'h' || n, 'S' || (1 + n % ${o.schools})
    from generate_series(1, ${o.accounts}) n`.execute(db);
  await sql`insert into person_structure (person_jointure, structure_jointure)
    select jointure, primary_structure from person`.execute(db);
  await sql`insert into identifier (person_id, namespace, value, status, base)
    select id, ${o.namespace}, ${o.loginPrefix} || substr(jointure, 2), 'primary', ${o.loginBase}
    from person`.execute(db);
  await sql`insert into class_group (structure_jointure, kind, code, label)
    select distinct primary_structure, 'class',
      'C' || ((substr(jointure, 2)::int / ${o.schools}) / 25), 'classe'
    from person on conflict do nothing`.execute(db);
  await sql`insert into membership (class_group_id, person_jointure)
    select c.id, p.jointure from person p join class_group c
      on c.structure_jointure = p.primary_structure
      and c.code = 'C' || ((substr(p.jointure, 2)::int / ${o.schools}) / 25)`.execute(db);
  await sql`analyze`.execute(db);
  const { rows } = await sql<{ uai: string }>`select uai from structure order by uai`.execute(db);
  return rows.map((r) => r.uai);
}

/** Removes LDAP subtrees with `ldapdelete -r` (errors ignored: a bench's clean-up). */
export function ldapDeleteSubtrees(
  server: { readonly url: string; readonly bindDn: string; readonly bindPassword: string },
  dns: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  for (const dn of dns) {
    spawnSync(
      'ldapdelete',
      ['-x', '-H', server.url, '-D', server.bindDn, '-w', server.bindPassword, '-r', dn],
      { stdio: 'ignore', env },
    );
  }
}

/**
 * User + system CPU seconds of one process (Linux `/proc/<pid>/stat`, fields 14 and 15, in clock
 * ticks of 1/100 s); null when it cannot be read (not Linux, process gone).
 */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** The CPU seconds of several processes (PostgreSQL backends); null when one cannot be read. */
export function processesCpuSeconds(pids: ReadonlySet<number>): number | null {
  let total = 0;
  for (const pid of pids) {
    const cpu = processCpuSeconds(pid);
    if (cpu === null) return null;
    total += cpu;
  }
  return pids.size === 0 ? null : total;
}
