import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { movePath } from './archive.js';
import { IngesterErrors } from './errors.js';
import type { InboxEntry } from './inbox-scan.js';

/** What `<name>.error.json` holds next to a quarantined delivery. */
export interface QuarantineRecord {
  readonly delivery: string;
  readonly files: readonly string[];
  readonly code: string;
  readonly message: string;
  /** ISO time of the quarantine. */
  readonly when: string;
  /** Attempts made before giving up. */
  readonly attempts: number;
}

/** `CODE: message` as the ingester writes failures into its jobs (see `jobFailure`). */
const CODED = /^([A-Z][A-Z0-9]*_ERR_[A-Z0-9_]+): ([\s\S]*)$/;

/** The failure message a job carries: `CODE: message` keeps the code through BullMQ. */
export function jobFailure(code: string, message: string): string {
  return `${code}: ${message}`;
}

/** The code and message of a failed job (`INGESTER_ERR_GAVE_UP` when it carries no code). */
export function failureOf(
  entry: Pick<InboxEntry, 'name'>,
  reason: string,
  attempts: number,
): { code: string; message: string } {
  const m = CODED.exec(reason);
  if (m) return { code: m[1]!, message: m[2]! };
  const err = IngesterErrors.GAVE_UP({ name: entry.name, attempts, reason });
  return { code: err.code, message: err.message };
}

/**
 * Moves a delivery that failed for good out of the inbox into `dir`: `<dir>/<name>` (the file or
 * folder itself; loose files of one delivery go into a folder of that name) and
 * `<dir>/<name>.error.json`. A name already quarantined gets a time prefix, so nothing is
 * overwritten. Returns the path of the error file.
 */
export async function quarantineEntry(
  dir: string,
  entry: Pick<InboxEntry, 'name' | 'paths'>,
  failure: { code: string; message: string; attempts: number },
  now = new Date(),
): Promise<string> {
  await mkdir(dir, { recursive: true });
  const when = now.toISOString();
  let label = entry.name;
  if (existsSync(join(dir, label)) || existsSync(join(dir, `${label}.error.json`))) {
    label = `${when.replace(/[-:.]/g, '')}-${entry.name}`;
  }
  const present = entry.paths.filter((p) => existsSync(p));
  if (entry.paths.length === 1 && basename(entry.paths[0]!) === entry.name) {
    if (present.length === 1) await movePath(present[0]!, join(dir, label));
  } else {
    await mkdir(join(dir, label), { recursive: true });
    for (const p of present) await movePath(p, join(dir, label, basename(p)));
  }
  const record: QuarantineRecord = {
    delivery: entry.name,
    files: entry.paths.map((p) => basename(p)),
    code: failure.code,
    message: failure.message,
    when,
    attempts: failure.attempts,
  };
  const errorFile = join(dir, `${label}.error.json`);
  await writeFile(errorFile, `${JSON.stringify(record, null, 2)}\n`);
  return errorFile;
}
