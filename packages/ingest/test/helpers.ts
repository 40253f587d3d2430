import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { sql, type Database, type Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';
import { testDb } from '@aaf-sync/testing';
import {
  DEFAULT_INGEST_SETTINGS,
  ingestPaths,
  type IngestDeps,
  type IngestSettings,
} from '../src/index.js';

export const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples');

type Tap = Parameters<typeof testDb>[0];

export interface Harness {
  readonly db: Kysely<Database>;
  readonly deps: IngestDeps;
  ingest(paths: string | string[], options?: { dryRun?: boolean }): ReturnType<typeof ingestPaths>;
}

const silent = new Writable({ write: (_c, _e, done) => done() });

/** A database of its own and the engine's dependencies on it. */
export async function harness(t: Tap, settings: Partial<IngestSettings> = {}): Promise<Harness> {
  const { db } = await testDb(t);
  const deps: IngestDeps = {
    db,
    log: createLogger({ level: 'warn' }, silent),
    settings: { ...DEFAULT_INGEST_SETTINGS, batchSize: 50, ...settings },
  };
  return {
    db,
    deps,
    ingest: (paths, options = {}) =>
      ingestPaths(deps, Array.isArray(paths) ? paths : [paths], { source: 'test', ...options }),
  };
}

export interface VariantOptions {
  /** Sample folder: '1d' or '2d'. */
  readonly from: '1d' | '2d';
  /** Which files: a substring of their names (e.g. 'Complet', 'Delta'). */
  readonly pick: string;
  /** New kind and date in the file names. */
  readonly kind?: 'Complet' | 'Delta';
  readonly date?: string;
  /** Text replacements applied to every file. */
  readonly replace?: readonly (readonly [string | RegExp, string])[];
  /** Entities to leave out (e.g. ['Eleve']). */
  readonly omit?: readonly string[];
  /** Chunk number in the file names (to put two variants in one delivery). */
  readonly chunk?: number;
  /** Académie scope in the file names (`ENT_<scope>_…`; the samples' is TEST). */
  readonly scope?: string;
}

/**
 * The 2D sample moved to a second school: other jointures, UAI, person ids and INEs (a pupil
 * sharing an INE with a known one is that pupil: see ine-identity.int.test.ts).
 */
export const SECOND_SCHOOL: readonly (readonly [string, string])[] = [
  ['<value>123456', '<value>323456'],
  ['910001', '910002'],
  ['0990001N', '0990002P'],
  ['93001', '94001'],
  ['93102', '94102'],
  ['93203', '94203'],
];

/** Writes a variant of the sample files into `dir` (new names, edited content) and returns it. */
export function variant(dir: string, o: VariantOptions): string {
  mkdirSync(dir, { recursive: true });
  const src = join(SAMPLES, o.from);
  for (const name of readdirSync(src)) {
    if (name.endsWith('.dtd')) {
      copyFileSync(join(src, name), join(dir, name));
      continue;
    }
    if (!name.includes(o.pick)) continue;
    const entity = /_([A-Za-z]+)_\d{4}\.xml$/.exec(name)?.[1] ?? '';
    if (o.omit?.includes(entity)) continue;
    let text = readFileSync(join(src, name), 'utf8');
    for (const [a, b] of o.replace ?? [])
      text = typeof a === 'string' ? text.split(a).join(b) : text.replace(a, b);
    let target = name;
    if (o.kind) target = target.replace(/_(Complet|Delta)_/, `_${o.kind}_`);
    if (o.date) target = target.replace(/_\d{8}_/, `_${o.date}_`);
    if (o.scope) target = target.replace(/^ENT_TEST_/, `ENT_${o.scope}_`);
    if (o.chunk !== undefined)
      target = target.replace(/_\d{4}\.xml$/, `_${String(o.chunk).padStart(4, '0')}.xml`);
    writeFileSync(join(dir, target), text);
  }
  return dir;
}

/** Rows of a table, optionally only those whose columns equal the given values. */
export async function count(
  db: Kysely<Database>,
  table: keyof Database,
  where: Record<string, unknown> = {},
): Promise<number> {
  const conditions = Object.entries(where).map(([k, v]) => sql`${sql.ref(k)} = ${v}`);
  const filter = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from ${sql.table(table)} ${filter}`.execute(db);
  return rows[0]!.n;
}
