/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run on any schema */
import type { Kysely } from 'kysely';
import { Migrator, type MigrationResult } from 'kysely/migration';
import { DbErrors } from './errors.js';
import { MIGRATIONS } from './migrations/index.js';

export interface MigrationReport {
  readonly applied: readonly string[];
  readonly results: readonly MigrationResult[];
}

function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    migrationTableName: 'aaf_migration',
    migrationLockTableName: 'aaf_migration_lock',
  });
}

/**
 * Brings the schema to the latest version. kysely runs the pending migrations in one transaction:
 * a failure rolls them all back and throws `DB_ERR_MIGRATION_FAILED` with the failing one's name.
 */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationReport> {
  const { error, results = [] } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw DbErrors.MIGRATION_FAILED(
      { migration: failed, reason: error instanceof Error ? error.message : String(error) },
      { cause: error },
    );
  }
  return {
    applied: results.filter((r) => r.status === 'Success').map((r) => r.migrationName),
    results,
  };
}

/** Names of all migrations known to this build, in order. */
export function migrationNames(): string[] {
  return Object.keys(MIGRATIONS).sort();
}

/**
 * Names and code of every migration: changes whenever a migration is added or edited, so test
 * templates built from an older schema are never reused.
 */
export function migrationFingerprint(): string {
  return migrationNames()
    .map((name) => `${name}\n${String(MIGRATIONS[name]?.up)}`)
    .join('\n');
}
