// What the benches of bench/ share: timing helpers, the cached synthetic académie and a
// database of their own. Not a test helper (packages/testing is): a bench's database is migrated
// by the CLI, as in production, and can be kept for a look afterwards.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { loadConfig } from '@aaf-sync/config';

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
