import { createHash } from 'node:crypto';
import { loadConfig } from '@aaf-sync/config';
import { createDb, migrateToLatest, migrationFingerprint, type DbHandle } from '@aaf-sync/db';
import pg from 'pg';
import { randomSuffix, type TeardownHost } from './teardown.js';

const TEMPLATE_LOCK = 7_310_001; // advisory lock id: one template build at a time per server

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await client.connect();
  return client;
}

function templateName(): string {
  const hash = createHash('sha256').update(migrationFingerprint()).digest('hex').slice(0, 12);
  return `aaf_tpl_${hash}`;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Drops test databases whose process is gone (a killed run). Templates are kept: several
 * checkouts with different schema versions may share one server; `scripts/services clean`
 * drops them all.
 */
async function sweep(admin: pg.Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database where datname like 'aaf\\_t\\_%'`,
  );
  for (const { datname } of rows) {
    const pid = /^aaf_t_(\d+)_/.exec(datname)?.[1];
    if (pid && !processAlive(Number(pid))) {
      await admin.query(`drop database if exists "${datname}" with (force)`).catch(() => {});
    }
  }
}

async function ensureTemplate(url: string): Promise<string> {
  const name = templateName();
  const admin = await adminClient(url);
  try {
    await admin.query('select pg_advisory_lock($1)', [TEMPLATE_LOCK]);
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      await sweep(admin);
      await admin.query(`create database "${name}"`);
      const handle = createDb({ url: withDatabase(url, name), poolMax: 1 });
      try {
        await migrateToLatest(handle.db);
      } catch (err) {
        await handle.close();
        await admin.query(`drop database if exists "${name}" with (force)`);
        throw err;
      }
      await handle.close();
    }
    return name;
  } finally {
    await admin.query('select pg_advisory_unlock($1)', [TEMPLATE_LOCK]).catch(() => {});
    await admin.end();
  }
}

export interface TestDatabase extends DbHandle {
  readonly url: string;
  readonly name: string;
}

/**
 * A database of its own for the calling test file: a clone of a migrated template (built once per
 * schema version, under an advisory lock), dropped at teardown.
 *
 * @example
 * const { db } = await testDb(t);
 */
export async function testDb(
  t: TeardownHost,
  options: { poolMax?: number } = {},
): Promise<TestDatabase> {
  const baseUrl = loadConfig().database.url;
  const template = await ensureTemplate(baseUrl);
  const name = `aaf_t_${randomSuffix()}`;
  const admin = await adminClient(baseUrl);
  try {
    await admin.query(`create database "${name}" template "${template}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(baseUrl, name);
  const handle = createDb({ url, poolMax: options.poolMax ?? 5, applicationName: 'aaf-sync-test' });
  t.teardown(async () => {
    await handle.close();
    const cleanup = await adminClient(baseUrl);
    try {
      await cleanup.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await cleanup.end();
    }
  });
  return { ...handle, url, name };
}
