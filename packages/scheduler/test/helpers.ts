import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { saveCalendar } from '@aaf-sync/calendar-store';
import type { Database, Kysely } from '@aaf-sync/db';
import { createLogger } from '@aaf-sync/logger';

export const SAMPLES = resolve(import.meta.dirname, '../../../test/fixtures/aaf-samples/2d');
const EXAMPLE = resolve(import.meta.dirname, '../../calendar/examples/2025-2026.json');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a raw document tests edit freely
export type RawDocument = Record<string, any>;
export const example = (): RawDocument => JSON.parse(readFileSync(EXAMPLE, 'utf8')) as RawDocument;

/** A logger that writes nowhere. */
export const silentLog = createLogger(
  { level: 'warn' },
  new Writable({ write: (_c, _e, done) => done() }),
);

export async function storeCalendar(
  db: Kysely<Database>,
  edit: (doc: RawDocument) => void = () => {},
): Promise<number> {
  const doc = example();
  edit(doc);
  return (await saveCalendar(db, { document: doc, actor: 'cli:test' })).version;
}

/**
 * The 2D sample delivery of a complete (or delta) re-dated `date` (YYYYMMDD) in a folder of its
 * own, with text replacements (e.g. another school).
 */
export function sampleDelivery(
  dir: string,
  o: { kind: 'Complet' | 'Delta'; date: string; replace?: readonly (readonly [string, string])[] },
): string {
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(SAMPLES)) {
    if (name.endsWith('.dtd')) {
      cpSync(join(SAMPLES, name), join(dir, name));
      continue;
    }
    if (!name.includes(`_${o.kind}_`)) continue;
    let text = readFileSync(join(SAMPLES, name), 'utf8');
    for (const [a, b] of o.replace ?? []) text = text.split(a).join(b);
    writeFileSync(join(dir, name.replace(/_\d{8}_/, `_${o.date}_`)), text);
  }
  return dir;
}

/** Paris local time → instant (summer time, UTC+2). */
export const paris = (local: string): Date => new Date(`${local}+02:00`);
