import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { archiveKind, isAafXmlName, parseAafFileName } from '@aaf-sync/aaf';
import { IngesterErrors } from './errors.js';

/** One delivery waiting in the inbox: an archive, a folder, or loose XML files of one date. */
export interface InboxEntry {
  /** Stable id of this exact content (name, sizes, times): the queue's job id. */
  readonly id: string;
  readonly name: string;
  readonly paths: readonly string[];
  /** YYYY-MM-DD from the names, for date order. */
  readonly date: string;
  readonly kind: 'complete' | 'delta';
}

const ARCHIVE_DATE = /(20\d\d)(\d\d)(\d\d)/;

function kindOf(name: string): 'complete' | 'delta' {
  return /delta/i.test(name) ? 'delta' : 'complete';
}

function dateOf(name: string): string {
  const m = ARCHIVE_DATE.exec(name);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : '0000-00-00';
}

/** The content fingerprint of a delivery's paths (names, sizes, mtimes) and its newest mtime. */
export async function fingerprint(
  paths: readonly string[],
): Promise<{ id: string; newest: number }> {
  const hash = createHash('sha1');
  let newest = 0;
  for (const p of [...paths].sort()) {
    const s = await stat(p);
    hash.update(`${p}\n${s.size}\n${s.mtimeMs}\n`);
    newest = Math.max(newest, s.mtimeMs);
  }
  return { id: hash.digest('hex').slice(0, 20), newest };
}

/**
 * Date and kind of a folder delivery, read from what packages/aaf's delivery listing takes in it
 * (one level deep: AAF XML files and archives, e.g. `1d/` and `2d/` subfolders); null when it
 * holds none.
 */
async function folderDelivery(
  path: string,
  depth = 1,
): Promise<{ date: string; kind: 'complete' | 'delta' } | null> {
  const entries = await readdir(path, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const xml = entries.find((e) => e.isFile() && isAafXmlName(e.name));
  if (xml) {
    const parsed = parseAafFileName(xml.name);
    return { date: parsed.date, kind: parsed.kind };
  }
  const archive = entries.find((e) => e.isFile() && archiveKind(e.name) !== null);
  if (archive) return { date: dateOf(archive.name), kind: kindOf(archive.name) };
  if (depth === 0) return null;
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const inner = await folderDelivery(join(path, e.name), depth - 1);
    if (inner) return inner;
  }
  return null;
}

async function looseGroups(
  dir: string,
  names: string[],
): Promise<Map<string, { paths: string[]; date: string; kind: 'complete' | 'delta' }>> {
  const groups = new Map<string, { paths: string[]; date: string; kind: 'complete' | 'delta' }>();
  for (const name of names.filter(isAafXmlName)) {
    let parsed;
    try {
      parsed = parseAafFileName(name);
    } catch {
      continue;
    }
    const key = `${parsed.prefix}_${parsed.kind}_${parsed.date}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { paths: [], date: parsed.date, kind: parsed.kind }));
    g.paths.push(join(dir, name));
  }
  return groups;
}

/**
 * Lists the deliveries of the inbox that are ready: nothing in them changed for `settleMs`
 * (a delivery still being copied is left for the next scan). Sorted by date, completes first.
 */
export async function scanInbox(
  dir: string,
  settleMs: number,
  now = Date.now(),
): Promise<InboxEntry[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [];
      throw IngesterErrors.INBOX_UNREADABLE({ dir, reason: err.message }, { cause: err });
    },
  );
  const candidates: { name: string; paths: string[]; date: string; kind: 'complete' | 'delta' }[] =
    [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    if (e.isDirectory()) {
      const found = await folderDelivery(join(dir, e.name));
      if (found) candidates.push({ name: e.name, paths: [join(dir, e.name)], ...found });
    } else if (e.isFile() && archiveKind(e.name) !== null) {
      candidates.push({
        name: e.name,
        paths: [join(dir, e.name)],
        date: dateOf(e.name),
        kind: kindOf(e.name),
      });
    }
  }
  for (const [name, g] of await looseGroups(
    dir,
    entries.filter((e) => e.isFile()).map((e) => e.name),
  )) {
    candidates.push({ name, ...g });
  }
  const ready: InboxEntry[] = [];
  for (const c of candidates) {
    const { id, newest } = await fingerprint(c.paths);
    // mtimes have sub-millisecond precision, Date.now() not: a file written in the current
    // millisecond would look written in the future (never ready with settleMs 0)
    if (now - Math.floor(newest) >= settleMs) ready.push({ id, ...c });
  }
  return ready.sort((a, b) =>
    a.date === b.date
      ? a.kind === b.kind
        ? a.name.localeCompare(b.name)
        : a.kind === 'complete'
          ? -1
          : 1
      : a.date < b.date
        ? -1
        : 1,
  );
}
